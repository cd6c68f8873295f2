"""O4: oversight caseloads: routing a case to the state specialist with the lightest load
in its region, grants made and ended by the state oversight supervisor, reassignment.

Every grant goes through hearth.cases.services (case_grant_access, case_end_access), so
it keeps its history and writes the case's timeline. A routed or assigned oversight
grant keeps the ranking it was chosen from; passing over the top-ranked specialist needs
a reason (A7's rule, applied to O4)."""

from django.db import transaction

from hearth.cases import services as cases
from hearth.cases.access import OVERSEEN
from hearth.cases.models import Case, CaseAccessGrant
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import lock, validated_save
from hearth.oversight.models import Recommendation, RecommendationRound
from hearth.oversight.selectors import caseloads as selectors
from hearth.policy import oversight_caseloads as rules
from hearth.staff.models import StaffMember
from hearth.staff.permissions import can

OVERSIGHT = CaseAccessGrant.Purpose.OVERSIGHT
QA_REVIEW = CaseAccessGrant.Purpose.QA_REVIEW


def _require_assigner(staff) -> None:
    """O4: only the holder of oversight.assign (the state oversight supervisor) grants,
    ends and reassigns oversight and QA access."""
    if not can(staff, "oversight.assign"):
        raise Forbidden()


def _check_overseen(case: Case) -> None:
    """O1, O2: the state oversees a court-involved case, or one whose closure has been
    recommended; a closed case is carried by no one."""
    if case.is_closed:
        raise DomainError({"case": "The case is closed."})
    if not Case.objects.filter(OVERSEEN, pk=case.pk).exists():
        raise DomainError(
            {
                "case": "The state oversees a court-involved case, or one whose closure has "
                "been recommended (O1, O2): this case is neither."
            }
        )


def _check_specialist(specialist: StaffMember, field: str = "specialist") -> None:
    if not selectors.is_specialist(specialist):
        raise DomainError({field: "Choose a state oversight specialist."})
    if specialist.status != StaffMember.Status.ACTIVE:
        raise DomainError({field: f"{specialist.full_name} is not active (on leave or departed)."})


@transaction.atomic
def ensure_routed(case, *, actor):
    """O4: the case's current oversight grant; when it has none, route it to the
    specialist with the lightest load in its region (the ranking kept on the grant) and
    return the new grant. None when no specialist is active or the case is closed."""
    case = lock(Case, case.pk)
    current = selectors.current_oversight(case)
    if current is not None or case.is_closed:
        return current
    ranking = selectors.ranking_for(case)
    if ranking.top is None:
        return None
    top = StaffMember.objects.get(pk=ranking.top.specialist.id)
    return cases.case_grant_access(
        actor=actor,
        granted_by=None,
        case=case,
        staff=top,
        purpose=OVERSIGHT,
        reason=f"Routed: {ranking.summary}",
        ranking=selectors.ranking_json(ranking),
    )


@transaction.atomic
def oversight_assign(
    *,
    actor,
    assigned_by,
    case: Case,
    specialist: StaffMember,
    reason: str = "",
    override_reason: str = "",
) -> CaseAccessGrant:
    """O4: the state oversight supervisor gives the case's oversight to `specialist`,
    ending the current specialist's grant. Choosing anyone but the top-ranked needs
    `override_reason` (kept on the grant with the ranking)."""
    _require_assigner(assigned_by)
    case = lock(Case, case.pk)
    _check_overseen(case)
    _check_specialist(specialist)
    current = selectors.current_oversight(case)
    if current is not None and current.staff_id == specialist.pk:
        raise DomainError({"specialist": f"{specialist.full_name} already oversees this case."})
    ranking = selectors.ranking_for(case)
    problem = rules.override_problem(ranking, specialist.pk, override_reason)
    if problem:
        raise DomainError({"override_reason": problem})
    reason = (reason or "").strip() or f"Assigned by {assigned_by.full_name}"
    return _move(actor, assigned_by, case, current, specialist, ranking, reason, override_reason)


def _pending_reviews_follow(case: Case, specialist: StaffMember, *, actor) -> None:
    """O1, O2, O4: the reviews still pending on the case go with its oversight to the new
    specialist: the reviewer of every recommendation not yet decided, and of its round
    awaiting the state's decision. (The grant that follows recomputes the case's
    obligations, so the review leaves one due list for the other.)"""
    pending = Recommendation.objects.filter(
        case=case,
        status__in=[
            Recommendation.Status.AWAITING_SUPERVISOR,
            Recommendation.Status.SUBMITTED,
            Recommendation.Status.RETURNED,
        ],
    ).exclude(reviewer=specialist)
    for rec in pending:
        rec.reviewer = specialist
        rec.bump_version()
        validated_save(rec, actor=actor)
    waiting = RecommendationRound.objects.filter(
        recommendation__case=case, sent_to_state_at__isnull=False, decision=""
    ).exclude(reviewer=specialist)
    for rnd in waiting:
        rnd.reviewer = specialist
        validated_save(rnd, actor=actor)


