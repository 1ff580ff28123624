from django.contrib import admin

from .models import AuditEvent, ObjectChange, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "name", "valid_from", "valid_to", "shipped")
    list_filter = ("kind", "shipped")
    search_fields = ("code", "name", "legal_basis")


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ("time", "user_name", "source", "action", "content_type", "object_id", "object_repr")
    list_filter = ("action", "source", "content_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("time", "kind", "message", "user")
    list_filter = ("kind",)
