"""Search before create (issue 5): people_matches and GET /api/v1/people/matches, on
SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.cases import services as case_services
from hearth.cases.people_selectors import CANDIDATE_LIMIT, people_matches
from hearth.core.services import today
from hearth.people import services
from hearth.people.models import Person
from hearth.staff.models import Role
from tests.api.conftest import ApiClient
from tests.factories import PersonFactory, StaffFactory, UnitFactory, make_case

API = "/api/v1/people/matches"
User = get_user_model()


@pytest.fixture
def api_as():
    return ApiClient


@pytest.fixture
def intake(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])


@pytest.fixture
def recorded(intake):
    """Record people the way intake does: through the service, for the agency (visible
    to intake while they are in no case)."""

    def record(first, last, dob=None, **fields):
        return services.person_create(
            actor=intake.user,
            recorded_by_agency=intake.agency,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            **fields,
        )

    return record


def find(viewer, first, last, dob=None, **kw):
    return people_matches(
        viewer=viewer.user, first_name=first, last_name=last, date_of_birth=dob, **kw
    )


def by_name(matches):
    return {m.person.full_name: m for m in matches}


def test_keys_are_stored_on_create_and_kept_on_update(recorded, intake):
    bill = recorded("Bill", "Smyth", date(2015, 3, 7))
    assert (bill.first_name_key, bill.last_name_key) == ("WLM", "SM0")
    services.person_update(actor=intake.user, person=bill, first_name="Ana", last_name="Núñez")
    stored = Person.objects.values("first_name_key", "last_name_key").get(pk=bill.pk)
    assert stored == {"first_name_key": "AN", "last_name_key": "NNS"}
    # The factories write through save() too.
    assert PersonFactory(first_name="Liz", last_name="Jonson").first_name_key == "ELSB0"


def test_a_misspelt_last_name_is_found(recorded, intake):
    recorded("Mark", "Johnson", date(1988, 5, 20))
    (match,) = find(intake, "Mark", "Jonson")
    assert match.person.last_name == "Johnson"
    assert match.reasons[0] == "last name Johnson sounds like Jonson"
    assert "same first name" in match.reasons


def test_sound_alike_names_are_found(recorded, intake):
    recorded("Anna", "Smyth", date(2016, 1, 2))
    recorded("Catherine", "Lee", date(2012, 9, 30))
    (smyth,) = find(intake, "Anna", "Smith")
    assert "last name Smyth sounds like Smith" in smyth.reasons
    (lee,) = find(intake, "Kathryn", "Lee")
    assert "first name Catherine sounds like Kathryn" in lee.reasons


def test_nicknames_are_found_both_ways(recorded, intake):
    recorded("William", "Turner", date(1980, 2, 14))
    recorded("José", "Hernández", date(1979, 11, 3))
    recorded("Lupe", "Ramírez", date(2001, 6, 6))
    (william,) = find(intake, "Bill", "Turner")
    assert "Bill is a nickname of William" in william.reasons
    (jose,) = find(intake, "Pepe", "Hernandez")
    assert "Pepe is a nickname of José" in jose.reasons
    assert "same last name" in jose.reasons  # accents do not count
    (lupe,) = find(intake, "Guadalupe", "Ramirez", date(2001, 6, 6))
    assert "Lupe is a nickname of Guadalupe" in lupe.reasons


def test_a_date_of_birth_with_day_and_month_swapped_is_found(recorded, intake):
    recorded("Chidi", "Okafor", date(2015, 7, 3))
    # Married since: another last name, found by the date of birth.
    recorded("Maria", "Lopez", date(1990, 4, 11))
    (chidi,) = find(intake, "Chidi", "Okafor", date(2015, 3, 7))
    assert chidi.reasons[-1] == "date of birth with day and month swapped"
    assert chidi.score == 95
    (maria,) = find(intake, "Maria", "Garcia", date(1990, 11, 4))
    assert maria.person.last_name == "Lopez"
    assert maria.reasons == ["same first name", "date of birth with day and month swapped"]


def test_exact_ranks_above_fuzzy(recorded, intake):
    dob = date(2015, 3, 7)
    recorded("Jon", "Smyth", date(2015, 7, 3))
    recorded("Johnny", "Smith", None, dob_precision="unknown")
    recorded("John", "Smith", dob)
    recorded("John", "Smyth", dob)
    recorded("Mary", "Smith", date(2013, 1, 1))  # a sister: below the line
    recorded("Zed", "Quigley", dob)  # only the date agrees: below the line
    matches = find(intake, "John", "Smith", dob)
    assert [m.person.full_name for m in matches] == [
        "John Smith",
        "John Smyth",
        "Jon Smyth",
        "Johnny Smith",
    ]
    assert matches[0].score == 100
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert len(find(intake, "John", "Smith", dob, limit=2)) == 2


def test_a_person_only_in_another_agencys_case_is_not_found(intake, supervisor, worker):
    mine = PersonFactory(first_name="Rosa", last_name="Delgado", date_of_birth=date(2014, 8, 1))
    theirs = PersonFactory(first_name="Rosa", last_name="Delgado", date_of_birth=date(2014, 8, 1))
    make_case(actor_staff=supervisor, worker=worker, members=[(mine, "child")])
    rival_unit = UnitFactory()
    rival_sup = StaffFactory(unit=rival_unit, roles=[Role.SUPERVISOR])
    make_case(
        actor_staff=rival_sup,
        worker=StaffFactory(unit=rival_unit),
        members=[(theirs, "child")],
    )
    assert [m.person.pk for m in find(intake, "Rosa", "Delgado", date(2014, 8, 1))] == [mine.pk]
    assert [m.person.pk for m in find(rival_sup, "Rosa", "Delgado")] == [theirs.pk]
    # A case manager sees the people of their unit's cases only.
    assert [m.person.pk for m in find(worker, "Rosa", "Delgado")] == [mine.pk]


def test_matches_carry_the_cases_the_viewer_may_see_with_status_and_closed_date(
    intake, supervisor, worker
):
    child = PersonFactory(first_name="Noah", last_name="Brook", date_of_birth=date(2016, 2, 2))
    old = make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[(child, "child")],
        opened_on=today() - timedelta(days=400),
    )
    closed_on = today() - timedelta(days=30)
    case_services.case_change_status(actor=supervisor.user, case=old, status="closed", on=closed_on)
    (match,) = find(intake, "Noah", "Brooke", date(2016, 2, 2))
    assert [(c.case_number, c.status, c.closed_on, c.role) for c in match.cases] == [
        (old.case_number, "closed", closed_on, "child")
    ]


def test_nothing_to_search_for_finds_no_one(recorded, intake):
    recorded("Ana", "B", date(2010, 1, 1))
    assert find(intake, "Ana", "  ") == []
    recorded("Wei", "张", date(2010, 1, 1))
    assert [m.person.last_name for m in find(intake, "Wei", "张")] == ["张"]


def test_a_last_name_typed_as_its_beginning_is_found(recorded, intake):
    recorded("Sofia", "Hernandez", date(2011, 3, 3))
    (match,) = find(intake, "Sofia", "Hernan", date(2011, 3, 3))
    assert match.person.last_name == "Hernandez"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigrams are PostgreSQL's")
def test_on_postgresql_a_misspelling_that_changes_the_sound_is_found(recorded, intake):
    recorded("Ella", "Thompson", date(2009, 12, 24))
    (match,) = find(intake, "Ella", "Tompson")
    assert match.reasons[0] == "last name Thompson is spelt like Tompson (1 letter different)"


def test_query_count_does_not_grow_with_the_matches(recorded, intake, supervisor, worker):
    def count(n):
        for i in range(n):
            person = recorded("Lena", "Novak", date(2000, 1, 1) + timedelta(days=i))
            make_case(actor_staff=supervisor, worker=worker, members=[(person, "parent")])
        viewer = User.objects.get(pk=intake.user_id)  # nothing cached on it
        with CaptureQueriesContext(connection) as captured:
            found = people_matches(viewer=viewer, first_name="Lena", last_name="Novak")
        return len(found), len(captured)

    few, few_queries = count(2)
    many, many_queries = count(12)
    assert (few, many) == (2, 14)
    # The staff record and its roles, the candidates, their cases.
    assert few_queries == many_queries == 4


def test_candidates_are_bounded(recorded, intake, monkeypatch):
    from hearth.cases import people_selectors as selectors

    monkeypatch.setattr(selectors, "CANDIDATE_LIMIT", 3)
    for i in range(6):
        recorded(f"Kim{i}", "Park", date(2001, 1, 1) + timedelta(days=i))
    recorded("Kim", "Park", date(2000, 1, 1))
    found = find(intake, "Kim", "Park", date(2000, 1, 1))
    assert found[0].person.first_name == "Kim" and found[0].score == 100
    assert len(found) <= 3 < CANDIDATE_LIMIT


# --- The API ---------------------------------------------------------------------------


def test_the_endpoint_answers_ranked_matches(recorded, intake, api_as):
    recorded("William", "Turner", date(1980, 2, 14))
    r = api_as(intake.user).get(
        API, first_name="Bill", last_name="Turnor", date_of_birth="02/14/1980"
    )
    assert r.status_code == 200, r.content
    (body,) = r.json()
    assert body["person"]["first_name"] == "William"
    assert body["person"]["date_of_birth"] == "1980-02-14"
    assert body["score"] >= 80
    assert "Bill is a nickname of William" in body["reasons"]
    assert "same date of birth" in body["reasons"]
    assert body["cases"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"first_name": "Ana"}, "last_name"),
        ({"first_name": "Ana", "last_name": "  "}, "last_name"),
        ({"last_name": "Diaz", "date_of_birth": "2015-13-45"}, "date_of_birth"),
        ({"last_name": "Diaz", "date_of_birth": "yesterday"}, "date_of_birth"),
        ({"last_name": "Diaz", "limit": "0"}, "limit"),
    ],
)
def test_bad_searches_answer_422_naming_the_field(intake, api_as, params, field):
    r = api_as(intake.user).get(API, **params)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"], r.json()


def test_who_may_search(world, api_as, db):
    assert api_as().get(API, last_name="Diaz").status_code == 401
    assert api_as(world["staff"]["admin"].user).get(API, last_name="Diaz").status_code == 403
    for who in ("intake", "worker", "supervisor", "director", "oversight", "qa"):
        r = api_as(world["staff"][who].user).get(API, last_name="Diaz")
        assert r.status_code == 200, who


def test_the_endpoint_is_in_the_openapi_document(intake, api_as):
    paths = api_as(intake.user).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/people/matches" in paths


# --- The web people search -------------------------------------------------------------


def test_the_people_search_page_lists_possible_matches(recorded, intake, client):
    listed = recorded("Bill", "Turner", date(1980, 2, 14))
    william = recorded("William", "Turnor", date(1980, 2, 14))
    recorded("Zed", "Quigley", date(1999, 9, 9))
    client.force_login(intake.user)
    page = client.get(reverse("people_search"), {"q": "Bill Turner 02/14/1980"})
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("person_detail", args=[william.pk]) in text
    assert "Bill is a nickname of William" in text
    # One list, best first: the exact match once, before the nickname.
    assert text.count(reverse("person_detail", args=[listed.pk])) == 1
    assert text.index(reverse("person_detail", args=[listed.pk])) < text.index(
        reverse("person_detail", args=[william.pk])
    )
    assert "Quigley" not in text
    # A case number finds no one by name.
    assert "Turner" not in client.get(reverse("people_search"), {"q": "NSF-1"}).content.decode()
