"""Obligations of the teaming area: family team meetings falling due (C5) and the
contact with an American Indian child's tribe (C7). The rules (when a meeting or a
contact falls due, who is an American Indian child) are in hearth.policy.teaming; this
module reads the case's facts and writes them as Obligation rows.

C5: one row per meeting owed (hearth.policy.teaming.meeting_schedule): the first within
`team_meeting_first_days` of the case's opening or a child's removal, then one within
`team_meeting_interval_days` after each meeting held; while none is held, the one
overdue meeting stays overdue and no further one falls due. Met by a family team
meeting (evidence_type "team_meeting", the cases.CaseMeeting id).

C7: one row per American Indian child and tribe (or one per child whose tribe is not yet
named): due `tribe_contact_days` after the case's first assignment to a worker (or its
opening, or the child's joining, when later); met by the first TribeContact with that
tribe for that child (evidence_type "tribe_contact"). Nothing is owed before the case
has had a worker; the first assignment announces itself through CaseStaffed, which
`first_assignment` turns into a CaseChanged.

Horizons: every meeting owed starts on a day that has passed (an opening, a removal, a
meeting: none is dated ahead), so its due date is at most `max(first, interval)` days
ahead; a tribe's clock starts on a past day too, so its due date is at most
`tribe_contact_days` ahead. Reaching back: a late meeting or contact meets what fell due
in an earlier month (hearth.policy.teaming.schedule_reaches_back).
"""

from datetime import date, timedelta

from hearth.cases.events import CaseChanged, CaseStaffed
from hearth.cases.models import Assignment, Case, CaseMeeting, CaseMember
from hearth.core.events import emit, subscribe
from hearth.obligations.models import Obligation
from hearth.obligations.registry import Source
from hearth.placements.models import RemovalEpisode
from hearth.planning.models import TribeContact
from hearth.policy import teaming as rules

CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)

# --- C5: family team meetings ----------------------------------------------------------


def meeting_schedule(case: Case) -> list[rules.MeetingDue]:
    """C5: the meetings the case owes, from its facts (two queries); none for an
    investigation."""
    if case.case_type == Case.Type.INVESTIGATION:
        return []
    policy = case.agency.policy
    return rules.meeting_schedule(
        opened_on=case.opened_on,
        removals=RemovalEpisode.objects.filter(case=case).values_list("removed_on", flat=True),
        meetings=CaseMeeting.objects.filter(
            case=case, kind=CaseMeeting.Kind.FAMILY_TEAM_MEETING
        ).values_list("held_on", "id"),
        closed_on=case.closed_on,
        first_days=policy.team_meeting_first_days,
        interval_days=policy.team_meeting_interval_days,
    )


def _meeting_text(d: rules.MeetingDue) -> str:
    if d.after_removal:
        return "Family team meeting after a child's removal (C5)"
    if d.first:
        return "First family team meeting (C5)"
    return "Family team meeting: the next one after the last (C5)"


def meeting_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """C5: the family team meetings falling due in `months`. An investigation owes none:
    family team meetings belong to case planning, which follows it (a change of the
    case's type recomputes from its opening)."""
    wanted = set(months)
    return [
        Obligation(
            source=Obligation.Source.PLANNING,
            rule="C5",
            person_id=None,
            need="family_team_meeting",
            description=_meeting_text(d),
            month=d.due_on.replace(day=1),
            starts_on=d.starts_on,
            due_on=d.due_on,
            evidence_type="team_meeting" if d.meeting_id else "",
            evidence_id=d.meeting_id,
            met_on=d.met_on,
        )
        for d in meeting_schedule(case)
        if d.due_on.replace(day=1) in wanted
    ]


def meeting_horizon(case: Case, *, now: date) -> date:
    """C5: a meeting owed starts on a past day; it falls due at most this far ahead."""
    policy = case.agency.policy
    return now + timedelta(
        days=max(policy.team_meeting_first_days, policy.team_meeting_interval_days)
    )


def meeting_reaches_back(case: Case, on: date) -> date:
    """C5: a meeting held (a removal, a closing) on `on` changes the meeting owed around
    that day, which may have fallen due in an earlier month."""
    return rules.schedule_reaches_back(meeting_schedule(case), on)


# --- C7: the tribe ---------------------------------------------------------------------


