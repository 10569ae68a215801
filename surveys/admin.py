"""Admin of surveys: read-mostly. Surveys are designed and versions uploaded through the pages
(services: validation, audit); the admin never creates a version or edits a stored XForm."""

from __future__ import annotations

from django.contrib import admin

from core.admin import AuditedAdmin
from surveys.models import FormVersion, Question, Survey


@admin.register(Survey)
class SurveyAdmin(AuditedAdmin):
    list_display = ["title", "slug", "form_id", "kind", "status", "unit", "starts_on", "ends_on"]
    list_filter = ["status", "kind", "unit"]
    search_fields = ["title_folded", "slug", "form_id"]
    readonly_fields = ["slug", "form_id", "created_by", "created_at", "updated_at", "version"]
    filter_horizontal = ["target_areas", "target_groups"]

    def has_add_permission(self, request):
        return False


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "name", "type", "label", "group_path", "in_repeat", "concept_key"]
    readonly_fields = ["position", "name", "type", "label", "group_path", "in_repeat"]
    extra = 0
    can_delete = False


@admin.register(FormVersion)
class FormVersionAdmin(AuditedAdmin):
    list_display = ["survey", "version", "title", "uploaded_at", "uploaded_by"]
    list_filter = ["survey"]
    readonly_fields = [
        "survey", "version", "title", "default_language", "languages", "xlsform_name",
        "xform_md5", "warnings", "uploaded_by", "uploaded_at",
    ]
    exclude = ["xlsform", "xform_xml", "definition"]
    inlines = [QuestionInline]

    def has_add_permission(self, request):
        return False
