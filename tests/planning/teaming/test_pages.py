"""The teaming pages: /cases/<pk>/teaming/ and /team-meetings/<pk>/ (C5, C6, C7, P7, V13).
Forms keep their input and answer 422 on a refusal; reads are logged; access follows the
case."""

from datetime import timedelta

from django.urls import reverse

from hearth.cases.models import CaseMember
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.people.models import Relationship
from hearth.planning.models import (
    DiligentSearch,
    SupervisorConference,
    TeamMeeting,
    TribeContact,
)
from tests.factories import PersonFactory, StaffFactory, TribeFactory, UnitFactory, make_case
from tests.placements.conftest import days_ago


def url(case):
    return reverse("case_teaming", args=[case.pk])


def meeting_post(family, **over):
    data = {
        "action": "meeting",
        "held_on": days_ago(1).isoformat(),
        "type": "initial",
        "facilitator_name": "Ann Facilitator",
        "location": "Family center",
        "decisions": "The parent starts classes.",
        "rows": "4",
        "p0_person": str(family["parent"].pk),
        "p0_role": "parent",
        "p0_attended": "on",
        "p0_input": "I can do Tuesdays.",
        "p1_name": "Coach Lee",
        "p1_role": "informal_support",
        "p1_attended": "on",
        "p1_input": "I will drive her.",
    }
    data.update(over)
    return data


def test_c5_record_a_meeting_through_the_page_and_read_it(as_user, family, worker):
    client = as_user(worker)
    r = client.get(url(family["case"]))
    assert r.status_code == 200 and "Record a family team meeting" in r.content.decode()
    r = client.post(url(family["case"]), meeting_post(family))
    assert r.status_code == 302, r.content.decode()[:2000]
    team = TeamMeeting.objects.get()
    assert [p.input for p in team.participants.order_by("id")] == [
        "I can do Tuesdays.",
        "I will drive her.",
    ]
    page = client.get(reverse("team_meeting_detail", args=[team.pk])).content.decode()
    assert "I will drive her." in page and "The parent starts classes." in page
    assert AccessLog.objects.filter(object_type="casemeeting", object_id=team.pk).exists()


def test_c5_refused_meeting_keeps_input_answers_422_and_stores_nothing(as_user, family, worker):
    client = as_user(worker)
    future = (today() + timedelta(days=3)).isoformat()
    r = client.post(url(family["case"]), meeting_post(family, held_on=future))
    assert r.status_code == 422
    text = r.content.decode()
    assert "cannot be in the future" in text and "I will drive her." in text
    r = client.post(url(family["case"]), meeting_post(family, p0_attended="", p1_attended=""))
    assert r.status_code == 422 and "At least one participant attended" in r.content.decode()
    assert not TeamMeeting.objects.exists()


def test_c5_add_rows_posts_back_with_more_rows_and_the_input_kept(as_user, family, worker):
    r = as_user(worker).post(url(family["case"]), meeting_post(family, add_rows="1"))
    text = r.content.decode()
    assert r.status_code == 200 and 'name="p6_name"' in text and "I will drive her." in text
    assert not TeamMeeting.objects.exists()


def test_p7_page_asks_for_the_visitation_review_of_a_child_out_of_home(
    as_user, removed, family, worker
):
    client = as_user(worker)
    key = f"decision_{family['child'].pk}"
    r = client.post(url(family["case"]), meeting_post(family))
    assert r.status_code == 422 and f'name="{key}"' in r.content.decode()
    r = client.post(url(family["case"]), meeting_post(family, **{key: "continue"}))
    assert r.status_code == 302
    assert TeamMeeting.objects.get().meeting.visitation_reviews.count() == 1


def test_v13_conference_form_only_for_holders_of_conference_record(
    as_user, family, worker, supervisor
):
    data = {
        "action": "conference",
        "held_on": days_ago(1).isoformat(),
        "discussed": "The CANS and the plan.",
        "decisions": "Keep weekly visits.",
        "not_seen": str(family["parent"].pk),
        "not_seen_reason": "",
    }
    assert (
        "Record a supervisor conference"
        not in as_user(worker).get(url(family["case"])).content.decode()
    )
    assert as_user(worker).post(url(family["case"]), data).status_code == 403
    client = as_user(supervisor)
    r = client.post(url(family["case"]), data)
    assert r.status_code == 422 and "documented reason" in r.content.decode()
    data["not_seen_reason"] = "Hospitalized since the 3rd."
    assert client.post(url(family["case"]), data).status_code == 302
    page = client.get(url(family["case"])).content.decode()
    assert "Hospitalized since the 3rd." in page
    assert SupervisorConference.objects.count() == 1


