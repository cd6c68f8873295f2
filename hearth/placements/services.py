"""Every write to removals, placements, schools, goals, visitation plans, family visits
and visitation reviews: one function per user action, in a transaction. The rules are in
hearth.policy.placement; these functions feed them and store the outcome.

Callers pass a case they have already checked the actor may edit (hearth.cases.access).
"""

from datetime import date

from django.db import transaction

from hearth.cases import events
from hearth.cases.models import Case, CaseMeeting, CaseMember
from hearth.core.errors import DomainError
from hearth.core.services import lock, today, validated_save
from hearth.people.models import Person
from hearth.placements.models import (
    FamilyVisit,
    Need,
    PermanencyGoal,
    Placement,
    PlanParticipant,
    RemovalEpisode,
    ResourceHome,
    SchoolEnrollment,
    Setting,
    VisitArrangement,
    VisitationPlan,
    VisitationReview,
)
from hearth.placements.selectors import (
    child_facts,
    option_for_choice,
    option_key,
    rank_for_child,
)
from hearth.policy import placement as rules


def _not_future(field: str, value: date, what: str) -> None:
    if value > today():
        raise DomainError({field: f"{what} cannot be in the future."})


def _check_child(case: Case, child: Person, on: date | None = None) -> None:
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    members = CaseMember.objects.filter(
        case=case, person=child, role__in=[CaseMember.Role.CHILD, CaseMember.Role.SIBLING]
    )
    if on is not None:
        members = members.filter(starts_on__lte=on)
    if not members.exists():
        raise DomainError({"child": "This person is not a child in this case."})


def _save(instance, *, actor):
    """validated_save, with the PostgreSQL overlap constraints' refusal in words."""
    try:
        validated_save(instance, actor=actor)
    except DomainError as exc:
        if "no_overlap" in str(exc):
            raise DomainError({"starts_on": "This overlaps another placement or removal."})
        raise


# --- Removal, exit, goals ------------------------------------------------------------


@transaction.atomic
def child_remove(
    *,
    actor,
    case: Case,
    child: Person,
    removed_on: date,
    legal_basis: str,
    removal_reasons: list[str],
    child_needs: list[str] = (),
    goal: str = PermanencyGoal.Goal.REUNIFICATION,
    goal_reason: str = "",
) -> RemovalEpisode:
    """Start a removal episode; the first permanency goal is reunification unless a
    reason is recorded (P4)."""
    _check_child(case, child)
    _not_future("removed_on", removed_on, "A removal")
    if removed_on < case.opened_on:
        raise DomainError({"removed_on": "A removal cannot be before the case opened."})
    if not removal_reasons:
        raise DomainError({"removal_reasons": "Give at least one removal reason."})
    bad = set(removal_reasons) - set(RemovalEpisode.RemovalReason.values)
    if bad:
        raise DomainError({"removal_reasons": f"Unknown removal reason: {', '.join(sorted(bad))}."})
    _check_needs(child_needs)
    lock(Person, child.pk)
    earlier = RemovalEpisode.objects.filter(child=child)
    if earlier.filter(exited_on__isnull=True).exists():
        raise DomainError({"child": "This child is already in out-of-home care."})
    last = earlier.order_by("-exited_on").first()
    if last and removed_on < last.exited_on:
        raise DomainError(
            {"removed_on": f"The child's previous removal ended on {last.exited_on}."}
        )
    problem = rules.initial_goal_problem(goal, goal_reason)
    if problem:
        raise DomainError({"goal_reason": problem})
    episode = RemovalEpisode(
        case=case,
        child=child,
        removed_on=removed_on,
        legal_basis=legal_basis,
        removal_reasons=list(removal_reasons),
        child_needs=list(child_needs),
    )
    _save(episode, actor=actor)
    _set_goal(
        actor=actor, case=case, child=child, goal=goal, starts_on=removed_on, reason=goal_reason
    )
    events.child_removed(episode, actor=actor)
    return episode


def _check_needs(needs) -> None:
    bad = set(needs) - set(Need.values)
    if bad:
        raise DomainError({"child_needs": f"Unknown need: {', '.join(sorted(bad))}."})


def _set_goal(*, actor, case, child, goal, starts_on, reason) -> PermanencyGoal:
    current = PermanencyGoal.objects.filter(case=case, child=child, ends_on__isnull=True).first()
    if current is not None:
        if starts_on < current.starts_on:
            raise DomainError(
                {"starts_on": f"The current goal began on {current.starts_on}; pick a later date."}
            )
        current.ends_on = starts_on
        current.bump_version()
        validated_save(current, actor=actor)
    new = PermanencyGoal(case=case, child=child, goal=goal, starts_on=starts_on, reason=reason)
    validated_save(new, actor=actor)
    return new


