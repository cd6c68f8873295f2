"""Reassignment proposals and their confirmation (A6, A7)."""

import pytest

from hearth.core.services import today
from hearth.staff.models import Role
from tests.api.intake.helpers import API, _counts, _hold, _new_worker, _worker
from tests.factories import StaffFactory


@pytest.fixture
def departing(shop, county):
    """Dee leaves Unit A holding 6 cases. Ana holds 8, Ben 2, and Nia (new, trained 20
    days ago) 4 of the 5 cases she may hold."""
    director = shop["director"]
    dee = _worker(shop["unit_a"], "Dee")
    nia = _new_worker(shop["unit_a"], "Nia")
    _hold(shop["ana"], 8, by=director, county=county)
    _hold(shop["ben"], 2, by=director, county=county)
    _hold(nia, 4, by=director, county=county)
    cases = _hold(dee, 6, by=director, county=county)
    return {"dee": dee, "nia": nia, "cases": cases}


def _held(case):
    return case.assignments.get(ends_on__isnull=True).worker_id


def test_a6_proposal_spreads_a_departing_workers_cases_without_breaking_a_cap(
    shop, departing, api_as
):
    dee, nia = departing["dee"], departing["nia"]
    api = api_as(shop["sup_a"].user)
    url = f"{API}/staff/{dee.pk}/reassignment-proposal"
    body = api.get(url).json()
    assert body["unit"]["id"] == shop["unit_a"].pk
    assert {m["case"]["id"] for m in body["moves"]} == {c.pk for c in departing["cases"]}
    assert all(m["worker"] is not None and m["note"] == "" for m in body["moves"])
    assert body["worker"]["open_cases_before"] == 6 and body["worker"]["open_cases_after"] == 0
    loads = {w["worker"]["id"]: w for w in body["workers"]}
    assert set(loads) == {shop["ana"].pk, shop["ben"].pk, nia.pk}
    for w in loads.values():
        assert w["weighted_load_after"] <= w["capacity"]
        if w["new_worker_cap"] is not None:
            assert w["open_cases_after"] <= w["new_worker_cap"]
    assert loads[nia.pk]["new_worker_cap"] == 5 and loads[nia.pk]["open_cases_after"] <= 5
    assert sum(w["open_cases_after"] - w["open_cases_before"] for w in loads.values()) == 6
    # The lightest worker takes the most.
    gain = {k: w["open_cases_after"] - w["open_cases_before"] for k, w in loads.items()}
    assert gain[shop["ben"].pk] == max(gain.values()) > gain[shop["ana"].pk]
    # A subset, and a case Dee does not hold.
    one = departing["cases"][0].pk
    assert len(api.get(url, cases=str(one)).json()["moves"]) == 1
    r = api.get(url, cases=f"{one},999999")
    assert r.status_code == 422 and "999999" in r.json()["errors"]["cases"]
    assert api.get(url, cases="1,x").status_code == 422


def test_a6_confirming_moves_every_case_and_keeps_the_history(shop, departing, api_as):
    dee = departing["dee"]
    api = api_as(shop["sup_a"].user)
    proposal = api.get(f"{API}/staff/{dee.pk}/reassignment-proposal").json()
    moves = [{"case": m["case"]["id"], "worker": m["worker"]["id"]} for m in proposal["moves"]]
    url = f"{API}/staff/{dee.pk}/reassignments"
    # A changed move needs adjust_reason (A7); nothing moves without it.
    changed = [dict(m) for m in moves]
    other = next(
        w for w in (shop["ana"].pk, shop["ben"].pk) if w != changed[0]["worker"]
    )  # a worker with room, not the proposed one
    changed[0]["worker"] = other
    before = _counts()
    r = api.post(url, {"moves": changed, "reason": "Dee leaves the agency"})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"adjust_reason"}
    assert _counts() == before
    assert all(_held(c) == dee.pk for c in departing["cases"])
    # Unknown ids name the move and field.
    r = api.post(
        url,
        {"moves": [{"case": 999999, "worker": 999998}] + moves[1:], "reason": "Dee leaves"},
    )
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"moves[0].case", "moves[0].worker"}
    # The proposal as it stands.
    r = api.post(url, {"moves": moves, "reason": "Dee leaves the agency"})
    assert r.status_code == 201, r.content
    made = r.json()
    assert len(made) == 6
    assert {(a["case"]["id"], a["worker"]["id"]) for a in made} == {
        (m["case"], m["worker"]) for m in moves
    }
    assert {a["assigned_by"]["id"] for a in made} == {shop["sup_a"].pk}
    for case in departing["cases"]:
        expected = next(m["worker"] for m in moves if m["case"] == case.pk)
        assert _held(case) == expected
        old = case.assignments.get(worker=dee)
        assert old.ends_on == today()
        assert old.end_reason == "Reassigned: Dee leaves the agency"
    assert api.get(f"{API}/staff/{dee.pk}/reassignment-proposal").json()["moves"] == []


def test_a6_adjusted_move_with_a_reason_is_kept(shop, departing, api_as):
    dee = departing["dee"]
    api = api_as(shop["director"].user)
    case = departing["cases"][0]
    proposal = api.get(f"{API}/staff/{dee.pk}/reassignment-proposal", cases=str(case.pk)).json()
    proposed = proposal["moves"][0]["worker"]["id"]
    other = shop["ana"].pk if proposed != shop["ana"].pk else shop["ben"].pk
    r = api.post(
        f"{API}/staff/{dee.pk}/reassignments",
        {
            "moves": [{"case": case.pk, "worker": other}],
            "reason": "Dee leaves",
            "adjust_reason": "The family asked for this worker",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()[0]["override_reason"] == "The family asked for this worker"
    assert _held(case) == other


def test_a6_a_case_manager_may_not_reassign_a_colleagues_cases(shop, departing, api_as):
    dee = departing["dee"]
    api = api_as(shop["ben"].user)
    assert api.get(f"{API}/staff/{dee.pk}/reassignment-proposal").status_code == 403
    r = api.post(
        f"{API}/staff/{dee.pk}/reassignments",
        {"moves": [{"case": departing["cases"][0].pk, "worker": shop["ben"].pk}], "reason": "x"},
    )
    assert r.status_code == 403
    assert _held(departing["cases"][0]) == dee.pk
    # Nor does Unit B's supervisor: Dee is not in their unit.
    sup_b = StaffFactory(unit=shop["unit_b"], roles=[Role.SUPERVISOR])
    url = f"{API}/staff/{dee.pk}/reassignment-proposal"
    assert api_as(sup_b.user).get(url).status_code == 403
