"""The state oversight home on /oversight/: the landing of the state oversight specialist
and supervisor (hearth.web.views.home sends them here): the reviews due to them, the
hearings of their cases this week, the families they carry (O4); a supervisor also gets
the link to the caseload balance. Each section is one function of
hearth.oversight.selectors.home."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from hearth.core import audit
from hearth.core.services import today
from hearth.oversight import access
from hearth.oversight.selectors import home
from hearth.staff import access as staff_access


@login_required
@require_GET
def oversight_home(request):
    if not staff_access.viewer_can(request.user, "case.read_oversight_grant"):
        raise PermissionDenied
    reviews = home.reviews_due(viewer=request.user)
    hearings = home.hearings_this_week(viewer=request.user)
    families = home.families(viewer=request.user)
    audit.log_access(request, audit.LIST, [*reviews, *hearings, *families])
    start, end = home.week_of(today())
    return render(
        request,
        "oversight/home.html",
        {
            "reviews": reviews,
            "hearings": hearings,
            "families": families,
            "week_start": start,
            "week_end": end,
            "supervisor": access.can_assign_oversight(request.user),
        },
    )


urlpatterns = [path("oversight/", oversight_home, name="oversight_home")]
