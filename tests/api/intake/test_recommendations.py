"""The ranked recommendations and assignment (A2, A5, A7) and a unit's balance."""

from datetime import timedelta

import pytest

from hearth.core.models import AccessLog
from hearth.staff import services as staff_services
from tests.api.intake.helpers import API, _hold, _new_worker, _refer
from tests.factories import LanguageFactory, PersonFactory, SkillFactory, make_case

FACTORS = ["a", "b", "c", "d", "e", "f", "g", "h"]


def test_a2_recommendations_explain_factors_a_to_h_for_every_worker(shop, api_as, county):
    SkillFactory(code="substance-abuse", name="Substance abuse")
    LanguageFactory(code="es", name="Spanish")
    staff_services.staff_update(
        actor=shop["director"].user,
        member=shop["ben"],
        gender="female",
        skills=[SkillFactory(code="substance-abuse")],
    )
    _hold(shop["ana"], 2, by=shop["director"], county=county)
    api = api_as(shop["intake"].user)
    got = _refer(api, substance_abuse=True, languages=["es"], gender_preference="female")
    case_id = got["id"]
    # Unit A for sure: send it there if caseload chose Unit B (which has no workers).
    if got["unit"]["id"] != shop["unit_a"].pk:
        r = api_as(shop["director"].user).post(
            f"{API}/cases/{case_id}/routing",
            {"unit": shop["unit_a"].pk, "reason": "Test", "version": got["version"]},
        )
        assert r.status_code == 201, r.content
    logged = AccessLog.objects.filter(case_id=case_id).count()
    body = api_as(shop["sup_a"].user).get(f"{API}/cases/{case_id}/recommendations").json()
    assert AccessLog.objects.filter(case_id=case_id).count() == logged + 1
    assert body["unit"] == {"id": shop["unit_a"].pk, "name": "Unit A"}
    assert body["scope"] == "unit" and body["weight"] == 1.0
    assert len(body["workers"]) == 2
    for w in body["workers"]:
        assert [f["code"] for f in w["factors"]] == FACTORS
        for f in w["factors"]:
            assert f["text"].strip() and f["name"].strip()
            assert 0 <= f["points"] <= f["of"]
        assert w["score"] == pytest.approx(sum(f["points"] for f in w["factors"]), abs=0.1)
        assert w["eligible"] and w["limits"] == []
        assert w["capacity"] == 15.0
    ben = body["workers"][0]
    assert ben["worker"]["id"] == shop["ben"].pk == body["top"] and ben["rank"] == 1
    factors = {f["code"]: f["text"] for f in ben["factors"]}
    assert "skilled in substance abuse" in factors["d"]
    assert "female, as the family prefers" in factors["f"]
    ana = body["workers"][1]
    assert ana["open_cases"] == 2 and ana["weighted_load"] == 2.0
    assert "holds 2 cases" in next(f["text"] for f in ana["factors"] if f["code"] == "a")
    # Across the agency, and for another unit; a unit of no one's is refused.
    agency_wide = api_as(shop["director"].user).get(
        f"{API}/cases/{case_id}/recommendations", scope="agency"
    )
    assert agency_wide.json()["unit"] is None and len(agency_wide.json()["workers"]) == 2
    other = api.get(f"{API}/cases/{case_id}/recommendations", unit=shop["unit_b"].pk).json()
    assert other["workers"] == [] and other["top"] is None


@pytest.fixture
def new_worker_case(shop, api_as, county):
    """A5: Nia finished pre-service training 20 days ago and holds 5 cases; a referral
    waits in Unit A, where Ana is free."""
    staff_services.staff_update(
        actor=shop["director"].user, member=shop["ben"], unit=shop["unit_b"]
    )
    nia = _new_worker(shop["unit_a"], "Nia")
    _hold(nia, 5, by=shop["director"], county=county)
    case = make_case(
        actor_staff=shop["director"],
        agency=shop["agency"],
        unit=shop["unit_a"],
        members=[(PersonFactory(), "child")],
    )
    return case, nia


def test_a5_new_worker_over_the_cap_is_refused_even_for_a_director(shop, new_worker_case, api_as):
    """A5 is a hard limit (issue 11): no one assigns a sixth case to a new worker in the
    30 days after training, not even a program director with a reason."""
    case, nia = new_worker_case
    url = f"{API}/cases/{case.pk}/assignments"
    body = api_as(shop["sup_a"].user).get(f"{API}/cases/{case.pk}/recommendations").json()
    rec = next(w for w in body["workers"] if w["worker"]["id"] == nia.pk)
    assert not rec["eligible"] and rec["open_cases"] == 5 and rec["overridable"] is False
    assert rec["limits"][0]["code"] == "new_worker_cap"
    assert rec["limits"][0]["text"].startswith("new worker: already holds 5 of the 5 cases")
    assert rec["limits"][0]["overridable"] is False
    assert rec["cap"].startswith("new worker: 5 of 5 cases allowed until")
    assert body["top"] == shop["ana"].pk
    assert body["workers"][-1]["worker"]["id"] == nia.pk  # the ineligible come last
    choose_nia = {
        "worker": nia.pk,
        "reason": "Knows the family",
        "override_reason": "Knows them",
        "version": case.version,
    }
    for user in (shop["sup_a"].user, shop["director"].user):
        r = api_as(user).post(url, choose_nia)
        assert r.status_code == 422 and set(r.json()["errors"]) == {"worker"}
        assert "5 of the 5 cases" in r.json()["errors"]["worker"]
        assert "not even a program director" in r.json()["errors"]["worker"]
    # A reason to go above capacity (A2) does not lift A5's cap.
    r = api_as(shop["director"].user).post(
        url, choose_nia | {"limit_override_reason": "Only Spanish speaker free"}
    )
    assert r.status_code == 422 and set(r.json()["errors"]) == {"worker"}
    assert "not even a program director" in r.json()["errors"]["worker"]
    assert not case.assignments.exists()
    case.refresh_from_db()
    assert case.status == "referred"


