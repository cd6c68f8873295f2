"""Reads of contact data: a case described for the contact rules, its finalized notes as
compliance sees them, and the notes list for pages and the API."""

from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from hearth.cases.models import Case, CaseMember
from hearth.contacts.models import (
    Collateral,
    ContactNote,
    NotSeenReason,
    ParentContactException,
    ParentContactPlan,
)
from hearth.people.models import Relationship
from hearth.placements.models import PermanencyGoal, Placement, RemovalEpisode
from hearth.policy import contacts as rules

P = rules.Period
CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)


def _period(start: date, end: date | None, *, inclusive_end: bool = True) -> rules.Period:
    """A model's dates as a Period; most models' end dates are the last day (inclusive)."""
    if end is not None and inclusive_end:
        end = end + timedelta(days=1)
    return P(start, end)


def case_facts(case: Case) -> rules.CaseFacts:
    """The case as the contact rules read it: members, care, goals, exceptions, plans.
    A fixed number of queries."""
    members = list(CaseMember.objects.filter(case=case).select_related("person"))
    child_ids = [m.person_id for m in members if m.role in CHILD_ROLES]
    parent_ids = [m.person_id for m in members if m.role == CaseMember.Role.PARENT]
    episodes: dict[int, list] = {}
    for e in RemovalEpisode.objects.filter(child__in=child_ids):
        episodes.setdefault(e.child_id, []).append(P(e.removed_on, e.exited_on))
    runaway: dict[int, list] = {}
    away: dict[int, list] = {}
    for p in Placement.objects.filter(child__in=child_ids).only(
        "child_id", "setting", "out_of_state", "starts_on", "ends_on"
    ):
        if p.setting in ("runaway", "whereabouts_unknown"):
            runaway.setdefault(p.child_id, []).append(P(p.starts_on, p.ends_on))
        if p.out_of_state:
            away.setdefault(p.child_id, []).append(P(p.starts_on, p.ends_on))
    goals: dict[int, list] = {}
    for g in PermanencyGoal.objects.filter(case=case):
        goals.setdefault(g.child_id, []).append((g.goal, P(g.starts_on, g.ends_on)))
    parent_of: dict[int, set] = {}
    terminated: set[int] = set()
    for r in Relationship.objects.filter(
        kind=Relationship.Kind.PARENT, person__in=parent_ids, other__in=child_ids
    ):
        parent_of.setdefault(r.person_id, set()).add(r.other_id)
        if r.parental_rights in ("terminated", "relinquished"):
            terminated.add(r.person_id)
    exceptions: dict[tuple, list] = {}
    for x in ParentContactException.objects.filter(case=case):
        exceptions.setdefault((x.person_id, x.kind), []).append(P(x.starts_on, x.ends_on))
    plans: dict[int, list] = {}
    for cp in ParentContactPlan.objects.filter(case=case):
        plans.setdefault(cp.person_id, []).append(
            (cp.need, cp.every_months, P(cp.starts_on, cp.ends_on))
        )
    children, parents, others = [], [], []
    for m in members:
        span = _period(m.starts_on, m.ends_on)
        if m.role in CHILD_ROLES:
            children.append(
                rules.Child(
                    m.person_id,
                    span,
                    in_household=m.in_household,
                    out_of_home=tuple(episodes.get(m.person_id, ())),
                    runaway=tuple(runaway.get(m.person_id, ())),
                    out_of_state=tuple(away.get(m.person_id, ())),
                    goals=tuple(goals.get(m.person_id, ())),
                )
            )
        elif m.role == CaseMember.Role.PARENT:
            person = m.person
            parents.append(
                rules.Parent(
                    m.person_id,
                    span,
                    in_household=m.in_household,
                    parent_of=frozenset(parent_of.get(m.person_id, ())),
                    rights_terminated=m.person_id in terminated,
                    whereabouts_known=person.whereabouts_known,
                    incarcerated=person.incarcerated,
                    exceptions=tuple(exceptions.get((m.person_id, "exception"), ())),
                    far_away=tuple(exceptions.get((m.person_id, "far_away"), ())),
                    contact_plans=tuple(plans.get(m.person_id, ())),
                )
            )
        else:  # V1 reads whether a caregiver or household member is a child in the home
            others.append(
                rules.Other(
                    m.person_id, span, in_household=m.in_household, born=m.person.date_of_birth
                )
            )
    return rules.CaseFacts(
        case.pk,
        case.case_type,
        _period(case.opened_on, case.closed_on),
        tuple(children),
        tuple(parents),
        tuple(others),
    )


def final_contacts(case: Case, since: date, until: date) -> list[rules.Contact]:
    """The case's finalized notes between two days, as compliance reads them (V10)."""
    notes = (
        ContactNote.objects.filter(
            case=case,
            status=ContactNote.Status.FINAL,
            occurred_at__date__gte=since,
            occurred_at__date__lte=until,
        )
        .prefetch_related("contact_with", Prefetch("collaterals", Collateral.objects.all()))
        .only("id", "occurred_at", "method", "location", "locate_subject_id", "narrative")
    )
    return [as_contact(n) for n in notes]


def documented_reasons(case: Case, since: date, until: date) -> list[rules.Documented]:
    """V13: the reasons documented between two days that a person is not being seen."""
    return [
        rules.Documented(r.person_id, r.on, r.reason, r.source)
        for r in NotSeenReason.objects.filter(case=case, on__gte=since, on__lte=until).order_by(
            "on", "id"
        )
    ]


def as_contact(note: ContactNote) -> rules.Contact:
    return rules.Contact(
        note_id=note.pk,
        on=timezone.localdate(note.occurred_at),
        method=note.method,
        location=note.location,
        with_ids=frozenset(p.pk for p in note.contact_with.all()),
        collaterals=frozenset(c.kind for c in note.collaterals.all()),
        locate_subject=note.locate_subject_id,
        narrative=note.narrative,
    )


def case_notes(case: Case, *, person_id: int | None = None):
    """A case's notes, newest first, with whom they were with and their amendments."""
    notes = ContactNote.objects.filter(case=case)
    if person_id is not None:
        notes = notes.filter(Q(contact_with=person_id) | Q(locate_subject=person_id)).distinct()
    return notes.select_related("author", "locate_subject").prefetch_related(
        "contact_with", "collaterals", "amendments__author"
    )
