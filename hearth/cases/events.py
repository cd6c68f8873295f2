"""The case's events: one function per thing that happens to a case. Each writes the
case's timeline row (a CaseEvent, the only way to write one) and, when the change can
alter what the case owes, emits a typed event (hearth.core.events) that the apps above
react to in the same transaction: the obligations engine recomputes the case's months
from the change's effective date (hearth.obligations.engine).

Call them inside the change's transaction, after the change is saved. The payloads and
type strings of the timeline rows are read by pages and tests: keep them stable.
"""

from dataclasses import dataclass
from datetime import date

from hearth.cases.models import Case, CaseEvent
from hearth.core.events import emit


class EventType:
    CASE_CREATED = "case_created"
    CASE_UPDATED = "case_updated"
    CASE_STATUS_CHANGED = "case_status_changed"
    MEMBER_ADDED = "member_added"
    MEMBER_UPDATED = "member_updated"
    MEMBER_ENDED = "member_ended"
    ASSIGNED = "assigned"
    ASSIGNMENT_ENDED = "assignment_ended"
    ROUTED = "routed_to_unit"
    ACCESS_GRANTED = "access_granted"
    ACCESS_ENDED = "access_ended"
    RESTRICTED = "case_restricted"
    RESTRICTION_LIFTED = "case_restriction_lifted"
    CHILD_REMOVED = "child_removed"
    CHILD_PLACED = "child_placed"
    EPISODE_EXITED = "episode_exited"
    GOAL_CHANGED = "permanency_goal_changed"
    SCHOOL_CHANGED = "school_changed"
    VISIT_PLAN_CREATED = "visitation_plan_created"
    VISIT_PLAN_SIGNED = "visitation_plan_signed"
    FAMILY_VISIT_RECORDED = "family_visit_recorded"
    MEETING_RECORDED = "meeting_recorded"
    NOTE_FINALIZED = "contact_note_finalized"
    NOTE_AMENDED = "contact_note_amended"
    EXCEPTION_APPROVED = "contact_exception_approved"
    CONTACT_PLAN_SET = "parent_contact_plan_set"


@dataclass(frozen=True)
class CaseChanged:
    """A fact of the case changed from the day `on` (the change's effective date, which
    may be in the past): what the case owes may differ from that day's month on."""

    case: Case
    on: date
    kind: str


@dataclass(frozen=True)
class CaseStaffed:
    """Who answers for the case changed: its primary worker or its unit."""

    case: Case
    kind: str


@dataclass(frozen=True)
class CareEnded:
    """A child's removal episode ended (the child left care) on `on`: what holds only
    while the child is in care ends with it (the visitation plan in effect, P6)."""

    episode: object  # hearth.placements.models.RemovalEpisode
    on: date
    actor: object


def _record(case, type: str, /, *, actor, **payload) -> CaseEvent:
    return CaseEvent.objects.create(case=case, type=type, actor=actor, payload=payload)


def _changed(case, type: str, since: date, /, *, actor, **payload) -> CaseEvent:
    event = _record(case, type, actor=actor, **payload)
    emit(CaseChanged(case, since, type))
    return event


def _staffed(case, type: str, /, *, actor, **payload) -> CaseEvent:
    event = _record(case, type, actor=actor, **payload)
    emit(CaseStaffed(case, type))
    return event


# The case and its members ----------------------------------------------------------------


def case_created(
    case, *, actor, case_number: str, prior_case, new_case_reason: str = ""
) -> CaseEvent:
    """An investigation owes its home visit (V1) from its opening, members or not. A new
    case recorded instead of re-opening a family's closed one keeps its reason (A3, P1)."""
    return _changed(
        case,
        EventType.CASE_CREATED,
        case.opened_on,
        actor=actor,
        case_number=case_number,
        prior_case=prior_case,
        **({"new_case_reason": new_case_reason} if new_case_reason else {}),
    )


def case_updated(case, *, actor, changes: dict) -> CaseEvent:
    """The case's fields (its type among them) hold for its whole life: from its opening."""
    return _changed(case, EventType.CASE_UPDATED, case.opened_on, actor=actor, changes=changes)


def case_status_changed(case, *, actor, old: str, new: str, on: date) -> CaseEvent:
    return _changed(
        case, EventType.CASE_STATUS_CHANGED, on, actor=actor, old=old, new=new, on=on.isoformat()
    )


def member_added(member, *, actor) -> CaseEvent:
    return _changed(
        member.case,
        EventType.MEMBER_ADDED,
        member.starts_on,
        actor=actor,
        member=member.pk,
        person=member.person_id,
        role=member.role,
    )


def member_updated(member, *, actor, changes: dict) -> CaseEvent:
    """A role or household change holds for the whole membership: from its start."""
    return _changed(
        member.case,
        EventType.MEMBER_UPDATED,
        member.starts_on,
        actor=actor,
        member=member.pk,
        changes=changes,
    )


def member_ended(member, *, actor, changes: dict) -> CaseEvent:
    """From the membership's start: its end may have moved earlier or later."""
    return _changed(
        member.case,
        EventType.MEMBER_ENDED,
        member.starts_on,
        actor=actor,
        member=member.pk,
        changes=changes,
    )


# Who answers for the case ----------------------------------------------------------------


