"""The intake and assignment pages through the test client (A1, A2, A3, A5, A6, A7, P1)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from hearth.cases import services as case_services
from hearth.cases.models import Assignment, Case
from hearth.core.services import today
from hearth.intake import services
from hearth.intake.services import NewMember
from hearth.staff.models import Role
from tests.factories import CountyFactory, PersonFactory, StaffFactory, UnitFactory, make_case


@pytest.fixture
def director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


@pytest.fixture
def intake_staff(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])


def _referral(intake_staff, agency, days_old=0):
    return services.referral_create(
        actor=intake_staff.user,
        agency=agency,
        county=CountyFactory(),
        case_type=Case.Type.IN_HOME_NON_COURT,
        opened_on=today() - timedelta(days=days_old),
        members=[NewMember(role="child", person=PersonFactory())],
    )


def test_a1_the_intake_queue_lists_referrals_with_their_age(
    agency, unit, worker, intake_staff, as_user
):
    old = _referral(intake_staff, agency, days_old=6)
    page = as_user(intake_staff).get(reverse("intake_queue")).content.decode()
    assert old.case_number in page and ">6<" in page
    assert "By caseload: Unit A had the lightest load when the referral was routed" in page
    assert as_user(worker).get(reverse("intake_queue")).status_code == 403


def test_referral_form_refuses_bad_input_and_saves_nothing(agency, unit, intake_staff, as_user):
    c = as_user(intake_staff)
    before = Case.objects.count()
    r = c.post(
        reverse("referral_new"),
        {
            "last_name": "Nobody",
            "referral-county": CountyFactory().pk,
            "referral-case_type": "in_home_non_court",
            "referral-complexity": "2",
            "new-TOTAL_FORMS": "1",
            "new-INITIAL_FORMS": "0",
            "new-0-first_name": "Ana",
            "new-0-last_name": "",
            "new-0-sex": "female",
            "new-0-role": "child",
        },
    )
    assert r.status_code == 422
    assert "Enter the last name" in r.content.decode()
    assert Case.objects.count() == before


def test_a7_the_assignment_page_explains_and_an_override_needs_a_reason(
    agency, unit, supervisor, worker, intake_staff, as_user
):
    busy = StaffFactory(unit=unit, first_name="Busy")
    for _ in range(3):
        make_case(actor_staff=supervisor, worker=busy, members=[(PersonFactory(), "child")])
    case = _referral(intake_staff, agency)
    c = as_user(supervisor)
    page = c.get(reverse("case_assign", args=[case.pk])).content.decode()
    assert "Recommended" in page and "(h) Out-of-home share" in page
    case.refresh_from_db()
    assert f'name="assign-version" value="{case.version}"' in page
    r = c.post(
        reverse("case_assign", args=[case.pk]),
        {"assign-worker": busy.pk, "assign-reason": "New referral", "assign-version": case.version},
    )
    assert r.status_code == 422 and "(A7)" in r.content.decode()
    assert not Assignment.objects.filter(case=case).exists()
    r = c.post(
        reverse("case_assign", args=[case.pk]),
        {
            "assign-worker": worker.pk,
            "assign-reason": "New referral",
            "assign-version": case.version,
        },
    )
    assert r.status_code == 302
    assert Assignment.objects.get(case=case).worker == worker


def _radio(page, staff):
    """The assign form's radio input for `staff`."""
    return re.search(rf'<input [^>]*id="worker-{staff.pk}"[^>]*>', page).group(0)


