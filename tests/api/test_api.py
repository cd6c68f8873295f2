from datetime import date, timedelta

import pytest

from hearth.cases.models import Assignment, Case, CaseMember
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.people.models import Person
from hearth.staff.models import Role, StaffMember, Unit
from tests.factories import (
    CountyFactory,
    LanguageFactory,
    PersonFactory,
    StaffFactory,
    make_case,
)

API = "/api/v1"


@pytest.fixture
def director(agency):
    return StaffFactory(
        unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR], user__username="pd"
    )


def test_anonymous_requests_are_refused_with_json(db, api_as):
    for url in ("/cases", "/people", "/staff", "/units", "/cases/1"):
        r = api_as().get(API + url)
        assert r.status_code == 401
        assert r.json() == {"detail": "Sign in or send a valid bearer token.", "errors": {}}


def test_openapi_and_docs(worker, api_as, client):
    r = api_as(worker.user).get(API + "/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/people",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/members",
        "/api/v1/case-members/{member_id}",
        "/api/v1/staff",
        "/api/v1/units/{unit_id}",
        "/api/v1/cases/{case_id}/assignments",
    ):
        assert path in paths, path
    client.force_login(worker.user)
    assert client.get(API + "/docs").status_code == 200


def test_person_crud_and_future_birth_date(supervisor, api_as):
    api = api_as(supervisor.user)
    LanguageFactory(code="es", name="Spanish")
    r = api.post(
        API + "/people",
        {
            "first_name": "Ana",
            "last_name": "Diaz",
            "date_of_birth": "2016-04-02",
            "languages": ["es"],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["languages"] == ["es"] and body["version"] == 1
    pid = body["id"]
    r = api.patch(f"{API}/people/{pid}", {"version": 1, "city": "Riverton"})
    assert r.status_code == 200 and r.json()["city"] == "Riverton" and r.json()["version"] == 2
    r = api.patch(f"{API}/people/{pid}", {"version": 1, "city": "Elsewhere"})
    assert r.status_code == 409 and "version" in r.json()["errors"]
    future = (today() + timedelta(days=3)).isoformat()
    r = api.patch(f"{API}/people/{pid}", {"date_of_birth": future, "version": 2})
    assert r.status_code == 422
    assert r.json()["errors"] == {"date_of_birth": "The date of birth cannot be in the future."}
    assert Person.objects.get(pk=pid).date_of_birth == date(2016, 4, 2)
    assert api.get(f"{API}/people/{pid}").json()["city"] == "Riverton"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"first_name": ', "body"),
        ({"first_name": 5, "last_name": "X"}, "first_name"),
        ({"first_name": "A", "last_name": "B", "date_of_birth": "not a date"}, "date_of_birth"),
        ({"first_name": "A", "last_name": "B", "county": "atlantis"}, "county"),
        ({"first_name": "A", "last_name": "B", "sex": "robot"}, "sex"),
    ],
)
def test_bad_person_bodies_name_the_field_and_store_nothing(supervisor, api_as, body, field):
    r = api_as(supervisor.user).post(API + "/people", body)
    assert 400 <= r.status_code < 500
    assert field in r.json()["errors"], r.json()
    assert not Person.objects.exists()


def test_case_create_read_update_and_list(director, unit, api_as):
    CountyFactory(code="alder")
    api = api_as(director.user)
    r = api.post(
        API + "/cases",
        {"county": "alder", "case_type": "out_of_home", "court_involved": True, "unit": unit.pk},
    )
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["status"] == "referred" and case["current_worker"] is None
    assert case["case_number"].startswith("NSF-")
    r = api.patch(f"{API}/cases/{case['id']}", {"version": case["version"], "complexity": 4})
    assert r.status_code == 200 and r.json()["complexity"] == 4
    listed = api.get(API + "/cases").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == case["id"]


def test_case_create_refused_for_case_managers(worker, api_as):
    CountyFactory(code="alder")
    r = api_as(worker.user).post(API + "/cases", {"county": "alder", "case_type": "investigation"})
    assert r.status_code == 403
    assert not Case.objects.exists()


def test_members_add_list_and_end(case, supervisor, api_as):
    api = api_as(supervisor.user)
    sibling = PersonFactory()
    r = api.post(f"{API}/cases/{case.pk}/members", {"person": sibling.pk, "role": "sibling"})
    # The sibling was recorded by no agency and is in no case: not visible, so unknown.
    assert r.status_code == 422 and r.json()["errors"] == {"person": "Unknown person."}
    sibling.recorded_by_agency = supervisor.agency
    sibling.save()
    r = api.post(f"{API}/cases/{case.pk}/members", {"person": sibling.pk, "role": "sibling"})
    assert r.status_code == 201, r.content
    member = r.json()
    r = api.patch(
        f"{API}/case-members/{member['id']}",
        {"version": member["version"], "ends_on": today().isoformat()},
    )
    assert r.status_code == 200 and r.json()["ends_on"] == today().isoformat()
    roles = [m["role"] for m in api.get(f"{API}/cases/{case.pk}/members").json()]
    assert sorted(roles) == ["child", "parent", "sibling"]


