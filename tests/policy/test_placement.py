"""The placement rules as pure functions: no database (P2 to P7, V11, V12, ICWA)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from hearth.policy import placement as rules
from hearth.policy.placement import ChildFacts, IcwaCategory, Level, PlacementOption

HOME = (40.0, -75.0)


def north(km):
    return (HOME[0] + km / 111.2, HOME[1])


def opt(key, setting="resource_family_home", km=10.0, **kw):
    kw.setdefault("capacity", 2)
    return PlacementOption(key=key, name=key, setting=setting, location=north(km), **kw)


CHILD = ChildFacts(age=9, parents_home=HOME)


def test_p2_levels_follow_the_policy_order():
    order = [
        "relative_home",
        "resource_family_home",
        "group_home",
        "residential_treatment",
        "juvenile_justice",
    ]
    assert [rules.setting_level(s) for s in order] == sorted(Level)
    assert rules.setting_level("runaway") is None


def test_p2_least_restrictive_first_then_nearest():
    ranked = rules.rank_options(
        CHILD,
        [
            opt("group", "group_home", km=1, capacity=8),
            opt("far family", km=40),
            opt("near family", km=5),
            opt("aunt", "relative_home", km=60, capacity=None, relative_of_child=True),
        ],
    )
    assert [r.option.key for r in ranked] == ["aunt", "near family", "far family", "group"]


def test_p3_distance_counts_the_school_of_origin_too():
    child = ChildFacts(age=9, parents_home=HOME, school=north(40))
    ranked = rules.rank_options(child, [opt("by parents", km=0), opt("between", km=20)])
    # by parents: (0 + 40) / 2 = 20 km; between: (20 + 20) / 2 = 20 km, tie broken by name
    assert ranked[0].km == ranked[1].km == 20.0
    # Both 10 km from the parents; the one towards the school ranks first.
    ranked = rules.rank_options(child, [opt("away", km=-10), opt("towards school", km=10)])
    assert [r.option.key for r in ranked] == ["towards school", "away"]
    assert (ranked[0].km, ranked[1].km) == (20.0, 30.0)


def test_unavailable_options_come_last_with_their_reasons():
    ranked = rules.rank_options(
        CHILD,
        [
            opt("full", km=1, capacity=1, occupancy=1),
            opt("teens only", km=2, min_age=13),
            opt("ok", km=30),
        ],
    )
    assert [r.option.key for r in ranked] == ["ok", "full", "teens only"]
    assert ranked[1].full and "full" in ranked[1].problems[0]
    assert "ages 13 and up" in ranked[2].problems[0]


def test_p2_departures_name_what_must_be_justified():
    ranked = rules.rank_options(
        CHILD, [opt("near", km=5), opt("far", km=50), opt("group", "group_home", km=1)]
    )
    by_key = {r.option.key: r for r in ranked}
    assert rules.departures(by_key["near"], ranked) == []
    far = rules.departures(by_key["far"], ranked)
    assert len(far) == 1 and far[0].startswith("P2, P3: a nearer option")
    group = rules.departures(by_key["group"], ranked)
    assert group[0].startswith("P2: a less restrictive option")


def test_icwa_preferences_order_an_indian_childs_options():
    child = ChildFacts(age=9, parents_home=HOME, icwa=True, tribes=frozenset({"t1"}))
    options = [
        opt("plain near", km=1),
        opt("indian home", km=30, indian_operated=True),
        opt("tribe home", km=50, tribes_approving=frozenset({"t1"})),
        opt("other tribe home", km=2, tribes_approving=frozenset({"t9"})),
        opt("kin", "relative_home", km=80, capacity=None, relative_of_child=True),
        opt("tribal institution", "group_home", km=3, tribes_approving=frozenset({"t9"})),
    ]
    ranked = rules.rank_options(child, options)
    assert [r.option.key for r in ranked][:4] == [
        "kin",
        "tribe home",
        "indian home",
        "tribal institution",
    ]
    assert ranked[0].icwa == IcwaCategory.EXTENDED_FAMILY
    by_key = {r.option.key: r for r in ranked}
    reasons = rules.departures(by_key["plain near"], ranked)
    assert reasons[0].startswith("ICWA:")
    # An ICWA-preferred but more restrictive choice is not a P2 departure.
    assert rules.departures(by_key["kin"], ranked) == []


def test_icwa_follows_the_tribes_own_order_when_recorded():
    child = ChildFacts(
        age=9, parents_home=HOME, icwa=True, tribes=frozenset({"t1"}), tribe_order=(3, 2)
    )
    ranked = rules.rank_options(
        child,
        [
            opt("tribe home", km=1, tribes_approving=frozenset({"t1"})),
            opt("indian home", km=9, indian_operated=True),
        ],
    )
    assert [r.option.key for r in ranked] == ["indian home", "tribe home"]
    assert rules.icwa_order((3, 2))[:3] == (3, 2, 1)


def test_p3_enrolment_gap_is_flagged_past_the_setting():
    placed = date(2026, 9, 4)
    assert rules.enrolment_gap_days(placed, date(2026, 9, 7), today=date(2026, 10, 1)) == 3
    assert not rules.enrolment_gap_flagged(3, max_gap_days=3)
    assert rules.enrolment_gap_days(placed, None, today=date(2026, 9, 14)) == 10
    assert rules.enrolment_gap_flagged(10, max_gap_days=3)


def test_p4_first_goal_is_reunification_unless_a_reason_is_recorded():
    assert rules.initial_goal_problem("reunification", "") is None
    assert "P4" in rules.initial_goal_problem("adoption", "  ")
    assert rules.initial_goal_problem("adoption", "Parents' rights relinquished") is None


def test_p5_first_contact_and_weekly_visits():
    assert rules.first_contact_due(date(2024, 2, 27), within_days=3) == date(2024, 3, 1)
    problems = rules.visitation_plan_problems(
        goal="reunification",
        arrangements=[rules.Arrangement("parent", "every_two_weeks")],
        participants=[rules.Participant("resource_parent", False)],
        has_parents=True,
        has_siblings_apart=False,
        less_than_weekly_reason="",
    )
    assert "P5" in problems["less_than_weekly_reason"]
    # Another goal: the weekly rule does not apply.
    assert (
        rules.visitation_plan_problems(
            goal="adoption",
            arrangements=[rules.Arrangement("parent", "monthly")],
            participants=[rules.Participant("resource_parent", False)],
            has_parents=True,
            has_siblings_apart=True,
            less_than_weekly_reason="",
        )
        == {}
    )


def test_p5_a_plan_expects_its_most_frequent_parent_visits():
    arr = rules.Arrangement
    plan = [
        arr("sibling", "more_than_weekly"),
        arr("parent", "every_two_weeks"),
        arr("parent", "weekly"),
    ]
    assert rules.planned_visits_per_week(plan) == 1.0
    assert rules.planned_visits_per_week([arr("sibling", "monthly")]) == 12 / 52
    assert rules.planned_visits_per_week([]) == 0.0


def test_p5_adherence_counts_held_visits_against_the_plan():
    assert rules.visit_adherence(expected_per_week=1, days=28, held=3) == 75
    assert rules.visit_adherence(expected_per_week=1, days=28, held=6) == 100
    assert rules.visit_adherence(expected_per_week=1, days=3, held=0) is None


def test_p6_signed_by_all_needs_every_participant():
    assert not rules.signed_by_all([])
    assert not rules.signed_by_all(
        [rules.Participant("parent", True), rules.Participant("resource_parent", False)]
    )
    assert rules.signed_by_all([rules.Participant("parent", True)])


def test_p7_every_child_in_care_is_reviewed():
    assert "P7" in rules.conference_review_problem({1, 2}, {1})
    assert rules.conference_review_problem({1, 2}, {1, 2}) is None


def test_v11_v12_placement_status_adds_contacts():
    assert [r for r, _ in rules.placement_contact_flags("runaway", False)] == ["V11"]
    assert [r for r, _ in rules.placement_contact_flags("group_home", True)] == ["V12"]
    assert rules.placement_contact_flags("group_home", False) == []


@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(rules.SETTING_LEVEL)),
            st.floats(0, 200),
            st.integers(0, 3),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_p2_ranking_never_puts_a_more_restrictive_available_option_first(rows):
    """Property: among available options, levels never decrease down the list, and at
    one level distances never decrease; the first option never needs a reason."""
    options = [
        opt(f"o{i}", s, km=km, capacity=3, occupancy=occ) for i, (s, km, occ) in enumerate(rows)
    ]
    ranked = [r for r in rules.rank_options(CHILD, options) if r.available]
    for a, b in zip(ranked, ranked[1:], strict=False):
        assert (a.level, a.km) <= (b.level, b.km)
    if ranked:
        assert rules.departures(ranked[0], ranked) == []


# --- Resource homes kept in the product ------------------------------------------------


def test_p3_school_distance_is_the_distance_from_the_home_to_the_school_of_origin():
    assert rules.school_distance_km(north(0), north(22.24)) == 22.2
    assert rules.school_distance_km(None, north(1)) is None
    child = ChildFacts(age=9, school=north(30))
    (r,) = rules.rank_options(child, [opt("home", km=10)])
    assert r.km_school == 20.0


def test_p5_a_home_where_a_sibling_lives_ranks_first_then_one_taking_the_whole_group():
    child = ChildFacts(age=9, parents_home=HOME, sibling_group=3)
    ranked = rules.rank_options(
        child,
        [
            opt("near, alone", km=1, capacity=4),
            opt("takes all three", km=30, capacity=4, sibling_group_max=3),
            opt("sister there", km=50, capacity=4, occupancy=1, siblings_here=1),
            opt("group home", "group_home", km=0, capacity=8, sibling_group_max=8),
        ],
    )
    assert [r.option.key for r in ranked] == [
        "sister there",
        "takes all three",
        "near, alone",
        "group home",  # P2 before P5: a less restrictive home still comes first
    ]
    assert "a sibling lives here" in ranked[0].notes
    assert "takes the sibling group of 3 together" in ranked[1].notes


def test_p5_a_group_needs_the_room_and_the_homes_sibling_limit():
    child = ChildFacts(age=9, sibling_group=3)
    no_room = opt("no room", capacity=4, occupancy=2, sibling_group_max=3)
    too_small = opt("pairs only", capacity=4, sibling_group_max=2)
    assert rules.sibling_fit(child, no_room) == rules.SIBLINGS_APART
    assert rules.sibling_fit(child, too_small) == rules.SIBLINGS_APART
    alone = ChildFacts(age=9)
    assert rules.sibling_fit(alone, opt("any", capacity=4, sibling_group_max=4)) == (
        rules.SIBLINGS_APART
    )


def test_a_home_taking_one_gender_does_not_fit_a_child_of_the_other():
    girls = opt("girls", gender_accepted="female")
    (r,) = rules.rank_options(ChildFacts(age=9, sex="male"), [girls])
    assert not r.available and "takes girls only" in r.problems
    (r,) = rules.rank_options(ChildFacts(age=9, sex="female"), [girls])
    assert r.available
    assert rules.gender_fits("male", "unknown")


def test_licence_status_warns_before_expiry_and_flags_an_expired_licence():
    day = date(2026, 11, 30)
    status = rules.licence_status
    assert status(None, today=day, warn_days=60) is None
    assert status(date(2026, 11, 29), today=day, warn_days=60) == rules.LICENCE_EXPIRED
    assert status(day, today=day, warn_days=60) == rules.LICENCE_EXPIRING
    assert status(date(2027, 1, 29), today=day, warn_days=60) == rules.LICENCE_EXPIRING
    assert status(date(2027, 1, 30), today=day, warn_days=60) is None