@transaction.atomic
def goal_change(
    *, actor, case: Case, child: Person, goal: str, starts_on: date, reason: str
) -> PermanencyGoal:
    """A new permanency goal for the child (P4); the reason for the change is kept."""
    _check_child(case, child)
    _not_future("starts_on", starts_on, "A goal")
    if not reason.strip():
        raise DomainError({"reason": "Record why the permanency goal changes."})
    current = PermanencyGoal.objects.filter(case=case, child=child, ends_on__isnull=True).first()
    if current is not None and current.goal == goal:
        raise DomainError({"goal": "This is already the child's goal."})
    new = _set_goal(
        actor=actor, case=case, child=child, goal=goal, starts_on=starts_on, reason=reason
    )
    events.permanency_goal_changed(new, actor=actor, reason=reason)
    return new


@transaction.atomic
def episode_exit(
    *,
    actor,
    episode: RemovalEpisode,
    exited_on: date,
    exit_reason: str,
    transfer_agency: str = "",
    version: int | None = None,
) -> RemovalEpisode:
    """The child leaves care: the episode and its current placement end on the exit date,
    the visitation plan in effect ends."""
    episode = lock(RemovalEpisode, episode.pk)
    episode.check_version(version)
    if not episode.is_open:
        raise DomainError({"exited_on": "This removal has already ended."})
    _not_future("exited_on", exited_on, "An exit")
    if exit_reason == RemovalEpisode.ExitReason.TRANSFER and not transfer_agency:
        raise DomainError({"transfer_agency": "Name the kind of agency the child went to."})
    current = episode.placements.filter(ends_on__isnull=True).first()
    if current is not None:
        if exited_on <= current.starts_on:
            raise DomainError(
                {
                    "exited_on": f"The current placement began on {current.starts_on}; the exit "
                    "must be after it."
                }
            )
        current.ends_on = exited_on
        current.bump_version()
        _save(current, actor=actor)
    elif episode.placements.filter(ends_on__gt=exited_on).exists():
        raise DomainError({"exited_on": "A placement of this removal runs past this date."})
    episode.exited_on = exited_on
    episode.exit_reason = exit_reason
    episode.transfer_agency = transfer_agency
    episode.bump_version()
    _save(episode, actor=actor)
    for plan in VisitationPlan.objects.filter(
        episode=episode, status=VisitationPlan.Status.IN_EFFECT
    ):
        plan.status = VisitationPlan.Status.ENDED
        plan.ended_on = exited_on
        plan.bump_version()
        validated_save(plan, actor=actor)
    events.episode_exited(episode, actor=actor, exit_reason=exit_reason)
    return episode


# --- Placements (P2, P3, ICWA, V11, V12) ---------------------------------------------


