"""Every write to visitation plans, their signatures, family visits and the visitation
reviews of case meetings: one function per user action, in a transaction. The rules are
in hearth.policy.placement; these functions feed them and store the outcome.

Callers pass a case they have already checked the actor may edit (hearth.cases.access).
"""

from datetime import date

from django.db import transaction

from hearth.cases import events
from hearth.cases.events import CareEnded
from hearth.cases.models import Case, CaseMeeting, CaseMember
from hearth.core.errors import DomainError
from hearth.core.services import lock, not_future, validated_save
from hearth.people.models import Person
from hearth.placements.models import PermanencyGoal, RemovalEpisode
from hearth.placements.selectors import child_facts
from hearth.placements.services.common import check_child
from hearth.policy import placement as rules
from hearth.visitation.models import (
    FamilyVisit,
    PlanParticipant,
    VisitArrangement,
    VisitationPlan,
    VisitationReview,
)

# --- Visitation plans, signatures, family visits (P5, P6) ----------------------------


@transaction.atomic
def visit_plan_create(
    *,
    actor,
    case: Case,
    child: Person,
    made_at: str,
    made_on: date,
    arrangements: list[dict],
    participants: list[dict],
    less_than_weekly_reason: str = "",
    notes: str = "",
) -> VisitationPlan:
    """A visitation plan for a child in care (P5), made with the resource parents (P6).
    `arrangements`: dicts of VisitArrangement fields; `participants`: name, role, person."""
    check_child(case, child)
    not_future("made_on", made_on, "A plan")
    episode = RemovalEpisode.objects.filter(case=case, child=child, exited_on__isnull=True).first()
    if episode is None:
        raise DomainError({"child": "A visitation plan is for a child in out-of-home care."})
    if not participants:
        raise DomainError({"participants": "List everyone who made the plan (P6)."})
    goal = PermanencyGoal.objects.filter(case=case, child=child, ends_on__isnull=True).first()
    facts = child_facts(episode)
    problems = rules.visitation_plan_problems(
        goal=goal.goal if goal else None,
        arrangements=[
            rules.Arrangement(a.get("visitor_role", ""), a.get("frequency", ""))
            for a in arrangements
            if a.get("frequency") in rules.FREQUENCY_PER_WEEK
        ],
        participants=[rules.Participant(p.get("role", ""), False) for p in participants],
        has_parents=bool(facts.parent_ids),
        has_siblings_apart=bool(facts.sibling_ids),
        less_than_weekly_reason=less_than_weekly_reason,
        interval_days=case.agency.policy.family_visit_interval_days,
    )
    if problems:
        raise DomainError(problems)
    plan = VisitationPlan(
        case=case,
        child=child,
        episode=episode,
        made_at=made_at,
        made_on=made_on,
        less_than_weekly_reason=less_than_weekly_reason,
        notes=notes,
    )
    validated_save(plan, actor=actor)
    for i, data in enumerate(arrangements):
        validated_save(
            VisitArrangement(plan=plan, **data),
            actor=actor,
            exclude=["plan"],
            prefix=f"arrangements.{i}",
        )
    for i, data in enumerate(participants):
        validated_save(
            PlanParticipant(plan=plan, **data),
            actor=actor,
            exclude=["plan"],
            prefix=f"participants.{i}",
        )
    events.visitation_plan_created(plan, actor=actor)
    return plan


@transaction.atomic
def visit_plan_sign(
    *,
    actor,
    participant: PlanParticipant,
    method: str,
    signed_on: date,
    signed_as: str = "",
    copy_given_on: date | None = None,
    version: int | None = None,
) -> PlanParticipant:
    """P6: a participant signs (electronically, typing their name, or on paper, recorded
    by the worker). When all have signed, the plan takes effect and replaces the last.
    Every signature is a new version of the plan (`version`: the one read)."""
    plan = lock(VisitationPlan, participant.plan_id)
    plan.check_version(version)
    participant = lock(PlanParticipant, participant.pk)
    if plan.status != VisitationPlan.Status.DRAFT:
        raise DomainError({"participant": "This plan is no longer awaiting signatures."})
    if plan.episode.exited_on is not None:
        raise DomainError({"participant": "The child has left care; this plan is not signed."})
    if participant.signed:
        raise DomainError({"participant": f"{participant.name} has already signed."})
    not_future("signed_on", signed_on, "A signature")
    if signed_on < plan.made_on:
        raise DomainError({"signed_on": "A signature cannot predate the plan."})
    if method == PlanParticipant.Method.ELECTRONIC:
        if signed_as.strip().casefold() != participant.name.strip().casefold():
            raise DomainError(
                {"signed_as": f"Type the participant's name ({participant.name}) to sign."}
            )
    elif method != PlanParticipant.Method.PAPER:
        raise DomainError({"method": "Choose electronic or paper."})
    if copy_given_on is not None and copy_given_on < signed_on:
        raise DomainError({"copy_given_on": "The copy is given on or after signing."})
    participant.signed_on = signed_on
    participant.signature_method = method
    participant.signed_as = signed_as.strip()
    participant.signature_recorded_by = actor
    participant.copy_given_on = copy_given_on
    validated_save(participant, actor=actor)
    parts = [rules.Participant(p.role, p.signed) for p in plan.participants.all()]
    if rules.signed_by_all(parts):
        in_effect = max(p.signed_on for p in plan.participants.all())
        for old in VisitationPlan.objects.filter(
            child=plan.child_id, status=VisitationPlan.Status.IN_EFFECT
        ):
            old.status = VisitationPlan.Status.REPLACED
            old.ended_on = in_effect
            old.bump_version()
            validated_save(old, actor=actor)
        plan.status = VisitationPlan.Status.IN_EFFECT
        plan.in_effect_on = in_effect
    plan.bump_version()
    validated_save(plan, actor=actor)
    events.visitation_plan_signed(
        plan,
        actor=actor,
        participant=participant.name,
        in_effect=plan.status == VisitationPlan.Status.IN_EFFECT,
    )
    return participant