def test_a2_a_director_assigns_above_capacity_with_a_reason_on_the_page_a5_never(
    agency, unit, supervisor, worker, director, as_user
):
    """A2: on the assign page a program director may choose a worker at capacity, giving a
    reason the case page then shows; a supervisor may not. A5's cap and an untrained new
    worker stay closed to the director, reason or not."""
    full = StaffFactory(unit=unit, first_name="Full")
    for _ in range(7):  # 14 of 15 weighted cases
        make_case(actor_staff=supervisor, worker=full, complexity=Case.Complexity.VERY_HIGH,
                  members=[(PersonFactory(), "child")])  # fmt: skip
    rookie = StaffFactory(
        unit=unit, first_name="Rookie", experience_level=1,
        hire_date=today() - timedelta(days=40),
        preservice_training_completed_on=today() - timedelta(days=20),
    )  # fmt: skip
    for _ in range(5):
        make_case(actor_staff=supervisor, worker=rookie, members=[(PersonFactory(), "child")])
    untrained = StaffFactory(unit=unit, first_name="Untrained", experience_level=1,
                             preservice_training_completed_on=None)  # fmt: skip
    case = make_case(actor_staff=supervisor, unit=unit, complexity=Case.Complexity.VERY_HIGH,
                     members=[(PersonFactory(), "child")])  # fmt: skip
    url = reverse("case_assign", args=[case.pk])
    field = 'name="assign-limit_override_reason"'
    # A supervisor sees why and cannot choose the worker at capacity.
    sup = as_user(supervisor)
    page = sup.get(url).content.decode()
    assert "disabled" in _radio(page, full) and field not in page
    assert "(only a program director may assign above capacity)" in page
    choose = {"assign-reason": "New referral", "assign-override_reason": "Knows them",
              "assign-version": case.version, "assign-limit_override_reason": "Please"}  # fmt: skip
    r = sup.post(url, {**choose, "assign-worker": full.pk})
    assert r.status_code == 422
    assert "Only a program director can assign above capacity" in r.content.decode()
    # The director may choose them, and is offered the reason; A5 stays closed.
    c = as_user(director)
    page = c.get(url).content.decode()
    assert "disabled" not in _radio(page, full) and field in page
    assert "(a program director may assign above capacity with a reason)" in page
    assert "disabled" in _radio(page, rookie) and "disabled" in _radio(page, untrained)
    assert "(a hard limit: no one can assign above it)" in page
    for ineligible in (rookie, untrained):
        r = c.post(url, {**choose, "assign-worker": ineligible.pk})
        assert r.status_code == 422 and "not even a program director" in r.content.decode()
    r = c.post(url, {**choose, "assign-worker": full.pk, "assign-limit_override_reason": ""})
    assert r.status_code == 422 and "say why you assign the case above capacity (A2)" in (
        r.content.decode()
    )
    assert not Assignment.objects.filter(case=case).exists()
    r = c.post(url, {**choose, "assign-worker": full.pk,
                     "assign-limit_override_reason": "Court order; reviewed Monday"})  # fmt: skip
    assert r.status_code == 302
    done = Assignment.objects.get(case=case)
    assert done.worker == full and done.limit_override_reason == "Court order; reviewed Monday"
    page = c.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Above capacity: Court order; reviewed Monday" in page


def test_a1_a_director_sends_a_referral_to_another_unit_with_a_reason(
    agency, unit, other_unit, director, intake_staff, as_user
):
    case = _referral(intake_staff, agency)
    target = other_unit if case.unit == unit else unit
    c = as_user(director)
    url = reverse("case_route", args=[case.pk])
    case.refresh_from_db()
    send = {"send-unit": target.pk, "send-version": case.version}
    assert c.post(url, {**send, "send-reason": ""}).status_code == 422
    assert c.post(url, {**send, "send-reason": "Sibling case there"}).status_code == 302
    case.refresh_from_db()
    assert case.unit == target and case.routings.first().rule == "manual"


def test_a5_unit_balance_shows_loads_caps_and_a_chart(agency, unit, supervisor, worker, as_user):
    rookie = StaffFactory(
        unit=unit,
        first_name="Rookie",
        experience_level=1,
        hire_date=today() - timedelta(days=60),
        preservice_training_completed_on=today() - timedelta(days=20),
    )
    make_case(actor_staff=supervisor, worker=rookie, members=[(PersonFactory(), "child")])
    r = as_user(supervisor).get(reverse("unit_balance", args=[unit.pk]))
    page = r.content.decode()
    assert r.status_code == 200 and "<svg" in page
    rises = (today() - timedelta(days=20) + timedelta(days=31)).strftime("%-d %B %Y")
    assert f"5 cases until {rises}" in page
    assert as_user(worker).get(reverse("unit_balance", args=[unit.pk])).status_code == 403


def test_a6_reassigning_a_workers_cases_from_the_page(agency, unit, supervisor, worker, as_user):
    a = StaffFactory(unit=unit)
    held = [
        make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
        for _ in range(2)
    ]
    c = as_user(supervisor)
    url = reverse("staff_reassign", args=[worker.pk])
    page = c.get(url).content.decode()
    assert all(case.case_number in page for case in held)
    assert c.post(url, {f"case_{held[0].pk}": a.pk, "reason": ""}).status_code == 422
    r = c.post(url, {**{f"case_{h.pk}": a.pk for h in held}, "reason": "Leaving the agency"})
    assert r.status_code == 302
    assert all(h.assignments.get(ends_on=None).worker == a for h in held)
    # Another unit's supervisor may not move them.
    rival = StaffFactory(unit=UnitFactory(agency=agency), roles=[Role.SUPERVISOR])
    assert as_user(rival).get(url).status_code == 403


@pytest.fixture
def returning(agency, unit, supervisor, worker):
    """P1, A3: Maya's family had a case, closed; Maya is referred again."""
    maya = PersonFactory(first_name="Maya", last_name="Orton")
    closed = make_case(actor_staff=supervisor, worker=worker, members=[(maya, "child")])
    case_services.case_change_status(actor=supervisor.user, case=closed, status="open")
    case_services.case_change_status(
        actor=supervisor.user, case=closed, status="closed", closure_approved=True
    )
    return maya, closed