def test_c6_search_found_adds_a_new_relative_to_the_family(as_user, family, worker):
    data = {
        "action": "search",
        "sought_for": "extended_family",
        "sought_name": "Grandfather on the father's side",
        "method": "family_interview",
        "searched_on": days_ago(2).isoformat(),
        "result": "found",
        "child": str(family["child"].pk),
        "found_first_name": "Omar",
        "found_last_name": "Brook",
        "relative_kind": "grandfather",
    }
    client = as_user(worker)
    r = client.post(url(family["case"]), {**data, "relative_kind": ""})
    assert r.status_code == 422 and not DiligentSearch.objects.exists()
    assert client.post(url(family["case"]), data).status_code == 302
    found = DiligentSearch.objects.get().found_person
    assert CaseMember.objects.filter(case=family["case"], person=found).exists()
    assert Relationship.objects.get(person=found, other=family["child"]).relative_kind == (
        "grandfather"
    )
    assert "Omar Brook" in client.get(url(family["case"])).content.decode()


def test_c7_page_shows_not_yet_asked_and_records_a_tribe_contact(as_user, family, worker):
    tribe = TribeFactory(name="River Band")
    family["child"].tribes.add(tribe)
    family["child"].icwa_inquiry_made = True
    family["child"].save()
    client = as_user(worker)
    page = client.get(url(family["case"])).content.decode()
    assert "Not yet asked" in page  # the sibling: unknown until asked
    data = {
        "action": "tribe",
        "child": str(family["sibling"].pk),  # River Band is not the sibling's tribe
        "tribe": str(tribe.pk),
        "contacted_on": days_ago(1).isoformat(),
        "method": "phone",
        "response": "They will call back.",
    }
    r = client.post(url(family["case"]), data)
    assert r.status_code == 422 and not TribeContact.objects.exists()
    data["child"] = str(family["child"].pk)
    assert client.post(url(family["case"]), data).status_code == 302
    assert "They will call back." in client.get(url(family["case"])).content.decode()


def test_teaming_pages_follow_the_case_scope(as_user, family, worker):
    rival_unit = UnitFactory()
    rival = StaffFactory(unit=rival_unit, roles=["supervisor"])
    other = make_case(actor_staff=rival, members=[(PersonFactory(), "child")])
    client = as_user(worker)
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), meeting_post(family)).status_code == 404
    as_user(worker).post(url(family["case"]), meeting_post(family))
    team = TeamMeeting.objects.get()
    assert as_user(rival).get(reverse("team_meeting_detail", args=[team.pk])).status_code == 404


def test_teaming_page_and_list_queries_do_not_grow_with_the_records(as_user, family, worker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.api.conftest import ApiClient

    client = as_user(worker)
    api = ApiClient(worker.user)
    list_url = f"/api/v1/cases/{family['case'].pk}/team-meetings"

    def counts():
        with CaptureQueriesContext(connection) as page:
            assert client.get(url(family["case"])).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert api.get(list_url).status_code == 200
        return len(page), len(listed)

    client.post(url(family["case"]), meeting_post(family))
    one = counts()
    for n in range(3):
        client.post(url(family["case"]), meeting_post(family, held_on=days_ago(n + 2).isoformat()))
    assert TeamMeeting.objects.count() == 4
    after = counts()
    assert after[0] <= one[0] and after[1] <= one[1], (one, after)


def test_c7_naming_a_tribe_on_the_person_page_makes_the_contact_fall_due(as_user, family, worker):
    from hearth.obligations.models import Obligation
    from hearth.people.forms import PersonEditForm

    tribe = TribeFactory()
    child = family["child"]
    form = PersonEditForm.for_person(child)
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data.update(
        icwa_inquiry_made="true",
        icwa_inquiry_date=days_ago(1).isoformat(),
        tribes=[str(tribe.pk)],
        county="",
    )
    r = as_user(worker).post(reverse("person_edit", args=[child.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    child.refresh_from_db()
    assert child.icwa_inquiry_made is True and list(child.tribes.all()) == [tribe]
    owed = Obligation.objects.get(case=family["case"], rule="C7")
    assert owed.person_id == child.pk and tribe.name in owed.description
