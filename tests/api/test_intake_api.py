"""The intake and assignment API: referrals and routing (A1, A3, A4, P1), the ranked
recommendations (A2, A3, A5, A7), a unit's balance, and reassignment proposals (A6).
Data is set up through the services; every endpoint is also tried by roles that may not
use it (403) and by another agency (the same 404 as a missing record)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.cases import services as case_services
from hearth.cases.models import Assignment, Case
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.intake import services as intake_services
from hearth.intake.models import Routing
from hearth.people.models import Person
from hearth.staff import services as staff_services
from hearth.staff.models import Role, StaffMember, Unit
from tests.factories import (
    AgencyFactory,
    CountyFactory,
    LanguageFactory,
    PersonFactory,
    SkillFactory,
    StaffFactory,
    UnitFactory,
    make_case,
)

API = "/api/v1"
SUPPORT = Unit.Kind.CASE_MANAGEMENT_SUPPORT
FACTORS = ["a", "b", "c", "d", "e", "f", "g", "h"]


# --- Set-up helpers ----------------------------------------------------------------------


@pytest.fixture
def county(db):
    return CountyFactory(code="riv", name="Riverside", latitude=39.1, longitude=-94.6)


def _director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


def _intake(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])


def _worker(unit, name, **fields):
    return StaffFactory(unit=unit, first_name=name, last_name="Case", **fields)


def _new_worker(unit, name, trained_days_ago=20):
    trained = today() - timedelta(days=trained_days_ago)
    return _worker(
        unit,
        name,
        hire_date=trained - timedelta(days=20),
        preservice_training_completed_on=trained,
        experience_level=StaffMember.Experience.NEW,
    )


def _hold(worker, n, *, by, county, complexity=2):
    """`worker` takes `n` open cases of their unit (assigned by `by`, a program director,
    through the services; the set-up overrides the recommendation with a reason)."""
    made = []
    for _ in range(n):
        case = case_services.case_create(
            actor=by.user,
            agency=worker.agency,
            unit=worker.unit,
            county=county,
            case_type=Case.Type.IN_HOME_NON_COURT,
            complexity=complexity,
            opened_on=today() - timedelta(days=30),
        )
        intake_services.case_assign(
            actor=by.user,
            assigned_by=by,
            case=case,
            worker=worker,
            reason="Set-up",
            override_reason="Set-up: building a caseload",
        )
        made.append(case)
    return made


def _child(first="Ava", last="Lopez"):
    return {"first_name": first, "last_name": last, "date_of_birth": "2016-05-01"}


def _body(**fields):
    body = {
        "county": "riv",
        "case_type": "in_home_non_court",
        "members": [
            {"person": _child(), "role": "child"},
            {
                "person": {"first_name": "Rosa", "last_name": "Lopez", "sex": "female"},
                "role": "parent",
            },
        ],
    }
    body.update(fields)
    return body


def _refer(api, **fields):
    r = api.post(API + "/referrals", _body(**fields))
    assert r.status_code == 201, r.content
    return r.json()


def _counts():
    return (
        Case.objects.count(),
        Person.objects.count(),
        Routing.objects.count(),
        Assignment.objects.count(),
    )


@pytest.fixture
def shop(db, county):
    """An agency with two case management units and a support unit, its program
    director and intake coordinator, and a supervisor and two workers in Unit A."""
    agency = AgencyFactory(name="Prairie Family Services", code="pfs")
    unit_a = UnitFactory(agency=agency, name="Unit A")
    unit_b = UnitFactory(agency=agency, name="Unit B")
    support = UnitFactory(agency=agency, name="Support", kind=SUPPORT)
    return {
        "agency": agency,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "support": support,
        "director": _director(agency),
        "intake": _intake(agency),
        "sup_a": StaffFactory(unit=unit_a, roles=[Role.SUPERVISOR]),
        "ana": _worker(unit_a, "Ana"),
        "ben": _worker(unit_a, "Ben"),
    }


# --- Referrals and routing (A1, A3, A4, P1) ---------------------------------------------


def test_a4_icpc_and_out_of_county_referrals_go_to_the_support_unit(shop, api_as):
    api = api_as(shop["intake"].user)
    before = Person.objects.count()
    icpc = _refer(api, icpc=True)
    assert icpc["status"] == "referred"
    assert icpc["unit"] == {"id": shop["support"].pk, "name": "Support"}
    assert icpc["routing"]["rule"] == "A4" and icpc["routing"]["strategy"] == "support"
    assert "ICPC" in icpc["routing"]["explanation"]
    assert {m["role"] for m in icpc["members"]} == {"child", "parent"}
    assert Person.objects.count() == before + 2
    away = _refer(api, out_of_county=True)
    assert away["unit"]["id"] == shop["support"].pk
    assert "out of county" in away["routing"]["explanation"]
    plain = _refer(api)
    assert plain["routing"]["rule"] == "A1"
    assert plain["unit"]["id"] in {shop["unit_a"].pk, shop["unit_b"].pk}
    case = Case.objects.get(pk=icpc["id"])
    assert case.unit_id == shop["support"].pk and case.icpc


def test_a1_rotation_sends_referrals_round_the_units_in_name_order(db, county, api_as):
    agency = AgencyFactory(policy_overrides={"unit_routing": "rotation"})
    # Created out of name order: the rotation follows the names.
    third = UnitFactory(agency=agency, name="Unit 3")
    first = UnitFactory(agency=agency, name="Unit 1")
    second = UnitFactory(agency=agency, name="Unit 2")
    UnitFactory(agency=agency, name="Unit 0 (inactive)", active=False)
    api = api_as(_director(agency).user)
    got = [_refer(api) for _ in range(4)]
    assert [r["unit"]["id"] for r in got] == [first.pk, second.pk, third.pk, first.pk]
    assert {r["routing"]["strategy"] for r in got} == {"rotation"}
    assert {r["routing"]["rule"] for r in got} == {"A1"}


def test_a1_caseload_picks_the_unit_lightest_against_its_capacity(shop, api_as, county):
    """Unit A holds 4 cases for one worker (4 of 15); Unit B 6 cases for two (6 of 30):
    Unit B is lighter against its capacity though it holds more cases."""
    director = shop["director"]
    staff_services.staff_update(actor=director.user, member=shop["ben"], unit=None)  # Ana alone
    _hold(shop["ana"], 4, by=director, county=county)
    b1, b2 = _worker(shop["unit_b"], "Cleo"), _worker(shop["unit_b"], "Dan")
    _hold(b1, 3, by=director, county=county)
    _hold(b2, 3, by=director, county=county)
    got = _refer(api_as(shop["intake"].user))
    assert got["unit"]["id"] == shop["unit_b"].pk
    assert got["routing"] == {
        "rule": "A1",
        "strategy": "caseload",
        "explanation": "By caseload: Unit B has the lightest load (6 of 30 weighted cases) (A1).",
    }


@pytest.fixture
def reopening(shop, county):
    """P1, A3: a closed case that Wren (Unit B) held. Wren now holds 3 other cases, so
    caseload alone would route to Unit A (empty), and inside Unit B the idle Yves would
    score higher than Wren."""
    director = shop["director"]
    wren = _worker(shop["unit_b"], "Wren")
    yves = _worker(shop["unit_b"], "Yves")
    prior = make_case(
        actor_staff=director,
        agency=shop["agency"],
        unit=shop["unit_b"],
        county=county,
        members=[(PersonFactory(first_name="Ava", last_name="Lopez"), "child")],
    )
    intake_services.case_assign(
        actor=director.user,
        assigned_by=director,
        case=prior,
        worker=wren,
        reason="First time",
        override_reason="Set-up",
    )
    case_services.case_change_status(actor=director.user, case=prior, status="closed")
    _hold(wren, 3, by=director, county=county)
    return {"prior": prior, "wren": wren, "yves": yves}


def test_a3_p1_reopened_case_goes_back_to_its_previous_case_manager(shop, reopening, api_as):
    api = api_as(shop["director"].user)
    child = reopening["prior"].members.get(role="child").person
    got = _refer(
        api,
        prior_case=reopening["prior"].pk,
        members=[{"person_id": child.pk, "role": "child"}],
    )
    assert got["unit"]["id"] == shop["unit_b"].pk
    assert got["routing"]["rule"] == "A3"
    assert "Wren Case" in got["routing"]["explanation"]
    assert got["prior_case"]["case_number"] == reopening["prior"].case_number
    assert got["members"][0]["person"]["id"] == child.pk
    body = api.get(f"{API}/cases/{got['id']}/recommendations").json()
    first = body["workers"][0]
    assert first["worker"]["id"] == reopening["wren"].pk and first["previous_worker"]
    assert body["top"] == reopening["wren"].pk
    assert first["factors"][0]["code"] == "A3"
    # Yves is idle and scores higher on every other factor: A3 still puts Wren first.
    yves = next(w for w in body["workers"] if w["worker"]["id"] == reopening["yves"].pk)
    assert yves["score"] > first["score"] and not yves["previous_worker"]


def test_p1_a3_a_re_referral_without_re_opening_needs_a_reason_naming_the_closed_case(
    shop, reopening, api_as
):
    """P1: the referral names Ava, a member of the agency's closed case. Not re-opening it
    is a 422 naming the closed case and `new_case_reason`; nothing is recorded. A reason
    lets a new case through and is kept in its creation event and its history."""
    api = api_as(shop["intake"].user)
    prior = reopening["prior"]
    ava = prior.members.get(role="child").person
    members = [{"person_id": ava.pk, "role": "child"}]
    before = _counts()
    r = api.post(API + "/referrals", _body(members=members))
    assert r.status_code == 422
    problem = r.json()["errors"]["new_case_reason"]
    assert f"{prior.case_number} (id {prior.pk})" in problem and "prior_case" in problem
    assert set(r.json()["errors"]) == {"new_case_reason"}
    assert _counts() == before
    r = api.post(API + "/referrals", _body(members=members, new_case_reason="  "))
    assert r.status_code == 422 and "new_case_reason" in r.json()["errors"]
    got = _refer(api, members=members, new_case_reason="A different concern, another home")
    case = Case.objects.get(pk=got["id"])
    assert got["prior_case"] is None and got["routing"]["rule"] == "A1"
    created = case.events.get(type="case_created")
    assert created.payload["new_case_reason"] == "A different concern, another home"
    assert case.history.earliest().history_change_reason == "A different concern, another home"


def test_p1_a3_a_re_referral_re_opens_the_closed_case_through_prior_case(shop, reopening, api_as):
    """P1, A3: with prior_case the same referral re-opens the case: linked to it, routed
    back to its unit, its previous case manager first. A reason does not apply then."""
    api = api_as(shop["intake"].user)
    prior = reopening["prior"]
    members = [{"person_id": prior.members.get(role="child").person_id, "role": "child"}]
    r = api.post(
        API + "/referrals",
        _body(members=members, prior_case=prior.pk, new_case_reason="Not needed"),
    )
    assert r.status_code == 422 and set(r.json()["errors"]) == {"new_case_reason"}
    got = _refer(api, members=members, prior_case=prior.pk)
    assert got["prior_case"]["id"] == prior.pk and got["routing"]["rule"] == "A3"
    assert got["unit"]["id"] == shop["unit_b"].pk
    body = api_as(shop["director"].user).get(f"{API}/cases/{got['id']}/recommendations")
    assert body.json()["top"] == reopening["wren"].pk


def test_p1_new_people_of_a_returning_family_are_not_matched_by_the_rule(shop, reopening, api_as):
    """P1 applies to the people the referral links (found by the search): new people
    carry no case, so no reason is asked."""
    assert _refer(api_as(shop["intake"].user))["prior_case"] is None


@pytest.fixture
def departed_wren(shop, reopening, county):
    """Wren moved to Unit A and then left the agency (her 3 cases moved first)."""
    director, wren = shop["director"], reopening["wren"]
    for case in Case.objects.filter(
        assignments__worker=wren, assignments__ends_on__isnull=True
    ).distinct():
        intake_services.case_assign(
            actor=director.user,
            assigned_by=director,
            case=case,
            worker=reopening["yves"],
            reason="Wren leaves",
            override_reason="Set-up",
        )
    staff_services.staff_update(actor=director.user, member=wren, unit=shop["unit_a"])
    staff_services.staff_update(
        actor=director.user, member=wren, status="departed", departed_on=today()
    )
    return wren


def test_a3_departed_previous_worker_the_referral_goes_to_the_old_assignments_unit(
    shop, reopening, departed_wren, api_as
):
    got = _refer(api_as(shop["intake"].user), prior_case=reopening["prior"].pk)
    # Not Unit A (where Wren last worked): the unit that held the case, Unit B (A3).
    assert got["unit"]["id"] == shop["unit_b"].pk
    assert got["routing"]["rule"] == "A3"


def test_a3_departed_previous_worker_is_listed_ineligible_with_the_reason(
    shop, reopening, departed_wren, api_as
):
    api = api_as(shop["director"].user)
    got = _refer(api, prior_case=reopening["prior"].pk)
    body = api.get(f"{API}/cases/{got['id']}/recommendations").json()
    wren = next(w for w in body["workers"] if w["worker"]["id"] == departed_wren.pk)
    assert wren["previous_worker"] and not wren["eligible"]
    assert "left the agency" in wren["limits"][0]["text"]
    assert body["top"] != departed_wren.pk


def test_intake_queue_lists_referrals_oldest_first_in_a_fixed_number_of_queries(
    shop, api_as, county
):
    api = api_as(shop["intake"].user)
    older = _refer(api, opened_on=(today() - timedelta(days=9)).isoformat(), icpc=True)
    newer = _refer(api)
    # An assigned case is not in the queue.
    make_case(actor_staff=shop["sup_a"], worker=shop["ana"], members=[(PersonFactory(), "child")])
    body = api.get(API + "/referrals").json()
    assert body["count"] == 2
    first, second = body["items"]
    assert [first["id"], second["id"]] == [older["id"], newer["id"]]
    assert first["age_days"] == 9 and first["children"] == 1 and first["icpc"]
    assert first["unit"] == {"id": shop["support"].pk, "name": "Support"}
    assert first["routing_rule"] == "A4" and "ICPC" in first["routing_explanation"]
    assert first["county"] == "riv" and first["prior_case"] is None
    # The supervisor of Unit A sees only their unit's referrals.
    sup = api_as(shop["sup_a"].user).get(API + "/referrals").json()
    assert {i["id"] for i in sup["items"]} == (
        {newer["id"]} if newer["unit"]["id"] == shop["unit_a"].pk else set()
    )
    with CaptureQueriesContext(connection) as few:
        api.get(API + "/referrals")
    for _ in range(4):
        _refer(api)
    with CaptureQueriesContext(connection) as more:
        assert api.get(API + "/referrals").json()["count"] == 6
    assert len(more) == len(few)


def test_routing_read_history_preview_and_send_to_another_unit(shop, api_as):
    intake = api_as(shop["intake"].user)
    got = _refer(intake, icpc=True)
    url = f"{API}/cases/{got['id']}/routing"
    logged = AccessLog.objects.count()
    body = intake.get(url).json()
    assert AccessLog.objects.count() == logged + 1
    assert body["current"]["rule"] == "A4" and len(body["history"]) == 1
    assert body["current"]["routed_by"] == shop["intake"].full_name
    assert body["preview"]["unit"]["id"] == shop["support"].pk
    # Only a program director sends a referral elsewhere (A1).
    move = {
        "unit": shop["unit_b"].pk,
        "reason": "The family lives next to Unit B's office",
        "version": Case.objects.get(pk=got["id"]).version,
    }
    assert intake.post(url, move).status_code == 403
    director = api_as(shop["director"].user)
    r = director.post(url, move)
    assert r.status_code == 201, r.content
    assert r.json()["rule"] == "manual" and r.json()["unit"]["id"] == shop["unit_b"].pk
    body = director.get(url).json()
    assert [h["rule"] for h in body["history"]] == ["manual", "A4"]
    assert body["current"]["explanation"] == move["reason"]
    assert Case.objects.get(pk=got["id"]).unit_id == shop["unit_b"].pk
    # A reason is required, and nothing is written without one.
    version = Case.objects.get(pk=got["id"]).version
    r = director.post(url, {"unit": shop["unit_a"].pk, "reason": "", "version": version})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    # Once assigned, there is no preview and no more routing.
    r = director.post(
        f"{API}/cases/{got['id']}/assignments",
        {"worker": _worker(shop["unit_b"], "Ola").pk, "reason": "Intake", "version": version},
    )
    assert r.status_code == 201, r.content
    assert director.get(url).json()["preview"] is None
    version = Case.objects.get(pk=got["id"]).version
    r = director.post(url, {"unit": shop["unit_a"].pk, "reason": "Too late", "version": version})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    assert Routing.objects.filter(case_id=got["id"]).count() == 2


# --- Recommendations and assignment (A2, A5, A7) ----------------------------------------


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
    assert not rec["eligible"] and rec["open_cases"] == 5 and "overridable" not in rec
    assert rec["limits"][0]["code"] == "new_worker_cap"
    assert rec["limits"][0]["text"].startswith("new worker: already holds 5 of the 5 cases")
    assert "overridable" not in rec["limits"][0]
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
    # The override field is gone: a reason to go above the cap is refused as unknown.
    r = api_as(shop["director"].user).post(
        url, choose_nia | {"limit_override_reason": "Only Spanish speaker free"}
    )
    assert r.status_code == 422 and "limit_override_reason" in str(r.json()["errors"])
    assert not case.assignments.exists()
    case.refresh_from_db()
    assert case.status == "referred"


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
    assert [x["code"] for x in row["limits"]] == ["new_worker_cap"]
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


# --- Reassignment (A6) -------------------------------------------------------------------


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


# --- Bad input: 422 naming the field, nothing written ------------------------------------


@pytest.mark.parametrize(
    "change, field",
    [
        ({"county": "nowhere"}, "county"),
        ({"languages": ["xx"]}, "languages"),
        ({"case_type": "adoption"}, "case_type"),
        ({"culture": "x" * 201}, "culture"),
        ({"gender_preference": "any"}, "gender_preference"),
        ({"latitude": 91}, "latitude"),
        ({"prior_case": 999999}, "prior_case"),
        ({"opened_on": (today() + timedelta(days=2)).isoformat()}, "opened_on"),
        ({"members": []}, "members"),
        ({"members": [{"person": _child(), "role": "parent"}]}, "members"),
        (
            {"members": [{"person_id": 1, "person": _child(), "role": "child"}]},
            "members[0]",
        ),
        ({"members": [{"role": "child"}]}, "members[0]"),
        ({"members": [{"person_id": 999999, "role": "child"}]}, "members[0].person_id"),
        ({"members": [{"person": _child(), "role": "aunt"}]}, "members.0.role"),
        (
            {"members": [{"person": _child() | {"county": "nowhere"}, "role": "child"}]},
            "members[0].county",
        ),
        (
            {"members": [{"person": _child() | {"date_of_birth": "2999-01-01"}, "role": "child"}]},
            "members[0].date_of_birth",
        ),
    ],
)
def test_bad_referrals_are_422_naming_the_field_and_write_nothing(shop, api_as, change, field):
    before = _counts()
    r = api_as(shop["intake"].user).post(API + "/referrals", _body(**change))
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"], r.json()
    assert _counts() == before


def test_a_referral_names_every_bad_member_at_once_and_not_other_agencies_people(
    shop, api_as, world
):
    """P1: a person of another agency's case is not someone this intake can link."""
    rival_child = world["cases"]["rival"].members.get(role="child").person
    before = _counts()
    r = api_as(shop["intake"].user).post(
        API + "/referrals",
        _body(
            county="nowhere",
            members=[
                {"person_id": rival_child.pk, "role": "child"},
                {"role": "parent"},
                {"person": _child(), "role": "sibling"},
            ],
        ),
    )
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"county", "members[0].person_id", "members[1]"}
    assert _counts() == before


