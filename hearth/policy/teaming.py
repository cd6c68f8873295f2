"""Family team meetings falling due (C5) and the tribe of an American Indian child (C7),
as pure functions: plain dates in, due dates out. No Django.

C5, the meetings' schedule (`meeting_schedule`). One chain of meetings per case:

- The first meeting falls due `first_days` after the case's start: its opening, or the
  removal of a child when that came first (a removal recorded before the opening).
- A removal of a child later in the case asks for a meeting within `first_days` of the
  removal: it brings the meeting then owed forward (to the removal's day plus
  `first_days`) when that is sooner than its due date; it never pushes it back.
- The meeting owed is met by the first family team meeting held in its window: from its
  start (the opening or removal day included), or, for a meeting owed after an earlier
  meeting, from the day after that meeting (two meetings on one day are one meeting's
  worth). A meeting held after the due date still meets it, late.
- The next meeting falls due `interval_days` after the meeting held. While none is held,
  no further one falls due: the chain waits on the one overdue meeting (one overdue item
  on the due list, not one more per interval: the list is there to help, not to punish),
  and the meeting that is finally held starts the next interval.
- When the case closes, nothing more falls due: a meeting owed but not yet due on the
  closing day is dropped; one already overdue stays overdue.

C7, the tribe (`american_indian_child`, `tribe_contact_due`): a child is treated as an
American Indian child when ICWA is not determined not to apply and there is any sign of
it: ICWA applies or there is reason to know, the child is a member or eligible, or a
tribe is named for the child ("unknown until asked": the worker who has a tribe's name
contacts it). The worker contacts each of the child's tribes within `days` of the case's
first assignment to a worker, or of the case's opening when later (the child's joining
the case, when that is later still).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class MeetingDue:
    """One family team meeting owed (C5): from `starts_on` to `due_on`; met by the
    meeting `meeting_id` held on `met_on` (None while unmet)."""

    starts_on: date
    due_on: date
    first: bool  # the case's first meeting
    after_removal: bool  # a child's removal set its due date
    meeting_id: int | None = None
    met_on: date | None = None


def meeting_schedule(
    *,
    opened_on: date,
    removals: Iterable[date],
    meetings: Iterable[tuple[date, int]],
    closed_on: date | None,
    first_days: int,
    interval_days: int,
) -> list[MeetingDue]:
    """C5: the family team meetings a case owes, in order (see the module's docstring).
    `meetings`: (held_on, id) of the case's family team meetings."""
    removals = sorted(set(removals))
    meetings = sorted(meetings)
    start = min([opened_on, *removals])
    cur = {
        "starts_on": start,
        "due_on": start + timedelta(days=first_days),
        "first": True,
        "after_removal": start in removals,
        "from_meeting": False,
    }
    out: list[MeetingDue] = []
    pending = [r for r in removals if r > start]

    def tighten(until: date) -> None:
        while pending and pending[0] <= until:
            r = pending.pop(0)
            if r < cur["starts_on"]:
                continue
            due = r + timedelta(days=first_days)
            if due < cur["due_on"]:
                cur["due_on"] = due
                cur["after_removal"] = True

    def done(meeting_id=None, met_on=None) -> MeetingDue:
        return MeetingDue(
            cur["starts_on"],
            cur["due_on"],
            cur["first"],
            cur["after_removal"],
            meeting_id,
            met_on,
        )

    for held_on, meeting_id in meetings:
        if closed_on is not None and held_on > closed_on:
            break
        tighten(held_on)
        if held_on < cur["starts_on"] or (cur["from_meeting"] and held_on == cur["starts_on"]):
            continue
        out.append(done(meeting_id, held_on))
        cur.update(
            starts_on=held_on,
            due_on=held_on + timedelta(days=interval_days),
            first=False,
            after_removal=False,
            from_meeting=True,
        )
    tighten(closed_on or date.max)
    if closed_on is None or cur["due_on"] <= closed_on:
        out.append(done())
    return out


def schedule_reaches_back(schedule: list[MeetingDue], on: date) -> date:
    """C5: the earliest day whose month a change effective `on` can alter: a meeting held
    (or a removal, or a closing) on `on` changes the meeting owed around that day, which
    may have fallen due earlier, and every one after it."""
    dues = [
        d.due_on for d in schedule if d.starts_on <= on and (d.met_on is None or d.met_on >= on)
    ]
    return min([on, *dues])


POSITIVE_APPLIES = frozenset({"yes", "reason_to_know"})
POSITIVE_MEMBERSHIP = frozenset({"member", "eligible"})


def american_indian_child(*, icwa_applies: str, membership: str, has_tribe: bool) -> bool:
    """C7: any sign of an American Indian child, unless ICWA is determined not to apply."""
    if icwa_applies == "no":
        return False
    return icwa_applies in POSITIVE_APPLIES or membership in POSITIVE_MEMBERSHIP or has_tribe


def tribe_contact_anchor(
    *, opened_on: date, first_assigned_on: date | None, joined_on: date
) -> date | None:
    """C7: the day the tribe's clock starts: the later of the case's first assignment to
    a worker and its opening (and the child's joining the case); None while the case has
    had no worker (nothing is owed before assignment)."""
    if first_assigned_on is None:
        return None
    return max(opened_on, first_assigned_on, joined_on)


def tribe_contact_due(anchor: date, *, days: int) -> date:
    """C7: the tribe is contacted within `days` (tribe_contact_days) of the anchor."""
    return anchor + timedelta(days=days)