def test_a2_a_director_assigns_above_capacity_with_a_reason_and_reads_it_back(shop, api_as, county):
    """A2: a program director, and no one else, assigns a worker at capacity with a reason;
    the reason is answered and kept in the assignment history. A5 stays hard."""
    _hold(shop["ana"], 7, by=shop["director"], county=county, complexity=4)  # 14 of 15
    case = make_case(
        actor_staff=shop["director"],
        agency=shop["agency"],
        unit=shop["unit_a"],
        complexity=4,
        members=[(PersonFactory(), "child")],
    )
    url = f"{API}/cases/{case.pk}/assignments"
    body = api_as(shop["sup_a"].user).get(f"{API}/cases/{case.pk}/recommendations").json()
    ana = next(w for w in body["workers"] if w["worker"]["id"] == shop["ana"].pk)
    assert not ana["eligible"] and ana["overridable"] is True
    assert [(x["code"], x["overridable"]) for x in ana["limits"]] == [("capacity", True)]
    choose_ana = {
        "worker": shop["ana"].pk,
        "reason": "Knows the family",
        "override_reason": "Knows them",
        "version": case.version,
    }
    r = api_as(shop["sup_a"].user).post(url, choose_ana | {"limit_override_reason": "Please"})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"worker"}
    assert "Only a program director can assign above capacity" in r.json()["errors"]["worker"]
    director = api_as(shop["director"].user)
    r = director.post(url, choose_ana)
    assert r.status_code == 422 and set(r.json()["errors"]) == {"limit_override_reason"}
    assert not case.assignments.exists()
    r = director.post(url, choose_ana | {"limit_override_reason": "Court order; reviewed Monday"})
    assert r.status_code == 201, r.content
    assert r.json()["limit_override_reason"] == "Court order; reviewed Monday"
    assert r.json()["assigned_by"]["id"] == shop["director"].pk
    (row,) = director.get(url).json()
    assert row["limit_override_reason"] == "Court order; reviewed Monday"
    assert row["override_reason"] == "Knows them"


def test_a5_unit_balance_shows_loads_caps_and_limits(shop, new_worker_case, api_as, county):
    case, nia = new_worker_case
    trained = nia.preservice_training_completed_on
    body = api_as(shop["sup_a"].user).get(f"{API}/units/{shop['unit_a'].pk}/balance").json()
    assert body["unit"] == {"id": shop["unit_a"].pk, "name": "Unit A"}
    rows = {w["worker"]["id"]: w for w in body["workers"]}
    assert set(rows) == {shop["ana"].pk, nia.pk}
    row = rows[nia.pk]
    assert row["open_cases"] == 5 and row["weighted_load"] == 5.0 and row["capacity"] == 15.0
    assert row["load_percent"] == 33 and row["out_of_home_share"] == 0
    assert row["new_worker_cap"] == 5
    assert row["cap_rises_on"] == (trained + timedelta(days=31)).isoformat()
    assert [(x["code"], x["overridable"]) for x in row["limits"]] == [("new_worker_cap", False)]
    ana = rows[shop["ana"].pk]
    assert ana["new_worker_cap"] is None and ana["cap_rises_on"] is None and ana["limits"] == []
    assert body["totals"] == {
        "workers": 2,
        "open_cases": 5,
        "weighted_load": 5.0,
        "capacity": 30.0,
        "load_percent": 17,
    }


def test_a7_choosing_another_than_the_top_recommendation_needs_a_reason(shop, api_as, county):
    _hold(shop["ana"], 3, by=shop["director"], county=county)
    case = make_case(
        actor_staff=shop["sup_a"], unit=shop["unit_a"], members=[(PersonFactory(), "child")]
    )
    api = api_as(shop["sup_a"].user)
    top = api.get(f"{API}/cases/{case.pk}/recommendations").json()["top"]
    assert top == shop["ben"].pk
    url = f"{API}/cases/{case.pk}/assignments"
    r = api.post(url, {"worker": shop["ana"].pk, "reason": "Continuity", "version": case.version})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"override_reason"}
    assert "Ben Case" in r.json()["errors"]["override_reason"]
    assert not case.assignments.exists()
    r = api.post(
        url,
        {
            "worker": shop["ana"].pk,
            "reason": "Continuity",
            "override_reason": "Knew the mother",
            "version": case.version,
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["override_reason"] == "Knew the mother"
    assert case.assignments.get().override_reason == "Knew the mother"
