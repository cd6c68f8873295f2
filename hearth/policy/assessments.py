"""C3: assessment ratings, and the changes in a family's situation that prompt a
reassessment. Every item, need or strength, is rated 0 (no need), 1 (watch), 2 (act) or
3 (act now); a need rated 2 or 3 is actionable: the case plan answers it (C9).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

SCORES = (0, 1, 2, 3)
SCORE_LABELS = {0: "No need", 1: "Watch", 2: "Act", 3: "Act now"}
# C8: what the same scores mean for a fidelity measure of the quality assurance instrument
# (rated like a strength: 0 is the best).
FIDELITY_SCORE_LABELS = {0: "Fully met", 1: "Mostly met", 2: "Partly met", 3: "Not met"}
# C3, C9: the lowest score that makes a need actionable.
ACTIONABLE_SCORE = 2

# C3: the roles of a person whose joining the household after the case opened is a change
# in the family's situation (a new partner, a relative moving in, a parent coming back).
HOUSEHOLD_ROLES = frozenset({"parent", "caregiver", "household_member"})
# C3: the exits from care that are a return home.
RETURN_HOME_EXITS = frozenset({"reunification"})


def is_actionable(kind: str, score: int) -> bool:
    """C3: a need rated 2 (act) or 3 (act now) is one of the case's actionable needs."""
    return kind == "need" and score >= ACTIONABLE_SCORE


def changes(previous: Mapping[str, int], current: Mapping[str, int]) -> dict[str, tuple]:
    """C3: what changed since the previous assessment: item -> (before, after), for every
    item whose score differs, was added or was not rated again (None on the missing side).
    """
    return {
        item: (previous.get(item), current.get(item))
        for item in sorted(set(previous) | set(current))
        if previous.get(item) != current.get(item)
    }


def domain_applies(min_age: int | None, age: int | None) -> bool:
    """C3: a domain with a minimum age (independent-living skills from 14) is rated only
    for a subject known to be at least that old on the day of the assessment; a domain
    without one always applies."""
    if min_age is None:
        return True
    return age is not None and age >= min_age


@dataclass(frozen=True)
class ItemRule:
    """One item of an instrument, as the rating rules see it."""

    code: str
    applies: bool


def rating_problems(
    items: Iterable[ItemRule], ratings: Iterable[tuple[str, object]]
) -> dict[str, str]:
    """C3: every applicable item rated exactly once, 0 to 3; no item of another
    instrument, none of a domain that does not apply to the subject. `ratings`: (item
    code, score) in the order given. Returns `ratings.<code>` -> reason."""
    known = {i.code: i for i in items}
    seen: set[str] = set()
    problems: dict[str, str] = {}
    for code, score in ratings:
        key = f"ratings.{code}"
        item = known.get(code)
        if item is None:
            problems.setdefault(key, "This item is not part of the instrument.")
        elif not item.applies:
            problems.setdefault(key, "This item does not apply to the subject (age).")
        elif code in seen:
            problems.setdefault(key, "Rate each item once.")
        elif isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
            problems.setdefault(key, "A rating is 0, 1, 2 or 3.")
        seen.add(code)
    for code, item in known.items():
        if item.applies and code not in seen:
            problems.setdefault(f"ratings.{code}", "Rate this item.")
    return problems


def reassessment_due(changed_on: date, *, within_days: int) -> date:
    """C3: a change in the family's situation on `changed_on` prompts a reassessment due
    `within_days` later."""
    return changed_on + timedelta(days=within_days)


def joins_household(role: str, in_household: bool, starts_on: date, opened_on: date) -> bool:
    """C3: a member who joins the household after the case opened (a parent, caregiver or
    other household member: not the people the case opened with) changes the situation."""
    return in_household and role in HOUSEHOLD_ROLES and starts_on > opened_on


def is_return_home(exit_reason: str) -> bool:
    """C3: a child's exit from care to the parents is a return home."""
    return exit_reason in RETURN_HOME_EXITS
