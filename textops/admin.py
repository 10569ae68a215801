from django.contrib import admin

from textops.models import EngineState


@admin.register(EngineState)
class EngineStateAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "updated_at"]
    exclude = ["data"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
