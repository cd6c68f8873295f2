"""Federal measures pages: F1, the monthly caseworker visits, by state, agency, unit and
worker, with the definition shown and a drill-down to the child-months not visited."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import Forbidden
from hearth.core.services import today
from hearth.placements.models import RemovalEpisode
from hearth.reports import federal
from hearth.staff import access as staff_access
from hearth.staff.models import Agency, StaffMember, Unit
from hearth.staff.permissions import can, is_state_staff

LABELS = {"agency": Agency, "unit": Unit, "worker": StaffMember}


def scoped_episodes(viewer):
    """The removal episodes whose F1 counts the viewer may see: the state's staff every
    agency's, a program director their agency's, a supervisor their unit's, a case
    manager the cases they hold. Names are shown only for cases the viewer may see."""
    staff = staff_access.staff_for(viewer)
    if staff is None:
        raise Forbidden()
    episodes = RemovalEpisode.objects.all()
    if is_state_staff(staff) and can(staff, "records.use"):
        return episodes, "agency"
    if can(staff, "report.agency"):
        return episodes.filter(case__agency=staff.agency_id), "unit"
    if can(staff, "report.unit") and staff.unit_id:
        return episodes.filter(case__unit=staff.unit_id), "worker"
    if can(staff, "report.held"):
        return episodes.filter(case__in=case_access.held_cases(viewer)), "worker"
    raise Forbidden()


@login_required
@require_GET
def f1_report(request):
    episodes, group = scoped_episodes(request.user)
    fy = request.GET.get("fy", "")
    fy = int(fy) if fy.isdigit() and 2000 <= int(fy) <= 2100 else federal.fiscal_year_of(today())
    filters = {}
    for key in ("agency", "unit", "worker"):
        value = request.GET.get(key, "")
        if value.isdigit():
            filters[key] = int(value)
    if "agency" in filters:
        episodes, group = episodes.filter(case__agency=filters["agency"]), "unit"
    if "unit" in filters:
        episodes, group = episodes.filter(case__unit=filters["unit"]), "worker"
    rows = federal.f1(episodes, fy, group=group)
    total = federal.F1Row(None)  # each child-month is in exactly one group
    for r in rows:
        total.months += r.months
        total.visited += r.visited
        total.in_residence += r.in_residence
    names = dict(
        LABELS[group]
        .objects.filter(pk__in=[r.key for r in rows if r.key])
        .values_list("pk", "last_name" if group == "worker" else "name")
    )
    for r in rows:
        r.label = names.get(r.key, "(unassigned)")
    missing = None
    if "worker" in filters:
        mine = episodes.filter(case__in=case_access.visible_cases(request.user))
        missing = federal.unvisited(mine, fy)
        audit.log_access(request, audit.LIST, list({e.pk: e for _, e in missing}.values()))
        rows = [r for r in rows if r.key == filters["worker"]]
    return render(
        request,
        "reports/f1.html",
        {
            "fy": fy,
            "group": group,
            "rows": rows,
            "total": total if total.months else None,
            "missing": missing,
            "filters": filters,
            "visit_standard": federal.VISIT_STANDARD,
            "residence_standard": federal.RESIDENCE_STANDARD,
        },
    )
