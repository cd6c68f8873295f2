"""Who must be contacted, how and how often, in a calendar month (V1 to V12), and
whether a month's contacts meet each requirement (V9, V10, V13).

Pure functions over plain data: the database layer describes the case (its members,
their care, goals, exceptions and plans) and the finalized contact notes; these
functions answer. "Today" is an argument.

Partial months (docs/adr/0005): a requirement applies in a month when the facts that
trigger it hold on at least `partial_month_min_days` days of that month, and only a
contact made on one of those days meets it. A child placed on the 28th of a 30-day
month is first required to be seen the next month; a case that closes on the 3rd owes
no visit that month.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

# --- Plain data in ---------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From `start` (inclusive) to `end` (exclusive); an open end runs on."""

    start: date
    end: date | None = None

    def days_in(self, first: date, last: date) -> tuple[date, date] | None:
        """The part of this period inside [first, last] (inclusive), or None."""
        lo = max(self.start, first)
        hi = last if self.end is None else min(last, self.end - timedelta(days=1))
        return (lo, hi) if lo <= hi else None


@dataclass(frozen=True)
class Child:
    person_id: int
    member: Period
    in_household: bool = True
    out_of_home: tuple[Period, ...] = ()
    runaway: tuple[Period, ...] = ()
    out_of_state: tuple[Period, ...] = ()
    goals: tuple[tuple[str, Period], ...] = ()


@dataclass(frozen=True)
class Parent:
    person_id: int
    member: Period
    in_household: bool = True
    parent_of: frozenset[int] = frozenset()  # child ids; empty: every child of the case
    rights_terminated: bool = False
    whereabouts_known: bool = True
    incarcerated: bool = False
    exceptions: tuple[Period, ...] = ()  # V7, approved by a supervisor
    far_away: tuple[Period, ...] = ()  # V8, living elsewhere, approved by a supervisor
    contact_plans: tuple[tuple[str, int, Period], ...] = ()  # V6: (need, every N months, when)


@dataclass(frozen=True)
class Other:
    """A member who is neither a child of the case nor one of its parents (a caregiver,
    another household member): V1 reads whether they are a child living in the home."""

    person_id: int
    member: Period
    in_household: bool = True
    born: date | None = None


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    case_type: str
    open: Period
    children: tuple[Child, ...] = ()
    parents: tuple[Parent, ...] = ()
    others: tuple[Other, ...] = ()


# --- Requirements out -----------------------------------------------------------------

IN_PERSON = "in_person"
IN_PERSON_AT_HOME = "in_person_at_home"
CALL_OR_LETTER = "call_or_letter"
CALL_CHILD_OR_PLACEMENT = "call_child_or_placement"
LOCATE = "locate"
HOME_VISIT = "home_visit"
CONTACT_PLAN = "contact_plan"

NEED_LABELS = {
    IN_PERSON: "seen in person",
    IN_PERSON_AT_HOME: "seen in person in the home",
    CALL_OR_LETTER: "a call or letter",
    CALL_CHILD_OR_PLACEMENT: "a call to the child or the placement",
    LOCATE: "efforts to locate",
    HOME_VISIT: "a visit to the family's home",
    CONTACT_PLAN: "a contact plan agreed with the supervisor",
}

# V13: the needs a person meets only by being seen; one of them not met with a documented
# reason (on runaway, incarcerated, an attempt, ...) is "not seen, reason: ...", apart
# from the unexplained misses. A missed call, letter or locate effort is never explained
# by the status that asked for it.
SEEN_NEEDS = frozenset({IN_PERSON, IN_PERSON_AT_HOME, HOME_VISIT})

REUNIFY_GOALS = {"reunification", "remain_home"}
HOME_LOCATIONS = {"child_residence", "parents_home"}
RESIDENCE_LOCATIONS = {"child_residence", "placement"}  # F1: the child's residence


@dataclass(frozen=True)
class Requirement:
    rule: str
    person_id: int | None  # None: the family as a whole (V1's home visit)
    need: str
    start: date  # evidence counts from this day ...
    end: date  # ... to this day (the due date), inclusive
    context: str = ""  # a documented reason the person may not be seen (runaway, ...)

    @property
    def text(self) -> str:
        return f"{NEED_LABELS[self.need]} ({self.rule})"


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _applies(periods: Iterable[Period], first: date, last: date, min_days: int):
    """The days of [first, last] covered by `periods`, as (start, end), when they reach
    the partial-month threshold (or the whole month is shorter than it); else None."""
    spans = [s for s in (p.days_in(first, last) for p in periods) if s is not None]
    if not spans:
        return None
    covered = sum((hi - lo).days + 1 for lo, hi in spans)
    month_days = (last - first).days + 1
    if covered < min(min_days, month_days):
        return None
    return min(lo for lo, _ in spans), max(hi for _, hi in spans)


