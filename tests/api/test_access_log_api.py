"""Who has seen this record: the API (/api/v1/cases/{id}/access-log and
/api/v1/people/{id}/access-log) and the pages, for program directors and state oversight
staff on the records they may see; reading them is itself logged."""

import pytest
from django.urls import reverse

from hearth.core.models import AccessLog

API = "/api/v1"


@pytest.fixture
def world(world_once):
    """The world built once for this module (tests/conftest.py)."""
    return world_once


def test_a_program_director_sees_who_has_seen_a_case_newest_first(world, api_as, as_user):
    case = world["cases"]["mine"]
    worker, director = world["staff"]["worker"], world["staff"]["director"]
    as_user(worker).get(reverse("case_detail", args=[case.pk]), REMOTE_ADDR="192.0.2.9")
    api_as(world["staff"]["rival_sup"].user).get(f"{API}/cases/{case.pk}")  # refused
    r = api_as(director.user).get(f"{API}/cases/{case.pk}/access-log")
    assert r.status_code == 200, r.content
    items = r.json()["items"]
    assert r.json()["count"] == 3
    # Newest first: the director's own reading of the log, the refusal, the worker's view.
    assert [(i["kind"], i["channel"], i["staff_id"]) for i in items] == [
        ("view", "api", director.pk),
        ("refused", "api", world["staff"]["rival_sup"].pk),
        ("view", "web", worker.pk),
    ]
    seen = items[2]
    assert seen["who"] == worker.full_name and seen["roles"] == ["case_manager"]
    assert seen["client_address"] == "192.0.2.9" and seen["record_type"] == "case"
    assert seen["record_id"] == case.pk and seen["path"] == f"/cases/{case.pk}/"
    assert items[0]["at"] >= items[1]["at"] >= items[2]["at"]


def test_a_persons_log_is_paginated(world, api_as):
    child = world["cases"]["mine"].members.first().person
    worker = api_as(world["staff"]["worker"].user)
    for _ in range(3):
        worker.get(f"{API}/people/{child.pk}")
    oversight_cannot = api_as(world["staff"]["oversight"].user)  # not their case
    assert oversight_cannot.get(f"{API}/people/{child.pk}/access-log").status_code == 404
    director = api_as(world["staff"]["director"].user)
    r = director.get(f"{API}/people/{child.pk}/access-log", page_size=2)
    assert r.status_code == 200, r.content
    body = r.json()
    # 3 views, the refused read by oversight, and this reading (and the first page's).
    assert body["count"] == 5 and len(body["items"]) == 2
    assert body["items"][0]["staff_id"] == world["staff"]["director"].pk
    assert body["items"][1]["kind"] == "refused"
    page2 = director.get(f"{API}/people/{child.pk}/access-log", page_size=2, page=2).json()
    # The second page's own reading came first: the refusal and the newest view follow.
    assert [i["kind"] for i in page2["items"]] == ["refused", "view"]
    assert {i["record_type"] for i in page2["items"]} == {"person"}


def test_state_oversight_reads_the_log_of_the_cases_it_oversees(world, api_as):
    overseen, other = world["cases"]["other_units"], world["cases"]["mine"]
    api = api_as(world["staff"]["oversight"].user)
    assert api.get(f"{API}/cases/{overseen.pk}/access-log").status_code == 200
    hidden = api.get(f"{API}/cases/{other.pk}/access-log")
    missing = api.get(f"{API}/cases/{other.pk + 10_000}/access-log")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_others_who_see_the_case_are_refused_403_and_nothing_is_disclosed(world, api_as):
    case = world["cases"]["mine"]
    child = case.members.first().person
    for who in ("worker", "supervisor", "intake"):
        api = api_as(world["staff"][who].user)
        assert api.get(f"{API}/cases/{case.pk}/access-log").status_code == 403, who
        assert api.get(f"{API}/people/{child.pk}/access-log").status_code == 403, who
    # An administrator sees no case records at all: the same 404 as a missing case.
    admin = api_as(world["staff"]["admin"].user)
    assert admin.get(f"{API}/cases/{case.pk}/access-log").status_code == 404
    assert not AccessLog.objects.exclude(kind="refused").exists()


def test_the_pages_are_linked_for_directors_only_and_their_reading_is_logged(world, as_user):
    case = world["cases"]["mine"]
    child = case.members.first().person
    director, worker = world["staff"]["director"], world["staff"]["worker"]
    c = as_user(worker)
    case_log = reverse("case_access_log", args=[case.pk])
    person_log = reverse("person_access_log", args=[child.pk])
    assert case_log not in c.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert person_log not in c.get(reverse("person_detail", args=[child.pk])).content.decode()
    assert c.get(case_log).status_code == 403
    c = as_user(director)
    assert case_log in c.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert person_log in c.get(reverse("person_detail", args=[child.pk])).content.decode()
    r = c.get(case_log)
    assert r.status_code == 200
    text = r.content.decode()
    assert worker.full_name in text and director.full_name in text and "Viewed" in text
    r = c.get(person_log)
    assert r.status_code == 200 and worker.full_name in r.content.decode()
    assert AccessLog.objects.filter(user=director.user, path=case_log, kind="view").exists()
    rival = as_user(world["staff"]["rival_sup"])
    assert rival.get(case_log).status_code == 404
