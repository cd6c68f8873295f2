"""Every role against every case endpoint: allowed, 403, or the same 404 as a missing
record, and lists that hold exactly what the role may see (no counts, no names leaked)."""

import pytest

from hearth.core import access
from tests.conftest import EXPECTED_READ, EXPECTED_WRITE

API = "/api/v1"
ROLES = sorted(EXPECTED_READ)


@pytest.mark.parametrize("who", ROLES)
def test_case_list_holds_exactly_the_visible_cases(world, api_as, who):
    body = api_as(world["staff"][who].user).get(API + "/cases").json()
    ids = {c["id"] for c in body["items"]}
    assert ids == {world["cases"][n].pk for n in EXPECTED_READ[who]}
    assert body["count"] == len(ids)


@pytest.mark.parametrize("who", ROLES)
def test_case_endpoints_answer_by_scope(world, api_as, who):
    api = api_as(world["staff"][who].user)
    missing = api.get(f"{API}/cases/987654").content
    for name, case in world["cases"].items():
        urls = [
            f"/cases/{case.pk}",
            f"/cases/{case.pk}/members",
            f"/cases/{case.pk}/assignments",
            f"/cases/{case.pk}/history",
        ]
        for url in urls:
            r = api.get(API + url)
            if name in EXPECTED_READ[who]:
                assert r.status_code == 200, (who, name, url)
            else:
                assert r.status_code == 404, (who, name, url)
                assert r.content == missing
                assert case.case_number.encode() not in r.content
        r = api.patch(f"{API}/cases/{case.pk}", {"culture": f"edited by {who}"})
        expected = (
            200 if name in EXPECTED_WRITE[who] else (403 if name in EXPECTED_READ[who] else 404)
        )
        assert r.status_code == expected, (who, name, r.content)
        case.refresh_from_db()
        assert (case.culture == f"edited by {who}") == (expected == 200)


@pytest.mark.parametrize("who", ROLES)
def test_assignment_endpoint_follows_a2(world, api_as, who):
    user = world["staff"][who].user
    api = api_as(user)
    for name, case in world["cases"].items():
        r = api.post(
            f"{API}/cases/{case.pk}/assignments",
            {"worker": world["staff"]["worker"].pk, "reason": "matrix"},
        )
        if name not in EXPECTED_READ[who]:
            assert r.status_code == 404
        elif not access.can_assign_case(user, case):
            assert r.status_code == 403
        else:
            assert r.status_code in (201, 422), r.content  # 422: rule refusal, never 403/404


@pytest.mark.parametrize("who", ROLES)
def test_people_endpoints_follow_their_cases(world, api_as, who):
    api = api_as(world["staff"][who].user)
    visible = {m.person_id for n in EXPECTED_READ[who] for m in world["cases"][n].members.all()}
    everyone = {m.person_id for c in world["cases"].values() for m in c.members.all()}
    listed = {p["id"] for p in api.get(API + "/people", page_size=200).json()["items"]}
    assert listed == visible
    for pid in everyone:
        assert api.get(f"{API}/people/{pid}").status_code == (200 if pid in visible else 404)
