from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from hearth.staff.access import staff_for
from hearth.staff.permissions import can


@login_required
def home(request):
    """Send each user to the page they start their day on."""
    staff = staff_for(request.user)
    if staff is None:
        return redirect("admin:index") if request.user.is_staff else redirect("people_search")
    if can(staff, "case.hold"):
        return redirect("caseload")
    if can(staff, "unit.manage_own") and staff.unit_id:
        return redirect("unit_detail", pk=staff.unit_id)
    if can(staff, "unit.manage_agency"):
        return redirect("unit_list")
    if can(staff, "case.read_oversight_grant"):  # the state oversight specialist, supervisor
        return redirect("oversight_home")
    if can(staff, "qa.review"):
        return redirect("qa_home")  # O3: the QA reviewer's sample and reviews due
    if can(staff, "records.use"):
        return redirect("case_list")
    return redirect("admin:index")
