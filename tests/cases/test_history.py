"""A change to a person shows in the history of every case they belong to, with old and new
values, who and when: through the service, the person page and the API, on the case page
and in GET /api/v1/cases/{id}/history; a constant number of queries per case."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.cases import selectors, services
from hearth.people import services as people_services
from hearth.people.forms import PersonEditForm
from tests.api.conftest import ApiClient
from tests.factories import CountyFactory, LanguageFactory, PersonFactory, make_case

API = "/api/v1"


def _person_changes(history, name):
    """{field: (old, new)} over the history entries about the person `name`."""
    out = {}
    for entry in history:
        if entry.what == f"Person {name}":
            for field, old, new in entry.changes:
                out[field] = (old, new)
    return out


@pytest.fixture
def two_cases(case, supervisor, worker):
    """The Rivera family's mother is also a member of a second case (her other child)."""
    mother = case.members.get(role="parent").person
    second = make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[
            (PersonFactory(first_name="Leo", last_name="Rivera"), "child"),
            (mother, "parent"),
        ],
    )
    return case, second, mother


def test_a_person_change_shows_in_each_of_their_cases_with_old_and_new_values(
    two_cases, supervisor, worker
):
    case, second, mother = two_cases
    county = CountyFactory(name="Harlan")
    spanish = LanguageFactory(code="es", name="Spanish")
    people_services.person_update(
        actor=worker.user,
        person=mother,
        version=mother.version,
        last_name="Lopez",
        date_of_birth=date(1990, 4, 2),
        dob_precision="exact",
        county=county,
        languages=[spanish],
    )
    for c in (case, second):
        history = selectors.case_history(case=c)
        changes = _person_changes(history, "Maria Lopez")
        assert changes["last name"] == ("Rivera", "Lopez")
        assert changes["date of birth"] == ("—", "1990-04-02")
        assert changes["dob precision"] == ("Unknown", "Exact")
        assert changes["county"] == ("—", "Harlan")  # named, not an id
        assert changes["languages"] == ("—", "Spanish")
        mine = [e for e in history if e.what == "Person Maria Lopez" and e.action == "changed"]
        assert {e.who for e in mine} == {worker.user.get_full_name() or worker.user.username}
    # A person in neither case does not show.
    stranger = PersonFactory(first_name="Zed", last_name="Other")
    people_services.person_update(actor=worker.user, person=stranger, city="Elsewhere")
    assert not [e for e in selectors.case_history(case=case) if "Zed" in e.what]


def test_a_change_through_the_person_page_shows_on_the_case_page(two_cases, worker, as_user):
    case, second, mother = two_cases
    client = as_user(worker)
    form = PersonEditForm.for_person(mother)
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(city="Riverton", whereabouts_known="on")
    r = client.post(reverse("person_edit", args=[mother.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    for c in (case, second):
        text = client.get(reverse("case_detail", args=[c.pk])).content.decode()
        assert "Person Maria Rivera changed" in text
        assert "city: — → Riverton" in text


def test_a_change_through_the_api_shows_in_the_case_history_endpoint(two_cases, worker):
    case, second, mother = two_cases
    api = ApiClient(worker.user)
    r = api.patch(f"{API}/people/{mother.pk}", {"first_name": "Mariana", "version": 1})
    assert r.status_code == 200, r.content
    for c in (case, second):
        body = api.get(f"{API}/cases/{c.pk}/history").json()
        entry = next(e for e in body if e["what"] == "Person Mariana Rivera")
        assert entry["action"] == "changed"
        assert ["first name", "Maria", "Mariana"] in entry["changes"]
        assert entry["who"] and entry["at"]


def _case_with(n, supervisor, worker):
    people = [PersonFactory() for _ in range(n)]
    c = make_case(
        actor_staff=supervisor, worker=worker, members=[(p, "household_member") for p in people]
    )
    county = CountyFactory()
    for i, p in enumerate(people):
        people_services.person_update(actor=worker.user, person=p, city=f"Town {i}", county=county)
        services.case_member_update(
            actor=worker.user, member=c.members.get(person=p), in_household=False
        )
    return c


def test_the_history_of_a_case_reads_a_constant_number_of_queries(supervisor, worker):
    """No query per member: 1 member or 10, the same count (selector and endpoint)."""
    small, large = _case_with(1, supervisor, worker), _case_with(10, supervisor, worker)
    counts = []
    for c in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            history = selectors.case_history(case=c)
        counts.append(len(ctx.captured_queries))
        assert len([e for e in history if e.what.startswith("Person")]) == 2 * len(
            c.members.all()
        )  # created, then changed
    assert counts[0] == counts[1] <= 10, counts
    api = ApiClient(worker.user)
    api.get(f"{API}/cases/{small.pk}/history")  # warm-up: a first request reads more
    api_counts = []
    for c in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"{API}/cases/{c.pk}/history").status_code == 200
        api_counts.append(len(ctx.captured_queries))
    assert api_counts[0] == api_counts[1], api_counts
