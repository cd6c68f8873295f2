"""My caseload: the open cases the viewer holds, with their families, the children in care
and what falls due next (cases, placements and obligations together)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hearth.cases import selectors
from hearth.core import audit
from hearth.obligations import selectors as obligation_selectors
from hearth.staff import access as staff_access
from hearth.visitation import selectors as visitation_selectors

INVALID = 422  # a form that did not validate: shown again with its errors, nothing saved


@login_required
@require_GET
def caseload(request):
    """My caseload: the open cases the viewer holds, with their families. The query count
    does not grow with the number of cases (one query for cases, one for members)."""
    cases = list(selectors.caseload(viewer=request.user))
    staff = staff_access.staff_for(request.user)
    window = staff.agency.policy.visit_adherence_days if staff else 28
    in_care = visitation_selectors.children_in_care(cases, window_days=window)
    next_due = obligation_selectors.next_for_cases(cases)
    for case in cases:
        case.next_due = next_due.get(case.pk, [])
    measured = [r["adherence"] for r in in_care if r.get("adherence") is not None]
    audit.log_access(request, audit.LIST, cases)
    return render(
        request,
        "web/caseload.html",
        {
            "cases": cases,
            "in_care": in_care,
            "window": window,
            "adherence": round(sum(measured) / len(measured)) if measured else None,
        },
    )
