"""The intake API: referrals and routing (A1, A3, A4, P1), the intake queue, and sending
a referral to another unit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.cases import services as case_services
from hearth.cases.models import Case
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.intake import services as intake_services
from hearth.intake.models import Routing
from hearth.people.models import Person
from hearth.staff import services as staff_services
from tests.api.intake.helpers import API, _body, _counts, _director, _hold, _refer, _worker
from tests.factories import AgencyFactory, PersonFactory, UnitFactory, make_case


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
        "explanation": "By caseload: Unit B had the lightest load when the referral was "
        "routed (6 of 30 weighted cases) (A1).",
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
    assert wren["previous_worker"] and not wren["eligible"] and not wren["overridable"]
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
