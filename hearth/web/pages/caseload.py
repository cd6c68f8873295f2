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
# The caseload in groups, the most urgent first (issue 15: dense enough to act on): the
# cases with something overdue, then with something due, then the rest.
GROUPS = (
    ("overdue", "With something overdue"),
    ("due", "With something due this month"),
    ("rest", "Nothing due now"),
)


@login_required
@require_GET
def caseload(request):
    """My caseload: the open cases the viewer holds, with their families, grouped by
    urgency (overdue, due, the rest) in compact rows. The query count does not grow with
    the number of cases (one query for cases, one for members)."""
    cases = list(selectors.caseload(viewer=request.user))
    staff = staff_access.staff_for(request.user)
    window = staff.agency.policy.visit_adherence_days if staff else 28
    in_care = visitation_selectors.children_in_care(cases, window_days=window)
    next_due = obligation_selectors.next_for_cases(cases)
    groups = {state: [] for state, _ in GROUPS}
    for case in cases:
        case.next_due = next_due.get(case.pk, [])
        states = {o.state for o in case.next_due}
        groups["overdue" if "overdue" in states else "due" if "due" in states else "rest"].append(
            case
        )
    measured = [r["adherence"] for r in in_care if r.get("adherence") is not None]
    audit.log_access(request, audit.LIST, cases)
    return render(
        request,
        "web/caseload.html",
        {
            "cases": cases,
            "groups": [(state, label, groups[state]) for state, label in GROUPS],
            "in_care": in_care,
            "window": window,
            "adherence": round(sum(measured) / len(measured)) if measured else None,
        },
    )
