"""O4 in the API: loads, families, the ranking, assigning, ending, reassigning, grants
and QA grants; only the state oversight supervisor changes them."""

import pytest

from hearth.cases.models import CaseAccessGrant
from tests.oversight.caseloads.conftest import load, new_case

API = "/api/v1"


def test_o4_specialists_with_loads(team, counties, api_as):
    load(team, "ann", 2, counties["alder"])
    r = api_as(team["boss"].user).get(f"{API}/oversight/specialists")
    assert r.status_code == 200, r.content
    rows = {row["specialist"]["name"]: row for row in r.json()}
    assert rows["Ann Abbot"]["families"] == 2 and rows["Ann Abbot"]["region"] == "North"
    assert rows["Ann Abbot"]["explanation"] == "2 of 80 families (2% full)"
    assert rows["Sue South"]["families"] == 0


def test_o4_ranking_with_explanations(team, counties, api_as):
    load(team, "ann", 1, counties["alder"])
    case = new_case(team, counties["alder"])  # routed to Ben
    r = api_as(team["boss"].user).get(f"{API}/cases/{case.pk}/oversight/ranking")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["current"]["name"] == "Ben Baker"
    assert body["scope"] == "region" and body["top"] == team["ann"].pk
    assert (
        body["specialists"][0]["explanation"] == "1 of 80 families (1% full); same region (North)"
    )


def test_o4_assign_with_and_without_override(team, counties, api_as):
    case = new_case(team, counties["alder"])  # Ann
    api = api_as(team["boss"].user)
    r = api.post(f"{API}/cases/{case.pk}/oversight", {"specialist": team["sue"].pk})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"override_reason"}
    assert case.access_grants.filter(ends_on__isnull=True).get().staff == team["ann"]
    r = api.post(
        f"{API}/cases/{case.pk}/oversight",
        {"specialist": team["sue"].pk, "override_reason": "Language match"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["staff"]["name"] == "Sue South"
    assert r.json()["override_reason"] == "Language match"
    r = api.get(f"{API}/cases/{case.pk}/grants")
    assert [(g["staff"]["name"], g["ends_on"] is None) for g in r.json()] == [
        ("Sue South", True),
        ("Ann Abbot", False),
    ]


@pytest.mark.parametrize("who", ["ann", "qa", "worker", "supervisor"])
def test_o4_only_the_state_supervisor_grants(team, counties, api_as, who):
    """A specialist, a QA reviewer, the contractor's case manager or supervisor: 403 on a
    case they see, and nothing changes."""
    case = new_case(team, counties["alder"])  # Ann oversees it; the contractor holds it
    if who == "qa":
        CaseAccessGrant.objects.create(
            case=case, staff=team["qa"], purpose="qa_review", starts_on=case.opened_on
        )
    api = api_as(team[who].user)
    grant = case.access_grants.get(purpose="oversight")
    for method, path, body in [
        ("post", f"/cases/{case.pk}/oversight", {"specialist": team["ben"].pk}),
        ("post", f"/cases/{case.pk}/qa-grants", {"reviewer": team["qa"].pk}),
        ("post", f"/oversight/grants/{grant.pk}/end", {"reason": "x"}),
        ("get", f"/cases/{case.pk}/oversight/ranking", None),
        ("get", f"/cases/{case.pk}/grants", None),
    ]:
        r = api.get(API + path) if method == "get" else api.post(API + path, body)
        assert r.status_code == 403, (who, path, r.status_code)
    r = api.get(f"{API}/oversight/specialists")
    assert r.status_code == 403
    assert (
        case.access_grants.filter(ends_on__isnull=True, purpose="oversight").get().staff
        == team["ann"]
    )


def test_o4_a_grant_read_and_ended(team, counties, api_as):
    case = new_case(team, counties["alder"])
    grant = case.access_grants.get(purpose="oversight")
    r = api_as(team["ann"].user).get(f"{API}/oversight/grants/{grant.pk}")
    assert r.status_code == 200 and r.json()["ranking"][0]["name"] == "Ann Abbot"
    api = api_as(team["boss"].user)
    r = api.post(f"{API}/oversight/grants/{grant.pk}/end", {"reason": ""})
    assert r.status_code == 422
    r = api.post(f"{API}/oversight/grants/{grant.pk}/end", {"reason": "Dismissed"})
    assert r.status_code == 200 and r.json()["end_reason"] == "Dismissed"
    r = api.post(f"{API}/oversight/grants/{grant.pk}/end", {"reason": "Again"})
    assert r.status_code == 422 and "grant" in r.json()["errors"]


def test_o4_families_of_a_specialist(team, counties, api_as):
    case = new_case(team, counties["alder"], last_name="Nguyen")
    r = api_as(team["ann"].user).get(f"{API}/oversight/specialists/{team['ann'].pk}/families")
    assert r.status_code == 200, r.content
    (family,) = r.json()["families"]
    assert family["case"]["case_number"] == case.case_number
    assert family["family_name"] == "Nguyen" and family["county"] == "Alder"
    # Another specialist's families: not theirs to read.
    r = api_as(team["ben"].user).get(f"{API}/oversight/specialists/{team['ann'].pk}/families")
    assert r.status_code == 404
    r = api_as(team["boss"].user).get(f"{API}/oversight/specialists/{team['ann'].pk}/families")
    assert r.status_code == 200


def test_o4_reassign_families(team, counties, api_as):
    for _ in range(2):
        new_case(team, counties["alder"])  # Ann, Ben
    api = api_as(team["boss"].user)
    url = f"{API}/oversight/specialists/{team['ann'].pk}/reassign"
    r = api.post(url, {"reason": ""})
    assert r.status_code == 422
    r = api.post(url, {"reason": "Ann is on leave"})
    assert r.status_code == 200, r.content
    assert [g["staff"]["name"] for g in r.json()] == ["Ben Baker"]
    r = api_as(team["ann"].user).post(url, {"reason": "x"})
    assert r.status_code == 403


def test_o3_qa_grant_by_the_supervisor(team, counties, api_as):
    case = new_case(team, counties["alder"])
    api = api_as(team["boss"].user)
    r = api.post(f"{API}/cases/{case.pk}/qa-grants", {"reviewer": team["ann"].pk})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"reviewer"}
    r = api.post(f"{API}/cases/{case.pk}/qa-grants", {"reviewer": team["qa"].pk})
    assert r.status_code == 201 and r.json()["purpose"] == "qa_review"
    # A non-court case the supervisor does not see: no QA grant by hand (404).
    quiet = new_case(team, counties["alder"], court=False)
    r = api.post(f"{API}/cases/{quiet.pk}/qa-grants", {"reviewer": team["qa"].pk})
    assert r.status_code == 404