def _report(child_choice):
    """The report's fields on the referral page (issue 15): safe, one allegation."""
    return {
        "report-reporter_role": "medical",
        "report-reporter_name": "Dr Lee",
        "report-narrative": "Missed medical appointments.",
        "report-response_priority": "routine",
        "report-safety_determination": "safe",
        "allegation-TOTAL_FORMS": "1",
        "allegation-INITIAL_FORMS": "0",
        "allegation-0-child": child_choice,
        "allegation-0-maltreatment_type": "medical_neglect",
    }


def _re_referral(maya, **fields):
    return {
        "first_name": "Maya",
        "last_name": "Orton",
        "existing": maya.pk,
        f"role_{maya.pk}": "child",
        **_report(f"found-{maya.pk}"),
        "referral-county": CountyFactory().pk,
        "referral-case_type": "in_home_non_court",
        "referral-complexity": "2",
        "new-TOTAL_FORMS": "0",
        "new-INITIAL_FORMS": "0",
        **fields,
    }


def test_p1_a3_the_search_offers_the_closed_case_for_re_opening_chosen_already(
    returning, intake_staff, as_user
):
    maya, closed = returning
    page = as_user(intake_staff).get(
        reverse("referral_new"), {"first_name": "Maya", "last_name": "Orton"}
    )
    text = page.content.decode()
    assert "This family had a closed case" in text and "Maya Orton" in text
    # Offered without picking it: the re-opening is the form's choice already.
    assert f'<option value="{closed.pk}" selected>Re-open {closed.case_number}' in text


def test_p1_a3_a_new_case_instead_needs_a_reason_and_the_offer_re_opens(
    returning, unit, worker, intake_staff, as_user
):
    maya, closed = returning
    c = as_user(intake_staff)
    before = Case.objects.count()
    r = c.post(reverse("referral_new"), _re_referral(maya, **{"referral-prior_case": ""}))
    assert r.status_code == 422
    text = r.content.decode()
    assert closed.case_number in text and "say why a new case is opened" in text
    assert Case.objects.count() == before
    r = c.post(
        reverse("referral_new"),
        _re_referral(
            maya, **{"referral-prior_case": "", "referral-new_case_reason": "New allegation"}
        ),
    )
    assert r.status_code == 302
    new = Case.objects.latest("id")
    assert new.prior_case is None
    assert new.events.get(type="case_created").payload["new_case_reason"] == "New allegation"
    r = c.post(reverse("referral_new"), _re_referral(maya, **{"referral-prior_case": closed.pk}))
    assert r.status_code == 302
    reopened = Case.objects.latest("id")
    assert reopened.prior_case == closed and reopened.unit == unit
    assert reopened.routings.get().rule == "A3"


def test_the_referral_search_finds_a_last_name_alone_and_defaults_roles_by_age(
    agency, unit, intake_staff, as_user
):
    """Issue 15: "Osborn" alone finds the Osbornes; a found adult is offered as a parent,
    a found child as the child in the case (V1's adult age), and a role chosen survives a
    validation error."""
    adult = PersonFactory(
        first_name="Dana", last_name="Osborne", date_of_birth=today() - timedelta(days=38 * 366)
    )
    child = PersonFactory(
        first_name="Eli", last_name="Osborne", date_of_birth=today() - timedelta(days=7 * 366)
    )
    unknown = PersonFactory(
        first_name="Kim", last_name="Osborne", date_of_birth=None, dob_precision="unknown"
    )
    for p in (adult, child, unknown):
        p.recorded_by_agency = agency
        p.save()
    c = as_user(intake_staff)
    text = c.get(reverse("referral_new"), {"last_name": "Osborn"}).content.decode()

    def chosen(page, person):
        select = re.search(rf'name="role_{person.pk}">(.*?)</select>', page).group(1)
        return [v for v, s in re.findall(r'<option value="(\w*)"( selected)?', select) if s]

    assert chosen(text, adult) == ["parent"]
    assert chosen(text, child) == ["child"]
    assert chosen(text, unknown) == []  # "Choose a role" first: the user decides
    before = Case.objects.count()
    r = c.post(
        reverse("referral_new"),
        {
            "last_name": "Osborn",
            "existing": [adult.pk, child.pk],
            f"role_{adult.pk}": "caregiver",
            f"role_{child.pk}": "child",
            "referral-case_type": "in_home_non_court",
            "referral-complexity": "2",
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 422 and Case.objects.count() == before
    assert chosen(r.content.decode(), adult) == ["caregiver"]