def _intersect(a: Period, b: Period) -> Period | None:
    start = max(a.start, b.start)
    ends = [e for e in (a.end, b.end) if e is not None]
    end = min(ends) if ends else None
    return Period(start, end) if end is None or start < end else None


def _within(periods: Sequence[Period], limits: Sequence[Period]) -> list[Period]:
    return [p for p in (_intersect(a, b) for a in periods for b in limits) if p is not None]


def _minus(base: Period, holes: Sequence[Period]) -> list[Period]:
    """`base` without the `holes`."""
    parts = [base]
    for hole in holes:
        nxt = []
        for p in parts:
            if _intersect(p, hole) is None:
                nxt.append(p)
                continue
            if hole.start > p.start:
                nxt.append(Period(p.start, hole.start))
            if hole.end is not None and (p.end is None or hole.end < p.end):
                nxt.append(Period(hole.end, p.end))
        parts = nxt
    return parts


def _minor(member: Period, born: date | None, adult_age: int) -> list[Period]:
    """The part of a membership before the person turns `adult_age` (none when the date
    of birth is unknown)."""
    if born is None:
        return []
    try:
        adult = born.replace(year=born.year + adult_age)
    except ValueError:  # born on 29 February
        adult = born.replace(year=born.year + adult_age, day=28) + timedelta(days=1)
    part = _intersect(member, Period(born, adult))
    return [part] if part is not None else []


def requirements(
    case: CaseFacts,
    month: date,
    *,
    min_days: int = 7,
    exception_months: int = 3,
    adult_age: int = 18,
) -> list[Requirement]:
    """Every contact requirement of `case` in the calendar month of `month`."""
    first, last = month_bounds(month)
    out: list[Requirement] = []

    def add(rule, person, need, periods, context="", start=None):
        span = _applies(_within(periods, [case.open]), first, last, min_days)
        if span is not None:
            out.append(Requirement(rule, person, need, start or span[0], span[1], context))

    if case.case_type == "investigation":
        # V1 ("all alleged victims, siblings and other children in the home shall be
        # interviewed and at least one visit shall be made to the child and family's
        # home"): every child of the case (alleged victims, siblings) and every other
        # member living in the household while under `adult_age`, whatever their role,
        # interviewed in person; the home visited. Evidence counts from the opening.
        for c in case.children:
            add("V1", c.person_id, IN_PERSON, [c.member], start=case.open.start)
        for o in case.others:
            if o.in_household:
                minor = _minor(o.member, o.born, adult_age)
                add("V1", o.person_id, IN_PERSON, minor, start=case.open.start)
        add("V1", None, HOME_VISIT, [case.open], start=case.open.start)
        return out

    for c in case.children:
        care = _within(c.out_of_home, [c.member])
        home = _minus(c.member, c.out_of_home) if c.in_household else []
        away = _within(c.out_of_state, care)
        # V2: a child in out-of-home care is seen in person every month. V11 ("document
        # the runaway status ... and use case notes to document your efforts to locate
        # the child"): a runaway child still owes the visit, and is "not seen, reason: on
        # runaway" (V13) while the locate efforts are owed and recorded.
        context = "on runaway" if _applies(c.runaway, first, last, 1) else ""
        add("V2", c.person_id, IN_PERSON, _minus_all(care, away), context)
        add("V11", c.person_id, LOCATE, _within(c.runaway, care), "on runaway")
        # V12 ("when a child is in out-of-state placement, document your monthly phone
        # calls to the child/placement"): out of state, the monthly call to the child or
        # the placement is the month's contact, in place of V2's visit.
        add("V12", c.person_id, CALL_CHILD_OR_PLACEMENT, away, "placed out of state")
        if case.case_type == "in_home_dependency":
            add("V3", c.person_id, IN_PERSON_AT_HOME, home)
        elif case.case_type == "voluntary_in_home":
            add("V4", c.person_id, IN_PERSON, home)

    for p in case.parents:
        member = [p.member]
        if p.in_household and case.case_type == "in_home_dependency":
            add("V3", p.person_id, IN_PERSON_AT_HOME, member)
        elif p.in_household and case.case_type == "voluntary_in_home":
            add("V4", p.person_id, IN_PERSON, member)
        children = [c for c in case.children if not p.parent_of or c.person_id in p.parent_of]
        reunify = [g for c in children for goal, g in c.goals if goal in REUNIFY_GOALS]
        other = [g for c in children for goal, g in c.goals if goal not in REUNIFY_GOALS]
        reunify = _within(reunify, member)
        if reunify:
            _parent_contacts(p, reunify, add, first, last, exception_months)
        other = _minus_all(_within(other, member), reunify)
        if other and not p.rights_terminated and p.whereabouts_known:
            # V6: the contact plan the supervisor agreed, or the need to agree one.
            plans = [(need, every, per) for need, every, per in p.contact_plans]
            if plans:
                for need, every, per in plans:
                    window_start = _months_back(first, every)
                    add("V6", p.person_id, need, _within([per], other), start=window_start)
            else:
                add("V6", p.person_id, CONTACT_PLAN, other)
    return out


