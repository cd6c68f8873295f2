"""O3, C8, P9: the QA rules, without a database."""

from collections import Counter

from hearth.policy import qa as rules
from hearth.policy.qa import Candidate


def population(sizes: dict[tuple, int]) -> list[Candidate]:
    out, n = [], 0
    for (agency, unit), count in sizes.items():
        for _ in range(count):
            n += 1
            out.append(Candidate(n, agency, unit))
    return out


POP = population({(1, 10): 60, (1, 11): 30, (2, 20): 9, (2, None): 1})


def test_o3_the_same_seed_and_population_give_the_same_sample():
    first = rules.draw_sample(POP, 20, seed=42)
    assert rules.draw_sample(list(reversed(POP)), 20, seed=42) == first
    assert len(first) == 20 and len({c.case_id for c in first}) == 20
    assert [c.case_id for c in first] == sorted(c.case_id for c in first)


def test_o3_another_seed_gives_another_sample():
    assert rules.draw_sample(POP, 20, seed=42) != rules.draw_sample(POP, 20, seed=43)


def test_o3_the_sample_is_stratified_proportionally_with_one_from_each_stratum():
    sample = rules.draw_sample(POP, 20, seed=7)
    got = Counter((c.agency_id, c.unit_id) for c in sample)
    # Quotas 12 + 6 + 1.8 + 0.2: the largest remainder gives (2, 20) a second case, which
    # (2, None) then takes, (2, 20) being the stratum given most beyond its quota.
    assert got == {(1, 10): 12, (1, 11): 6, (2, 20): 1, (2, None): 1}


def test_o3_allocation_is_proportional_by_largest_remainder():
    assert rules.allocate({("a", 1): 50, ("a", 2): 30, ("b", 3): 20}, 10) == {
        ("a", 1): 5,
        ("a", 2): 3,
        ("b", 3): 2,
    }
    counts = rules.allocate({(1, 1): 1, (1, 2): 1, (1, 3): 1}, 2)
    assert sum(counts.values()) == 2  # too small for one from each: proportional only
    assert rules.allocate({(1, 1): 3, (2, 2): 0}, 10) == {(1, 1): 3}


def test_o3_a_sample_as_large_as_the_population_takes_every_case():
    assert rules.draw_sample(POP, 500, seed=1) == sorted(POP, key=lambda c: c.case_id)
    assert rules.draw_sample([], 5, seed=1) == []


def test_o3_reviewers_take_the_cases_in_turn():
    assert rules.round_robin([1, 2, 3, 4, 5], ["a", "b"]) == [
        (1, "a"),
        (2, "b"),
        (3, "a"),
        (4, "b"),
        (5, "a"),
    ]


def test_c8_finalize_needs_every_item_answered_and_a_comment_on_a_no():
    items = ["a", "b", "c", "d"]
    answers = {"a": ("yes", ""), "b": ("no", "  "), "c": ("na", "")}
    assert rules.finalize_problems(answers, items) == {
        "answers.b": "Say in a comment what was missing (a no needs one).",
        "answers.d": "Answer this item: yes, no or not applicable.",
    }
    answers |= {"b": ("no", "No safety plan in the file"), "d": ("yes", "")}
    assert rules.finalize_problems(answers, items) == {}


def test_c8_answers_are_items_of_the_instrument_answered_once_yes_no_or_na():
    problems = rules.answer_problems(
        [("a", "yes", ""), ("a", "no", "x"), ("z", "yes", ""), ("b", "maybe", "")], {"a", "b"}
    )
    assert set(problems) == {"answers.a", "answers.z", "answers.b"}


def test_p9_compliance_is_yes_over_yes_and_no_not_applicable_excluded():
    assert rules.compliance_percent(3, 1) == 75
    assert rules.compliance_percent(0, 0) is None
    assert rules.compliance_percent(2, 1) == 67
    assert rules.compliance_percent(1, 7) == 13  # 12.5 rounds half up


def test_p9_an_item_below_its_threshold_on_enough_answers_calls_for_action():
    assert rules.below_threshold(3, 2, 80)  # 60% on 5 answers
    assert not rules.below_threshold(4, 1, 80)  # 80% is not below 80%
    assert not rules.below_threshold(1, 3, 80)  # 25%, but on 4 answers only
    assert rules.below_threshold(1, 3, 80, min_answers=4)
    assert not rules.below_threshold(0, 0, 80, min_answers=0)


def test_p9_closing_needs_a_note_and_a_follow_up_or_a_reason():
    assert set(rules.close_problems("", False, "")) == {"closing_note", "follow_ups"}
    assert rules.close_problems("Training held", True, "") == {}
    assert rules.close_problems("Training held", False, "The unit was dissolved") == {}
