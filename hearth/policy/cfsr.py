"""The CFSR round 4 statewide data indicators F2 (permanency in 12 months for children
entering care), F3 (placement stability) and F4 (re-entry to foster care in 12 months):
their definitions as plain data and functions, and a per-child evaluator that a test or
a reviewer uses to check the set-based SQL of hearth.reports.cfsr by hand.

Dates:
- A 12-month period starts on a month's first day and ends 12 months later minus a day
  (`period_end`).
- "Within 12 months" of a day d is on or before d + 365 days (`within_12_months`): a
  re-entry 365 days after the discharge counts, 366 days after does not, whatever the
  leap years in between. F2 measures the exit from the entry the same way.
- Entry into care is the removal date (RemovalEpisode.removed_on).
- A stay under 8 days (exit - entry < 8 days) is excluded from F2, F3 and F4; an entry at
  18 or older (age on the removal date) from F2 and F4; a child whose date of birth is
  unknown is counted.
- The trial home visit adjustment (F2, F4): a child who exits to reunification while on a
  trial home visit that lasted more than 30 days is taken to have exited on the visit's
  day 30 days after the visit began (a later exit never comes out earlier than an
  earlier one).
- F3: trial home visits, runaway and whereabouts-unknown spells are not placement
  settings; a move is a placement in a real setting after the episode's first one, in a
  different place than the real placement before it (a child back in the same home after
  running away has not moved).
- A child counts once a period in F2 and F4 (the first entry, the first discharge to
  permanency, after the exclusions); F3 counts every entry of the period.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

# F2: the exits to permanency.
PERMANENCY_EXITS = ("reunification", "living_with_relatives", "adoption", "guardianship")
# F4: "the children who exited to permanency" (RULES.md F4), the same four exits as F2.
# CFSR round 4's own syntax leaves adoption out (an adopted child often takes a new
# identity); here the child's record stays the same, so an adoption that breaks down and
# brings the child back is a re-entry like any other (docs/adr/0015).
REENTRY_EXITS = PERMANENCY_EXITS
SHORT_STAY_DAYS = 8  # F2, F3, F4: stays under 8 days are excluded
ADULT_AGE = 18  # F2, F4: entries at 18 or older are excluded
FOLLOW_UP_DAYS = 365  # "within 12 months": on or before d + 365 days
TRIAL_HOME_VISIT_DAYS = 30  # F2, F4: the trial home visit adjustment
NOT_PLACEMENTS = ("trial_home_visit", "runaway", "whereabouts_unknown")  # F3

# National performance (CFSR round 4): F2 and F4 in percent, F3 moves per 1,000 days.
NATIONAL = {"f2": 35.2, "f3": 4.48, "f4": 5.6}
# Which way is better: F2 higher, F3 and F4 lower.
HIGHER_IS_BETTER = {"f2": True, "f3": False, "f4": False}


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` (a 31st or a 29 February falls back to the month's end)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def period_end(start: date) -> date:
    """The last day of the 12-month period starting on `start` (a month's first day)."""
    return add_months(start, 12) - timedelta(days=1)


def within_12_months(earlier: date, later: date) -> bool:
    return timedelta(0) <= later - earlier <= timedelta(days=FOLLOW_UP_DAYS)


def latest_followed_period(today: date) -> date:
    """F2, F4: the latest period whose 12-month follow-up has ended by yesterday: its last
    entrant's (or discharge's) 365 days have passed."""
    start = add_months(today.replace(day=1), -24)
    while period_end(start) + timedelta(days=FOLLOW_UP_DAYS) >= today:
        start = add_months(start, -1)
    while period_end(add_months(start, 1)) + timedelta(days=FOLLOW_UP_DAYS) < today:
        start = add_months(start, 1)
    return start


def last_full_year(today: date) -> date:
    """F3: the period of the last 12 full months."""
    return add_months(today.replace(day=1), -12)


def adult_at(date_of_birth: date | None, day: date) -> bool:
    """18 or older on `day` (a birthday on 29 February falls on 28 February)."""
    return date_of_birth is not None and add_months(date_of_birth, 12 * ADULT_AGE) <= day


@dataclass(frozen=True)
class PlacementFacts:
    setting: str
    starts_on: date
    ends_on: date | None = None
    place: str = ""  # what tells one home from another (home, caregiver, provider)


@dataclass(frozen=True)
class EpisodeFacts:
    child: int
    removed_on: date
    exited_on: date | None = None
    exit_reason: str = ""
    date_of_birth: date | None = None
    placements: tuple[PlacementFacts, ...] = field(default_factory=tuple)

    @property
    def short_stay(self) -> bool:
        return (
            self.exited_on is not None and (self.exited_on - self.removed_on).days < SHORT_STAY_DAYS
        )

    @property
    def adult_entry(self) -> bool:
        return adult_at(self.date_of_birth, self.removed_on)

    @property
    def exit_for_cfsr(self) -> date | None:
        """F2, F4: the exit date after the trial home visit adjustment."""
        if self.exit_reason != "reunification" or self.exited_on is None:
            return self.exited_on
        for p in self.placements:
            if (
                p.setting == "trial_home_visit"
                and p.starts_on < self.exited_on
                and (p.ends_on is None or p.ends_on >= self.exited_on)
                and (self.exited_on - p.starts_on).days > TRIAL_HOME_VISIT_DAYS
            ):
                return p.starts_on + timedelta(days=TRIAL_HOME_VISIT_DAYS)
        return self.exited_on

    def moves(self, until: date) -> int:
        """F3: the moves that started on or before `until`."""
        count, previous = 0, None
        for p in sorted(self.placements, key=lambda p: p.starts_on):
            if p.setting in NOT_PLACEMENTS:
                continue
            here = (p.setting, p.place)
            if previous is not None and here != previous and p.starts_on <= until:
                count += 1
            previous = here
        return count


def f2(episodes: list[EpisodeFacts], start: date) -> tuple[int, int]:
    """F2 (numerator, denominator) for the period starting on `start`."""
    end = period_end(start)
    first: dict[int, EpisodeFacts] = {}
    for e in sorted(episodes, key=lambda e: e.removed_on):
        if start <= e.removed_on <= end and not (e.short_stay or e.adult_entry):
            first.setdefault(e.child, e)
    met = sum(
        1
        for e in first.values()
        if e.exit_reason in PERMANENCY_EXITS and within_12_months(e.removed_on, e.exit_for_cfsr)
    )
    return met, len(first)


def f3(episodes: list[EpisodeFacts], start: date) -> tuple[int, int]:
    """F3 (moves, days in care) for the period starting on `start`."""
    end = period_end(start)
    moves = days = 0
    for e in episodes:
        if start <= e.removed_on <= end and not e.short_stay:
            stop = min(e.exited_on or end + timedelta(days=1), end + timedelta(days=1))
            days += (stop - e.removed_on).days
            moves += e.moves(end)
    return moves, days


def f4(episodes: list[EpisodeFacts], start: date) -> tuple[int, int]:
    """F4 (re-entered, discharged) for the period starting on `start`."""
    end = period_end(start)
    first: dict[int, EpisodeFacts] = {}
    for e in sorted(episodes, key=lambda e: e.exit_for_cfsr or date.max):
        if (
            e.exit_reason in REENTRY_EXITS
            and start <= e.exit_for_cfsr <= end
            and not (e.short_stay or e.adult_entry)
        ):
            first.setdefault(e.child, e)
    back = sum(
        1
        for e in first.values()
        if any(
            o.child == e.child
            and o.removed_on >= e.exited_on
            and within_12_months(e.exit_for_cfsr, o.removed_on)
            for o in episodes
        )
    )
    return back, len(first)


def rate(numerator: int, denominator: int, measure: str) -> float | None:
    """F2, F4: a percent to one decimal; F3: moves per 1,000 days to two decimals."""
    if not denominator:
        return None
    if measure == "f3":
        return round(1000 * numerator / denominator, 2)
    return round(100 * numerator / denominator, 1)