def _minus_all(periods: list[Period], holes: list[Period]) -> list[Period]:
    return [part for p in periods for part in _minus(p, holes)]


def _months_back(first: date, months: int) -> date:
    """The first day of the month `months - 1` months before `first`'s month."""
    y, m = first.year, first.month - (months - 1)
    while m < 1:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def _parent_contacts(p: Parent, reunify, add, first, last, exception_months) -> None:
    """V5 and its exception (V7), with the documented reasons of V8.

    V7 ("when exceptions are made to parent contact, telephone or written correspondence
    shall be made a minimum of once every three months"): while a supervisor-approved
    exception is in force it governs the parent's contact, whatever else is true of
    them: a call or letter in the last `exception_months` months meets the month, and
    nothing else is owed (no monthly visit, no monthly call).

    V8 ("if a parent ... is in prison or living elsewhere and you cannot see that parent
    face-to-face every month, use case notes to document what contact you do have ...;
    if the parent's whereabouts are unknown, ... document your efforts to locate"):
    without an exception the parent still owes V5's monthly visit. The calls, letters or
    locate efforts are owed and recorded (a V8 row each month), and they are the
    documented reason the visit did not happen (V13), never the visit itself.
    """
    add(
        "V7",
        p.person_id,
        CALL_OR_LETTER,
        _within(p.exceptions, reunify),
        "approved exception",
        start=_months_back(first, exception_months),
    )
    rest = _minus_all(reunify, p.exceptions)
    far = _within(p.far_away, rest)
    if not p.whereabouts_known:
        reason, alternative, need = "whereabouts unknown", rest, LOCATE
    elif p.incarcerated:
        reason, alternative, need = "incarcerated", rest, CALL_OR_LETTER
    elif _applies(far, first, last, 1):
        reason, alternative, need = "lives far away", far, CALL_OR_LETTER
    else:
        reason, alternative, need = "", [], CALL_OR_LETTER
    add("V5", p.person_id, IN_PERSON, rest, reason)
    add("V8", p.person_id, need, alternative, reason)


# --- What a note must say (V8, V9, V11) -------------------------------------------------

METHODS = {"in_person", "video", "phone", "letter", "attempted"}
# Places one only is at in person (or tried to be): never a call or a letter there.
IN_PERSON_LOCATIONS = {"child_residence", "placement", "parents_home", "school", "court"}
# V8, V11: the method each kind of locate effort is made by.
LOCATE_METHODS = {
    "letter_last_address": "letter",
    "call_last_number": "phone",
    "relatives": "phone",
    "locate_service": "letter",
    "home_visit_last_address": "attempted",
}


def note_problems(
    *, kind: str, method: str, location: str, with_anyone: bool, locate_method: str
) -> dict[str, str]:
    """What is wrong with a note's own fields, field -> reason (V9: a visit is with
    someone and at a place one visits in person; V8, V11: a locate effort says how)."""
    problems = {}
    if kind == "locate":
        if locate_method not in LOCATE_METHODS:
            problems["locate_method"] = "Say how you tried to locate them (V8, V11)."
        return problems
    if method not in METHODS:
        problems["method"] = "Choose how the contact was made."
    if method == "in_person" and not with_anyone:
        problems["contact_with"] = "An in-person contact is with someone: tick who was seen."
    if location in IN_PERSON_LOCATIONS and method not in ("in_person", "attempted"):
        problems["location"] = (
            "A contact there is in person (or an attempt): choose the method or another "
            "location (V9)."
        )
    if not with_anyone:
        problems.setdefault("contact_with", "Say whom the contact was with.")
    return problems


# --- Compliance (V9, V10, V13) ----------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """A finalized note, as compliance sees it: whom it was with and how (V10)."""

    note_id: int
    on: date
    method: str  # in_person, video, phone, letter, attempted
    location: str = ""
    with_ids: frozenset[int] = frozenset()
    collaterals: frozenset[str] = frozenset()  # resource_parent, provider, teacher, tribe
    locate_subject: int | None = None  # a locate effort's missing person
    narrative: str = ""


