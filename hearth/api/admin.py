from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hearth.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = [
        "prefix",
        "user",
        "label",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["key_hash", "prefix", "created_at", "expires_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]

    def has_add_permission(self, request):
        return False  # a token is made by its owner, shown once (API tokens page, API)
