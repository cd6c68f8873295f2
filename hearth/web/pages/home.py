"""Each role's home (issue 15): what to act on first. The case manager's urgent items,
the supervisor's unit, the program director's agency; the intake coordinator lands on the
intake queue, the other roles on their own landing pages (hearth.web.views.home). The
figures are read by hearth.reports.homes, which the API serves too (GET /api/v1/me/home)."""

from django.shortcuts import render

from hearth.core import audit
from hearth.reports import homes


def case_manager(request):
    home = homes.case_manager_home(request.user)
    audit.log_access(request, audit.LIST, home.disclosed)
    return render(request, "web/home_case_manager.html", {"home": home})


def supervisor(request):
    home = homes.supervisor_home(request.user)
    audit.log_access(request, audit.LIST, home.disclosed)
    return render(request, "web/home_supervisor.html", {"home": home})


def program_director(request):
    home = homes.director_home(request.user)  # counts and staff: no case is named
    return render(request, "web/home_director.html", {"home": home})


PAGES = {
    homes.CASE_MANAGER: case_manager,
    homes.SUPERVISOR: supervisor,
    homes.PROGRAM_DIRECTOR: program_director,
}
