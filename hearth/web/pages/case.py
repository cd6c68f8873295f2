"""The case page and the case actions that show it again with their errors: the case
(hearth.cases) with its children (placements), notes (contacts) and obligations.

Every read goes through hearth.cases.access (via the selectors); a case the viewer may not
see is the same 404 as a missing one, a visible case the viewer may not change is a 403.
Every view of a case page is written to the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hearth.cases import access as case_access
from hearth.cases import selectors, services
from hearth.cases.forms import (
    CaseEditForm,
    MemberAddForm,
    NamedStaffForm,
    RestrictionForm,
    StatusForm,
)
from hearth.contacts import selectors as contact_selectors
from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden
from hearth.core.forms import add_domain_errors
from hearth.intake import selectors as intake_selectors
from hearth.obligations import selectors as obligation_selectors
from hearth.people import services as people_services
from hearth.placements import selectors as placement_selectors
from hearth.planning.selectors import due as due_selectors
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

INVALID = 422  # a form that did not validate: shown again with its errors, nothing saved


ACTIONS = {  # action -> (label, URL name of the POST)
    "edit": ("Edit case details", "case_edit"),
    "member": ("Add a family member", "case_member_add"),
    "status": ("Change status", "case_status"),
    "restrict": ("Restrict the case", "case_restrict"),
    "unrestrict": ("Lift the restriction", "case_restrict"),
    "name": ("Name a staff member", "case_named_staff_add"),
    "unname": ("Remove a named staff member", "case_named_staff_end"),
}


# The case's planning pages (issue 12), by URL name.
PLANNING_LINKS = (
    ("Assessments", "case_assessments"),
    ("Case plans", "case_plans"),
    ("Services and referrals", "case_services"),
    ("Family team meetings, conferences, search and the tribe", "case_teaming"),
)


def _planning_links(case) -> list[tuple[str, str]]:
    """The case's planning pages (C1 to C9): assessments, plans, services, teaming."""
    return [(label, reverse(name, args=[case.pk])) for label, name in PLANNING_LINKS]


