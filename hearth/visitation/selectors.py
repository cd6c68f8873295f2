"""Reads of visitation data that pages share: a child's plans and visits, and how closely
the visits held follow the plan in effect (P5)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count

from hearth.core.services import today
from hearth.people.models import Person
from hearth.placements.models import Placement, RemovalEpisode
from hearth.policy import placement as rules
from hearth.visitation.models import FamilyVisit, VisitationPlan


@dataclass
class ChildVisitation:
    plans: list
    plan: VisitationPlan | None
    visits: list
    adherence: int | None


def child_visitation(*, case, child: Person) -> ChildVisitation:
    """The child's visitation plans, the one in effect, the recent family visits and their
    adherence to it, for a case the viewer may see."""
    now = today()
    plans = list(
        VisitationPlan.objects.filter(case=case, child=child).prefetch_related(
            "participants", "arrangements"
        )
    )
    plan = next((p for p in plans if p.status == VisitationPlan.Status.IN_EFFECT), None)
    visits = list(
        FamilyVisit.objects.filter(case=case, child=child)
        .prefetch_related("visitors")
        .order_by("-visit_on", "-id")[:20]
    )
    return ChildVisitation(
        plans=plans,
        plan=plan,
        visits=visits,
        adherence=_adherence(plan, now, case.agency.policy.visit_adherence_days),
    )


def expected_per_week(plan: VisitationPlan) -> float:
    return rules.planned_visits_per_week(
        [rules.Arrangement(a.visitor_role, a.frequency) for a in plan.arrangements.all()]
    )


def _adherence(plan: VisitationPlan | None, now: date, window: int) -> int | None:
    if plan is None:
        return None
    since = window_start(now, window)
    held = FamilyVisit.objects.filter(
        plan=plan, status=FamilyVisit.Status.HELD, visit_on__gte=since, visit_on__lte=now
    ).count()
    return plan_adherence(plan, held, since=since, now=now)


def window_start(now: date, window: int) -> date:
    """The first day of the `window` days that end today."""
    return now - timedelta(days=window - 1)


def plan_adherence(plan: VisitationPlan, held: int, *, since: date, now: date) -> int | None:
    """P5: visits held under the plan (they count from the day it took effect) against
    the visits it expects over the days of the window it has been in effect."""
    start = max(plan.in_effect_on, since)
    return rules.visit_adherence(
        expected_per_week=expected_per_week(plan), days=(now - start).days + 1, held=held
    )


def children_in_care(cases, *, window_days: int, now: date | None = None) -> list[dict]:
    """P5 for a caseload: each child in out-of-home care in `cases`, with their placement,
    the plan in effect and the family visits held against it over the window. A fixed
    number of queries, whatever the caseload's size."""
    now = now or today()
    episodes = list(
        RemovalEpisode.objects.filter(case__in=cases, exited_on__isnull=True)
        .select_related("child", "case")
        .order_by("case__case_number", "child__last_name", "child__first_name")
    )
    ids = [e.child_id for e in episodes]
    placements = {
        p.child_id: p
        for p in Placement.objects.filter(child__in=ids, ends_on__isnull=True).select_related(
            "home", "caregiver"
        )
    }
    plans = {
        p.child_id: p
        for p in VisitationPlan.objects.filter(
            child__in=ids, status=VisitationPlan.Status.IN_EFFECT
        ).prefetch_related("arrangements")
    }
    since = window_start(now, window_days)
    held = dict(
        FamilyVisit.objects.filter(
            plan__in=plans.values(),
            status=FamilyVisit.Status.HELD,
            visit_on__gte=since,
            visit_on__lte=now,
        )
        .values_list("child")
        .annotate(n=Count("id"))
        .values_list("child", "n")
    )
    rows = []
    for e in episodes:
        plan = plans.get(e.child_id)
        row = {"episode": e, "child": e.child, "placement": placements.get(e.child_id)}
        row["plan"] = plan
        if plan is not None:
            row["held"] = held.get(e.child_id, 0)
            row["adherence"] = plan_adherence(plan, row["held"], since=since, now=now)
        rows.append(row)
    return rows
