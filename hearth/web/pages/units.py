"""The units pages: each unit with its staff and their caseloads (staff and cases together,
ADR 0008)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from hearth.cases import selectors as case_selectors
from hearth.core import audit
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember


@login_required
def unit_list(request):
    units = (
        staff_access.visible_units(request.user)
        .select_related("agency")
        .annotate(
            workers=Count(
                "staff", filter=~Q(staff__status=StaffMember.Status.DEPARTED), distinct=True
            ),
            open_cases=Count("cases", filter=~Q(cases__status="closed"), distinct=True),
        )
        .order_by("agency__name", "name")
    )
    return render(request, "web/unit_list.html", {"units": units})


@login_required
def unit_detail(request, pk):
    unit = staff_access.access_unit(request.user, pk)
    workers = case_selectors.unit_workers(viewer=request.user, unit_id=unit.pk)
    cases = case_selectors.case_list(viewer=request.user, filters={"unit": unit.pk})[:200]
    audit.log_access(request, audit.LIST, cases)
    return render(
        request, "web/unit_detail.html", {"unit": unit, "workers": workers, "cases": cases}
    )
