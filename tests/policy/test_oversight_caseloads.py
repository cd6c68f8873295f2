"""O4: ranking the state oversight specialists for a case, database-free."""

from hearth.policy.oversight_caseloads import (
    STATEWIDE,
    OversightCaseFacts,
    SpecialistFacts,
    families_text,
    override_problem,
    rank_specialists,
    reassignment_override_problem,
)

NORTH, SOUTH = 1, 2


def spec(id, name, families, region=NORTH, status="active"):
    names = {NORTH: "North", SOUTH: "South", None: ""}
    return SpecialistFacts(
        id=id,
        name=name,
        status=status,
        region_id=region,
        region_name=names[region],
        families=families,
    )


CASE = OversightCaseFacts(id=7, county_name="Alder", region_id=NORTH, region_name="North")


def test_o4_lightest_load_in_the_region_first_with_words():
    ranking = rank_specialists(
        CASE,
        [spec(1, "Ann Bell", 42), spec(2, "Cy Dunn", 12), spec(3, "Eve Fox", 3, SOUTH)],
        capacity=80,
    )
    assert ranking.scope == "region" and ranking.note == ""
    assert [r.specialist.id for r in ranking.ranked] == [2, 1]  # the South one is not ranked
    assert ranking.top.specialist.name == "Cy Dunn"
    assert ranking.ranked[1].explanation == "42 of 80 families (52% full); same region (North)"


def test_o4_ties_by_name_then_id():
    ranking = rank_specialists(
        CASE, [spec(5, "Zed Ames", 10), spec(4, "Al Ames", 10), spec(3, "Al Ames", 10)], capacity=80
    )
    assert [r.specialist.id for r in ranking.ranked] == [3, 4, 5]


def test_o4_no_active_specialist_in_the_region_ranks_statewide_and_says_so():
    ranking = rank_specialists(
        CASE,
        [spec(1, "Ann Bell", 1, status="on_leave"), spec(2, "Eve Fox", 30, SOUTH)],
        capacity=80,
    )
    assert ranking.scope == STATEWIDE
    assert "No specialist of the North region is active" in ranking.note
    assert [r.specialist.id for r in ranking.ranked] == [2]
    assert ranking.ranked[0].explanation.endswith("another region (South)")
    assert "statewide" in ranking.summary


def test_o4_a_county_without_region_ranks_statewide():
    case = OversightCaseFacts(id=8, county_name="Maple")
    ranking = rank_specialists(
        case, [spec(1, "Ann Bell", 9), spec(2, "Eve Fox", 3, SOUTH)], capacity=80
    )
    assert ranking.scope == STATEWIDE and "Maple county has no region" in ranking.note
    assert [r.specialist.id for r in ranking.ranked] == [2, 1]


def test_o4_over_capacity_still_ranked_but_flagged():
    ranking = rank_specialists(CASE, [spec(1, "Ann Bell", 80), spec(2, "Cy Dunn", 81)], capacity=80)
    assert [r.over_capacity for r in ranking.ranked] == [True, True]
    assert "past the 80 families of O4" in ranking.ranked[0].explanation
    light = rank_specialists(CASE, [spec(1, "Ann Bell", 79)], capacity=80)
    assert not light.top.over_capacity


def test_o4_departed_and_on_leave_are_not_ranked():
    ranking = rank_specialists(
        CASE,
        [spec(1, "A", 0, status="departed"), spec(2, "B", 0, status="on_leave")],
        capacity=80,
    )
    assert ranking.ranked == () and ranking.top is None
    assert "statewide" in ranking.summary


def test_o4_override_needs_a_reason():
    ranking = rank_specialists(CASE, [spec(1, "Ann Bell", 5), spec(2, "Cy Dunn", 9)], capacity=80)
    assert override_problem(ranking, 1, "") is None
    assert "recommends Ann Bell" in override_problem(ranking, 2, "  ")
    assert override_problem(ranking, 2, "Knows the family") is None


def test_o4_moving_many_families_to_one_needs_a_reason_for_those_it_departs_from():
    a = rank_specialists(CASE, [spec(1, "Ann Bell", 5), spec(2, "Cy Dunn", 9)], capacity=80)
    b = rank_specialists(CASE, [spec(2, "Cy Dunn", 1), spec(1, "Ann Bell", 9)], capacity=80)
    rankings = {"X-2": a, "X-1": b}
    assert reassignment_override_problem(rankings, 2, "") == (
        "The system recommends someone else for X-2: say why you chose this specialist (O4)."
    )
    assert reassignment_override_problem({"X-1": b}, 2, "") is None
    assert reassignment_override_problem(rankings, 2, "Leaving") is None


def test_o4_families_text():
    assert families_text(60, 80) == "60 of 80 families (75% full)"
    assert families_text(1, 1) == "1 of 1 family (100% full)"
    assert families_text(0, 0) == "0 of 0 families (100% full)"
