"""The caseloads pages (O4): the balance of the state's specialists on
/oversight/caseloads/, a specialist's families and their reassignment on
/oversight/specialists/<pk>/, and a case's oversight (the ranking with its explanations,
assigning, the grants current and past, ending one, a QA grant by hand) on
/cases/<pk>/oversight/.

Thin: parse, call a service or selector, render. A refused form shows the page again
with the input kept and answers 422. Every read goes through the case's scope (and
oversight.assign) and is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.forms import add_domain_errors
from hearth.oversight import access
from hearth.oversight.forms import caseloads as f
from hearth.oversight.selectors import caseloads as selectors
from hearth.oversight.services import caseloads as services
from hearth.policy import oversight_caseloads as rules
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

INVALID = 422
CASE_ACTIONS = ("assign", "end", "qa")


def _require_assigner(request) -> StaffMember:
    if not access.can_assign_oversight(request.user):
        raise PermissionDenied
    return staff_access.staff_for(request.user)


@login_required
@require_GET
def oversight_caseloads(request):
    """O4: each specialist's families against the setting, one aggregate query; those
    past it highlighted."""
    _require_assigner(request)
    capacity = selectors.capacity()
    rows = []
    for s in selectors.specialists():
        region = s.office_county.region if s.office_county else None
        rows.append(
            {
                "staff": s,
                "region": region.name if region else "",
                "families": s.families,
                "percent": round(100 * s.families / capacity) if capacity else 100,
                "over": s.families > capacity,
                "full": s.families == capacity,
                "text": rules.families_text(s.families, capacity),
            }
        )
    active = [r for r in rows if r["staff"].status == StaffMember.Status.ACTIVE]
    return render(
        request,
        "oversight/caseloads_balance.html",
        {
            "rows": rows,
            "capacity": capacity,
            "total": sum(r["families"] for r in rows),
            "room": capacity * len(active),
            "over_count": sum(1 for r in rows if r["over"]),
        },
    )


def _specialist_page(request, specialist, *, form=None, status=200):
    cases = list(selectors.families(specialist))
    for case in cases:
        case.family_name = selectors.family_name(case)
    audit.log_access(request, audit.LIST, cases)
    others = [
        s
        for s in selectors.specialists()
        if s.pk != specialist.pk and s.status == StaffMember.Status.ACTIVE
    ]
    can_assign = access.can_assign_oversight(request.user)
    if form is None and can_assign:
        form = f.ReassignForm(specialists=others)
    capacity = selectors.capacity()
    return render(
        request,
        "oversight/caseloads_specialist.html",
        {
            "specialist": specialist,
            "cases": cases,
            "capacity": capacity,
            "load_text": rules.families_text(specialist.families, capacity),
            "over": specialist.families > capacity,
            "form": form,
            "can_assign": can_assign,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def oversight_specialist(request, pk):
    """O4: a specialist's families (the supervisor's view of anyone's, a specialist's of
    their own); the supervisor's reassignment form posts back here."""
    specialist = access.access_specialist(request.user, pk)
    if request.method == "GET":
        return _specialist_page(request, specialist)
    supervisor = _require_assigner(request)
    others = [
        s
        for s in selectors.specialists()
        if s.pk != specialist.pk and s.status == StaffMember.Status.ACTIVE
    ]
    form = f.ReassignForm(request.POST, specialists=others)
    status = INVALID
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.reassign_specialist_families(
                actor=request.user,
                assigned_by=supervisor,
                from_specialist=specialist,
                to_specialist=form.specialists.get(data["to_specialist"] or ""),
                reason=data["reason"],
                override_reason=data["override_reason"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, f"{len(moved)} families reassigned.")
            return redirect("oversight_specialist", pk=specialist.pk)
    return _specialist_page(request, specialist, form=form, status=status)


def _case_forms(case, *, data=None, action=None) -> dict:
    specialists = [s for s in selectors.specialists() if s.status == StaffMember.Status.ACTIVE]
    reviewers = list(
        StaffMember.objects.filter(
            roles__role__in=selectors.QA_ROLES, status=StaffMember.Status.ACTIVE
        ).order_by("last_name", "first_name", "pk")
    )

    def bound(name):
        return data if action == name else None

    return {
        "assign": f.AssignForm(bound("assign"), specialists=specialists),
        "end": f.GrantEndForm(bound("end")),
        "qa": f.QaGrantForm(bound("qa"), reviewers=reviewers),
    }


def _case_page(request, case, *, forms=None, status=200):
    forms = forms or _case_forms(case)
    ranking = selectors.ranking_for(case)
    current = selectors.current_oversight(case)
    grants = list(selectors.case_grants(case))
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(request, audit.LIST, grants, case=case)
    return render(
        request,
        "oversight/caseloads_case.html",
        {
            "case": case,
            "ranking": ranking,
            "current": current,
            "grants": grants,
            "forms": forms,
        },
        status=status,
    )


def _act(request, supervisor, case, action, form) -> str:
    data = form.cleaned_data
    if action == "assign":
        specialist = form.specialists[data["specialist"]]
        services.oversight_assign(
            actor=request.user,
            assigned_by=supervisor,
            case=case,
            specialist=specialist,
            reason=data["reason"],
            override_reason=data["override_reason"],
        )
        return f"{specialist.full_name} now oversees {case.case_number}."
    if action == "qa":
        reviewer = form.reviewers[data["reviewer"]]
        services.qa_grant(
            actor=request.user,
            granted_by=supervisor,
            case=case,
            reviewer=reviewer,
            reason=data["reason"],
        )
        return f"{case.case_number} is in {reviewer.full_name}'s QA sample."
    grant = case.access_grants.filter(pk=data["grant"]).first()
    if grant is None:
        raise DomainError({"reason": "Unknown grant."})
    services.oversight_end(
        actor=request.user, ended_by=supervisor, grant=grant, reason=data["reason"]
    )
    return "Access ended."


@login_required
@require_http_methods(["GET", "POST"])
def case_oversight(request, pk):
    """O3, O4: the case's oversight: the specialists ranked with their explanations, the
    assign form, the grants current and past (each with an end form), a QA grant."""
    case = case_access.access_case(request.user, pk)
    supervisor = _require_assigner(request)
    if request.method == "GET":
        return _case_page(request, case)
    action = request.POST.get("action")
    if action not in CASE_ACTIONS:
        action = "assign"
    forms = _case_forms(case, data=request.POST, action=action)
    form = forms[action]
    status = INVALID
    if form.is_valid():
        try:
            message = _act(request, supervisor, case, action, form)
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, message)
            return redirect(reverse("case_oversight", args=[case.pk]))
    return _case_page(request, case, forms=forms, status=status)


urlpatterns = [
    path("oversight/caseloads/", oversight_caseloads, name="oversight_caseloads"),
    path("oversight/specialists/<int:pk>/", oversight_specialist, name="oversight_specialist"),
    path("cases/<int:pk>/oversight/", case_oversight, name="case_oversight"),
]
