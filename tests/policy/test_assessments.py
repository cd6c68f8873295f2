"""The assessment rules as pure functions, no database (C3, C9): ratings 0 to 3, the
actionable needs, what changed since the previous assessment, the domains by age, every
applicable item rated once, and the changes of situation that prompt a reassessment."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from hearth.policy import assessments as rules
from hearth.policy.assessments import ItemRule


def test_c3_c9_a_need_rated_2_or_3_is_actionable_a_strength_never():
    assert [rules.is_actionable("need", s) for s in rules.SCORES] == [False, False, True, True]
    assert not any(rules.is_actionable("strength", s) for s in rules.SCORES)
    assert rules.SCORE_LABELS == {0: "No need", 1: "Watch", 2: "Act", 3: "Act now"}


def test_c3_changes_name_each_item_that_moved_was_added_or_not_rated_again():
    before = {"sleep": 2, "mood": 1, "grief": 0}
    after = {"sleep": 0, "mood": 1, "worry": 3}
    assert rules.changes(before, after) == {
        "grief": (0, None),
        "sleep": (2, 0),
        "worry": (None, 3),
    }
    assert rules.changes(after, after) == {}


scores = st.dictionaries(st.sampled_from("abcdef"), st.sampled_from(rules.SCORES))


@given(scores, scores)
def test_c3_changes_applied_to_the_previous_give_the_current(previous, current):
    result = dict(previous)
    for item, (_, new) in rules.changes(previous, current).items():
        if new is None:
            del result[item]
        else:
            result[item] = new
    assert result == current


def test_c3_a_domain_with_a_minimum_age_applies_from_that_age_known():
    assert rules.domain_applies(None, None) and rules.domain_applies(None, 3)
    assert rules.domain_applies(14, 14) and rules.domain_applies(14, 17)
    assert not rules.domain_applies(14, 13)
    assert not rules.domain_applies(14, None)  # an unknown age is not taken as 14


ITEMS = [ItemRule("a", True), ItemRule("b", True), ItemRule("life", False)]


def test_c3_every_applicable_item_rated_exactly_once_0_to_3():
    assert rules.rating_problems(ITEMS, [("a", 0), ("b", 3)]) == {}
    assert rules.rating_problems(ITEMS, [("a", 1)]) == {"ratings.b": "Rate this item."}
    assert set(rules.rating_problems(ITEMS, [("a", 1), ("a", 2), ("b", 0)])) == {"ratings.a"}
    for bad in (4, -1, "2", 1.5, True, None):
        assert set(rules.rating_problems(ITEMS, [("a", bad), ("b", 0)])) == {"ratings.a"}, bad
    assert set(rules.rating_problems(ITEMS, [("a", 0), ("b", 0), ("x", 1)])) == {"ratings.x"}
    problems = rules.rating_problems(ITEMS, [("a", 0), ("b", 0), ("life", 1)])
    assert problems["ratings.life"].startswith("This item does not apply")


def test_c3_a_reassessment_falls_due_within_the_days_after_the_change():
    assert rules.reassessment_due(date(2026, 1, 31), within_days=30) == date(2026, 3, 2)
    assert rules.reassessment_due(date(2028, 2, 29), within_days=0) == date(2028, 2, 29)


def test_c3_changes_of_situation_joining_the_household_and_returning_home():
    opened = date(2026, 1, 10)
    later = date(2026, 3, 1)
    assert rules.joins_household("caregiver", True, later, opened)
    assert rules.joins_household("parent", True, later, opened)
    assert rules.joins_household("household_member", True, later, opened)
    assert not rules.joins_household("household_member", False, later, opened)  # elsewhere
    assert not rules.joins_household("child", True, later, opened)
    assert not rules.joins_household("parent", True, opened, opened)  # there at opening
    assert rules.is_return_home("reunification")
    assert not rules.is_return_home("adoption") and not rules.is_return_home("")