def _case_page(request, case_id, *, forms=None, status=200):
    """The case page. Action forms are built only for the action the user opened
    (`?action=edit`, or the form that failed validation), keeping the page light."""
    detail = selectors.case_detail(viewer=request.user, case_id=case_id)
    case = detail.case
    forms = forms or {}
    allowed = []
    if detail.can_edit and not case.is_closed:
        allowed += ["edit", "member"]
        # O1: an opened case closes through its closure recommendation, not this form.
        if StatusForm(case=case).fields["status"].choices:
            allowed.append("status")
    if detail.can_restrict:
        allowed.append("unrestrict" if case.restricted else "restrict")
        if case.restricted:
            allowed += ["name", "unname"] if detail.named else ["name"]
    action = next(iter(forms), None) or request.GET.get("action")
    form = None
    if action in forms:
        form = forms[action]
    elif action in allowed:
        form = {
            "edit": lambda: CaseEditForm.for_case(case),
            "member": MemberAddForm,
            "status": lambda: StatusForm(case=case),
            "restrict": lambda: RestrictionForm(case=case),
            "unrestrict": lambda: RestrictionForm(case=case),
            "name": lambda: NamedStaffForm(
                staff=selectors.nameable_staff(viewer=request.user, case=case), prefix="name"
            ),
            "unname": lambda: NamedStaffForm(staff=_named(case), prefix="unname"),
        }[action]()
    context = {
        "d": detail,
        "case": case,
        "history": selectors.case_history(
            case=case, more=intake_selectors.report_history_sources(case)
        ),
        # Issue 15: what the referral reported, who reported it and the safety found.
        "report": intake_selectors.case_report(case),
        "children": placement_selectors.case_children(case),
        "meetings": case.meetings.prefetch_related("visitation_reviews__child")[:10],
        "notes": list(contact_selectors.case_notes(case)[:10]),
        "obligations": obligation_selectors.for_case(case),
        # P9: the case's next obligations of every source, and its planning pages.
        "next_due": due_selectors.case_due(case, limit=due_selectors.CASE_PAGE_LIMIT),
        "planning_links": _planning_links(case),
        "actions": [(name, ACTIONS[name][0]) for name in allowed],
        # A2, A7: assigning has its own page, with the explained recommendations.
        "can_assign": detail.can_assign and not case.is_closed,
        # O1: an open case's closure is recommended to the state (hearth.oversight).
        "can_recommend_closure": detail.can_edit and case.status == case.Status.OPEN,
        "action": action if form is not None else None,
        "action_label": ACTIONS[action][0] if form is not None else "",
        "action_url": reverse(ACTIONS[action][1], args=[case.pk]) if form is not None else "",
        "form": form,
        "can_read_access_log": staff_access.can_read_access_log(request.user),
    }
    audit.log_access(request, audit.VIEW, case)
    return render(request, "web/case_detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request, pk):
    return _case_page(request, pk)


def _done(request, case, message):
    messages.success(request, message)
    return redirect(reverse("case_detail", args=[case.pk]))


def _failed(request, pk, key, form, exc: DomainError | None = None):
    status = INVALID
    if exc is not None:
        add_domain_errors(form, exc)
        status = exc.status_code
    return _case_page(request, pk, forms={key: form}, status=status)


@login_required
@require_POST
def case_edit(request, pk):
    case = case_access.access_case(request.user, pk, for_edit=True)
    form = CaseEditForm.for_case(case, data=request.POST)
    if not form.is_valid():
        return _failed(request, pk, "edit", form)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.case_update(actor=request.user, case=case, version=version, **data)
    except DomainError as exc:
        return _failed(request, pk, "edit", form, exc)
    return _done(request, case, "Case saved.")


@login_required
@require_POST
def case_status(request, pk):
    case = case_access.access_case(request.user, pk, for_edit=True)
    form = StatusForm(data=request.POST, case=case)
    if not form.is_valid():
        return _failed(request, pk, "status", form)
    try:
        services.case_change_status(
            actor=request.user,
            case=case,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        return _failed(request, pk, "status", form, exc)
    return _done(request, case, "Case status changed.")


@login_required
@require_POST
def case_member_add(request, pk):
    case = case_access.access_case(request.user, pk, for_edit=True)
    form = MemberAddForm(data=request.POST)
    if not form.is_valid():
        return _failed(request, pk, "member", form)
    try:
        with transaction.atomic():  # the new person is kept only if the membership is
            person = people_services.person_create(
                actor=request.user, recorded_by_agency=case.agency, **form.person_fields()
            )
            services.case_member_add(
                actor=request.user,
                case=case,
                person=person,
                role=form.cleaned_data["role"],
                in_household=form.cleaned_data["in_household"],
            )
    except DomainError as exc:
        return _failed(request, pk, "member", form, exc)
    return _done(request, case, "Family member added.")


# Restricted cases (docs/adr/0010-restricted-cases.md) -----------------------------------


def _restricting(request, pk):
    """The case, for the program director or the supervisor of its unit."""
    case = case_access.access_case(request.user, pk)
    if not case_access.can_restrict_case(request.user, case):
        raise Forbidden()
    return case


def _named(case):
    return StaffMember.objects.filter(pk__in=selectors.named_staff(case=case).values("staff_id"))


@login_required
@require_POST
def case_restrict(request, pk):
    case = _restricting(request, pk)
    key = "unrestrict" if case.restricted else "restrict"
    form = RestrictionForm(data=request.POST, case=case)
    if not form.is_valid():
        return _failed(request, pk, key, form)
    try:
        services.case_set_restricted(
            actor=request.user,
            case=case,
            restricted=form.cleaned_data["restricted"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        return _failed(request, pk, key, form, exc)
    restricted = form.cleaned_data["restricted"]
    return _done(request, case, "Case restricted." if restricted else "Restriction lifted.")


@login_required
@require_POST
def case_named_staff_add(request, pk):
    case = _restricting(request, pk)
    staff = selectors.nameable_staff(viewer=request.user, case=case)
    form = NamedStaffForm(data=request.POST, staff=staff, prefix="name")
    if not form.is_valid():
        return _failed(request, pk, "name", form)
    try:
        services.case_name_staff(
            actor=request.user,
            named_by=staff_access.staff_for(request.user),
            case=case,
            staff=form.cleaned_data["staff"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _failed(request, pk, "name", form, exc)
    return _done(request, case, "Staff member named on the case.")


@login_required
@require_POST
def case_named_staff_end(request, pk):
    case = _restricting(request, pk)
    form = NamedStaffForm(data=request.POST, staff=_named(case), prefix="unname")
    if not form.is_valid():
        return _failed(request, pk, "unname", form)
    try:
        services.case_unname_staff(
            actor=request.user,
            case=case,
            staff=form.cleaned_data["staff"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _failed(request, pk, "unname", form, exc)
    return _done(request, case, "Named staff member removed.")
