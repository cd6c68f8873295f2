"""The visitation app's source of obligations: the first family contact after a child's
placement (P5), met by a family visit; registered in VisitationConfig.ready()."""

from datetime import date

from hearth.cases.models import Case
from hearth.obligations.models import Obligation
from hearth.obligations.registry import Source
from hearth.placements.models import Placement
from hearth.policy import placement as placement_rules
from hearth.visitation.models import FamilyVisit


def _first_placements(case: Case) -> dict[int, tuple[Placement, date]]:
    """Each removal's first placement and its first family contact's due date (P5)."""
    within = case.agency.policy.first_family_contact_days
    firsts: dict[int, Placement] = {}
    for p in Placement.objects.filter(episode__case=case).order_by("starts_on", "id"):
        firsts.setdefault(p.episode_id, p)
    return {
        ep: (p, placement_rules.first_contact_due(p.starts_on, within_days=within))
        for ep, p in firsts.items()
    }


def placement_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """P5: the first family contact after a child's placement, due within
    `first_family_contact_days`, met by the first family visit held after it."""
    firsts = [
        (p, due) for p, due in _first_placements(case).values() if due.replace(day=1) in months
    ]
    held = list(  # one query for every child's held visits, earliest first
        FamilyVisit.objects.filter(
            child__in={p.child_id for p, _ in firsts}, status=FamilyVisit.Status.HELD
        )
        .order_by("visit_on", "id")
        .only("id", "child_id", "visit_on")
    )
    out = []
    for p, due in firsts:
        visit = next(
            (v for v in held if v.child_id == p.child_id and v.visit_on >= p.starts_on), None
        )
        out.append(
            Obligation(
                source=Obligation.Source.PLACEMENTS,
                rule="P5",
                person_id=p.child_id,
                need="first_family_contact",
                description="First contact with parents and siblings after placement (P5)",
                month=due.replace(day=1),
                starts_on=p.starts_on,
                due_on=due,
                evidence_type="family_visit" if visit else "",
                evidence_id=visit.pk if visit else None,
                met_on=visit.visit_on if visit else None,
            )
        )
    return out


def first_contact_horizon(case: Case, *, now: date) -> date:
    """P5: a child placed today (placements are never dated ahead) owes the first family
    contact by this day, which may fall next month."""
    within = case.agency.policy.first_family_contact_days
    return placement_rules.first_contact_due(now, within_days=within)


def first_contact_reaches_back(case: Case, on: date) -> date:
    """P5: a visit held on `on` meets the first contact of a placement begun before it,
    even one that fell due in an earlier month."""
    dues = [due for p, due in _first_placements(case).values() if p.starts_on <= on]
    return min([on, *dues])


SOURCE = Source(
    Obligation.Source.PLACEMENTS,
    placement_obligations,
    horizon=first_contact_horizon,
    reaches_back=first_contact_reaches_back,
)
