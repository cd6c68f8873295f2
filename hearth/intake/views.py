"""Intake and assignment pages: the intake queue, recording a referral (search before
create), the assignment page with explained recommendations, unit balance and the
reassignment of a worker's cases. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.cases import access as case_access
from hearth.cases import people_selectors
from hearth.cases.models import Case, CaseMember
from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.intake import access as intake_access
from hearth.intake import selectors, services
from hearth.intake.forms import (
    Allegations,
    AssignForm,
    FindForm,
    NewPeople,
    ReassignForm,
    ReferralForm,
    ReportForm,
    SendForm,
)
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember
from hearth.staff.permissions import can

INVALID = 422


# The intake queue --------------------------------------------------------------------


@login_required
@require_GET
def intake_queue(request):
    """Unassigned referrals, oldest first, with their age in days and their routing."""
    if not intake_access.can_work_queue(request.user):
        raise Forbidden()
    referrals = list(selectors.intake_queue(viewer=request.user)[:500])
    for case in referrals:
        case.age_days = selectors.age_days(case)
    audit.log_access(request, audit.LIST, referrals)
    return render(
        request,
        "intake/queue.html",
        {
            "referrals": referrals,
            "can_refer": intake_access.can_record_referrals(request.user),
            "assigns": intake_access.assigns_referrals(request.user),
        },
    )


# Recording a referral ----------------------------------------------------------------


def _matches(request, find: FindForm):
    if not find.is_bound or not find.is_valid():
        return None
    data = find.cleaned_data
    return people_selectors.people_matches(
        viewer=request.user,
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request):
    """Record a referral: find the family first (misspellings, sound-alikes, nicknames and
    swapped day and month are found), link the people found, create the others, and offer
    a closed case of theirs for re-opening (P1). Saving routes it to a unit (A1, A3, A4)."""
    if not intake_access.can_record_referrals(request.user):
        raise Forbidden()
    staff = staff_access.staff_for(request.user)
    source = request.POST if request.method == "POST" else request.GET
    find = FindForm(source if source.get("last_name") else None)
    matches = _matches(request, find)
    found_ids = [int(i) for i in source.getlist("existing") if i.isdigit()]
    match_ids = [m.person.pk for m in matches or []]
    closed = selectors.closed_cases_of(staff.agency_id, match_ids + found_ids).filter(
        pk__in=case_access.visible_cases(request.user).values("pk")
    )
    audit.log_access(request, audit.SEARCH, [*(m.person for m in matches or []), *closed])
    status = 200
    policy = staff.agency.policy
    choices = [
        *((f"found-{m.person.pk}", m.person.full_name) for m in matches or []),
        *((f"new-{i}", f"New person {i + 1}") for i in range(NewPeople.extra)),
    ]
    if request.method == "POST":
        form = ReferralForm(request.POST, prior_cases=closed)
        people = NewPeople(request.POST, prefix="new")
        report = ReportForm(request.POST, policy=policy)
        allegations = Allegations(
            request.POST, prefix="allegation", form_kwargs={"people": choices}
        )
        case = _create_referral(request, staff, form, people, found_ids, report, allegations)
        if case is not None:
            routing = selectors.current_routing(case)
            messages.success(
                request,
                f"Referral {case.case_number} recorded. {routing.explanation if routing else ''}",
            )
            if case_access.can_assign_case(request.user, case):
                return redirect(reverse("case_assign", args=[case.pk]))
            return redirect(reverse("intake_queue"))
        status = INVALID
    else:
        # P1, A3: the family's most recently closed case is offered for re-opening, chosen
        # already; recording a new case instead needs a reason (intake.services).
        form = ReferralForm(prior_cases=closed, initial={"prior_case": closed.first()})
        people = NewPeople(prefix="new")
        report = ReportForm(policy=policy)
        allegations = Allegations(prefix="allegation", form_kwargs={"people": choices})
    closed = list(closed)
    _name_found_members(closed, match_ids + found_ids)
    _choose_roles(request, staff.agency, matches or [])
    return render(
        request,
        "intake/referral_new.html",
        {
            "find": find,
            "matches": matches,
            "searched": matches is not None,
            "found_ids": found_ids,
            "form": form,
            "people": people,
            "report": report,
            "allegations": allegations,
            "closed": list(closed),
            "roles": CaseMember.Role.choices,
        },
        status=status,
    )


def _choose_roles(request, agency, matches) -> None:
    """Each person found with the role chosen for them (kept through a validation error),
    or one fitting their age: a child under the agency's adult age (V1's setting) is the
    child in the case, an adult a parent; an unknown age leaves the choice to the user."""
    adult_age = agency.policy.adult_age
    day = today()
    for match in matches:
        chosen = request.POST.get(f"role_{match.person.pk}")
        if chosen in CaseMember.Role.values:
            match.role = chosen
            continue
        age = match.person.age_on(day)
        match.role = (
            ""
            if age is None
            else CaseMember.Role.CHILD
            if age < adult_age
            else CaseMember.Role.PARENT
        )


def _name_found_members(closed: list, person_ids: list[int]) -> None:
    """Each closed case offered for re-opening, with the people found who were in it."""
    names: dict[int, list[str]] = {}
    members = CaseMember.objects.filter(case__in=closed, person_id__in=person_ids)
    for member in members.select_related("person").order_by("person__last_name", "person_id"):
        found = names.setdefault(member.case_id, [])
        if member.person.full_name not in found:
            found.append(member.person.full_name)
    for case in closed:
        case.found_members = names.get(case.pk, [])


def _create_referral(request, staff, form, people, found_ids, report, allegations):
    """The case, or None with the errors on the forms."""
    valid = form.is_valid() & people.is_valid() & report.is_valid() & allegations.is_valid()
    members = []
    index = {}  # an allegation's choice of person -> the member's index
    visible = {p.pk: p for p in case_access.visible_people(request.user).filter(pk__in=found_ids)}
    for pk in found_ids:
        role = request.POST.get(f"role_{pk}", "")
        if pk not in visible or role not in CaseMember.Role.values:
            form.add_error(None, "Choose a role for each person found.")
            valid = False
            continue
        index[f"found-{pk}"] = len(members)
        members.append(services.NewMember(role=role, person=visible[pk]))
    if not valid:
        return None
    for i, row in enumerate(people):
        if not row.is_blank:
            index[f"new-{i}"] = len(members)
            members.append(
                services.NewMember(role=row.cleaned_data["role"], fields=row.person_fields())
            )
    alleged = []
    for row in allegations:
        if row.is_blank:
            continue
        data = row.cleaned_data
        child, perpetrator = data["child"], data["alleged_perpetrator"]
        for field, choice in (("child", child), ("alleged_perpetrator", perpetrator)):
            if choice and choice not in index:
                row.add_error(field, "Include this person in the referral, or choose another.")
                valid = False
        if valid:
            alleged.append(
                services.AllegationIn(
                    index[child], data["maltreatment_type"], index.get(perpetrator)
                )
            )
    if not valid:
        return None
    data = dict(form.cleaned_data)
    languages = data.pop("languages")
    if data["prior_case"] is None:
        data.pop("prior_case")
    try:
        return services.referral_create(
            actor=request.user,
            agency=staff.agency,
            members=members,
            languages=languages,
            report=report.cleaned_data,
            allegations=alleged,
            **data,
        )
    except DomainError as exc:
        _allegation_errors(exc, allegations)
        for field in [f for f in exc.errors if f in report.fields]:
            report.add_error(field, exc.errors.pop(field))
        add_domain_errors(form, exc)
        return None


def _allegation_errors(exc: DomainError, allegations) -> None:
    """The service's `allegations[i].<field>` errors shown on the allegation rows (their
    numbering skips the empty rows)."""
    filled = [row for row in allegations if not row.is_blank]
    for key in list(exc.errors):
        if key.startswith("allegations["):
            position, _, field = key[len("allegations[") :].partition("].")
            if position.isdigit() and int(position) < len(filled):
                row = filled[int(position)]
                row.add_error(field if field in row.fields else None, exc.errors.pop(key))


# Assignment: recommendations, confirm or override ------------------------------------


def _assign_page(request, case, *, form=None, send_form=None, status=200):
    scope = request.GET.get("scope", "unit")
    ranking = selectors.recommend(case, agency_wide=scope == "agency" or case.unit_id is None)
    # A5: a worker past a hard limit cannot be chosen, by anyone; A2: a program director
    # may choose one past capacity only, with a reason.
    director = can(staff_access.staff_for(request.user), "case.assign_above_capacity")
    choices = [
        (r.worker.id, r.worker.name)
        for r in ranking.ranked
        if r.eligible or (director and r.overridable)
    ]
    if form is None:
        initial = {"version": case.version}
        if ranking.top:
            initial["worker"] = ranking.top.worker.id
        form = AssignForm(choices=choices, initial=initial)
    can_send = intake_access.can_route(request.user, case) and case.status == Case.Status.REFERRED
    if can_send and send_form is None:
        send_form = SendForm(units=_routable_units(case), initial={"version": case.version})
    audit.log_access(request, audit.VIEW, case)
    return render(
        request,
        "intake/assign.html",
        {
            "case": case,
            "ranking": ranking,
            "scope": "agency" if ranking.unit is None else "unit",
            "form": form,
            "selectable": {c for c, _ in choices},
            "director": director,
            # A2: the reason to go above capacity, offered when someone listed is past it.
            "offer_limit_override": director and any(r.overridable for r in ranking.ranked),
            "routing": selectors.current_routing(case),
            "send_form": send_form if can_send else None,
        },
        status=status,
    )


def _routable_units(case):
    return case.agency.units.filter(active=True, kind__in=selectors.ROUTED_UNIT_KINDS).order_by(
        "name"
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk):
    """A2, A7: the ranked case managers with their reasons; the supervisor or program
    director confirms the top one or picks another with a reason."""
    case = case_access.access_case(request.user, pk)
    if not case_access.can_assign_case(request.user, case):
        raise Forbidden()
    if request.method == "GET":
        return _assign_page(request, case)
    staff = staff_access.staff_for(request.user)
    workers = staff_access.visible_staff(request.user).filter(agency_id=case.agency_id)
    form = AssignForm(request.POST, choices=[(w.pk, w.full_name) for w in workers])
    if not form.is_valid():
        return _assign_page(request, case, form=form, status=INVALID)
    data = form.cleaned_data
    try:
        services.case_assign(
            actor=request.user,
            assigned_by=staff,
            case=case,
            worker=workers.get(pk=data["worker"]),
            reason=data["reason"],
            override_reason=data["override_reason"],
            limit_override_reason=data["limit_override_reason"],
            version=data["version"],
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _assign_page(request, case, form=form, status=exc.status_code)
    messages.success(request, "Case assigned.")
    return redirect(reverse("case_detail", args=[case.pk]))


@login_required
@require_POST
def send_to_unit(request, pk):
    """A program director sends a referral to another unit than the rules chose."""
    case = case_access.access_case(request.user, pk)
    if not intake_access.can_route(request.user, case):
        raise Forbidden()
    form = SendForm(request.POST, units=_routable_units(case))
    status = INVALID
    if form.is_valid():
        try:
            services.referral_send_to_unit(
                actor=request.user,
                case=case,
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, f"Referral sent to {form.cleaned_data['unit'].name}.")
            return redirect(reverse("case_assign", args=[case.pk]))
    return _assign_page(request, case, send_form=form, status=status)


# Unit balance and reassignment -------------------------------------------------------


@login_required
@require_GET
def unit_balance(request, pk):
    """Each case manager's load against capacity, out-of-home share and new-worker cap,
    with a chart of the spread (A2 a and h, A5)."""
    unit, rows = selectors.unit_balance(viewer=request.user, unit_id=pk)
    if not staff_access.can_see_unit_balance(request.user, unit):
        raise Forbidden()
    widest = max([max(r.capacity, r.worker.weighted_load) for r in rows] + [1.0])
    manages = staff_access.can_manage_unit(request.user, unit)
    for i, r in enumerate(rows):  # the chart's geometry: 520 px for the widest figure
        r.y = 28 * i
        r.bar = round(520 * r.worker.weighted_load / widest, 1)
        r.cap_x = round(200 + 520 * r.capacity / widest, 1)
        r.can_reassign = manages and r.worker.open_cases > 0
    loads = [r.load_percent for r in rows if r.worker.status == "active"]
    return render(
        request,
        "intake/balance.html",
        {
            "unit": unit,
            "rows": rows,
            "spread": (max(loads) - min(loads)) if loads else 0,
            "chart_height": 28 * len(rows) + 30,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request, pk):
    """A6: the system's distribution of a worker's cases over the unit; the supervisor
    adjusts any move and confirms. Every move is kept in the assignment history."""
    worker = staff_access.access_staff(request.user, pk)
    if not staff_access.can_reassign_from(request.user, worker):
        raise Forbidden()
    proposal = selectors.propose_reassignment(viewer=request.user, worker_id=worker.pk)
    colleagues = {w.id: w for w in proposal.workers}
    form = ReassignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        moves, problems = [], []
        staff_by_id = {
            s.pk: s for s in StaffMember.objects.filter(pk__in=list(colleagues)).prefetch_related(
                "roles"
            )
        }  # fmt: skip
        for move in proposal.moves:
            chosen = request.POST.get(f"case_{move.case.pk}", "")
            if chosen == "":
                continue  # left with the worker for now
            if not chosen.isdigit() or int(chosen) not in staff_by_id:
                problems.append(f"{move.case.case_number}: choose a case manager of the unit.")
                continue
            moves.append(services.MoveIn(move.case, staff_by_id[int(chosen)]))
        if form.is_valid() and not problems:
            try:
                with transaction.atomic():
                    services.worker_cases_reassign(
                        actor=request.user,
                        assigned_by=staff_access.staff_for(request.user),
                        worker=worker,
                        moves=moves,
                        reason=form.cleaned_data["reason"],
                        adjust_reason=form.cleaned_data["adjust_reason"],
                    )
            except DomainError as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, f"{len(moves)} cases reassigned.")
                return redirect(reverse("unit_balance", args=[worker.unit_id]))
        for problem in problems:
            form.add_error(None, problem)
        status = INVALID
    audit.log_access(request, audit.LIST, [move.case for move in proposal.moves])
    names = {w.id: w.name for w in proposal.workers}
    for move in proposal.moves:
        move.proposed_name = names.get(move.worker_id, "")
        proposed = str(move.worker_id or "")
        move.selected = request.POST.get(f"case_{move.case.pk}", proposed) if form.is_bound else (
            proposed
        )  # fmt: skip
    return render(
        request,
        "intake/reassign.html",
        {
            "worker": worker,
            "proposal": proposal,
            "colleagues": sorted(colleagues.values(), key=lambda w: w.name),
            "form": form,
        },
        status=status,
    )
