from django.contrib import admin

from hearth.core.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: who viewed which case record, filterable per case and per user."""

    list_display = [
        "viewed_at",
        "user",
        "kind",
        "case",
        "object_type",
        "object_id",
        "channel",
        "path",
        "client_address",
    ]
    list_filter = ["kind", "channel", "object_type", ("viewed_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "case__case_number"]
    list_select_related = ["user", "case"]
    raw_id_fields = ["user", "case"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
