"""The case list: a thin view over hearth.cases.selectors (the case page and the caseload,
which compose several apps, are in hearth.web.pages).

Every read goes through hearth.cases.access (via the selectors); a case the viewer may not
see is the same 404 as a missing one. Every list is written to the access log.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from hearth.cases import selectors
from hearth.cases.models import Case
from hearth.core import audit
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember, Unit
from hearth.staff.permissions import roles_with

INVALID = 422  # a form that did not validate: shown again with its errors, nothing saved


def _int_or_none(value):
    return int(value) if value and value.isdigit() else None


def _filter_choices(request, unit_id):
    """Units and case managers offered as filters, all from what the viewer may see."""
    staff = staff_access.staff_for(request.user)
    units = (
        staff_access.visible_units(request.user)
        .filter(
            active=True, kind__in=[Unit.Kind.CASE_MANAGEMENT, Unit.Kind.CASE_MANAGEMENT_SUPPORT]
        )
        .select_related("agency")
        .order_by("agency__name", "name")
    )
    workers = staff_access.visible_staff(request.user).filter(
        roles__role__in=roles_with("case.hold")
    )
    workers = workers.exclude(status=StaffMember.Status.DEPARTED)
    # Offer the case managers of one unit: the chosen one, else the viewer's own.
    unit_id = unit_id or (staff.unit_id if staff is not None else None)
    workers = workers.filter(unit_id=unit_id) if unit_id else workers.none()
    return units, workers.order_by("last_name", "first_name")


@login_required
@require_GET
def case_list(request):
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "case_type", "q")}
    unit_id = _int_or_none(request.GET.get("unit", ""))
    worker_id = _int_or_none(request.GET.get("worker", ""))
    clean = {k: v for k, v in filters.items() if v}
    if clean.get("status") == "all":
        clean.pop("status")
        clean["include_closed"] = True
    if unit_id:
        clean["unit"] = unit_id
    if worker_id:
        clean["worker"] = worker_id
    qs = selectors.case_list(viewer=request.user, filters=clean)
    page = Paginator(qs, settings.HEARTH_PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in filters.items() if v}
    if unit_id:
        params["unit"] = unit_id
    if worker_id:
        params["worker"] = worker_id
    units, workers = _filter_choices(request, unit_id)
    audit.log_access(request, audit.SEARCH if filters["q"] else audit.LIST, page.object_list)
    return render(
        request,
        "cases/case_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "unit_id": unit_id,
            "worker_id": worker_id,
            "units": units,
            "workers": workers,
            "statuses": Case.Status.choices,
            "types": Case.Type.choices,
            "query_string": urlencode(params) + "&" if params else "",
        },
    )
