"""The teaming endpoints (C5, C6, C7, P7, V13): 201 on create, 4xx naming the field with
nothing stored, lists scoped by the case and logged, the ICWA inquiry null until asked."""

from datetime import timedelta

from hearth.cases.models import CaseMember
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.planning.models import DiligentSearch, SupervisorConference, TeamMeeting, TribeContact
from tests.factories import PersonFactory, StaffFactory, TribeFactory, UnitFactory, make_case
from tests.placements.conftest import days_ago

API = "/api/v1"


def meeting_body(family, **over):
    body = {
        "held_on": days_ago(1).isoformat(),
        "type": "plan_review",
        "facilitator_name": "Ann Facilitator",
        "participants": [
            {"role": "parent", "person": family["parent"].pk, "input": "I agree to the classes."},
            {"name": "Sam Foster", "role": "resource_parent", "input": "Visits on Saturdays."},
        ],
        "decisions": "Classes start Monday.",
        "reviews": [],
    }
    body.update(over)
    return body


def test_c5_api_records_and_reads_a_meeting(api_as, family, worker):
    api = api_as(worker.user)
    case = family["case"]
    r = api.post(f"{API}/cases/{case.pk}/team-meetings", meeting_body(family))
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["participants"][0]["name"] == "Dana Brook"
    assert body["participants"][0]["input"] == "I agree to the classes."
    assert body["case_plans"] == []
    one = api.get(f"{API}/team-meetings/{body['id']}")
    assert one.status_code == 200 and one.json()["decisions"] == "Classes start Monday."
    listed = api.get(f"{API}/cases/{case.pk}/team-meetings").json()
    assert [m["id"] for m in listed] == [body["id"]]
    assert AccessLog.objects.filter(object_type="casemeeting", object_id=body["id"]).exists()


def test_c5_api_refusals_name_the_field_and_store_nothing(api_as, family, worker):
    api = api_as(worker.user)
    path = f"{API}/cases/{family['case'].pk}/team-meetings"
    future = (today() + timedelta(days=1)).isoformat()
    r = api.post(path, meeting_body(family, held_on=future))
    assert r.status_code == 422 and "held_on" in r.json()["errors"]
    early = (family["case"].opened_on - timedelta(days=1)).isoformat()
    r = api.post(path, meeting_body(family, held_on=early))
    assert r.status_code == 422 and "before the case opened" in r.json()["errors"]["held_on"]
    stranger = PersonFactory(recorded_by_agency=worker.agency)
    body = meeting_body(family)
    body["participants"][0]["person"] = stranger.pk
    r = api.post(path, body)
    assert r.status_code == 422 and "participants.0.person" in r.json()["errors"]
    assert not TeamMeeting.objects.exists()


def test_p7_api_requires_the_review_of_a_child_out_of_home(api_as, removed, family, worker):
    api = api_as(worker.user)
    path = f"{API}/cases/{family['case'].pk}/team-meetings"
    r = api.post(path, meeting_body(family))
    assert r.status_code == 422 and "P7" in r.json()["errors"]["reviews"]
    review = {"child": family["child"].pk, "decision": "change", "obstacles": "Distance"}
    r = api.post(path, meeting_body(family, reviews=[review]))
    assert r.status_code == 201 and r.json()["reviews"][0]["decision"] == "change"


def test_v13_api_conference_for_supervisors_only(api_as, family, worker, supervisor):
    path = f"{API}/cases/{family['case'].pk}/supervisor-conferences"
    body = {
        "held_on": days_ago(1).isoformat(),
        "worker": worker.pk,
        "discussed": "Barriers to the family's taking part.",
        "decisions": "Offer evening meetings.",
        "not_seen": family["parent"].pk,
        "not_seen_reason": "Works nights; a call each week instead.",
    }
    assert api_as(worker.user).post(path, body).status_code == 403
    r = api_as(supervisor.user).post(path, {**body, "not_seen_reason": ""})
    assert r.status_code == 422 and "not_seen_reason" in r.json()["errors"]
    assert not SupervisorConference.objects.exists()
    r = api_as(supervisor.user).post(path, body)
    assert r.status_code == 201 and r.json()["not_seen"]["id"] == family["parent"].pk
    listed = api_as(worker.user).get(path).json()
    assert listed[0]["not_seen_reason"].startswith("Works nights")


def test_c6_api_found_person_joins_the_family(api_as, family, worker):
    api = api_as(worker.user)
    path = f"{API}/cases/{family['case'].pk}/searches"
    body = {
        "sought_for": "absent_parent",
        "sought_name": "The children's father",
        "method": "database",
        "searched_on": days_ago(4).isoformat(),
        "result": "found",
        "child": family["child"].pk,
        "new_person": {"first_name": "Leo", "last_name": "Brook"},
    }
    r = api.post(path, {**body, "child": None})
    assert r.status_code == 422 and "child" in r.json()["errors"]
    assert not DiligentSearch.objects.exists()
    r = api.post(path, body)
    assert r.status_code == 201, r.json()
    found = r.json()["found_person"]["id"]
    assert CaseMember.objects.get(case=family["case"], person_id=found).role == "parent"
    assert api.get(path).json()[0]["result"] == "found"


def test_c7_api_tribe_contact_and_icwa_null_until_asked(api_as, family, worker):
    api = api_as(worker.user)
    tribe = TribeFactory()
    family["child"].tribes.add(tribe)
    person = api.get(f"{API}/people/{family['sibling'].pk}").json()
    assert person["icwa_inquiry_made"] is None  # unknown until asked, never a default no
    path = f"{API}/cases/{family['case'].pk}/tribe-contacts"
    body = {
        "child": family["sibling"].pk,
        "tribe": tribe.code,
        "contacted_on": days_ago(1).isoformat(),
        "method": "email",
        "active_efforts": "Monthly updates to the tribe.",
    }
    r = api.post(path, body)
    assert r.status_code == 422 and "tribe" in r.json()["errors"]
    assert not TribeContact.objects.exists()
    r = api.post(path, {**body, "child": family["child"].pk})
    assert r.status_code == 201 and r.json()["tribe"] == tribe.code
    assert len(api.get(path).json()) == 1


def test_teaming_api_follows_the_case_scope(api_as, family, worker):
    rival = StaffFactory(unit=UnitFactory(), roles=["supervisor"])
    other = make_case(actor_staff=rival, members=[(PersonFactory(), "child")])
    api = api_as(worker.user)
    for what in ("team-meetings", "supervisor-conferences", "searches", "tribe-contacts"):
        assert api.get(f"{API}/cases/{other.pk}/{what}").status_code == 404
    r = api_as(worker.user).post(
        f"{API}/cases/{family['case'].pk}/team-meetings", meeting_body(family)
    )
    assert api_as(rival.user).get(f"{API}/team-meetings/{r.json()['id']}").status_code == 404