def test_a6_assign_through_the_api_and_history(case, supervisor, unit, api_as):
    other = StaffFactory(unit=unit)
    api = api_as(supervisor.user)
    r = api.post(
        f"{API}/cases/{case.pk}/assignments",
        {"worker": other.pk, "reason": "", "version": case.version},
    )
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = api.post(
        f"{API}/cases/{case.pk}/assignments",
        {"worker": other.pk, "reason": "Speaks the family's language", "version": case.version},
    )
    assert r.status_code == 201, r.content
    assert r.json()["assigned_by"]["id"] == supervisor.pk
    rows = api.get(f"{API}/cases/{case.pk}/assignments").json()
    assert [a["worker"]["id"] for a in rows][:2] == [other.pk, rows[1]["worker"]["id"]]
    assert Assignment.objects.filter(case=case, ends_on__isnull=True).count() == 1
    history = api.get(f"{API}/cases/{case.pk}/history").json()
    assert any(h["what"].startswith("Assignment of") for h in history)


def test_assigning_the_current_worker_again_is_refused(case, supervisor, worker, api_as):
    r = api_as(supervisor.user).post(
        f"{API}/cases/{case.pk}/assignments",
        {"worker": worker.pk, "reason": "again", "version": case.version},
    )
    assert r.status_code == 422 and "worker" in r.json()["errors"]
    assert Assignment.objects.filter(case=case).count() == 1


def test_unknown_and_invisible_ids_answer_the_same_404(case, api_as):
    stranger = StaffFactory(roles=[Role.SUPERVISOR])
    api = api_as(stranger.user)
    missing = api.get(f"{API}/cases/{case.pk + 1000}")
    hidden = api.get(f"{API}/cases/{case.pk}")
    assert missing.status_code == hidden.status_code == 404
    assert missing.content == hidden.content
    person = case.members.first().person_id
    assert api.get(f"{API}/people/{person}").content == api.get(f"{API}/people/999999").content


def test_views_of_case_records_are_logged(case, worker, api_as):
    api = api_as(worker.user)
    api.get(f"{API}/cases/{case.pk}")
    person = case.members.first().person_id
    api.get(f"{API}/people/{person}")
    logs = AccessLog.objects.filter(user=worker.user, channel="api")
    assert {(log.object_type, log.object_id) for log in logs} == {
        ("case", case.pk),
        ("person", person),
    }
    assert logs.get(object_type="case").case_id == case.pk


def test_status_transition_errors_are_clear(case, supervisor, api_as):
    r = api_as(supervisor.user).post(
        f"{API}/cases/{case.pk}/status", {"status": "referred", "version": case.version}
    )
    assert r.status_code == 200
    r = api_as(supervisor.user).post(
        f"{API}/cases/{case.pk}/status",
        {"status": "closure_recommended", "version": r.json()["version"]},
    )
    assert r.status_code == 422 and "status" in r.json()["errors"]


def test_staff_and_units_writes_for_directors(director, unit, api_as, agency):
    api = api_as(director.user)
    r = api.post(API + "/units", {"name": "Unit Z", "kind": "case_management"})
    assert r.status_code == 201 and r.json()["agency"] == agency.code
    r = api.post(API + "/units", {"name": "Unit Z", "kind": "case_management"})
    assert r.status_code == 422
    r = api.post(
        API + "/staff",
        {
            "username": "new.worker",
            "first_name": "New",
            "last_name": "Worker",
            "roles": ["case_manager"],
            "hire_date": (today() - timedelta(days=10)).isoformat(),
            "unit": unit.pk,
        },
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    version = r.json()["version"]
    r = api.patch(f"{API}/staff/{sid}", {"status": "departed", "version": version})
    assert r.status_code == 422 and "departed_on" in r.json()["errors"]
    assert StaffMember.objects.get(pk=sid).status == "active"
    r = api.patch(
        f"{API}/staff/{sid}",
        {"status": "departed", "departed_on": today().isoformat(), "version": version},
    )
    assert r.status_code == 200 and r.json()["status"] == "departed"


def test_case_managers_cannot_manage_staff_or_units(worker, unit, api_as):
    api = api_as(worker.user)
    assert api.post(API + "/units", {"name": "U", "kind": "oversight"}).status_code == 403
    assert api.patch(f"{API}/units/{unit.pk}", {"name": "Renamed"}).status_code == 403
    assert Unit.objects.get(pk=unit.pk).name == unit.name


@pytest.mark.parametrize("n", [3, 15])
def test_list_query_counts_do_not_grow(
    supervisor, worker, api_as, django_assert_max_num_queries, n
):
    for _ in range(n):
        make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    api = api_as(worker.user)
    for url in ("/cases", "/people", "/staff", "/units"):
        # 10 for the list, 5 for its access log entry (one insert for the whole page).
        with django_assert_max_num_queries(15):
            assert api.get(API + url).status_code == 200
    assert CaseMember.objects.count() == n


def test_null_for_a_required_field_is_refused(director, unit, case, api_as):
    api = api_as(director.user)
    r = api.patch(f"{API}/units/{unit.pk}", {"name": None, "version": unit.version})
    assert r.status_code == 422 and r.json()["errors"] == {"name": "This field cannot be null."}
    r = api.patch(f"{API}/cases/{case.pk}", {"court_involved": None, "version": case.version})
    assert r.status_code == 422 and "court_involved" in r.json()["errors"]
    unit.refresh_from_db()
    assert unit.name == "Unit A"
