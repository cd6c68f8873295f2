"""Keeping the obligations of a case up to date: each source turns the case's facts into
obligations for a month; a refresh replaces the case's rows for those months in one
transaction. Called by every service that changes what a case owes (a note finalized,
a removal, a placement, a goal, a visit, a member, an assignment), and by the
`refresh_obligations` command for a whole month (a scheduled job at each month's start).
"""

from datetime import date, timedelta

from django.db import transaction

from hearth.cases.models import Assignment, Case
from hearth.contacts.selectors import case_facts, final_contacts
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.placements.models import Placement
from hearth.policy import contacts as contact_rules
from hearth.policy import placement as placement_rules
from hearth.visitation.models import FamilyVisit


def _first(day: date) -> date:
    return day.replace(day=1)


def _months(days) -> list[date]:
    """Every month from the earliest to the latest of `days`: a backdated change
    touches the months in between too."""
    first, last = _first(min(days)), _first(max(days))
    out = []
    while first <= last:
        out.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return out


def contact_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """Source 1: the contact requirements (V1 to V12) and their compliance (V13)."""
    settings = case.agency.policy
    facts = case_facts(case)
    reqs = [
        r
        for m in months
        for r in contact_rules.requirements(
            facts,
            m,
            min_days=settings.contact_partial_month_days,
            exception_months=settings.exception_contact_months,
        )
    ]
    if not reqs:
        return []
    contacts = final_contacts(case, min(r.start for r in reqs), max(r.end for r in reqs))
    out = []
    for r in reqs:
        o = contact_rules.evaluate(r, contacts, today=now)
        out.append(
            Obligation(
                source=Obligation.Source.CONTACTS,
                rule=r.rule,
                person_id=r.person_id,
                need=r.need,
                description=r.text[:1].upper() + r.text[1:],
                month=_first(r.end),
                starts_on=r.start,
                due_on=r.end,
                evidence_type="contact_note" if o.evidence else "",
                evidence_id=o.evidence,
                met_on=next((c.on for c in contacts if c.note_id == o.evidence), None),
                reason=o.reason[:300],
            )
        )
    return out


def placement_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """Source 2: the first family contact after a child's placement (P5), due within
    `first_family_contact_days`, met by the first family visit held after it."""
    settings = case.agency.policy
    firsts = {}
    for p in Placement.objects.filter(episode__case=case).order_by("starts_on", "id"):
        firsts.setdefault(p.episode_id, p)
    due_on = {
        ep: placement_rules.first_contact_due(
            p.starts_on, within_days=settings.first_family_contact_days
        )
        for ep, p in firsts.items()
    }
    firsts = {ep: p for ep, p in firsts.items() if _first(due_on[ep]) in months}
    held = list(  # one query for every child's held visits, earliest first
        FamilyVisit.objects.filter(
            child__in={p.child_id for p in firsts.values()}, status=FamilyVisit.Status.HELD
        )
        .order_by("visit_on", "id")
        .only("id", "child_id", "visit_on")
    )
    out = []
    for ep, p in firsts.items():
        due = due_on[ep]
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
                month=_first(due),
                starts_on=p.starts_on,
                due_on=due,
                evidence_type="family_visit" if visit else "",
                evidence_id=visit.pk if visit else None,
                met_on=visit.visit_on if visit else None,
            )
        )
    return out


SOURCES = [contact_obligations, placement_obligations]


@transaction.atomic
def refresh_case(case: Case, *, months=None, now: date | None = None) -> int:
    """Replace the case's obligations for `months` (days in them; default: this month
    and the last) with what the sources say now. Returns how many there are."""
    now = now or today()
    months = _months(months or [now, _first(now) - timedelta(days=1)])
    worker = (
        Assignment.objects.filter(case=case, ends_on__isnull=True, kind="primary")
        .values_list("worker_id", flat=True)
        .first()
    )
    rows = [o for source in SOURCES for o in source(case, months, now=now)]
    for o in rows:
        o.case = case
        o.agency_id = case.agency_id
        o.unit_id = case.unit_id
        o.responsible_id = worker
    Obligation.objects.filter(case=case, month__in=months).delete()
    Obligation.objects.bulk_create(rows)
    return len(rows)