def _move(actor, assigned_by, case, current, specialist, ranking, reason, override_reason):
    if current is not None:
        cases.case_end_access(actor=actor, grant=current, reason=f"Reassigned: {reason}")
    _pending_reviews_follow(case, specialist, actor=actor)
    top = ranking.top
    passed_over = top is not None and top.specialist.id != specialist.pk
    return cases.case_grant_access(
        actor=actor,
        granted_by=assigned_by,
        case=case,
        staff=specialist,
        purpose=OVERSIGHT,
        reason=reason,
        ranking=selectors.ranking_json(ranking),
        override_reason=override_reason if passed_over else "",
    )


@transaction.atomic
def oversight_end(*, actor, ended_by, grant: CaseAccessGrant, reason: str) -> CaseAccessGrant:
    """O3, O4: the state oversight supervisor ends a current oversight or QA grant, with a
    reason (the case may then be routed again, or sampled again)."""
    _require_assigner(ended_by)
    if grant.purpose not in (OVERSIGHT, QA_REVIEW):
        raise DomainError({"grant": "Only oversight and QA access end here."})
    return cases.case_end_access(actor=actor, grant=grant, reason=reason)


@transaction.atomic
def qa_grant(*, actor, granted_by, case: Case, reviewer: StaffMember, reason: str = ""):
    """O3: the state oversight supervisor puts a case in a QA reviewer's sample by hand
    (the QA sample draws grant it automatically). Only to a holder of case.read_qa_grant:
    no role grants more than its holder may read."""
    _require_assigner(granted_by)
    if case.is_closed:
        raise DomainError({"case": "The case is closed."})
    if reviewer.status != StaffMember.Status.ACTIVE:
        raise DomainError({"staff": f"{reviewer.full_name} is not active."})
    return cases.case_grant_access(
        actor=actor,
        granted_by=granted_by,
        case=case,
        staff=reviewer,
        purpose=QA_REVIEW,
        reason=(reason or "").strip() or f"Sampled by {granted_by.full_name}",
    )


@transaction.atomic
def reassign_specialist_families(
    *,
    actor,
    assigned_by,
    from_specialist: StaffMember,
    to_specialist: StaffMember | None,
    reason: str,
    override_reason: str = "",
    case_ids=None,
) -> list[CaseAccessGrant]:
    """O4, like the contractor's reassignment (A6, A7): move the families
    `from_specialist` carries (all, or those in `case_ids`) to `to_specialist`, or, with
    None, route each to the top-ranked specialist of its region (loads counted as they
    grow, the departing specialist left out). Moving to one chosen specialist needs
    `override_reason` for each family whose top-ranked is someone else. Each move ends
    the old grant and keeps the ranking on the new one."""
    _require_assigner(assigned_by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": "Say why these families are reassigned (O4)."})
    if to_specialist is not None:
        _check_specialist(to_specialist, "to_specialist")
        if to_specialist.pk == from_specialist.pk:
            raise DomainError({"to_specialist": "Choose another specialist."})
    carried = list(selectors.families(from_specialist))
    # Lock the families' cases in key order, so two reassignments cannot cross.
    list(Case.objects.select_for_update().filter(pk__in=[c.pk for c in carried]).order_by("pk"))
    if case_ids is not None:
        wanted = set(case_ids)
        stray = wanted - {c.pk for c in carried}
        if stray:
            raise DomainError(
                {"cases": f"{from_specialist.full_name} does not carry some of these cases."}
            )
        carried = [c for c in carried if c.pk in wanted]
    if not carried:
        raise DomainError({"cases": f"{from_specialist.full_name} carries no families."})
    rankings = {c.case_number: selectors.ranking_for(c) for c in carried}
    if to_specialist is not None:
        problem = rules.reassignment_override_problem(rankings, to_specialist.pk, override_reason)
        if problem:
            raise DomainError({"override_reason": problem})
    moved = []
    for case in carried:
        current = selectors.current_oversight(case)
        ranking = selectors.ranking_for(case)  # the loads as the earlier moves left them
        target = to_specialist
        if target is None:
            if ranking.top is None:
                raise DomainError({"to_specialist": "No other specialist is active."})
            target = StaffMember.objects.get(pk=ranking.top.specialist.id)
        moved.append(
            _move(actor, assigned_by, case, current, target, ranking, reason, override_reason)
        )
    return moved
