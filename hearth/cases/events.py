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

from hearth.cases.models import EFFECTIVE_ON, Case, CaseEvent
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
    # planning: services
    SERVICE_REFERRAL_SENT = "service_referral_sent"
    SERVICE_REFERRAL_STATUS_CHANGED = "service_referral_status_changed"
    PROGRESS_REPORT_RECORDED = "progress_report_recorded"


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


@dataclass(frozen=True)
class CaseClosing:
    """The case is about to close on `on`: a handler that knows a reason it may not
    (a child's removal episode still open, O1) raises a DomainError naming it."""

    case: Case
    on: date


def case_closing(case, *, on: date) -> None:
    emit(CaseClosing(case, on))


def _record(case, type: str, /, *, actor, **payload) -> CaseEvent:
    return CaseEvent.objects.create(case=case, type=type, actor=actor, payload=payload)


def _changed(case, type: str, since: date, /, *, actor, dated=False, **payload) -> CaseEvent:
    """`dated`: `since` is the day the event itself took place (a removal, a visit), which
    the timeline shows (CaseEvent.effective_on) rather than when it was typed."""
    if dated:
        payload[EFFECTIVE_ON] = since.isoformat()
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
        dated=True,
        case_number=case_number,
        prior_case=prior_case,
        **({"new_case_reason": new_case_reason} if new_case_reason else {}),
    )


def case_updated(case, *, actor, changes: dict) -> CaseEvent:
    """The case's fields (its type among them) hold for its whole life: from its opening."""
    return _changed(case, EventType.CASE_UPDATED, case.opened_on, actor=actor, changes=changes)


def case_status_changed(case, *, actor, old: str, new: str, on: date) -> CaseEvent:
    return _changed(
        case,
        EventType.CASE_STATUS_CHANGED,
        on,
        actor=actor,
        dated=True,
        old=old,
        new=new,
        on=on.isoformat(),
    )