def _tribe_dues(case: Case) -> list[dict]:
    """C7: each American Indian child's tribes (one row with tribe None for a child with
    none named yet), the contact's due date and the contact that meets it. Two queries
    for a case without an American Indian child, four with one."""
    joined: dict[int, date] = {}
    children = {}
    for m in (
        CaseMember.objects.filter(case=case, role__in=CHILD_ROLES)
        .select_related("person")
        .prefetch_related("person__tribes")
        .order_by("starts_on", "id")
    ):
        joined.setdefault(m.person_id, m.starts_on)
        children[m.person_id] = m.person
    tribes_of = {pid: list(child.tribes.all()) for pid, child in children.items()}
    children = {
        pid: child
        for pid, child in children.items()
        if rules.american_indian_child(
            icwa_applies=child.icwa_applies,
            membership=child.icwa_membership,
            has_tribe=bool(tribes_of[pid]),
        )
    }
    if not children:
        return []
    first_assigned = (
        Assignment.objects.filter(case=case, kind=Assignment.Kind.PRIMARY)
        .order_by("starts_on", "id")
        .values_list("starts_on", flat=True)
        .first()
    )
    if first_assigned is None:
        return []
    contacts = list(
        TribeContact.objects.filter(case=case)
        .order_by("contacted_on", "id")
        .select_related("tribe")
        .only("id", "child_id", "tribe_id", "contacted_on")
    )
    days = case.agency.policy.tribe_contact_days
    out = []
    for pid, child in children.items():
        tribes = tribes_of[pid]
        anchor = rules.tribe_contact_anchor(
            opened_on=case.opened_on, first_assigned_on=first_assigned, joined_on=joined[pid]
        )
        due = rules.tribe_contact_due(anchor, days=days)
        for tribe in tribes or [None]:
            contact = next(
                (
                    c
                    for c in contacts
                    if c.child_id == pid and (tribe is None or c.tribe_id == tribe.pk)
                ),
                None,
            )
            if contact is None and case.closed_on is not None and due > case.closed_on:
                continue  # the case closed before the contact fell due
            out.append(
                {"child": child, "tribe": tribe, "anchor": anchor, "due": due, "contact": contact}
            )
    return out


def tribe_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """C7: each American Indian child's tribe contacted within tribe_contact_days."""
    wanted = set(months)
    out = []
    for d in _tribe_dues(case):
        if d["due"].replace(day=1) not in wanted:
            continue
        contact, child, tribe = d["contact"], d["child"], d["tribe"]
        what = f"the {tribe.name}" if tribe else "the child's tribe (identify it)"
        out.append(
            Obligation(
                source=Obligation.Source.PLANNING,
                rule="C7",
                person_id=child.pk,
                need="tribe_contact",
                # Names no one: the digest and the calendar feed carry descriptions.
                description=f"Contact {what} about the child (C7)"[:300],
                month=d["due"].replace(day=1),
                starts_on=min(case.opened_on, d["anchor"]),
                due_on=d["due"],
                evidence_type="tribe_contact" if contact else "",
                evidence_id=contact.pk if contact else None,
                met_on=contact.contacted_on if contact else None,
            )
        )
    return out


def tribe_horizon(case: Case, *, now: date) -> date:
    """C7: the tribe's clock starts on a past day; its contact falls due at most this far
    ahead."""
    return now + timedelta(days=case.agency.policy.tribe_contact_days)


def tribe_reaches_back(case: Case, on: date) -> date:
    """C7: a contact made on `on` meets a contact that fell due before it."""
    dues = [
        d["due"]
        for d in _tribe_dues(case)
        if d["contact"] is None or d["contact"].contacted_on >= on
    ]
    return min([on, *dues])


def first_assignment(event: CaseStaffed) -> None:
    """C7: the tribe's clock starts at the case's first assignment, which CaseStaffed
    announces without a date; for a case with an American Indian child, recompute from
    the assignment's day."""
    if event.kind != "assigned":
        return
    starts = list(
        Assignment.objects.filter(case=event.case, kind=Assignment.Kind.PRIMARY).values_list(
            "starts_on", flat=True
        )[:2]
    )
    if len(starts) == 1 and _tribe_dues(event.case):
        emit(CaseChanged(event.case, starts[0], "first_assignment"))


def connect() -> None:
    subscribe(CaseStaffed, first_assignment)


SOURCES: list = [
    Source(
        "planning.c5",
        meeting_obligations,
        horizon=meeting_horizon,
        reaches_back=meeting_reaches_back,
    ),
    Source(
        "planning.c7",
        tribe_obligations,
        horizon=tribe_horizon,
        reaches_back=tribe_reaches_back,
    ),
]
