from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from hearth.reports.homes import home_role, landing
from hearth.staff.access import staff_for
from hearth.web.pages.home import PAGES


@login_required
@require_GET
def home(request):
    """Each user's home: the case manager's, supervisor's and program director's own pages
    (hearth.web.pages.home: the urgent first); the others land on the page they start
    their day on (hearth.reports.homes.landing: the intake coordinator on the queue)."""
    staff = staff_for(request.user)
    if staff is None:
        return redirect("admin:index") if request.user.is_staff else redirect("people_search")
    role = home_role(staff)
    if role is not None:
        return PAGES[role](request)
    return redirect(landing(staff))
