"""Reads of case plans and safety plans (C1, C2, C4, C5, C9, P9). Set-based: the plan page
reads a fixed number of queries whatever the number of goals, objectives, steps, needs and
signatures (tests/planning/plans/test_pages.py counts them on a small and a large plan).

Callers pass a case or a plan they have reached through hearth.cases.access."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Prefetch, Q, Subquery

from hearth.cases.models import Assignment, Case, CaseMeeting, CaseMember
from hearth.people.models import Relationship
from hearth.planning.models import (
    ActionStep,
    CasePlan,
    Goal,
    MeetingParticipant,
    NeedResponse,
    Objective,
    ParentingTimePlan,
    PlanSignature,
    SafetyMeasure,
    SafetyPlan,
    StepProgress,
)
from hearth.planning.selectors.assessments import actionable_needs, needs_without_service
from hearth.policy import case_plans as rules

# --- The case's people ----------------------------------------------------------------------


def _current(qs, on: date):
    return qs.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def case_parents(case: Case, on: date) -> list:
    """C2: the parents of the case on `on`, the non-custodial one (not in the household)
    included: its current members in the parent role, less those whose parental rights to
    the case's children are all terminated or relinquished (no parenting time is planned
    for them). Two queries."""
    members = list(
        _current(CaseMember.objects.filter(case=case, role=CaseMember.Role.PARENT), on)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    ids = [m.person_id for m in members]
    ended: dict[int, set[str]] = {}
    for person_id, rights in Relationship.objects.filter(
        person_id__in=ids,
        kind=Relationship.Kind.PARENT,
        other__memberships__case=case,
        other__memberships__role__in=[CaseMember.Role.CHILD, CaseMember.Role.SIBLING],
    ).values_list("person_id", "parental_rights"):
        ended.setdefault(person_id, set()).add(rights)
    out = []
    for m in members:
        rights = ended.get(m.person_id)
        if rights and rights <= {"terminated", "relinquished"}:
            continue
        if m.person not in out:
            out.append(m.person)
    return out


def case_youth(case: Case, on: date, *, youth_signs_age: int) -> list:
    """C2: the children of the case of at least `youth_signs_age` on `on`: they sign."""
    members = _current(
        CaseMember.objects.filter(case=case, role=CaseMember.Role.CHILD), on
    ).select_related("person")
    return [
        m.person
        for m in members.order_by("person__date_of_birth", "id")
        if rules.youth_signs(m.person.date_of_birth, on, youth_signs_age=youth_signs_age)
    ]


def primary_worker(case: Case):
    a = (
        Assignment.objects.filter(case=case, ends_on__isnull=True, kind=Assignment.Kind.PRIMARY)
        .select_related("worker")
        .first()
    )
    return a.worker if a else None


def actionable_ids(case: Case) -> set[int]:
    """C9: the ids of the case's actionable needs (ratings of 2 or 3, latest assessments)."""
    return set(actionable_needs(case).values_list("pk", flat=True))


def family_team_meetings(case: Case) -> list[CaseMeeting]:
    """C5: the case's family team meetings with their planning record, newest first (the
    adopt form's choices)."""
    return list(
        CaseMeeting.objects.filter(
            case=case, kind=CaseMeeting.Kind.FAMILY_TEAM_MEETING, team__isnull=False
        ).order_by("-held_on", "-id")
    )


def family_attended(meeting: CaseMeeting) -> bool:
    """C5: a parent or the youth attended (the plan is made with the family)."""
    return MeetingParticipant.objects.filter(
        meeting_id=meeting.pk,
        attended=True,
        role__in=[MeetingParticipant.Role.PARENT, MeetingParticipant.Role.YOUTH],
    ).exists()


# --- Plans ------------------------------------------------------------------------------------


def case_plan_versions(case: Case) -> list[CasePlan]:
    """Every version of the case's plan, newest first, with its meeting."""
    return list(
        CasePlan.objects.filter(case=case)
        .select_related("meeting", "approved_by")
        .order_by("-number")
    )


def case_safety_plans(case: Case) -> list[SafetyPlan]:
    return list(
        SafetyPlan.objects.filter(case=case)
        .prefetch_related(Prefetch("measures", queryset=SafetyMeasure.objects.order_by("order")))
        .order_by("-made_on", "-id")
    )