@transaction.atomic
def family_visit_record(
    *,
    actor,
    case: Case,
    child: Person,
    visit_on: date,
    status: str,
    reason: str = "",
    visitors: list[Person] = (),
    location: str = "",
    supervised: bool = False,
) -> FamilyVisit:
    """P5: a family visit held, missed or cancelled (with the reason)."""
    check_child(case, child)
    if status != FamilyVisit.Status.CANCELLED:
        not_future("visit_on", visit_on, "A visit held or missed")
    if status != FamilyVisit.Status.HELD and not reason.strip():
        raise DomainError({"reason": "Say why the visit did not take place."})
    if status == FamilyVisit.Status.HELD and not visitors:
        raise DomainError({"visitors": "Name who visited the child."})
    member_ids = set(
        CaseMember.objects.filter(case=case, starts_on__lte=visit_on)
        .exclude(ends_on__lt=visit_on)
        .values_list("person_id", flat=True)
    )
    strangers = [v for v in visitors if v.pk not in member_ids or v.pk == child.pk]
    if strangers:
        raise DomainError({"visitors": "Visitors are other members of this case."})
    plan = (
        VisitationPlan.objects.filter(child=child, case=case, in_effect_on__lte=visit_on)
        .exclude(ended_on__lt=visit_on)
        .order_by("-in_effect_on")
        .first()
    )
    visit = FamilyVisit(
        case=case,
        child=child,
        plan=plan,
        visit_on=visit_on,
        status=status,
        reason=reason,
        location=location,
        supervised=supervised,
    )
    validated_save(visit, actor=actor)
    visit.visitors.set(visitors)
    events.family_visit_recorded(visit, actor=actor)
    return visit


# --- Case meetings: the visitation review (P7) ---------------------------------------


def visitation_reviews_record(*, actor, meeting: CaseMeeting, reviews: list[dict]) -> None:
    """P7: at a placement conference or a family team meeting, the visitation schedule
    of every child then in out-of-home care is reviewed. `reviews`: child, decision,
    obstacles, plan_to_overcome. Call inside the meeting's transaction."""
    out_of_home = set(
        RemovalEpisode.objects.filter(case=meeting.case, removed_on__lte=meeting.held_on)
        .exclude(exited_on__lte=meeting.held_on)
        .values_list("child_id", flat=True)
    )
    reviewed = {r["child"].pk for r in reviews}
    stray = reviewed - out_of_home
    if stray:
        raise DomainError(
            {"reviews": "Only children in out-of-home care have a schedule to review."}
        )
    problem = rules.conference_review_problem(out_of_home, reviewed)
    if problem:
        raise DomainError({"reviews": problem})
    for i, data in enumerate(reviews):
        plan = (
            VisitationPlan.objects.filter(child=data["child"], case=meeting.case)
            .exclude(status=VisitationPlan.Status.REPLACED)
            .order_by("-made_on", "-id")
            .first()
        )
        review = VisitationReview(meeting=meeting, plan=plan, **data)
        validated_save(review, actor=actor, exclude=["plan"], prefix=f"reviews.{i}")


@transaction.atomic
def placement_conference_record(
    *, actor, case: Case, held_on: date, participants: str, decisions: str, reviews: list[dict]
) -> CaseMeeting:
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    not_future("held_on", held_on, "A conference")
    meeting = CaseMeeting(
        case=case,
        kind=CaseMeeting.Kind.PLACEMENT_CONFERENCE,
        held_on=held_on,
        participants=participants,
        decisions=decisions,
    )
    validated_save(meeting, actor=actor)
    visitation_reviews_record(actor=actor, meeting=meeting, reviews=reviews)
    events.meeting_recorded(meeting, actor=actor)
    return meeting


def visit_plan_end_with_care(event: CareEnded) -> None:
    """P6: a visitation plan holds while the child is in care; when the child leaves care
    (hearth.placements' episode_exit emits CareEnded), the plan in effect ends that day.
    Subscribed in VisitationConfig.ready()."""
    for plan in VisitationPlan.objects.filter(
        episode=event.episode, status=VisitationPlan.Status.IN_EFFECT
    ):
        plan.status = VisitationPlan.Status.ENDED
        plan.ended_on = event.on
        plan.bump_version()
        validated_save(plan, actor=event.actor)
