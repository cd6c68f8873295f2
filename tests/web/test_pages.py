from datetime import date, timedelta

import pytest
from django.urls import reverse

from hearth.cases.models import Assignment, Case
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.people.models import Person
from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, make_case
from tests.pages import same_page


def test_home_sends_each_role_to_its_page(world, as_user):
    # Issue 15: the case manager, supervisor and program director have their own home; the
    # intake coordinator lands on the intake queue, the others on their own pages.
    homes = {"worker": "Act on these first", "supervisor": "Overdue items by worker"}
    homes["director"] = "Case managers at a hard limit"
    for who, heading in homes.items():
        r = as_user(world["staff"][who]).get("/")
        assert r.status_code == 200 and heading in r.content.decode(), who
    expected = {
        "intake": reverse("intake_queue"),
        "oversight": reverse("oversight_home"),  # issue 13: the oversight home
        "admin": reverse("admin:index"),
    }
    for who, url in expected.items():
        r = as_user(world["staff"][who]).get("/")
        assert r.status_code == 302 and r.url == url, who


def test_caseload_shows_cases_with_family_and_placeholder(case, worker, as_user):
    r = as_user(worker).get(reverse("caseload"))
    assert r.status_code == 200
    text = r.content.decode()
    assert case.case_number in text
    assert "Ava Rivera" in text and "(child in the case)" in text
    assert "In-home, non-court, non-court; " in text
    # C1: an in-home case opened 60 days ago owes its case plan and its reviews.
    assert "(C1)" in text


@pytest.mark.parametrize("n", [3, 20])
def test_caseload_query_count_does_not_grow(
    supervisor, worker, as_user, n, django_assert_max_num_queries
):
    # A caseload larger than the policy's full caseload, to show the count stays flat.
    worker.agency.policy_overrides = {"full_caseload": 40}
    worker.agency.save()
    for _ in range(n):
        make_case(
            actor_staff=supervisor,
            worker=worker,
            members=[(PersonFactory(), "child"), (PersonFactory(), "parent")],
        )
    c = as_user(worker)
    c.get(reverse("home"))  # the session's clocks start (written once, not on each page)
    # 8 for the page, 5 for its access log entry (savepoint, chain lock, one insert for
    # every case listed, chain head, release; 3 outside a test's transaction).
    with django_assert_max_num_queries(13):
        r = c.get(reverse("caseload"))
    assert r.content.decode().count("/cases/") >= n


def test_case_page_shows_family_assignments_and_history(case, worker, supervisor, as_user):
    mother = case.members.get(role="parent").person
    child = case.members.get(role="child").person
    from hearth.people.services import relationship_create

    relationship_create(
        actor=supervisor.user, person=mother, other=child, kind="parent", parent_type="legal"
    )
    r = as_user(worker).get(reverse("case_detail", args=[case.pk]))
    text = r.content.decode()
    assert r.status_code == 200
    assert "Maria Rivera is the parent of Ava Rivera" in text
    assert "parental rights intact" in text
    assert "Initial assignment" in text and worker.full_name in text
    assert "Change history" in text and "Assignment of" in text
    assert AccessLog.objects.filter(user=worker.user, case=case, channel="web").count() == 1


def test_case_page_query_count_is_bounded(case, worker, as_user, django_assert_max_num_queries):
    c = as_user(worker)
    c.get(reverse("home"))  # the session's clocks start (written once, not on each page)
    # 24 for the page (the history reads the history of the case's people too), 3 for the
    # referral's report (issue 15: the report, and the history of it and its allegations),
    # 5 for its access log entry (savepoint, chain lock, insert, chain head, release).
    with django_assert_max_num_queries(32):
        assert c.get(reverse("case_detail", args=[case.pk])).status_code == 200


def test_invisible_case_is_the_same_404_as_a_missing_one(case, as_user):
    stranger = StaffFactory(roles=[Role.SUPERVISOR])
    c = as_user(stranger)
    hidden = c.get(reverse("case_detail", args=[case.pk]))
    missing = c.get(reverse("case_detail", args=[case.pk + 999]))
    assert hidden.status_code == missing.status_code == 404
    assert same_page(hidden, missing)
    # The refused read of a case that exists is logged; the missing one leaves no trace.
    assert list(AccessLog.objects.values_list("kind", "case_id")) == [("refused", case.pk)]


def test_edit_with_stale_version_shows_an_error_and_changes_nothing(case, supervisor, as_user):
    c = as_user(supervisor)
    data = {
        "edit-version": case.version,
        "edit-case_type": "out_of_home",
        "edit-county": case.county_id,
        "edit-complexity": 3,
    }
    assert c.post(reverse("case_edit", args=[case.pk]), data).status_code == 302
    case.refresh_from_db()
    assert case.case_type == "out_of_home"
    data["edit-case_type"] = "investigation"
    r = c.post(reverse("case_edit", args=[case.pk]), data)  # same, now stale, version
    assert r.status_code == 409
    assert "sup changed this record on" in r.content.decode()  # who: the first save's author
    case.refresh_from_db()
    assert case.case_type == "out_of_home"


