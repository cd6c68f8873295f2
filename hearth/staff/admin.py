from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hearth.staff.models import Agency, StaffMember, StaffRole, Unit


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "kind", "active"]
    list_filter = ["agency", "kind", "active"]
    search_fields = ["name"]
    filter_horizontal = ["counties"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 1


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "agency", "unit", "status", "hire_date"]
    list_filter = ["agency", "status", "roles__role", "experience_level"]
    search_fields = ["last_name", "first_name", "user__username"]
    list_select_related = ["agency", "unit"]
    filter_horizontal = ["skills", "languages"]
    raw_id_fields = ["user"]
    inlines = [StaffRoleInline]

    def save_model(self, request, obj, form, change):
        if not change:
            # The first sign-in asks for a password of the staff member's own.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
