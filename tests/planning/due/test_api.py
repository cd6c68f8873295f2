"""P9 in the API: GET /due (the caller's due list, horizon and state), GET
/units/{unit_id}/due (overdue by worker: the unit's supervisor, the program director; any
other unit is a 404), GET /cases/{case_id}/due (the case's open obligations; an unseen
case is a 404), and the calendar feed tokens."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.core.models import AccessLog
from hearth.planning.models import CalendarToken
from tests.api.conftest import ApiClient
from tests.factories import PersonFactory, make_case
from tests.planning.due.conftest import add

BASE = "/api/v1"


@pytest.fixture
def items(world, clean):
    clean()
    mine, colleagues = world["cases"]["mine"], world["cases"]["colleagues"]
    child = mine.members.get(role="child").person
    return {
        "c1": add(mine, rule="C1", days=-4),
        "p5": add(mine, rule="P5", days=2, source="placements", person=child),
        "c5": add(mine, rule="C5", days=25),
        "c3": add(mine, rule="C3", days=45),
        "v1": add(colleagues, rule="V1", days=-1, source="contacts"),
        "child": child,
    }


def test_p9_get_due_is_the_callers_list_by_date(world, items):
    api = ApiClient(world["staff"]["worker"].user)
    r = api.get(f"{BASE}/due")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [i["rule"] for i in body["items"]] == ["C1", "P5", "C5"]
    assert body["counts"] == {"overdue": 1, "week": 1, "later": 1}
    first = body["items"][0]
    assert (first["state"], first["group"], first["days_left"]) == ("overdue", "overdue", -4)
    assert first["case"]["case_number"] == world["cases"]["mine"].case_number
    p5 = body["items"][1]
    assert p5["person"] == {"id": items["child"].pk, "name": items["child"].full_name}
    assert AccessLog.objects.filter(channel="api", object_type="obligation").count() == 3


def test_p9_get_due_takes_a_horizon_and_states(world, items):
    api = ApiClient(world["staff"]["worker"].user)
    assert [i["rule"] for i in api.get(f"{BASE}/due", horizon=60).json()["items"]] == [
        "C1",
        "P5",
        "C5",
        "C3",
    ]
    assert [i["rule"] for i in api.get(f"{BASE}/due", state="overdue").json()["items"]] == ["C1"]
    bad = api.get(f"{BASE}/due", horizon=-1)
    assert bad.status_code == 422 and "horizon" in str(bad.json()["errors"])
    assert api.get(f"{BASE}/due", state="met").status_code == 422


def test_p9_unit_due_by_worker_and_404_for_other_units(world, items):
    w = world["staff"]
    unit_a, unit_b = w["worker"].unit_id, w["far_sup"].unit_id
    r = ApiClient(w["supervisor"].user).get(f"{BASE}/units/{unit_a}/due")
    assert r.status_code == 200
    workers = {x["worker"]["id"]: [i["rule"] for i in x["items"]] for x in r.json()["workers"]}
    assert workers == {w["worker"].pk: ["C1"], w["holder"].pk: ["V1"]}
    assert ApiClient(w["supervisor"].user).get(f"{BASE}/units/{unit_b}/due").status_code == 404
    assert ApiClient(w["worker"].user).get(f"{BASE}/units/{unit_a}/due").status_code == 404
    assert ApiClient(w["director"].user).get(f"{BASE}/units/{unit_b}/due").status_code == 200
    missing = ApiClient(w["director"].user).get(f"{BASE}/units/987654/due")
    assert missing.status_code == 404


def test_p9_case_due_follows_the_case_scope(world, items):
    w = world["staff"]
    mine = world["cases"]["mine"]
    r = ApiClient(w["worker"].user).get(f"{BASE}/cases/{mine.pk}/due")
    assert [i["rule"] for i in r.json()] == ["C1", "P5", "C5", "C3"]
    assert [
        i["rule"]
        for i in ApiClient(w["worker"].user).get(f"{BASE}/cases/{mine.pk}/due", horizon=30).json()
    ] == ["C1", "P5", "C5"]
    hidden = ApiClient(w["far_sup"].user).get(f"{BASE}/cases/{mine.pk}/due")
    missing = ApiClient(w["far_sup"].user).get(f"{BASE}/cases/987654/due")
    assert hidden.status_code == missing.status_code == 404
    assert mine.case_number not in hidden.content.decode()


def test_p9_calendar_tokens_are_made_once_listed_and_revoked(world):
    worker = world["staff"]["worker"]
    api = ApiClient(worker.user)
    first = api.post(f"{BASE}/calendar-tokens")
    assert first.status_code == 201
    body = first.json()
    assert body["token"].startswith("cal_") and body["token"] in body["feed_url"]
    assert body["feed_url"].endswith(".ics")
    second = api.post(f"{BASE}/calendar-tokens").json()
    listed = api.get(f"{BASE}/calendar-tokens").json()
    assert [(t["id"], t["active"]) for t in listed] == [(second["id"], True), (body["id"], False)]
    assert "token" not in listed[0] and "digest" not in listed[0]
    # Only the digest is kept.
    assert not CalendarToken.objects.filter(digest=body["token"]).exists()
    # Another worker's token is a 404.
    other = ApiClient(world["staff"]["holder"].user)
    assert other.post(f"{BASE}/calendar-tokens/{second['id']}/revoke").status_code == 404
    r = api.post(f"{BASE}/calendar-tokens/{second['id']}/revoke")
    assert r.status_code == 200 and r.json()["active"] is False
    assert not CalendarToken.objects.filter(staff=worker, revoked_at__isnull=True).exists()


def test_p9_get_due_query_count_does_not_grow_with_the_caseload(
    supervisor, worker, django_assert_max_num_queries
):
    """One case or ten: the same number of queries (the token, the viewer, one for the
    obligations with their cases and people, the access log's insert)."""
    api = ApiClient(worker.user)

    def caseload(n):
        for _ in range(n):
            case = make_case(
                actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")]
            )
            add(case, rule="C1", days=-2)
            add(case, rule="C5", days=6)

    caseload(1)
    with CaptureQueriesContext(connection) as small:
        per_case = len(api.get(f"{BASE}/due").json()["items"])  # with the engine's own (C1)
    assert per_case >= 2
    caseload(9)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(f"{BASE}/due").json()["items"]) == 10 * per_case


def test_p9_calendar_tokens_are_for_staff_members_only(db, django_user_model):
    user = django_user_model.objects.create_user("nobody")
    api = ApiClient(user)
    assert api.post(f"{BASE}/calendar-tokens").status_code == 403
    assert api.get(f"{BASE}/calendar-tokens").status_code == 403
    assert api.get(f"{BASE}/due").json()["items"] == []
