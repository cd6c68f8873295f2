"""Database-free tests of intake and assignment rules (A1 to A7) in hearth.policy.assignment."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.policy.assignment import (
    CaseFacts,
    RoutingFacts,
    UnitFacts,
    WorkerFacts,
    capacity,
    case_weight,
    hard_limits,
    new_worker_cap,
    propose_distribution,
    rank_workers,
    route,
    top_recommendation,
)
from hearth.policy.settings import DEFAULTS, validate_overrides

TODAY = date(2026, 11, 23)


def worker(id, **kw):
    base = dict(
        id=id,
        name=f"Worker {id}",
        unit_id=1,
        status="active",
        experience=3,
        supervision=2,
        trained_on=TODAY - timedelta(days=800),
    )
    base.update(kw)
    return WorkerFacts(**base)


def case(**kw):
    base = dict(id=1, complexity=2)
    base.update(kw)
    return CaseFacts(**base)


# A5 ----------------------------------------------------------------------------------


def test_a5_new_worker_holds_at_most_5_cases_in_the_30_days_after_training():
    cap = new_worker_cap(TODAY - timedelta(days=20), 1, TODAY, DEFAULTS)
    assert cap.cases == 5
    assert cap.rises_on == TODAY - timedelta(days=20) + timedelta(days=31)
    w = worker(1, experience=1, trained_on=TODAY - timedelta(days=20), open_cases=5,
               weighted_load=5.0)  # fmt: skip
    limits = hard_limits(w, 1.0, TODAY, DEFAULTS)
    assert [limit.code for limit in limits] == ["new_worker_cap"]
    assert "5 of the 5 cases" in limits[0].text and "A5" in limits[0].text
    w4 = worker(1, experience=1, trained_on=TODAY - timedelta(days=20), open_cases=4)
    assert hard_limits(w4, 1.0, TODAY, DEFAULTS) == ()


def test_a5_the_cap_rises_step_by_step_to_a_full_caseload():
    trained = TODAY - timedelta(days=200)
    caps = [new_worker_cap(trained, 1, trained + timedelta(days=d), DEFAULTS).cases
            for d in (0, 30, 31, 60, 61, 90, 91, 120, 121)]  # fmt: skip
    assert caps == [5, 5, 8, 8, 11, 11, 13, 13, None]


def test_a5_the_ramp_is_a_policy_setting():
    s = DEFAULTS.merged({"new_worker_case_cap": 3, "new_worker_cap_ramp": [[31, 6], [46, 15]]})
    trained = TODAY - timedelta(days=40)
    assert new_worker_cap(trained, 1, TODAY, s).cases == 6
    assert new_worker_cap(TODAY - timedelta(days=10), 1, TODAY, s).cases == 3
    assert new_worker_cap(TODAY - timedelta(days=46), 1, TODAY, s).cases is None


def test_a5_an_untrained_new_worker_takes_no_case_and_no_override_lifts_it():
    limits = hard_limits(worker(1, experience=1, trained_on=None), 1.0, TODAY, DEFAULTS)
    assert [limit.code for limit in limits] == ["untrained"]
    assert not limits[0].overridable


def test_a5_the_cap_is_never_overridable_a2_capacity_is_by_a_director():
    """A5 is a hard limit (issue 11): no one lifts the new-worker cap. A2: capacity alone is
    one a program director may assign above, with a reason; a worker past both is not."""
    w = worker(1, experience=1, trained_on=TODAY - timedelta(days=20), open_cases=5,
               weighted_load=15.0)  # fmt: skip
    limits = hard_limits(w, 1.0, TODAY, DEFAULTS)
    assert [(limit.code, limit.overridable) for limit in limits] == [
        ("new_worker_cap", False),
        ("capacity", True),
    ]
    ranked = rank_workers(case(), [w], today=TODAY, settings=DEFAULTS)
    assert not ranked[0].eligible and not ranked[0].overridable
    full = worker(2, open_cases=15, weighted_load=15.0)
    (at_capacity,) = hard_limits(full, 1.0, TODAY, DEFAULTS)
    assert at_capacity.code == "capacity" and at_capacity.overridable
    ranked = rank_workers(case(), [full], today=TODAY, settings=DEFAULTS)
    assert not ranked[0].eligible and ranked[0].overridable


def test_a5_a_ramp_cap_departed_and_on_leave_are_never_overridable():
    """A5: the ramp's caps are as hard as the first 30 days' cap; a departed or on-leave
    worker is never assigned, over capacity or not (A2)."""
    ramping = worker(1, experience=1, trained_on=TODAY - timedelta(days=40), open_cases=8,
                     weighted_load=8.0)  # fmt: skip
    assert [(x.code, x.overridable) for x in hard_limits(ramping, 1.0, TODAY, DEFAULTS)] == [
        ("new_worker_cap", False)
    ]
    for status in ("departed", "on_leave"):
        gone = worker(2, status=status, open_cases=15, weighted_load=15.0)
        limits = hard_limits(gone, 1.0, TODAY, DEFAULTS)
        assert [x.code for x in limits] == [status, "capacity"]
        assert not rank_workers(case(), [gone], today=TODAY, settings=DEFAULTS)[0].overridable


def test_a5_a_step_dated_inside_the_first_30_days_applies_only_after_them():
    s = DEFAULTS.merged({"new_worker_cap_ramp": [[20, 9], [61, 15]]})
    trained = TODAY - timedelta(days=200)
    caps = [new_worker_cap(trained, 1, trained + timedelta(days=d), s).cases
            for d in (20, 30, 31, 60, 61)]  # fmt: skip
    assert caps == [5, 5, 9, 9, None]
    assert validate_overrides({"new_worker_cap_ramp": [[20, 9], [61, 15]]}) == []


def test_a5_a_good_ramp_is_accepted():
    assert validate_overrides({"new_worker_cap_ramp": [[31, 7], [61, 10], [91, 15]]}) == []
    assert validate_overrides({"new_worker_cap_ramp": DEFAULTS.new_worker_cap_ramp}) == []
    # The full caseload and the ramp are judged together.
    assert validate_overrides({"full_caseload": 12, "new_worker_cap_ramp": [[31, 12]]}) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"new_worker_cap_ramp": [[31, 8], [61, 7], [91, 15]]},
         "days must increase and caps must not fall"),
        ({"new_worker_cap_ramp": [[31, 8], [31, 15]]},
         "days must increase and caps must not fall"),
        ({"new_worker_cap_ramp": [[31, 4], [61, 15]]},
         "the first step (4 cases) falls below the 5 cases of the first 30 days"),
        ({"new_worker_cap_ramp": [[45, 8], [91, 15]]},
         "the first step starts on day 45, leaving a gap after the first 30 days: it must "
         "start on day 31 or earlier"),
        ({"new_worker_cap_days": 40, "new_worker_cap_ramp": [[42, 8], [91, 15]]},
         "it must start on day 41 or earlier"),
        ({"new_worker_cap_ramp": [[31, 8], [61, 13]]},
         "the last step (13 cases from day 61) must reach the full caseload (15 cases)"),
        ({"full_caseload": 20}, "must reach the full caseload (20 cases)"),
        ({"new_worker_cap_ramp": []}, "give at least one step"),
    ],
)  # fmt: skip
def test_a5_a_ramp_that_falls_leaves_a_gap_or_stops_short_is_refused(overrides, message):
    (problem,) = validate_overrides(overrides)
    assert problem.startswith("new_worker_cap_ramp: ") and message in problem


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"status": "departed", "departed_on": TODAY}, "departed"),
        ({"status": "on_leave"}, "on_leave"),
        ({"open_cases": 15, "weighted_load": 15.0}, "capacity"),
    ],
)
def test_a2_departed_on_leave_and_full_workers_are_ineligible_with_the_reason(kw, code):
    ranked = rank_workers(case(), [worker(1, **kw), worker(2)], today=TODAY, settings=DEFAULTS)
    assert ranked[0].worker.id == 2 and ranked[0].eligible
    assert not ranked[1].eligible
    assert ranked[1].limits[0].code == code and ranked[1].limits[0].text


# A2 ----------------------------------------------------------------------------------


def test_a2_every_worker_is_explained_by_factors_a_to_h():
    ranked = rank_workers(case(), [worker(1), worker(2)], today=TODAY, settings=DEFAULTS)
    for rec in ranked:
        assert [f.code for f in rec.factors] == list("abcdefgh")
        assert all(f.text for f in rec.factors)
        assert rec.score == round(sum(f.points for f in rec.factors), 1)


def test_a2a_the_lighter_caseload_ranks_first():
    busy = worker(1, open_cases=10, weighted_load=10.0)
    light = worker(2, open_cases=3, weighted_load=3.0)
    ranked = rank_workers(case(), [busy, light], today=TODAY, settings=DEFAULTS)
    assert [r.worker.id for r in ranked] == [2, 1]
    assert "20% full" in ranked[0].factors[0].text


def test_a2b_complex_cases_go_to_experienced_workers():
    new = worker(1, experience=1)
    senior = worker(2, experience=4)
    ranked = rank_workers(case(complexity=4), [new, senior], today=TODAY, settings=DEFAULTS)
    assert ranked[0].worker.id == 2
    text = next(f.text for f in ranked[1].factors if f.code == "b")
    assert "harder than this worker's experience" in text


def test_a2c_a_worker_needing_close_supervision_scores_lower_on_a_hard_case():
    close = worker(1, supervision=3)
    minimal = worker(2, supervision=1)
    ranked = rank_workers(case(complexity=3), [close, minimal], today=TODAY, settings=DEFAULTS)
    assert ranked[0].worker.id == 2
    assert "needs close supervision" in next(f.text for f in ranked[1].factors if f.code == "c")


def test_a2d_skills_meet_the_family_needs():
    skilled = worker(1, skills=frozenset({"domestic-violence", "substance-abuse"}))
    other = worker(2)
    family = case(needs=frozenset({"domestic_violence", "substance_abuse"}))
    ranked = rank_workers(family, [other, skilled], today=TODAY, settings=DEFAULTS)
    assert ranked[0].worker.id == 1
    assert "skilled in domestic violence and substance abuse (2 of 2 needs)" in (
        ranked[0].factors[3].text
    )


def test_a2e_a_high_need_family_prefers_a_worker_with_fewer_high_need_cases():
    heavy = worker(1, open_cases=6, weighted_load=6.0, high_need_cases=6)
    mixed = worker(2, open_cases=6, weighted_load=6.0, high_need_cases=1)
    ranked = rank_workers(case(complexity=3), [heavy, mixed], today=TODAY, settings=DEFAULTS)
    assert ranked[0].worker.id == 2
    assert "6 of this worker's 6 cases are high-need" in ranked[1].factors[4].text


def test_a2f_language_culture_and_gender():
    family = case(
        languages=frozenset({"es"}),
        language_names=(("es", "Spanish"),),
        culture="Mexican American",
        gender_preference="female",
    )
    match = worker(1, languages=frozenset({"es"}), culture="Mexican", gender="female")
    other = worker(2, gender="male")
    ranked = rank_workers(family, [other, match], today=TODAY, settings=DEFAULTS)
    assert ranked[0].worker.id == 1
    f = ranked[0].factors[5].text
    assert "speaks Spanish like the family" in f and "as the family prefers" in f
    assert "does not speak Spanish" in ranked[1].factors[5].text


def test_a2g_the_nearer_office_ranks_first():
    family = case(location=(40.0, -90.0))
    near = worker(1, office=(40.05, -90.0))
    far = worker(2, office=(40.6, -90.0))
    ranked = rank_workers(family, [far, near], today=TODAY, settings=DEFAULTS)
    assert ranked[0].worker.id == 1
    assert "6 km from the family" in ranked[0].factors[6].text


def test_a2h_no_worker_holds_only_out_of_home_cases_and_a_high_share_lowers_capacity():
    all_out = worker(1, open_cases=8, weighted_load=8.0, out_of_home_cases=8)
    mixed = worker(2, open_cases=8, weighted_load=8.0, out_of_home_cases=2)
    ranked = rank_workers(case(out_of_home=True), [all_out, mixed], today=TODAY,
                          settings=DEFAULTS)  # fmt: skip
    assert ranked[0].worker.id == 2
    h = next(f for f in ranked[1].factors if f.code == "h")
    assert h.points == 0 and "would hold only out-of-home cases" in h.text
    assert "already holds 100% out-of-home cases" in h.text
    # 100% out of home: the full 20% reduction; 80%: 12%; at or below 50%: none.
    assert capacity(all_out, DEFAULTS) == 12.0
    assert capacity(worker(3, open_cases=10, out_of_home_cases=8), DEFAULTS) == 13.2
    assert capacity(mixed, DEFAULTS) == 15.0


def test_a2_weights_are_policy_settings():
    skilled = worker(1, skills=frozenset({"teenagers"}), open_cases=9, weighted_load=9.0)
    light = worker(2, open_cases=2, weighted_load=2.0)
    family = case(needs=frozenset({"teenager_in_home"}))
    assert rank_workers(family, [skilled, light], today=TODAY, settings=DEFAULTS)[0].worker.id == 1
    load_first = DEFAULTS.merged({"weight_skills": 5})
    assert (
        rank_workers(family, [skilled, light], today=TODAY, settings=load_first)[0].worker.id == 2
    )


def test_a2_case_weight_follows_complexity():
    assert [case_weight(c, DEFAULTS) for c in (1, 2, 3, 4)] == [0.75, 1.0, 1.5, 2.0]


# A3, A7 ------------------------------------------------------------------------------


def test_a3_a_reopened_case_recommends_its_previous_worker_first_when_eligible():
    previous = worker(1, open_cases=12, weighted_load=12.0)
    light = worker(2)
    ranked = rank_workers(case(previous_worker_id=1), [light, previous], today=TODAY,
                          settings=DEFAULTS)  # fmt: skip
    assert ranked[0].worker.id == 1 and ranked[0].previous_worker
    assert ranked[0].factors[0].code == "A3"
    gone = worker(1, status="departed", departed_on=TODAY - timedelta(days=3))
    ranked = rank_workers(case(previous_worker_id=1), [gone, light], today=TODAY,
                          settings=DEFAULTS)  # fmt: skip
    assert ranked[0].worker.id == 2
    assert "left the agency" in ranked[1].limits[0].text


def test_a7_the_top_recommendation_is_the_first_eligible_worker():
    full = worker(1, open_cases=15, weighted_load=15.0)
    assert top_recommendation(rank_workers(case(), [full], today=TODAY, settings=DEFAULTS)) is None
    ranked = rank_workers(case(), [full, worker(2)], today=TODAY, settings=DEFAULTS)
    assert top_recommendation(ranked).worker.id == 2


# A1, A3, A4 --------------------------------------------------------------------------

UNITS = [
    UnitFacts(1, "Unit A", "case_management", weighted_load=30, capacity=60),
    UnitFacts(2, "Unit B", "case_management", weighted_load=20, capacity=60),
    UnitFacts(3, "Unit C", "case_management", weighted_load=40, capacity=60),
    UnitFacts(9, "Case Management Support", "case_management_support", weighted_load=1),
]


@pytest.mark.parametrize(("ooc", "icpc"), [(True, False), (False, True), (True, True)])
def test_a4_out_of_county_and_icpc_cases_go_to_the_support_unit(ooc, icpc):
    decision = route(RoutingFacts(ooc, icpc, previous_unit_id=1), UNITS, strategy="caseload")
    assert (decision.unit_id, decision.rule) == (9, "A4")


def test_a4_without_a_support_unit_there_is_no_unit_and_the_reason():
    decision = route(RoutingFacts(False, True), UNITS[:3], strategy="caseload")
    assert decision.unit_id is None and "no active Case Management Support unit" in (
        decision.explanation
    )


def test_a3_a_reopened_case_goes_to_its_previous_unit():
    decision = route(RoutingFacts(False, False, 3, "Sam Lee"), UNITS, strategy="caseload")
    assert (decision.unit_id, decision.rule) == (3, "A3")
    assert "Sam Lee" in decision.explanation


def test_a1_by_caseload_the_lightest_unit_against_its_capacity():
    decision = route(RoutingFacts(False, False), UNITS, strategy="caseload")
    assert (decision.unit_id, decision.rule, decision.strategy) == (2, "A1", "caseload")
    small = [UnitFacts(1, "Unit A", "case_management", 10, 20),
             UnitFacts(2, "Unit B", "case_management", 12, 60)]  # fmt: skip
    assert route(RoutingFacts(False, False), small, strategy="caseload").unit_id == 2


def test_a1_rotation_cycles_through_the_units_in_name_order():
    last, seen = None, []
    for _ in range(4):
        decision = route(RoutingFacts(False, False), UNITS, strategy="rotation", last_unit_id=last)
        seen.append(decision.unit_id)
        last = decision.unit_id
    assert seen == [1, 2, 3, 1]


def test_a1_the_strategy_is_a_validated_policy_setting():
    assert validate_overrides({"unit_routing": "rotation"}) == []
    assert validate_overrides({"unit_routing": "random"}) == [
        "unit_routing: must be one of caseload, rotation"
    ]
    assert validate_overrides({"new_worker_cap_ramp": [[60, 8], [50, 9]]}) == [
        "new_worker_cap_ramp: days must increase and caps must not fall"
    ]
    assert DEFAULTS.merged({"new_worker_cap_ramp": [[60, 8]]}).new_worker_cap_ramp == ((60, 8),)


# A6 ----------------------------------------------------------------------------------


def test_a6_a_departing_workers_cases_are_spread_to_even_the_loads():
    heavy = worker(1, open_cases=12, weighted_load=12.0)
    light = worker(2, open_cases=2, weighted_load=2.0)
    middle = worker(3, open_cases=7, weighted_load=7.0)
    cases = [case(id=i) for i in range(10)]
    moves = propose_distribution(cases, [heavy, light, middle], today=TODAY, settings=DEFAULTS)
    got = {w: sum(m.worker_id == w for m in moves) for w in (1, 2, 3)}
    # 31 weighted cases over 3 workers: about 10 each.
    assert got[1] == 0 and got[2] in (7, 8) and got[2] + got[3] == 10
    assert all(m.worker_id is not None for m in moves)


def test_a6_the_proposal_respects_the_new_worker_cap_and_capacity():
    new = worker(1, experience=1, trained_on=TODAY - timedelta(days=10), open_cases=3,
                 weighted_load=3.0)  # fmt: skip
    nearly_full = worker(2, open_cases=13, weighted_load=13.0)
    cases = [case(id=i) for i in range(6)]
    moves = propose_distribution(cases, [new, nearly_full], today=TODAY, settings=DEFAULTS)
    placed = [m.worker_id for m in moves]
    assert placed.count(1) == 2  # 3 held + 2 = the cap of 5
    assert placed.count(2) == 2  # 13 + 2 = 15, full
    assert placed.count(None) == 2
    assert all(m.note for m in moves if m.worker_id is None)


@settings(max_examples=40, deadline=None)
@given(
    loads=st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=6),
    complexities=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=12),
    new=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_a6_a_proposal_never_breaks_a_hard_limit(loads, complexities, new):
    workers = [
        worker(
            i,
            open_cases=n,
            weighted_load=float(n),
            experience=1 if new[i] else 3,
            trained_on=TODAY - timedelta(days=10 if new[i] else 900),
        )  # fmt: skip
        for i, n in enumerate(loads)
    ]
    cases = [case(id=100 + i, complexity=c) for i, c in enumerate(complexities)]
    moves = propose_distribution(cases, workers, today=TODAY, settings=DEFAULTS)
    assert len(moves) == len(cases)
    for w in workers:
        mine = [c for c, m in zip(cases, moves, strict=True) if m.worker_id == w.id]
        load = w.weighted_load + sum(case_weight(c.complexity, DEFAULTS) for c in mine)
        assert load <= capacity(w, DEFAULTS) + 1e-9
        cap = new_worker_cap(w.trained_on, w.experience, TODAY, DEFAULTS).cases
        if cap is not None:
            assert w.open_cases + len(mine) <= max(cap, w.open_cases)


def test_a2f_the_api_accepts_exactly_the_models_gender_preferences():
    from typing import get_args

    from hearth.cases.api.cases import GenderPreferenceIn
    from hearth.cases.models import Case

    assert set(get_args(GenderPreferenceIn)) == {"", *Case.GenderPreference.values}