def meets(req: Requirement, c: Contact) -> bool:
    """Whether one contact meets one requirement. An attempt never counts as a contact
    (V9); the note's type plays no part, only whom it was with and how (V10)."""
    if not (req.start <= c.on <= req.end):
        return False
    if req.need == LOCATE:
        return c.locate_subject == req.person_id
    if c.method == "attempted" or c.locate_subject is not None:
        return False
    with_person = req.person_id in c.with_ids
    if req.need in (IN_PERSON, CONTACT_PLAN):
        return req.need == IN_PERSON and c.method == "in_person" and with_person
    if req.need == IN_PERSON_AT_HOME:
        return c.method == "in_person" and with_person and c.location in HOME_LOCATIONS
    if req.need == HOME_VISIT:
        return c.method == "in_person" and c.location in HOME_LOCATIONS
    if req.need == CALL_OR_LETTER:
        return with_person and c.method in ("in_person", "video", "phone", "letter")
    if req.need == CALL_CHILD_OR_PLACEMENT:
        return c.method in ("in_person", "video", "phone") and (
            with_person or bool(c.collaterals & {"resource_parent", "provider"})
        )
    return False


MET, OPEN, MISSED, UPCOMING = "met", "open", "missed", "upcoming"


@dataclass(frozen=True)
class Outcome:
    requirement: Requirement
    state: str  # met, open (not yet met, days left), missed, upcoming
    evidence: int | None = None  # the note that meets it
    days_left: int = 0
    reason: str = ""  # the documented reason it is not met
    attempts: tuple[int, ...] = field(default=())


def evaluate(req: Requirement, contacts: Sequence[Contact], *, today: date) -> Outcome:
    """V13: met (with the note), not yet met (with the days left), missed, or upcoming;
    an unmet one carries its documented reason (see `reason_for`)."""
    hits = sorted((c for c in contacts if meets(req, c)), key=lambda c: (c.on, c.note_id))
    if hits:
        return Outcome(req, MET, evidence=hits[0].note_id)
    tries = [
        c
        for c in contacts
        if req.start <= c.on <= req.end
        and req.person_id is not None
        and (c.method == "attempted" or c.locate_subject == req.person_id)
        and (req.person_id in c.with_ids or c.locate_subject == req.person_id)
    ]
    if today < req.start:
        state = UPCOMING
    elif today <= req.end:
        state = OPEN
    else:
        state = MISSED
    days_left = (req.end - today).days + 1 if state == OPEN else 0
    return Outcome(
        req,
        state,
        days_left=days_left,
        reason=reason_for(req, contacts),
        attempts=tuple(c.note_id for c in tries),
    )


def reason_for(req: Requirement, contacts: Sequence[Contact]) -> str:
    """The documented reason an unmet requirement is not met (V13), from the status that
    explains it (`req.context`: on runaway, incarcerated, ...) and the notes of its
    window: locate efforts (V8, V11), calls and letters when a visit is owed (V8), and
    attempts (V9). E.g. "on runaway: locate efforts recorded 2024-12-03",
    "incarcerated: call or letter recorded 2024-12-03; attempted on 2024-12-09: ..."."""
    pid = req.person_id
    window = [c for c in contacts if req.start <= c.on <= req.end and pid is not None]

    def last(found) -> date | None:
        return max((c.on for c in found), default=None)

    found = []
    located = last(c for c in window if c.locate_subject == pid)
    if located:
        found.append(f"locate efforts recorded {located:%Y-%m-%d}")
    if req.need in SEEN_NEEDS:
        called = last(
            c
            for c in window
            if c.locate_subject is None
            and pid in c.with_ids
            and c.method in ("video", "phone", "letter")
        )
        if called:
            found.append(f"call or letter recorded {called:%Y-%m-%d}")
    attempts = [
        c
        for c in window
        if c.method == "attempted" and c.locate_subject is None and pid in c.with_ids
    ]
    if attempts:
        tried = max(attempts, key=lambda c: c.on)
        found.append(
            f"attempted on {tried.on:%Y-%m-%d}"
            + (f": {tried.narrative[:120]}" if tried.narrative else "")
        )
    detail = "; ".join(found)
    if req.context and detail:
        return f"{req.context}: {detail}"
    return req.context or detail


@dataclass(frozen=True)
class Documented:
    """V13: a reason documented on a day that a person is not being seen (a supervisor
    case conference's, `source`)."""

    person_id: int
    on: date
    reason: str
    source: str = ""


def with_documented(req: Requirement, reason: str, documented: Sequence[Documented]) -> str:
    """V13: an unmet requirement to see a person carries the latest reason documented in
    its window (after the status and notes that explain it, `reason`), e.g. "documented
    at a supervisor conference 2026-06-10: in residential treatment until the 20th"."""
    if req.need not in SEEN_NEEDS or req.person_id is None:
        return reason
    found = [d for d in documented if d.person_id == req.person_id and req.start <= d.on <= req.end]
    if not found:
        return reason
    last = max(found, key=lambda d: d.on)
    where = f" at a {last.source.replace('_', ' ')}" if last.source else ""
    text = f"documented{where} {last.on:%Y-%m-%d}: {last.reason}"
    return f"{reason}; {text}" if reason else text
