"""Every write of intake and assignment: recording a referral, routing it to a unit
(A1, A3, A4), sending it to another unit, and reassigning a worker's cases (A6)."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from hearth.cases import events
from hearth.cases import services as cases
from hearth.cases.models import Assignment, Case
from hearth.core.errors import DomainError
from hearth.core.services import lock, today, validated_save
from hearth.intake import selectors
from hearth.intake.models import Allegation, Report, Rotation, Routing
from hearth.people import services as people
from hearth.policy.assignment import AssignmentRequest, assignment_problems
from hearth.staff.models import Unit
from hearth.staff.permissions import can


@dataclass
class NewMember:
    """A person in a referral: an existing person found by the search before create, or
    the fields of a new one; and their role in the case."""

    role: str
    person: object | None = None
    fields: dict | None = None
    in_household: bool = True


@dataclass
class AllegationIn:
    """A maltreatment alleged of a child of the referral: `child` and `perpetrator` are
    the indexes of members of the referral (the perpetrator None when not known)."""

    child: int
    maltreatment_type: str
    perpetrator: int | None = None


@transaction.atomic
def referral_create(
    *,
    actor,
    agency,
    members: list[NewMember] = (),
    languages=(),
    new_case_reason: str = "",
    report: dict | None = None,
    allegations: list[AllegationIn] = (),
    **fields,
):
    """Record a referral: the case, its family (existing people linked, new ones created)
    and its routing to a unit. P1: with `prior_case` it re-opens a closed case of the
    family, which A3 routes back to its previous unit and case manager; a referral that
    names a member of a closed case of the agency and does not re-open it needs
    `new_case_reason`. With `report` (Report's fields) and `allegations`, what was reported
    (`report_record`). All or nothing."""
    if not members:
        raise DomainError({"members": "Name at least one child or adult of the family."})
    if not any(m.role == "child" for m in members):
        raise DomainError({"members": "Name the child (or children) the referral is about."})
    new_case_reason = (new_case_reason or "").strip()
    _check_re_referral(
        agency=agency,
        person_ids=[m.person.pk for m in members if m.person is not None],
        prior=fields.get("prior_case"),
        new_case_reason=new_case_reason,
    )
    case = cases.case_create(
        actor=actor,
        agency=agency,
        languages=languages,
        new_case_reason=new_case_reason,
        **fields,
    )
    seen = set()
    persons = []
    for i, member in enumerate(members):
        person = member.person
        if person is None:
            try:
                person = people.person_create(
                    actor=actor, recorded_by_agency=agency, **(member.fields or {})
                )
            except DomainError as exc:
                raise DomainError({f"members[{i}].{k}": v for k, v in exc.errors.items()}) from exc
        if person.pk in seen:
            raise DomainError({f"members[{i}].person": "This person is named twice."})
        seen.add(person.pk)
        persons.append(person)
        cases.case_member_add(
            actor=actor,
            case=case,
            person=person,
            role=member.role,
            in_household=member.in_household,
            starts_on=case.opened_on,
        )
    if report is not None:
        report_record(
            actor=actor,
            case=case,
            allegations=[_allegation_people(i, a, persons) for i, a in enumerate(allegations)],
            **report,
        )
    elif allegations:
        raise DomainError({"report": "Record the report with its allegations."})
    referral_route(actor=actor, case=case)
    case.refresh_from_db()
    return case


def _allegation_people(i: int, allegation: AllegationIn, persons: list) -> tuple:
    """(child, maltreatment type, perpetrator) with the members' indexes made persons."""

    def member(index, field):
        if index is None:
            return None
        if not 0 <= index < len(persons):
            raise DomainError({f"allegations[{i}].{field}": "Name a member of the referral."})
        return persons[index]

    return (
        member(allegation.child, "child"),
        allegation.maltreatment_type,
        member(allegation.perpetrator, "alleged_perpetrator"),
    )


@transaction.atomic
def report_record(
    *,
    actor,
    case: Case,
    allegations: list[tuple] = (),
    safety_threats=(),
    **fields,
) -> Report:
    """Record what a referral reports (issue 15): the reporter (anonymous: no name or
    contact kept), the narrative, the response priority, the safety determination with
    its threats (none when safe, at least one otherwise; the closure review reads them,
    O1) and the allegations, each (child, maltreatment type, alleged perpetrator or None)
    of the case's children and members. Every problem names its field; nothing is saved."""
    errors: dict[str, str] = {}
    if Report.objects.filter(case=case).exists():
        raise DomainError({"report": "This referral's report is recorded already."})
    for field in ("reporter_name", "reporter_phone", "reporter_email", "narrative"):
        fields[field] = (fields.get(field) or "").strip()
    anonymous = bool(fields.get("reporter_anonymous"))
    if anonymous:
        for field in ("reporter_name", "reporter_phone", "reporter_email"):
            if fields[field]:
                errors[field] = "An anonymous reporter's name and contact are not recorded."
    elif not fields["reporter_name"]:
        errors["reporter_name"] = "Name the reporter, or record the report as anonymous."
    threats = list(dict.fromkeys(safety_threats or ()))
    unknown = [t for t in threats if t not in Report.Threat.values]
    if unknown:
        errors["safety_threats"] = f"Unknown safety threat: {', '.join(map(str, unknown))}."
    elif fields.get("safety_determination") == Report.Determination.SAFE and threats:
        errors["safety_threats"] = "A child found safe has no safety threats identified."
    elif (
        fields.get("safety_determination")
        in (
            Report.Determination.CONDITIONALLY_SAFE,
            Report.Determination.UNSAFE,
        )
        and not threats
    ):
        errors["safety_threats"] = "Name the safety threats that make the child unsafe."
    if not allegations:
        errors["allegations"] = "Record what is alleged of at least one child."
    members = {
        m.person_id: m.role
        for m in case.members.filter(ends_on__isnull=True).only("person", "role")
    }
    for i, (child, _, perpetrator) in enumerate(allegations):
        if child is not None and members.get(child.pk) != "child":
            errors[f"allegations[{i}].child"] = "Name a child in the case."
        if perpetrator is not None and (
            perpetrator.pk not in members or (child is not None and perpetrator.pk == child.pk)
        ):
            errors[f"allegations[{i}].alleged_perpetrator"] = (
                "Name another person in the case, or leave it unknown."
            )
    if errors:
        raise DomainError(errors)
    report = Report(case=case, safety_threats=threats, **fields)
    validated_save(report, actor=actor)
    seen = set()
    for i, (child, kind, perpetrator) in enumerate(allegations):
        key = (child.pk, kind, perpetrator.pk if perpetrator else None)
        if key in seen:
            raise DomainError({f"allegations[{i}]": "This allegation is given twice."})
        seen.add(key)
        allegation = Allegation(
            case=case, child=child, maltreatment_type=kind, alleged_perpetrator=perpetrator
        )
        validated_save(allegation, actor=actor, prefix=f"allegations[{i}]")
    return report


def _check_re_referral(*, agency, person_ids, prior, new_case_reason: str) -> None:
    """P1, A3: when a referral names a member of a closed case of the agency, it re-opens
    that case (`prior_case`) or says why a new case is opened instead (`new_case_reason`).
    The refusal names the closed cases (a restricted one without its number)."""
    if prior is not None:
        if new_case_reason:
            raise DomainError(
                {
                    "new_case_reason": "The referral re-opens a closed case: a reason for a new "
                    "case does not apply. Leave it empty, or do not re-open the case."
                }
            )
        return
    if new_case_reason or not person_ids:
        return
    closed = list(selectors.closed_cases_of(agency.pk, person_ids))
    if not closed:
        return
    named = [
        "a restricted closed case" if c.restricted else f"{c.case_number} (id {c.pk})"
        for c in closed
    ]
    raise DomainError(
        {
            "new_case_reason": f"A person in this referral was a member of the agency's closed "
            f"case {', '.join(named)}. Re-open it (prior_case): it goes back to its previous "
            "unit and case manager (A3). Or say why a new case is opened instead (P1)."
        }
    )


@transaction.atomic
def referral_route(*, actor, case: Case, required: bool = True) -> Routing | None:
    """A1, A3, A4: send a referral to the unit the rules choose, and remember the turn when
    the agency routes by rotation. When no unit fits (the agency has none), refuse, or
    with `required=False` leave the referral unrouted in the intake queue."""
    case = lock(Case, case.pk)
    if case.status != Case.Status.REFERRED:
        raise DomainError({"status": "Only a referral waiting for assignment is routed."})
    if case.agency.policy.unit_routing == "rotation":
        # One referral at a time takes the agency's turn.
        Rotation.objects.get_or_create(agency_id=case.agency_id)
        rotation = Rotation.objects.select_for_update().get(agency_id=case.agency_id)
    decision = selectors.decide_routing(case)
    if decision.unit_id is None:
        if not required:
            return None
        raise DomainError({"unit": decision.explanation})
    routing = _send(actor, case, Unit.objects.get(pk=decision.unit_id), decision.rule,
                    decision.strategy, decision.explanation)  # fmt: skip
    if decision.strategy == "rotation":
        rotation.last_unit_id = decision.unit_id
        validated_save(rotation, actor=actor)
    return routing


@transaction.atomic
def case_record(*, actor, agency, **fields) -> Case:
    """Record a referred case (the case endpoint: a case without its family) and, when it
    names no unit, route it by the agency's rules (A1, A3, A4); a referral no unit fits
    waits unrouted in the intake queue. One transaction: no case without its routing."""
    case = cases.case_create(actor=actor, agency=agency, **fields)
    if case.unit_id is None:
        referral_route(actor=actor, case=case, required=False)
    return case


@transaction.atomic
def referral_send_to_unit(
    *, actor, case: Case, unit: Unit, reason: str, version: int | None = None
) -> Routing:
    """A program director sends a referral to another unit than the rules chose, saying why."""
    case = lock(Case, case.pk)
    case.check_version(version)
    if case.status != Case.Status.REFERRED:
        raise DomainError({"status": "Only a referral waiting for assignment is sent to a unit."})
    if unit.agency_id != case.agency_id or not unit.active:
        raise DomainError({"unit": "Choose an active unit of the case's agency."})
    if unit.kind not in selectors.ROUTED_UNIT_KINDS:
        raise DomainError({"unit": "Choose a case management unit."})
    if not (reason or "").strip():
        raise DomainError({"reason": "Say why the referral goes to this unit."})
    if unit.pk == case.unit_id:
        raise DomainError({"unit": "The referral is already with this unit."})
    return _send(actor, case, unit, Routing.Rule.MANUAL, "manual", reason.strip())


def _send(actor, case, unit, rule, strategy, explanation) -> Routing:
    routing = Routing(
        case=case,
        unit=unit,
        rule=rule,
        strategy=strategy,
        explanation=explanation,
        routed_by=actor if getattr(actor, "pk", None) else None,
    )
    validated_save(routing, actor=actor)
    if case.unit_id != unit.pk:
        case.unit = unit
        case.bump_version()
        validated_save(case, actor=actor)
    events.routed_to_unit(case, actor=actor, unit=unit.pk, rule=rule, explanation=explanation)
    return routing


# A6: reassignment --------------------------------------------------------------------


@dataclass
class MoveIn:
    case: Case
    worker: object  # StaffMember


@transaction.atomic
def worker_cases_reassign(
    *, actor, assigned_by, worker, moves: list[MoveIn], reason: str, adjust_reason: str = ""
):
    """A6: move cases of `worker` to the workers chosen, each kept in the assignment
    history. A7: a move that departs from the system's proposal needs `adjust_reason`.
    Hard limits (A5, capacity) are checked case by case as the loads grow."""
    if not moves:
        raise DomainError({"moves": "Choose at least one case to move."})
    if not (reason or "").strip():
        raise DomainError({"reason": "Say why these cases are reassigned (A6)."})
    ids = [m.case.pk for m in moves]
    if len(set(ids)) != len(ids):
        raise DomainError({"moves": "A case is listed twice."})
    held = set(selectors.held_cases(worker).values_list("pk", flat=True))
    stray = [m.case.case_number for m in moves if m.case.pk not in held]
    if stray:
        raise DomainError({"moves": f"{worker.full_name} does not hold {', '.join(stray)}."})
    # A7: the moves are compared with the proposal the supervisor saw: the one for all of
    # the worker's cases (a proposal for a subset may differ).
    proposal = selectors.proposal_for(worker)
    proposed = {m.case.pk: m.worker_id for m in proposal.moves}
    differs = {m.case.pk for m in moves if proposed.get(m.case.pk) != m.worker.pk}
    if differs and not (adjust_reason or "").strip():
        numbers = ", ".join(m.case.case_number for m in moves if m.case.pk in differs)
        raise DomainError(
            {"adjust_reason": f"You changed the proposal for {numbers}: say why (A7)."}
        )
    adjust = (adjust_reason or "").strip()
    done = []
    for i, move in enumerate(moves):
        try:
            done.append(
                case_assign(
                    actor=actor,
                    assigned_by=assigned_by,
                    case=move.case,
                    worker=move.worker,
                    reason=reason,
                    override_reason=adjust if move.case.pk in differs else "",
                    recommended_id=proposed.get(move.case.pk) or move.worker.pk,
                )
            )
        except DomainError as exc:
            number = move.case.case_number
            raise DomainError(
                {f"moves[{i}].{k}": f"{number}: {v}" for k, v in exc.errors.items()}
            ) from exc
    return done


# Assigning a case manager (A2, A5, A6, A7) ----------------------------------------------


def _check_recommendation(
    *, case: Case, worker, assigned_by, override_reason, limit_override_reason, recommended_id
) -> bool:
    """A5: a worker past a limit no one lifts (the new-worker cap; departed, on leave,
    untrained) is refused, whoever assigns. A2: a worker past capacity only may be assigned
    by a program director, with `limit_override_reason`. A7: choosing someone other than
    the recommended worker needs a reason. True when the assignment goes above capacity."""
    ranking = selectors.recommend(case, unit=case.unit or worker.unit)
    rec = next((r for r in ranking.ranked if r.worker.id == worker.pk), None)
    if rec is None:  # a worker from another unit: judge them on their own facts
        rec = selectors.recommend(case, unit=worker.unit)
        rec = next((r for r in rec.ranked if r.worker.id == worker.pk), None)
    if rec is not None and rec.limits:
        why = "; ".join(limit.text for limit in rec.limits)
        if not rec.overridable:
            raise DomainError(
                {
                    "worker": f"{worker.full_name} cannot take this case: {why}. No one, not "
                    "even a program director, can assign above a hard limit (A5)."
                }
            )
        if not can(assigned_by, "case.assign_above_capacity"):
            raise DomainError(
                {
                    "worker": f"{worker.full_name} is {why}. Only a program director can "
                    "assign above capacity, with a reason (A2)."
                }
            )
        if not (limit_override_reason or "").strip():
            raise DomainError(
                {
                    "limit_override_reason": f"{worker.full_name} is {why}: say why you "
                    "assign the case above capacity (A2)."
                }
            )
    above_capacity = rec is not None and bool(rec.limits)
    recommended_name = "the proposal's case manager"
    if recommended_id is None and ranking.top is not None:
        recommended_id = ranking.top.worker.id
        recommended_name = ranking.top.worker.name
    if recommended_id not in (None, worker.pk) and not (override_reason or "").strip():
        raise DomainError(
            {
                "override_reason": f"The system recommends {recommended_name}: say why you "
                f"chose {worker.full_name} instead (A7)."
            }
        )
    return above_capacity


@transaction.atomic
def case_assign(
    *,
    actor,
    assigned_by,
    case: Case,
    worker,
    reason: str,
    override_reason: str = "",
    limit_override_reason: str = "",
    starts_on: date | None = None,
    recommended_id: int | None = None,
    version: int | None = None,
) -> Assignment:
    """Make `worker` the case's primary case manager from `starts_on`, ending the
    current primary assignment. A6: the assignment keeps who, when, by whom and why.
    A5, capacity (A2: a program director may go above it with `limit_override_reason`,
    kept only then) and A7 are checked against the ranking of the case's unit, or
    against `recommended_id` when a reassignment proposal chose the worker. The case's
    `version` is checked and bumped: who holds the case is part of it."""
    case = lock(Case, case.pk)
    case.check_version(version)
    starts_on = starts_on or today()
    problems = assignment_problems(
        AssignmentRequest(
            case_status=case.status,
            worker_active=worker.status == worker.Status.ACTIVE,
            worker_is_case_manager=can(worker, "case.hold"),
            starts_on=starts_on,
            reason=reason or "",
            case_opened_on=case.opened_on,
        ),
        today=today(),
    )
    if worker.agency_id != case.agency_id:
        problems.setdefault("worker", "This worker belongs to another agency.")
    if worker.unit_id is None:
        problems.setdefault("worker", "This worker has no unit.")
    if problems:
        raise DomainError(problems)
    current = (
        case.assignments.select_for_update()
        .filter(ends_on__isnull=True, kind=Assignment.Kind.PRIMARY)
        .first()
    )
    if current is not None:
        if current.worker_id == worker.pk:
            raise DomainError({"worker": "This worker already holds the case."})
        if starts_on < current.starts_on:
            raise DomainError(
                {"starts_on": "The new assignment cannot start before the current one."}
            )
    above_capacity = _check_recommendation(
        case=case,
        worker=worker,
        assigned_by=assigned_by,
        override_reason=override_reason,
        limit_override_reason=limit_override_reason,
        recommended_id=recommended_id,
    )
    if current is not None:
        cases.assignment_end(current, actor=actor, on=starts_on, reason=f"Reassigned: {reason}")
    assignment = Assignment(
        case=case,
        worker=worker,
        unit=worker.unit,
        kind=Assignment.Kind.PRIMARY,
        starts_on=starts_on,
        assigned_by=assigned_by,
        reason=reason.strip(),
        override_reason=(override_reason or "").strip(),
        # A2: kept only when the assignment goes above capacity.
        limit_override_reason=(limit_override_reason or "").strip() if above_capacity else "",
    )
    validated_save(assignment, actor=actor)
    case.unit = worker.unit
    if case.status == Case.Status.REFERRED:
        case.status = Case.Status.ASSIGNED
    case.bump_version()
    validated_save(case, actor=actor)
    events.assigned(
        case,
        actor=actor,
        assignment=assignment,
        previous_worker=current.worker_id if current else None,
    )
    return assignment