def test_a_referral_reopens_only_a_closed_case_of_the_agency(shop, api_as, county):
    """P1: a re-referral re-opens a closed case, never an open one."""
    open_case = make_case(
        actor_staff=shop["sup_a"], worker=shop["ana"], members=[(PersonFactory(), "child")]
    )
    before = _counts()
    r = api_as(shop["intake"].user).post(API + "/referrals", _body(prior_case=open_case.pk))
    assert r.status_code == 422 and "prior_case" in r.json()["errors"]
    assert _counts() == before


def test_unknown_unit_is_422_naming_unit_and_writes_nothing(shop, api_as, world):
    director = api_as(shop["director"].user)
    got = _refer(director)
    before = _counts()
    url = f"{API}/cases/{got['id']}/routing"
    rival_unit = world["staff"]["rival_sup"].unit
    for unit in (999999, rival_unit.pk):
        r = director.post(url, {"unit": unit, "reason": "Closer"})
        assert r.status_code == 422 and r.json()["errors"] == {"unit": "Unknown unit."}
    r = director.post(url, {"unit": "B", "reason": "Closer"})
    assert r.status_code == 422 and "unit" in r.json()["errors"]
    assert _counts() == before
    rec = director.get(f"{API}/cases/{got['id']}/recommendations", unit=999999)
    assert rec.status_code == 422 and rec.json()["errors"] == {"unit": "Unknown unit."}
    rec = director.get(f"{API}/cases/{got['id']}/recommendations", scope="everyone")
    assert rec.status_code == 422 and "scope" in rec.json()["errors"]


