"""Access to the intake API: roles that may not use an endpoint get 403, another agency the
same 404 as a missing record, anonymous requests 401; the OpenAPI document lists them."""

from hearth.cases.models import Case
from hearth.staff.models import Role
from tests.api.intake.helpers import API, _body, _counts, _director, _refer
from tests.factories import AgencyFactory, StaffFactory


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
