"""Admin (at /quan-tri/) for the shared vocabularies and a read-only view of the audit log.

The admin is a tool for IT staff; the office works in the app's own pages. Changes made here
still land in the audit log, through :class:`AuditedAdmin`.
"""

from __future__ import annotations

from django.contrib import admin

from core.models import AuditEntry, Notification, SocialGroup, Topic
from core.services import audit
from core.text import fold


class FoldedSearchMixin:
    """Admin search that also matches without diacritics ("hoa binh" finds "Hòa Bình")."""

    folded_search_field = "name_folded"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            folded = queryset.filter(**{f"{self.folded_search_field}__contains": fold(search_term)})
            results = results | folded
        return results, may_have_duplicates


class AuditedAdmin(admin.ModelAdmin):
    """Writes through the admin are audited like writes through the services."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            obj=obj,
            summary=f"Quản trị: {'sửa' if change else 'tạo'} {obj._meta.verbose_name} {obj}",
            data={"changed_fields": sorted(form.changed_data)} if change else {},
        )

    def delete_model(self, request, obj):
        label, pk = f"{obj._meta.verbose_name} {obj}", obj.pk
        object_type = obj._meta.label_lower
        super().delete_model(request, obj)
        audit(
            actor=request.user, action=AuditEntry.Action.DELETE, object_type=object_type,
            object_id=str(pk), summary=f"Quản trị: xóa {label}",
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Topic)
class TopicAdmin(FoldedSearchMixin, AuditedAdmin):
    list_display = ("name", "parent", "position", "active")
    list_filter = ("active",)
    list_editable = ("position", "active")
    search_fields = ("name",)


@admin.register(SocialGroup)
class SocialGroupAdmin(FoldedSearchMixin, AuditedAdmin):
    list_display = ("name", "position", "active")
    list_filter = ("active",)
    list_editable = ("position", "active")
    search_fields = ("name",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The log is never edited, not even by a superuser."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "unit", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "actor__username", "object_id")
    date_hierarchy = "at"
    list_select_related = ("actor", "unit")
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "text", "created_at", "read_at")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
