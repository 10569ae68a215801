"""Admin for the reporting cycle (IT staff). Report content and versions are read-only here:
drafting, submitting and returning go through the app so that versions and deadlines hold."""

from __future__ import annotations

from django.contrib import admin

from core.admin import AuditedAdmin
from reporting.models import (
    ConsolidatedReport,
    OpinionStream,
    Period,
    Reminder,
    ReportTemplate,
    ReportVersion,
    UnitReport,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(AuditedAdmin):
    list_display = ("code", "kind", "year", "number", "start", "end")
    list_filter = ("kind", "year")
    search_fields = ("code",)


@admin.register(ReportTemplate)
class ReportTemplateAdmin(AuditedAdmin):
    list_display = (
        "name",
        "period_kind",
        "deadline_day",
        "deadline_inclusive",
        "remind_days_before",
        "active",
    )
    list_filter = ("period_kind", "active")
    filter_horizontal = ("units",)
    readonly_fields = ("version",)


class OpinionStreamInline(admin.TabularInline):
    model = OpinionStream
    extra = 0
    can_delete = False
    fields = ("position", "topic", "summary", "attitude", "reach", "channel", "area", "latent")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    extra = 0
    can_delete = False
    fields = ("number", "action", "at", "by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdmin):
    list_display = ("unit", "period", "template", "state", "first_submitted_at", "version")
    list_filter = ("state", "template", "period")
    search_fields = ("unit__name",)
    list_select_related = ("unit", "period", "template")
    inlines = [OpinionStreamInline, ReportVersionInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("unit", "period", "template", "kind", "sent_at")
    list_filter = ("kind", "period")
    list_select_related = ("unit", "period", "template")


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "period", "template", "version", "generated_at", "updated_at")
    list_select_related = ("period", "template")
