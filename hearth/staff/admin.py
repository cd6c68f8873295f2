from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hearth.core.errors import DomainError
from hearth.staff import services
from hearth.staff.models import Agency, Role, StaffMember, Unit


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


class StaffMemberForm(forms.ModelForm):
    """Roles are a field of the staff form, checked against the granter's own powers
    (hearth.policy.grants) like every other path. The admin runs validation and saving
    in one transaction, so the check holds its locks until the roles are stored."""

    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    actor = None  # the signed-in user; set by StaffMemberAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = sorted(services.stored_roles(self.instance))

    def _post_clean(self):
        super()._post_clean()
        if "roles" not in self.cleaned_data or self.errors:
            return
        member = self.instance
        roles_before, status_before = frozenset(), None
        if member.pk:
            services.lock_for_grant(member.pk)
            roles_before = services.stored_roles(member)
            status_before = StaffMember.objects.values_list("status", flat=True).get(pk=member.pk)
        try:
            problems = services.grant_check(
                actor=self.actor,
                member=member,
                roles_before=roles_before,
                status_before=status_before,
                roles=self.cleaned_data["roles"],
            )
        except DomainError as exc:
            problems = exc.errors
        for field, reason in problems.items():
            self.add_error(field, reason)


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    """Staff depart (status), they are never deleted; a record's sign-in and agency are
    fixed once created."""

    form = StaffMemberForm
    list_display = ["last_name", "first_name", "agency", "unit", "status", "hire_date"]
    list_filter = ["agency", "status", "roles__role", "experience_level"]
    search_fields = ["last_name", "first_name", "user__username"]
    list_select_related = ["agency", "unit"]
    filter_horizontal = ["skills", "languages"]
    raw_id_fields = ["user"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ["user", "agency"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            # The first sign-in asks for a password of the staff member's own.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.staff_set_roles(form.instance, form.cleaned_data["roles"])
        services.staff_deactivate_departed(form.instance)