def test_case_manager_of_the_unit_cannot_edit_a_colleagues_case(case, unit, as_user):
    colleague = StaffFactory(unit=unit)
    c = as_user(colleague)
    assert c.get(reverse("case_detail", args=[case.pk])).status_code == 200
    r = c.post(reverse("case_edit", args=[case.pk]), {"edit-version": case.version})
    assert r.status_code == 403


def test_assign_form_requires_a_reason(case, supervisor, unit, as_user):
    other = StaffFactory(unit=unit)
    c = as_user(supervisor)
    r = c.post(
        reverse("case_assign", args=[case.pk]),
        {"assign-worker": other.pk, "assign-reason": "", "assign-version": case.version},
    )
    assert r.status_code == 422
    assert Assignment.objects.get(case=case, ends_on__isnull=True).worker != other
    r = c.post(
        reverse("case_assign", args=[case.pk]),
        {
            "assign-worker": other.pk,
            "assign-reason": "Lighter caseload",
            "assign-version": case.version,
        },
    )
    assert r.status_code == 302
    assert Assignment.objects.get(case=case, ends_on__isnull=True).worker == other


def test_add_member_refuses_a_future_birth_date(case, worker, as_user):
    c = as_user(worker)
    future = (today() + timedelta(days=2)).isoformat()
    r = c.post(
        reverse("case_member_add", args=[case.pk]),
        {
            "member-first_name": "New",
            "member-last_name": "Baby",
            "member-date_of_birth": future,
            "member-sex": "unknown",
            "member-role": "child",
            "member-in_household": "on",
        },
    )
    assert r.status_code == 422
    assert "cannot be in the future" in r.content.decode()
    assert not Person.objects.filter(last_name="Baby").exists()
    r = c.post(
        reverse("case_member_add", args=[case.pk]),
        {
            "member-first_name": "New",
            "member-last_name": "Baby",
            "member-date_of_birth": "",
            "member-sex": "unknown",
            "member-role": "child",
            "member-in_household": "on",
        },
    )
    assert r.status_code == 302
    assert case.members.filter(person__last_name="Baby").exists()


def test_people_search_and_person_page(case, worker, as_user):
    c = as_user(worker)
    r = c.get(reverse("people_search"), {"q": "rivera"})
    assert "Ava Rivera" in r.content.decode() and "Maria Rivera" in r.content.decode()
    PersonFactory(first_name="Hidden", last_name="Rivera")
    assert "Hidden" not in c.get(reverse("people_search"), {"q": "rivera"}).content.decode()
    child = case.members.get(role="child").person
    r = c.get(reverse("person_detail", args=[child.pk]))
    assert r.status_code == 200 and case.case_number in r.content.decode()
    assert AccessLog.objects.filter(object_type="person", object_id=child.pk).exists()


def test_person_edit_refuses_future_birth_date(case, worker, as_user):
    child = case.members.get(role="child").person
    c = as_user(worker)
    data = {
        "version": child.version,
        "first_name": "Ava",
        "last_name": "Rivera",
        "date_of_birth": (today() + timedelta(days=1)).isoformat(),
        "dob_precision": "exact",
        "sex": "female",
        "icwa_membership": "unknown",
        "icwa_applies": "unknown",
        "whereabouts_known": "on",
    }
    r = c.post(reverse("person_edit", args=[child.pk]), data)
    assert r.status_code == 422
    child.refresh_from_db()
    assert child.date_of_birth == date(2015, 6, 1)


def test_unit_page_lists_workers_with_counts(case, supervisor, worker, as_user):
    r = as_user(supervisor).get(reverse("unit_detail", args=[supervisor.unit_id]))
    text = r.content.decode()
    assert worker.full_name in text and case.case_number in text


def test_closed_cases_leave_the_caseload(case, supervisor, worker, as_user):
    from hearth.cases.services import case_change_status

    case_change_status(actor=supervisor.user, case=case, status=Case.Status.CLOSED)
    assert case.case_number not in as_user(worker).get(reverse("caseload")).content.decode()


def test_action_forms_open_only_when_asked_and_allowed(case, worker, supervisor, as_user):
    url = reverse("case_detail", args=[case.pk])
    c = as_user(worker)
    page = c.get(url).content.decode()
    assert "Edit case details" in page and 'name="edit-version"' not in page
    assert 'name="edit-version"' in c.get(url, {"action": "edit"}).content.decode()
    # A case manager may not assign: no button, and the assignment page is refused (A2).
    assign = reverse("case_assign", args=[case.pk])
    assert assign not in page
    assert c.get(assign).status_code == 403
    assert assign in as_user(supervisor).get(url).content.decode()
    StaffFactory(unit=case.unit)  # someone to reassign to
    assert 'name="assign-worker"' in as_user(supervisor).get(assign).content.decode()