def plan_tree(plan: CasePlan) -> list[Goal]:
    """The version's goals with their objectives and steps (three queries), each step with
    its latest progress status and date (`latest_status`, `latest_on`)."""
    latest = StepProgress.objects.filter(step=OuterRef("pk")).order_by("-recorded_on", "-id")
    steps = ActionStep.objects.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_on=Subquery(latest.values("recorded_on")[:1]),
    ).order_by("order", "id")
    return list(
        Goal.objects.filter(plan=plan)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("order", "id").prefetch_related(
                    Prefetch("steps", queryset=steps)
                ),
            )
        )
        .order_by("order", "id")
    )


def content_of(goals: list[Goal]) -> list[rules.GoalIn]:
    """The version's content as the policy reads it."""
    return [
        rules.GoalIn(
            g.area,
            g.statement,
            tuple(
                rules.ObjectiveIn(
                    o.statement,
                    o.target_on,
                    tuple(
                        rules.StepIn(s.who, s.who_name, s.what, s.due_on, s.outcome)
                        for s in o.steps.all()
                    ),
                )
                for o in g.objectives.all()
            ),
        )
        for g in goals
    ]


@dataclass
class StepRow:
    step: ActionStep
    state: str
    is_next: bool


@dataclass
class PlanView:
    """What the plan page and the PDF show of one version."""

    plan: CasePlan
    goals: list[Goal]
    steps: list[StepRow]
    done: list[ActionStep]
    late: list[ActionStep]
    next: list[ActionStep]
    responses: list[NeedResponse]
    needs: list = field(default_factory=list)  # actionable needs of the case
    unanswered: list = field(default_factory=list)
    without_service: list = field(default_factory=list)
    parenting_time: list[ParentingTimePlan] = field(default_factory=list)
    parents_without_time: list = field(default_factory=list)
    signatures: list[PlanSignature] = field(default_factory=list)
    warnings: dict[str, str] = field(default_factory=dict)


def plan_view(plan: CasePlan, *, today: date) -> PlanView:
    """P9, C9, C2: the version with each step done, late or next; the case's actionable
    needs and how this version answers each, those not yet answered (trauma needs named
    by their item's `trauma`), those without a service; parenting time of every parent;
    the signatures. A fixed number of queries."""
    goals = plan_tree(plan)
    rows: list[StepRow] = []
    for g in goals:
        for o in g.objectives.all():
            for s in o.steps.all():
                rows.append(StepRow(s, rules.step_state(s.due_on, s.latest_status, today), False))
    upcoming = set(rules.next_steps([(r.step.pk, r.step.due_on, r.state) for r in rows]))
    for r in rows:
        r.is_next = r.step.pk in upcoming
    responses = list(
        NeedResponse.objects.filter(plan=plan)
        .select_related(
            "rating__item__domain",
            "rating__assessment__instrument",
            "rating__assessment__subject",
            "goal",
            "objective",
        )
        .order_by("id")
    )
    needs = list(actionable_needs(plan.case))
    answered = {r.rating_id for r in responses}
    without = list(needs_without_service(plan.case))
    parenting = list(
        ParentingTimePlan.objects.filter(plan=plan)
        .select_related("parent", "visitation_plan")
        .order_by("id")
    )
    with_time = {p.parent_id for p in parenting}
    parents = case_parents(plan.case, plan.adopted_on or today)
    return PlanView(
        plan=plan,
        goals=goals,
        steps=rows,
        done=[r.step for r in rows if r.state == rules.DONE],
        late=[r.step for r in rows if r.state == rules.LATE],
        next=[r.step for r in rows if r.is_next],
        responses=responses,
        needs=needs,
        unanswered=[n for n in needs if n.pk not in answered],
        without_service=without,
        parenting_time=parenting,
        parents_without_time=[p for p in parents if p.pk not in with_time],
        signatures=list(
            PlanSignature.objects.filter(plan=plan).select_related("person", "staff").order_by("id")
        ),
        warnings=rules.content_warnings(content_of(goals)),
    )


def current_plan(case: Case) -> CasePlan | None:
    """The version in effect: the approved one, else the latest adopted."""
    return (
        CasePlan.objects.filter(case=case, status__in=[CasePlan.Status.APPROVED])
        .order_by("-number")
        .first()
        or CasePlan.objects.filter(case=case, status=CasePlan.Status.ADOPTED)
        .order_by("-number")
        .first()
    )
