"""Bad input to the intake API: 422 naming the field, nothing written."""

from datetime import timedelta

import pytest

from hearth.core.services import today
from tests.api.intake.helpers import API, _body, _child, _counts, _refer
from tests.factories import PersonFactory, make_case


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
