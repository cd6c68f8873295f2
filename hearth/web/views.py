from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from hearth.core.access import staff_for
from hearth.staff.models import Role


@login_required
def home(request):
    """Send each user to the page they start their day on."""
    staff = staff_for(request.user)
    if staff is None:
        return redirect("admin:index") if request.user.is_staff else redirect("people_search")
    if staff.has_role(Role.CASE_MANAGER):
        return redirect("caseload")
    if staff.has_role(Role.SUPERVISOR) and staff.unit_id:
        return redirect("unit_detail", pk=staff.unit_id)
    if staff.has_role(Role.PROGRAM_DIRECTOR):
        return redirect("unit_list")
    if staff.role_set - {Role.ADMINISTRATOR}:
        return redirect("case_list")
    return redirect("admin:index")
