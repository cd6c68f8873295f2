"""Obligations of the assessments area: C3, assessments are repeated when the situation
changes. A change in the family's situation prompts a reassessment, due within the
agency's `reassessment_days`:

- a child is placed or moves (a placement starts, on or after the case opened);
- a new member joins the household (a parent, caregiver or other household member who
  becomes a member of the case after it opened, living in the home);
- a child returns home (a removal ends in reunification).

It is met by the first assessment of the case dated on or after the change, however
late. A reassessment not yet met when the case closes before it falls due is owed no more.

The events that announce these facts (child_placed, member_added, member_updated,
member_ended, episode_exited, case_status_changed, assessment_recorded in
hearth.cases.events) each carry the day the change takes effect; an assessment reaches
back to the reassessments it can meet (`reaches_back`).
"""

from dataclasses import dataclass
from datetime import date

from hearth.cases.models import Case, CaseMember
from hearth.obligations.models import Obligation
from hearth.obligations.registry import Source
from hearth.placements.models import Placement, RemovalEpisode
from hearth.planning.models import Assessment
from hearth.policy import assessments as rules

NEED = "reassessment"
DESCRIPTIONS = {
    "placement": "Reassessment after the child was placed or moved (C3)",
    "new_member": "Reassessment after a new member joined the household (C3)",
    "return_home": "Reassessment after the child returned home (C3)",
}


@dataclass(frozen=True)
class Change:
    """A change in the family's situation: who it concerns, when, what kind, and the day
    the reassessment it prompts falls due."""

    person_id: int
    on: date
    kind: str
    due: date


def situation_changes(case: Case) -> list[Change]:
    """C3: the case's changes of situation, earliest first, one per person and day
    (three queries)."""
    opened = case.opened_on
    found: list[tuple[int, date, str]] = [
        (child, starts, "placement")
        for child, starts in Placement.objects.filter(
            episode__case=case, starts_on__gte=opened
        ).values_list("child_id", "starts_on")
    ]
    found += [
        (person, starts, "new_member")
        for person, role, home, starts in CaseMember.objects.filter(
            case=case, starts_on__gt=opened
        ).values_list("person_id", "role", "in_household", "starts_on")
        if rules.joins_household(role, home, starts, opened)
    ]
    found += [
        (child, exited, "return_home")
        for child, exited, why in RemovalEpisode.objects.filter(
            case=case, exited_on__isnull=False, exited_on__gte=opened
        ).values_list("child_id", "exited_on", "exit_reason")
        if rules.is_return_home(why)
    ]
    within = case.agency.policy.reassessment_days
    changes: dict[tuple[int, date], Change] = {}
    for person, on, kind in sorted(found, key=lambda f: (f[1], f[0], f[2])):
        changes.setdefault(
            (person, on),
            Change(person, on, kind, rules.reassessment_due(on, within_days=within)),
        )
    return list(changes.values())


def reassessment_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """C3: the reassessments that fall due in `months`, each met by the case's first
    assessment dated on or after its change."""
    due = [c for c in situation_changes(case) if c.due.replace(day=1) in months]
    if not due:
        return []
    assessments = list(
        Assessment.objects.filter(case=case, assessed_on__gte=min(c.on for c in due))
        .order_by("assessed_on", "id")
        .values_list("pk", "assessed_on")
    )
    out = []
    for c in due:
        met = next(((pk, on) for pk, on in assessments if on >= c.on), None)
        if met is None and case.closed_on is not None and c.due > case.closed_on:
            continue  # the case closed before it fell due
        out.append(
            Obligation(
                source=Obligation.Source.PLANNING,
                rule="C3",
                person_id=c.person_id,
                need=NEED,
                description=DESCRIPTIONS[c.kind],
                month=c.due.replace(day=1),
                starts_on=c.on,
                due_on=c.due,
                evidence_type="assessment" if met else "",
                evidence_id=met[0] if met else None,
                met_on=met[1] if met else None,
            )
        )
    return out


def reassessment_horizon(case: Case, *, now: date) -> date:
    """C3: a change today (none is dated ahead) prompts a reassessment due this far."""
    return rules.reassessment_due(now, within_days=case.agency.policy.reassessment_days)


def reassessment_reaches_back(case: Case, on: date) -> date:
    """C3: an assessment dated `on` meets the reassessments of changes made on or before
    it, even those that fell due in an earlier month."""
    return min([on, *(c.due for c in situation_changes(case) if c.on <= on)])


SOURCE = Source(
    "planning.reassessment",
    reassessment_obligations,
    horizon=reassessment_horizon,
    reaches_back=reassessment_reaches_back,
)

SOURCES: list = [SOURCE]