@transaction.atomic
def child_place(
    *,
    actor,
    episode: RemovalEpisode,
    starts_on: date,
    choice: str = "",
    setting: str = "",
    provider_name: str = "",
    address_line1: str = "",
    city: str = "",
    state: str = "",
    out_of_state: bool = False,
    ends_on: date | None = None,
    move_reason: str = "",
    departure_reason: str = "",
    school: str = Placement.School.UNKNOWN,
    new_school_name: str = "",
    new_school_enrolled_on: date | None = None,
    best_interest_reason: str = "",
) -> Placement:
    """Place the child: `choice` is an option key from the ranking ("home:ID",
    "relative:PERSON_ID"), or give a `setting` (with a provider name) for a place that is
    not in the directory, or a status: trial home visit, runaway (V11), whereabouts
    unknown. The current placement ends on `starts_on`.

    A choice that is more restrictive or farther than an available option, or that
    departs from the ICWA order, needs `departure_reason` (P2, P3, ICWA)."""
    episode = lock(RemovalEpisode, episode.pk)
    case = episode.case
    child = episode.child
    _check_child(case, child)
    _not_future("starts_on", starts_on, "A placement")
    if starts_on < episode.removed_on:
        raise DomainError(
            {"starts_on": f"A placement cannot start before the removal ({episode.removed_on})."}
        )
    if episode.exited_on and (starts_on >= episode.exited_on or ends_on is None):
        raise DomainError({"starts_on": f"The child left care on {episode.exited_on}."})
    if episode.exited_on and ends_on > episode.exited_on:
        raise DomainError({"ends_on": f"The child left care on {episode.exited_on}."})
    if ends_on is not None:
        _not_future("ends_on", ends_on, "A placement's end")
        if ends_on <= starts_on:
            raise DomainError({"ends_on": "A placement ends after the day it starts."})

    placement = Placement(
        episode=episode,
        child=child,
        starts_on=starts_on,
        ends_on=ends_on,
        provider_name=provider_name,
        address_line1=address_line1,
        city=city,
        state=state.upper(),
        out_of_state=out_of_state,
        move_reason=move_reason,
        departure_reason=departure_reason,
        school=school,
    )
    if out_of_state and not state:
        raise DomainError({"state": "Name the state of an out-of-state placement (V12)."})
    _choose(placement, episode, choice=choice, setting=setting, viewer=actor)

    others = Placement.objects.select_for_update().filter(child=child)
    current = others.filter(ends_on__isnull=True).first()
    if others.filter(episode=episode).exists() and not move_reason.strip():
        raise DomainError({"move_reason": "Record the reason for this move."})
    if placement.setting not in rules.STATUS_SETTINGS:
        # The place the child is leaving is not an option to compare with.
        leaving = option_key(current) if current is not None and ends_on is None else None
        ranked = [
            r
            for r in rank_for_child(episode, on=starts_on, viewer=actor)
            if r.option.key != leaving
        ]
        chosen = option_for_choice(placement, episode, ranked, viewer=actor)
        if chosen.full:
            raise DomainError({"choice": "This home is full: " + "; ".join(chosen.problems)})
        needs_reason = rules.departures(chosen, ranked)
        if needs_reason and not departure_reason.strip():
            raise DomainError({"departure_reason": " ".join(needs_reason)})
    if current is not None and ends_on is None:
        if starts_on <= current.starts_on:
            raise DomainError(
                {
                    "starts_on": f"The current placement began on {current.starts_on}; a move "
                    "starts after it."
                }
            )
        current.ends_on = starts_on
        current.bump_version()
        _save(current, actor=actor)
    for other in others.exclude(pk=current.pk if current and ends_on is None else None):
        if _overlaps(other.starts_on, other.ends_on, starts_on, ends_on):
            raise DomainError(
                {
                    "starts_on": f"This overlaps the placement from {other.starts_on} to "
                    f"{other.ends_on or 'now'}."
                }
            )
    _save(placement, actor=actor)
    _school_for_placement(
        actor=actor,
        placement=placement,
        name=new_school_name,
        enrolled_on=new_school_enrolled_on,
        reason=best_interest_reason,
    )
    events.child_placed(
        case, actor=actor, placement=placement, reason=move_reason or departure_reason
    )
    return placement


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Half-open intervals [start, end); an open end runs for ever."""
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def _choose(
    placement: Placement, episode: RemovalEpisode, *, choice: str, setting: str, viewer
) -> None:
    if choice.startswith("home:"):
        home = ResourceHome.objects.filter(pk=_id(choice), active=True).first()
        if home is None:
            raise DomainError({"choice": "No such home in the directory."})
        if home.licence_expires_on and home.licence_expires_on < placement.starts_on:
            raise DomainError(
                {"choice": f"This home's licence expired on {home.licence_expires_on}."}
            )
        placement.home = home
        placement.setting = home.setting
        placement.latitude, placement.longitude = home.latitude, home.longitude
        placement.address_line1 = placement.address_line1 or home.address_line1
        placement.city = placement.city or home.city
        placement.state = placement.state or home.state
    elif choice.startswith("relative:"):
        facts = child_facts(episode, viewer=viewer)
        relative = Person.objects.filter(pk=_id(choice), pk__in=facts.relative_ids).first()
        if relative is None:
            raise DomainError({"choice": "This person is not a recorded relative of the child."})
        placement.caregiver = relative
        placement.setting = Setting.RELATIVE_HOME
        placement.latitude, placement.longitude = relative.latitude, relative.longitude
        placement.address_line1 = placement.address_line1 or relative.address_line1
        placement.city = placement.city or relative.city
        placement.state = placement.state or relative.state
    elif choice:
        raise DomainError({"choice": "Unknown choice."})
    elif setting in Setting.values:
        if setting == Setting.RELATIVE_HOME:
            raise DomainError({"choice": "Choose the relative from the child's relatives."})
        if setting not in rules.STATUS_SETTINGS and not placement.provider_name:
            raise DomainError({"provider_name": "Name the place or provider."})
        placement.setting = setting
    else:
        raise DomainError({"choice": "Choose an option, or a setting with the provider's name."})


def _id(choice: str) -> int:
    try:
        return int(choice.split(":", 1)[1])
    except ValueError:
        raise DomainError({"choice": "Unknown choice."}) from None


def _school_for_placement(*, actor, placement, name, enrolled_on, reason) -> None:
    """P3: a move of school records the best-interest reason and the enrolment date."""
    if placement.school != Placement.School.CHANGES:
        if name:
            raise DomainError(
                {"school": "A new school is given only when the child changes school."}
            )
        return
    if not name.strip():
        raise DomainError({"new_school_name": "Name the new school."})
    if not reason.strip():
        raise DomainError(
            {
                "best_interest_reason": "P3: the child stays in the school of origin unless that "
                "is not in their best interest; record why."
            }
        )
    if enrolled_on is not None:
        _not_future("new_school_enrolled_on", enrolled_on, "An enrolment")
        if enrolled_on < placement.starts_on:
            raise DomainError({"new_school_enrolled_on": "The enrolment follows the placement."})
    current = SchoolEnrollment.objects.filter(child=placement.child, left_on__isnull=True).first()
    if current is not None:
        left = placement.starts_on
        if current.enrolled_on and left < current.enrolled_on:
            left = current.enrolled_on
        current.left_on = left
        current.bump_version()
        validated_save(current, actor=actor)
    validated_save(
        SchoolEnrollment(
            child=placement.child,
            school_name=name,
            enrolled_on=enrolled_on,
            placement=placement,
            best_interest_reason=reason,
        ),
        actor=actor,
    )
    events.school_changed(
        placement.episode.case, actor=actor, child=placement.child_id, reason=reason
    )


@transaction.atomic
def school_record(
    *,
    actor,
    case: Case,
    child: Person,
    school_name: str,
    district: str = "",
    enrolled_on: date | None = None,
    enrolment_of: SchoolEnrollment | None = None,
    version: int | None = None,
) -> SchoolEnrollment:
    """Record the child's school of origin (the school at removal), or the enrolment date
    of a new school once known (`enrolment_of`)."""
    _check_child(case, child)
    if enrolled_on is not None:
        _not_future("enrolled_on", enrolled_on, "An enrolment")
    if enrolment_of is not None:
        school = lock(SchoolEnrollment, enrolment_of.pk)
        school.check_version(version)
        if school.child_id != child.pk or school.enrolled_on is not None:
            raise DomainError({"enrolled_on": "This enrolment date is already recorded."})
        if enrolled_on is None or (school.placement and enrolled_on < school.placement.starts_on):
            raise DomainError({"enrolled_on": "Give the enrolment date, on or after the move."})
        school.enrolled_on = enrolled_on
        school.bump_version()
        validated_save(school, actor=actor)
        return school
    if not school_name.strip():
        raise DomainError({"school_name": "Name the school."})
    if SchoolEnrollment.objects.filter(child=child, is_origin=True).exists():
        raise DomainError({"school_name": "The child's school of origin is already recorded."})
    school = SchoolEnrollment(
        child=child,
        school_name=school_name,
        district=district,
        enrolled_on=enrolled_on,
        is_origin=True,
    )
    validated_save(school, actor=actor)
    return school


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
    _check_child(case, child)
    _not_future("made_on", made_on, "A plan")
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
        _save_part(VisitArrangement(plan=plan, **data), f"arrangements.{i}", actor)
    for i, data in enumerate(participants):
        _save_part(PlanParticipant(plan=plan, **data), f"participants.{i}", actor)
    events.visitation_plan_created(plan, actor=actor)
    return plan


def _save_part(instance, prefix: str, actor) -> None:
    try:
        validated_save(instance, actor=actor, exclude=["plan"])
    except DomainError as exc:
        raise DomainError({f"{prefix}.{k}": v for k, v in exc.errors.items()}) from None


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
    _not_future("signed_on", signed_on, "A signature")
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
    _check_child(case, child)
    if status != FamilyVisit.Status.CANCELLED:
        _not_future("visit_on", visit_on, "A visit held or missed")
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
        _save_part(review, f"reviews.{i}", actor)


@transaction.atomic
def placement_conference_record(
    *, actor, case: Case, held_on: date, participants: str, decisions: str, reviews: list[dict]
) -> CaseMeeting:
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    _not_future("held_on", held_on, "A conference")
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