def assigned(case, *, actor, assignment, previous_worker: int | None) -> CaseEvent:
    return _staffed(
        case,
        EventType.ASSIGNED,
        actor=actor,
        assignment=assignment.pk,
        worker=assignment.worker_id,
        previous_worker=previous_worker,
        reason=assignment.reason,
        override_reason=assignment.override_reason,
        limit_override_reason=assignment.limit_override_reason,
    )


def assignment_ended(assignment, *, actor, reason: str) -> CaseEvent:
    return _staffed(
        assignment.case,
        EventType.ASSIGNMENT_ENDED,
        actor=actor,
        assignment=assignment.pk,
        worker=assignment.worker_id,
        reason=reason,
    )


def routed_to_unit(case, *, actor, unit: int, rule: str, explanation: str) -> CaseEvent:
    return _staffed(
        case, EventType.ROUTED, actor=actor, unit=unit, rule=rule, explanation=explanation
    )


# Access (O3, O4) and restriction: the timeline only --------------------------------------


def access_granted(case, *, actor, grant, **payload) -> CaseEvent:
    """`payload`: what the grant's timeline row shows beyond the grant, staff, purpose."""
    return _record(
        case,
        EventType.ACCESS_GRANTED,
        actor=actor,
        grant=grant.pk,
        staff=grant.staff_id,
        purpose=grant.purpose,
        **payload,
    )


def access_ended(grant, *, actor, reason: str) -> CaseEvent:
    return _record(
        grant.case,
        EventType.ACCESS_ENDED,
        actor=actor,
        grant=grant.pk,
        staff=grant.staff_id,
        purpose=grant.purpose,
        reason=reason,
    )


def case_restricted(case, *, actor, restricted: bool, reason: str) -> CaseEvent:
    kind = EventType.RESTRICTED if restricted else EventType.RESTRICTION_LIFTED
    return _record(case, kind, actor=actor, reason=reason)


# Removals, placements and goals ----------------------------------------------------------


def child_removed(episode, *, actor) -> CaseEvent:
    return _changed(
        episode.case,
        EventType.CHILD_REMOVED,
        episode.removed_on,
        actor=actor,
        child=episode.child_id,
        episode=episode.pk,
    )


def child_placed(case, *, actor, placement, reason: str) -> CaseEvent:
    return _changed(
        case,
        EventType.CHILD_PLACED,
        placement.starts_on,
        actor=actor,
        child=placement.child_id,
        setting=placement.setting,
        placement=placement.pk,
        reason=reason,
    )


def episode_exited(episode, *, actor, exit_reason: str) -> CaseEvent:
    event = _changed(
        episode.case,
        EventType.EPISODE_EXITED,
        episode.exited_on,
        actor=actor,
        child=episode.child_id,
        exit_reason=exit_reason,
    )
    emit(CareEnded(episode, episode.exited_on, actor))
    return event


def permanency_goal_changed(goal, *, actor, reason: str) -> CaseEvent:
    """`goal`: the new PermanencyGoal; it holds from its start."""
    return _changed(
        goal.case,
        EventType.GOAL_CHANGED,
        goal.starts_on,
        actor=actor,
        child=goal.child_id,
        goal=goal.goal,
        reason=reason,
    )


def school_changed(case, *, actor, child: int, reason: str) -> CaseEvent:
    return _record(case, EventType.SCHOOL_CHANGED, actor=actor, child=child, reason=reason)


# Visitation (P5 to P7) --------------------------------------------------------------------


def visitation_plan_created(plan, *, actor) -> CaseEvent:
    return _record(
        plan.case, EventType.VISIT_PLAN_CREATED, actor=actor, child=plan.child_id, plan=plan.pk
    )


def visitation_plan_signed(plan, *, actor, participant: str, in_effect: bool) -> CaseEvent:
    return _record(
        plan.case,
        EventType.VISIT_PLAN_SIGNED,
        actor=actor,
        plan=plan.pk,
        participant=participant,
        in_effect=in_effect,
    )


def family_visit_recorded(visit, *, actor) -> CaseEvent:
    """A held visit can meet a first family contact (P5) that fell due before it."""
    return _changed(
        visit.case,
        EventType.FAMILY_VISIT_RECORDED,
        visit.visit_on,
        actor=actor,
        child=visit.child_id,
        status=visit.status,
        reason=visit.reason,
    )


def meeting_recorded(meeting, *, actor) -> CaseEvent:
    return _record(
        meeting.case, EventType.MEETING_RECORDED, actor=actor, meeting=meeting.pk, kind=meeting.kind
    )


# Contacts (V1 to V13) ---------------------------------------------------------------------


def contact_note_finalized(note, *, actor, on: date) -> CaseEvent:
    """`on`: the day the contact took place, in the agency's time zone."""
    return _changed(
        note.case,
        EventType.NOTE_FINALIZED,
        on,
        actor=actor,
        note=note.pk,
        method=note.method,
        on=on.isoformat(),
    )


def contact_note_amended(note, *, actor) -> CaseEvent:
    return _record(note.case, EventType.NOTE_AMENDED, actor=actor, note=note.pk)


def contact_exception_approved(exception, *, actor) -> CaseEvent:
    return _changed(
        exception.case,
        EventType.EXCEPTION_APPROVED,
        exception.starts_on,
        actor=actor,
        person=exception.person_id,
        kind=exception.kind,
    )


def parent_contact_plan_set(plan, *, actor) -> CaseEvent:
    return _changed(
        plan.case,
        EventType.CONTACT_PLAN_SET,
        plan.starts_on,
        actor=actor,
        person=plan.person_id,
        need=plan.need,
    )
