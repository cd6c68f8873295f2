"""Search that finds people (issue 15): a last name alone and a misspelt one find the
people intake's matching finds, in the people search page, the header's search box,
GET /api/v1/search, GET /api/v1/people?q= and GET /api/v1/people/matches; cases by
number on top; scoped and written to the access log (SEARCH)."""

from datetime import date

import pytest
from django.urls import reverse

from hearth.cases import people_selectors as selectors
from hearth.core import audit
from hearth.core.models import AccessLog
from hearth.people import matching
from tests.api.conftest import ApiClient
from tests.factories import PersonFactory, make_case

API = "/api/v1"
OSBORNES = ("Ana", "Ben", "Cara", "Dev", "Eli", "Fay")


@pytest.fixture
def osbornes(supervisor, worker):
    """Six Osbornes in a case of the worker's, a Smith, and an Osborne the worker may not
    see (in no case of theirs)."""
    people = [
        PersonFactory(first_name=f, last_name="Osborne", date_of_birth=date(2015, 1, i + 1))
        for i, f in enumerate(OSBORNES)
    ]
    people.append(PersonFactory(first_name="Sam", last_name="Smith"))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[(p, "child") for p in people],
    )
    hidden = PersonFactory(first_name="Hidden", last_name="Osborne")
    return {"case": case, "people": people[:6], "hidden": hidden}


def names(matches):
    return {m.person.first_name for m in matches}


def test_a_last_name_typed_alone_is_shown_when_it_only_sounds_alike():
    query = matching.Facts("", "Osborn")
    points, reasons = matching.score(query, matching.Facts("Ana", "Osborne"))
    assert points >= matching.min_score(query) > 0
    assert reasons == ["last name Osborne sounds like Osborn"]
    # With a first name the bar stays where it was.
    assert matching.min_score(matching.Facts("Ana", "Osborn")) == matching.MIN_SCORE


def test_the_beginning_of_a_last_name_counts():
    points, reasons = matching.score(matching.Facts("Ava", "Riv"), matching.Facts("Ava", "Rivera"))
    assert points >= matching.MIN_SCORE
    assert "last name Rivera begins with Riv" in reasons
    # Two letters are not a beginning.
    assert matching.score(matching.Facts("", "Ri"), matching.Facts("", "Rivera"))[0] == 0


@pytest.mark.parametrize("typed", ["Osborn", "osborne", "Osbourne", "Osbrone", "Osbo"])
def test_a_last_name_alone_or_misspelt_finds_all_six_and_no_one_hidden(osbornes, worker, typed):
    found = selectors.people_matches(viewer=worker.user, first_name="", last_name=typed)
    assert names(found) == set(OSBORNES)
    assert osbornes["hidden"] not in [m.person for m in found]


def test_the_search_box_reads_last_first_and_first_last(osbornes, worker):
    for q in ("Osborn, Cara", "Cara Osborn", "cara osbourne 2015-01-03"):
        found = selectors.search(viewer=worker.user, q=q).people
        assert found[0].person.first_name == "Cara", q
    # A date alone finds who was born on it.
    found = selectors.search(viewer=worker.user, q="01/02/2015").people
    assert names(found) == {"Ben"}


def test_a_case_number_finds_the_case_on_top_and_only_a_visible_one(world):
    mine, restricted = world["cases"]["mine"], world["cases"]["restricted"]
    worker, supervisor = world["staff"]["worker"], world["staff"]["supervisor"]
    found = selectors.search(viewer=worker.user, q=mine.case_number.lower())
    assert found.cases == [mine] and found.people == []
    # Its beginning finds it too; a restricted case is found only by those who see it.
    assert mine in selectors.search(viewer=worker.user, q=mine.case_number[:-2]).cases
    assert selectors.search(viewer=worker.user, q=restricted.case_number).cases == []
    assert selectors.search(viewer=supervisor.user, q=restricted.case_number).cases == [restricted]


def test_the_people_search_page_finds_a_last_name_alone_and_logs_the_search(
    osbornes, worker, client
):
    client.force_login(worker.user)
    page = client.get(reverse("people_search"), {"q": "Osborn"})
    assert page.status_code == 200
    text = page.content.decode()
    for person in osbornes["people"]:
        assert reverse("person_detail", args=[person.pk]) in text
    assert "Hidden" not in text
    logged = AccessLog.objects.filter(user=worker.user, kind=audit.SEARCH)
    assert set(logged.values_list("object_id", flat=True)) == {p.pk for p in osbornes["people"]}
    # The header's box on every page sends here.
    assert 'id="header-q"' in client.get(reverse("home"), follow=True).content.decode()


def test_the_page_and_the_api_answer_in_constant_queries(
    osbornes, worker, client, django_assert_max_num_queries
):
    client.force_login(worker.user)
    with django_assert_max_num_queries(20):
        client.get(reverse("people_search"), {"q": f"Osborn {osbornes['case'].case_number}"})


def test_the_api_search_answers_cases_and_people(osbornes, worker):
    api = ApiClient(worker.user)
    case = osbornes["case"]
    r = api.get(f"{API}/search", q=f"Osbrone {case.case_number}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [c["case_number"] for c in body["cases"]] == [case.case_number]
    assert {p["person"]["first_name"] for p in body["people"]} == set(OSBORNES)
    assert body["people"][0]["reasons"] and body["people"][0]["cases"]
    assert AccessLog.objects.filter(user=worker.user, kind=audit.SEARCH, path=f"{API}/search")
    r = api.get(f"{API}/search", q="  ")
    assert r.status_code == 422 and set(r.json()["errors"]) == {"q"}


def test_the_api_people_list_and_matches_find_a_last_name_alone(osbornes, worker):
    api = ApiClient(worker.user)
    r = api.get(f"{API}/people", q="Osborn")
    assert {p["first_name"] for p in r.json()["items"]} == set(OSBORNES)
    r = api.get(f"{API}/people/matches", last_name="Osborn")
    assert {m["person"]["first_name"] for m in r.json()} == set(OSBORNES)