def member_added(member, *, actor) -> CaseEvent:
    return _changed(
        member.case,
        EventType.MEMBER_ADDED,
        member.starts_on,
        actor=actor,
        dated=True,
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


def _grant_event(grant, case, type: str, /, *, actor, **payload) -> CaseEvent:
    """A change of the state specialist overseeing the case changes what the state owes
    on it (its hearings and reviews in the specialist's due list, O2, O4): recomputed from
    the case's opening. Other grants change only who reads the case."""
    if grant.purpose == "oversight":
        return _changed(case, type, case.opened_on, actor=actor, **payload)
    return _record(case, type, actor=actor, **payload)


def access_granted(case, *, actor, grant, **payload) -> CaseEvent:
    """`payload`: what the grant's timeline row shows beyond the grant, staff, purpose."""
    return _grant_event(
        grant,
        case,
        EventType.ACCESS_GRANTED,
        actor=actor,
        grant=grant.pk,
        staff=grant.staff_id,
        purpose=grant.purpose,
        **payload,
    )


def access_ended(grant, *, actor, reason: str) -> CaseEvent:
    return _grant_event(
        grant,
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
        dated=True,
        child=episode.child_id,
        episode=episode.pk,
    )


def child_placed(case, *, actor, placement, reason: str) -> CaseEvent:
    return _changed(
        case,
        EventType.CHILD_PLACED,
        placement.starts_on,
        actor=actor,
        dated=True,
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
        dated=True,
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
        dated=True,
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
        dated=True,
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
        dated=True,
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
        dated=True,
        person=exception.person_id,
        kind=exception.kind,
    )


def parent_contact_plan_set(plan, *, actor) -> CaseEvent:
    return _changed(
        plan.case,
        EventType.CONTACT_PLAN_SET,
        plan.starts_on,
        actor=actor,
        dated=True,
        person=plan.person_id,
        need=plan.need,
    )


# planning: services (P8, C9) ----------------------------------------------------------------
# Timeline rows only: no obligation is computed from services (the needs without a service
# are read live by hearth.planning.selectors.assessments.needs_without_service).


def service_referral_sent(referral, *, actor) -> CaseEvent:
    """C9: a service referred to a provider for the needs it must meet."""
    return _record(
        referral.case,
        EventType.SERVICE_REFERRAL_SENT,
        actor=actor,
        referral=referral.pk,
        person=referral.person_id,
        provider=referral.provider_id,
        service=referral.service.code,
        needs=sorted(n.pk for n in referral.needs.all()),
        referred_on=referral.referred_on.isoformat(),
    )


def service_referral_status_changed(referral, *, actor, old: str, reason: str = "") -> CaseEvent:
    """P8: the worker monitors the service: accepted, started, completed or ended early."""
    return _record(
        referral.case,
        EventType.SERVICE_REFERRAL_STATUS_CHANGED,
        actor=actor,
        referral=referral.pk,
        old=old,
        new=referral.status,
        on=referral.status_on.isoformat(),
        **({"reason": reason} if reason else {}),
    )


def progress_report_recorded(report, *, actor, case) -> CaseEvent:
    return _record(
        case,
        EventType.PROGRESS_REPORT_RECORDED,
        actor=actor,
        referral=report.referral_id,
        report=report.pk,
        progress=report.progress,
        reported_on=report.reported_on.isoformat(),
    )


# planning: assessments --------------------------------------------------------------------

ASSESSMENT_RECORDED = "assessment_recorded"


def assessment_recorded(assessment, *, actor) -> CaseEvent:
    """C3: an assessment dated `assessed_on` can meet a reassessment that a change in the
    family's situation prompted, even one that fell due in an earlier month."""
    return _changed(
        assessment.case,
        ASSESSMENT_RECORDED,
        assessment.assessed_on,
        actor=actor,
        assessment=assessment.pk,
        instrument=assessment.instrument.code,
        subject=assessment.subject_id,
        reason=assessment.reason,
        on=assessment.assessed_on.isoformat(),
    )


# planning: plans (C1, C2, C4, C5, C9, P9) -----------------------------------------------


def case_plan_created(plan, *, actor) -> CaseEvent:
    """A draft version begun: the timeline only (a draft owes and meets nothing)."""
    return _record(
        plan.case,
        "case_plan_created",
        actor=actor,
        plan=plan.pk,
        number=plan.number,
        based_on=plan.based_on_id,
    )


def case_plan_adopted(plan, *, actor) -> CaseEvent:
    """C1, C5: a version adopted at a family team meeting meets the first plan or a review
    (a late one: an earlier month) and owes its signatures: from its adoption day."""
    return _changed(
        plan.case,
        "case_plan_adopted",
        plan.adopted_on,
        actor=actor,
        plan=plan.pk,
        number=plan.number,
        meeting=plan.meeting_id,
        on=plan.adopted_on.isoformat(),
    )


def case_plan_signed(signature, *, actor) -> CaseEvent:
    """A signature (or a recorded decline, with the disagreement) meets a signature awaited
    since the plan's adoption."""
    plan = signature.plan
    return _changed(
        plan.case,
        "case_plan_signed",
        plan.adopted_on,
        actor=actor,
        plan=plan.pk,
        signature=signature.pk,
        role=signature.role,
        agrees=signature.agrees,
        declined=signature.declined_on is not None,
    )


def case_plan_approved(plan, *, actor, replaced: list[int]) -> CaseEvent:
    return _record(
        plan.case,
        "case_plan_approved",
        actor=actor,
        plan=plan.pk,
        number=plan.number,
        replaced=replaced,
    )


def step_progress_recorded(progress, *, actor, case) -> CaseEvent:
    """P9 (KCA 13, 14): progress on an action step, at a visit, a review or a meeting."""
    return _record(
        case,
        "step_progress_recorded",
        actor=actor,
        step=progress.step_id,
        status=progress.status,
        at=progress.at,
        on=progress.recorded_on.isoformat(),
    )


def safety_plan_made(safety_plan, *, actor) -> CaseEvent:
    return _record(
        safety_plan.case,
        "safety_plan_made",
        actor=actor,
        safety_plan=safety_plan.pk,
        kind=safety_plan.kind,
    )


def safety_plan_ended(safety_plan, *, actor, reason: str) -> CaseEvent:
    return _record(
        safety_plan.case,
        "safety_plan_ended",
        actor=actor,
        safety_plan=safety_plan.pk,
        kind=safety_plan.kind,
        on=safety_plan.ended_on.isoformat(),
        reason=reason,
    )


# planning: teaming ------------------------------------------------------------------------


def team_meeting_recorded(meeting, *, actor, type: str) -> CaseEvent:
    """C5: a family team meeting held on `meeting.held_on` meets the meeting that fell
    due around it and starts the next interval: the obligations recompute from that day
    (or earlier: hearth.planning.obligations.teaming reaches back to a late meeting's due
    date)."""
    return _changed(
        meeting.case,
        "team_meeting_recorded",
        meeting.held_on,
        actor=actor,
        meeting=meeting.pk,
        kind=meeting.kind,
        type=type,
    )


def supervisor_conference_recorded(conference, *, actor) -> CaseEvent:
    """A supervisor case conference (V13: with the documented reason a person is not
    seen, when there is one): the timeline only."""
    return _record(
        conference.case,
        "supervisor_conference_recorded",
        actor=actor,
        conference=conference.pk,
        held_on=conference.held_on.isoformat(),
        not_seen=conference.not_seen_id,
    )


def diligent_search_recorded(search, *, actor) -> CaseEvent:
    """C6: a diligent search effort and its result (a person found joins the family
    through member_added)."""
    return _record(
        search.case,
        "diligent_search_recorded",
        actor=actor,
        search=search.pk,
        sought_for=search.sought_for,
        result=search.result,
        found_person=search.found_person_id,
    )


def tribe_contacted(contact, *, actor) -> CaseEvent:
    """C7: the child's tribe contacted on `contact.contacted_on`; it meets the contact
    that fell due for that tribe, maybe in an earlier month."""
    return _changed(
        contact.case,
        "tribe_contacted",
        contact.contacted_on,
        actor=actor,
        tribe_contact=contact.pk,
        child=contact.child_id,
        tribe=contact.tribe_id,
    )


ICWA_FIELDS = frozenset({"icwa_inquiry_made", "icwa_membership", "icwa_applies", "tribes"})


def person_icwa_changed(person, *, actor, fields) -> None:
    """C7: when a person's ICWA facts or tribes are among the `fields` changed, what
    each open case they are a child of owes the tribes may differ from the case's
    opening on (a timeline row on each). Called by the pages and endpoints that change
    a person (the people app is below the cases app)."""
    if not ICWA_FIELDS & set(fields):
        return
    cases = Case.objects.filter(
        members__person=person, members__role__in=("child", "sibling"), closed_on__isnull=True
    ).distinct()
    for case in cases:
        _changed(case, "person_icwa_changed", case.opened_on, actor=actor, person=person.pk)


def not_seen_reason_recorded(record, *, actor) -> CaseEvent:
    """V13: a documented reason a person is not seen, as of `record.on`: the contact
    requirements whose window holds that day carry it."""
    return _changed(
        record.case,
        "not_seen_reason_recorded",
        record.on,
        actor=actor,
        person=record.person_id,
        source=record.source,
        source_id=record.source_id,
    )


# oversight: court (O2) --------------------------------------------------------------------


def _hearing_day(moment) -> date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


def hearing_scheduled(hearing, *, actor, next_of: int | None = None) -> CaseEvent:
    """O2: a hearing scheduled (`next_of`: set by the held hearing of that id) falls due in
    the worker's and the specialist's due lists on its day: the obligations recompute from
    that day."""
    return _changed(
        hearing.case,
        "hearing_scheduled",
        _hearing_day(hearing.scheduled_at),
        actor=actor,
        hearing=hearing.pk,
        type=hearing.type,
        at=hearing.scheduled_at.isoformat(),
        next_of=next_of,
    )


def hearing_changed(hearing, *, actor, change: str, since, changes: dict) -> CaseEvent:
    """O2: a scheduled hearing moved, continued or cancelled (`change`), effective from
    `since` (the earlier of its old and new days)."""
    return _changed(
        hearing.case,
        "hearing_changed",
        min(since, _hearing_day(hearing.scheduled_at)),
        actor=actor,
        hearing=hearing.pk,
        change=change,
        changes=changes,
    )


def hearing_held(hearing, *, actor, next_hearing=None) -> CaseEvent:
    """O2: a hearing's outcome, orders and findings recorded: it is held, which meets its
    due list rows; the next hearing it set (if any) is scheduled."""
    return _changed(
        hearing.case,
        "hearing_held",
        _hearing_day(hearing.scheduled_at),
        actor=actor,
        hearing=hearing.pk,
        type=hearing.type,
        reasonable_efforts=hearing.reasonable_efforts_finding,
        best_interest=hearing.best_interest_finding,
        next_hearing=next_hearing.pk if next_hearing else None,
    )


def court_report_generated(report, *, actor, regenerated: bool = False) -> CaseEvent:
    """O2: a court report's draft written from the record (or written again): the
    timeline only."""
    return _record(
        report.case,
        "court_report_regenerated" if regenerated else "court_report_generated",
        actor=actor,
        report=report.pk,
        period_start=report.period_start.isoformat(),
        period_end=report.period_end.isoformat(),
        hearing=report.hearing_id,
    )


def court_report_edited(report, *, actor, sections: list[str]) -> CaseEvent:
    """O2: a court report's draft sections edited (their codes): the timeline only."""
    return _record(
        report.case, "court_report_edited", actor=actor, report=report.pk, sections=sections
    )


# oversight: recommendations ------------------------------------------------------------------
# O1, O2: a recommendation's rounds. Sending one to the state and deciding it change what
# the state owes (its review, an obligation of source "oversight"): those emit CaseChanged
# from the review's due date, so a late decision meets the review that fell due before.


class RecommendationEvent:
    SUBMITTED = "recommendation_submitted"
    SUPERVISOR_APPROVED = "recommendation_supervisor_approved"
    SENT_TO_STATE = "recommendation_sent_to_state"
    APPROVED = "recommendation_approved"
    RETURNED = "recommendation_returned"
    WITHDRAWN = "recommendation_withdrawn"
    PRESENTED = "recommendation_presented"


def _recommendation_payload(recommendation, round) -> dict:
    return {
        "recommendation": recommendation.pk,
        "kind": recommendation.kind,
        "round": round.number if round is not None else None,
    }


def recommendation_submitted(recommendation, round, *, actor) -> CaseEvent:
    """A recommendation (or its revision, a new round) submitted by the contractor."""
    return _record(
        recommendation.case,
        RecommendationEvent.SUBMITTED,
        actor=actor,
        **_recommendation_payload(recommendation, round),
    )


def recommendation_supervisor_approved(recommendation, round, *, actor) -> CaseEvent:
    return _record(
        recommendation.case,
        RecommendationEvent.SUPERVISOR_APPROVED,
        actor=actor,
        **_recommendation_payload(recommendation, round),
    )


def recommendation_sent_to_state(recommendation, round, *, actor, on: date) -> CaseEvent:
    """The round is the state's to review by `recommendation.due_on` (O1, O2)."""
    return _changed(
        recommendation.case,
        RecommendationEvent.SENT_TO_STATE,
        on,
        actor=actor,
        reviewer=round.reviewer_id,
        due_on=recommendation.due_on.isoformat(),
        **_recommendation_payload(recommendation, round),
    )


def recommendation_decided(recommendation, round, *, actor, since: date) -> CaseEvent:
    """The reviewer approved or returned the round (`reason`: the return's reasons); the
    review due since `since` is met."""
    kind = (
        RecommendationEvent.APPROVED
        if round.decision == "approved"
        else RecommendationEvent.RETURNED
    )
    return _changed(
        recommendation.case,
        kind,
        since,
        actor=actor,
        **_recommendation_payload(recommendation, round),
        **({"reason": round.decision_reasons} if round.decision_reasons else {}),
    )


def recommendation_withdrawn(recommendation, round, *, actor, since: date) -> CaseEvent:
    """Withdrawn by the contractor: a review still pending is no longer owed."""
    return _changed(
        recommendation.case,
        RecommendationEvent.WITHDRAWN,
        since,
        actor=actor,
        **_recommendation_payload(recommendation, round),
    )


def recommendation_presented(recommendation, *, actor) -> CaseEvent:
    """O2: an approved case plan or court report presented to the court at a hearing."""
    return _record(
        recommendation.case,
        RecommendationEvent.PRESENTED,
        actor=actor,
        hearing=recommendation.presented_at_id,
        on=recommendation.presented_on.isoformat(),
        **_recommendation_payload(recommendation, None),
    )


# oversight: qa ----------------------------------------------------------------------------


class QaEventType:
    QA_REVIEW_FINALIZED = "qa_review_finalized"
    QA_REVIEW_RESPONDED = "qa_review_responded"


def qa_access_granted(grants, *, actor, sample) -> None:
    """O3: the QA review grants of a sample's draw, one timeline row per case (one insert
    for the whole sample: a draw grants up to thousands of cases at once)."""
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=g.case_id,
                type=EventType.ACCESS_GRANTED,
                actor=actor,
                payload={
                    "grant": g.pk,
                    "staff": g.staff_id,
                    "purpose": g.purpose,
                    "qa_sample": sample.pk,
                },
            )
            for g in grants
        ],
        batch_size=1000,
    )


def qa_review_finalized(review, *, actor) -> CaseEvent:
    """O3: a QA review of the case was finalized (it is shown to the contractor)."""
    return _record(
        review.sample_case.case,
        QaEventType.QA_REVIEW_FINALIZED,
        actor=actor,
        qa_review=review.pk,
        reviewer=review.reviewer_id,
    )


def qa_review_responded(review, *, actor) -> CaseEvent:
    """O3: the contractor responded to a finalized QA review of the case."""
    return _record(
        review.sample_case.case,
        QaEventType.QA_REVIEW_RESPONDED,
        actor=actor,
        qa_review=review.pk,
    )