# --- Access -------------------------------------------------------------------------------


def test_another_agencys_director_gets_the_same_404_as_a_missing_record(shop, api_as, county):
    case = _refer(api_as(shop["intake"].user))["id"]
    rival = _director(AgencyFactory())
    api = api_as(rival.user)
    missing = api.get(f"{API}/cases/987654/recommendations")
    assert missing.status_code == 404
    for url in (
        f"/cases/{case}/recommendations",
        f"/cases/{case}/routing",
        f"/units/{shop['unit_a'].pk}/balance",
        f"/staff/{shop['ana'].pk}/reassignment-proposal",
    ):
        r = api.get(API + url)
        assert r.status_code == 404, url
        assert r.content == missing.content
    before = _counts()
    assert api.post(f"{API}/cases/{case}/routing", {"unit": 1, "reason": "x"}).status_code == 404
    r = api.post(
        f"{API}/staff/{shop['ana'].pk}/reassignments",
        {"moves": [{"case": case, "worker": shop["ben"].pk}], "reason": "x"},
    )
    assert r.status_code == 404
    assert _counts() == before
    assert case not in {i["id"] for i in api.get(API + "/referrals").json()["items"]}


def test_roles_that_may_not_act_get_403(shop, api_as, world):
    """A case manager sees their unit's referral but may not record, queue, route, rank,
    balance or reassign; state staff and administrators may not record referrals."""
    case = _refer(api_as(shop["intake"].user), icpc=True)["id"]
    Case.objects.filter(pk=case).update(unit=shop["unit_a"])  # Ana's unit: she sees it
    ana = api_as(shop["ana"].user)
    assert ana.get(f"{API}/cases/{case}/routing").status_code == 200
    before = _counts()
    assert ana.post(API + "/referrals", _body()).status_code == 403
    assert ana.get(API + "/referrals").status_code == 403
    assert ana.get(f"{API}/cases/{case}/recommendations").status_code == 403
    r = ana.post(f"{API}/cases/{case}/routing", {"unit": shop["unit_b"].pk, "reason": "x"})
    assert r.status_code == 403
    assert ana.get(f"{API}/units/{shop['unit_a'].pk}/balance").status_code == 403
    assert ana.get(f"{API}/staff/{shop['ben'].pk}/reassignment-proposal").status_code == 403
    # A supervisor of another unit may not route, nor see Unit A's balance.
    sup_b = api_as(StaffFactory(unit=shop["unit_b"], roles=[Role.SUPERVISOR]).user)
    assert sup_b.get(f"{API}/units/{shop['unit_a'].pk}/balance").status_code == 403
    for who in ("oversight", "qa", "admin"):
        r = api_as(world["staff"][who].user).post(API + "/referrals", _body())
        assert r.status_code == 403, who
    assert _counts() == before
    # The intake coordinator may read the ranking of a case they may not assign.
    intake = api_as(shop["intake"].user)
    assert intake.get(f"{API}/cases/{case}/recommendations").status_code == 200


def test_anonymous_requests_are_refused(db, api_as):
    anonymous = api_as()
    for url in (
        "/referrals",
        "/cases/1/routing",
        "/cases/1/recommendations",
        "/units/1/balance",
        "/staff/1/reassignment-proposal",
    ):
        assert anonymous.get(API + url).status_code == 401, url
    for url in ("/referrals", "/cases/1/routing", "/staff/1/reassignments"):
        assert anonymous.post(API + url, {}).status_code == 401, url


def test_openapi_lists_the_intake_endpoints(shop, api_as):
    paths = api_as(shop["intake"].user).get(API + "/openapi.json").json()["paths"]
    for path in (
        "/api/v1/referrals",
        "/api/v1/cases/{case_id}/routing",
        "/api/v1/cases/{case_id}/recommendations",
        "/api/v1/units/{unit_id}/balance",
        "/api/v1/staff/{staff_id}/reassignment-proposal",
        "/api/v1/staff/{staff_id}/reassignments",
    ):
        assert path in paths, path
