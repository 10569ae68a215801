"""Admin for the org registry (IT staff; the office uses the app's own pages)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.admin import AuditedAdmin, FoldedSearchMixin
from orgs.models import Area, Collaborator, OrgUnit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name")  # e-mail is encrypted: not searchable
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Lòng Dân", {"fields": ("full_name", "role", "unit", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Lòng Dân", {"fields": ("full_name", "role", "unit")}),
    )


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ("name", "former_ward", "households", "population")


@admin.register(OrgUnit)
class OrgUnitAdmin(FoldedSearchMixin, AuditedAdmin):
    list_display = (
        "name", "code", "kind", "parent", "responsible_person", "opened_on", "closed_on"
    )
    list_filter = ("kind", ("closed_on", admin.EmptyFieldListFilter))
    search_fields = ("name", "code")
    list_select_related = ("parent", "responsible_person")
    autocomplete_fields = ("parent", "responsible_person")
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(FoldedSearchMixin, AuditedAdmin):
    list_display = ("name", "former_ward", "unit", "households", "population")
    list_filter = ("former_ward",)
    search_fields = ("name", "former_ward")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


@admin.register(Collaborator)
class CollaboratorAdmin(FoldedSearchMixin, AuditedAdmin):
    list_display = ("full_name", "unit", "status", "started_on", "ended_on")
    list_filter = ("status",)
    search_fields = ("full_name",)
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "user")
    filter_horizontal = ("areas", "topics")
