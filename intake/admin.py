"""Admin of the intake app: read-mostly. Items are filed through the services (masking, audit),
so the admin never creates an item or shows the stored import table."""

from __future__ import annotations

from django.contrib import admin

from core.admin import AuditedAdmin
from intake.models import ImportBatch, Meeting, OpinionItem, ResidentContact


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["held_on", "kind", "title", "place", "unit"]
    list_filter = ["kind", "unit"]
    search_fields = ["title", "place"]
    date_hierarchy = "held_on"


@admin.register(OpinionItem)
class OpinionItemAdmin(AuditedAdmin):
    list_display = ["pk", "received_on", "channel", "area", "unit", "attitude", "labels_confirmed"]
    list_filter = ["channel", "attitude", "labels_confirmed", "sensitivity"]
    search_fields = ["text_folded", "tracking_code"]
    date_hierarchy = "received_on"
    readonly_fields = [
        "text",
        "masked_kinds",
        "suggested_topic",
        "suggested_attitude",
        "suggestion_model",
        "tracking_code",
        "created_by",
        "created_at",
        "version",
    ]
    filter_horizontal = ["topics", "social_groups"]

    def has_add_permission(self, request):
        return False  # the text must pass through masking in intake.services


@admin.register(ResidentContact)
class ResidentContactAdmin(AuditedAdmin):
    # The details themselves are never shown here: the app's pages show them to the office and
    # write each read to the audit log (intake.selectors.contact_for); the admin would not.
    list_display = ["item", "notified_at", "consented_at", "erased_at"]
    fields = ["item", "notified_at", "consented_at", "erased_at", "erasure"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return request.user.is_active and getattr(request.user, "is_office", False)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_view_permission(request, obj)


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditedAdmin):
    list_display = ["file_name", "state", "rows_total", "rows_imported", "created_by", "created_at"]
    list_filter = ["state"]
    readonly_fields = [
        "file_name",
        "headers",
        "mapping",
        "rows_total",
        "rows_imported",
        "errors",
        "created_by",
        "created_at",
    ]
    exclude = ["file_data"]

    def has_add_permission(self, request):
        return False
