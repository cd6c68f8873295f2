"""The referral's report on the pages (issue 15): recorded on the referral page with its
allegations, refused with the field named and nothing saved, shown on the case page and
in its change history."""

import pytest
from django.urls import reverse

from hearth.cases.models import Case
from hearth.intake.models import Allegation, Report
from hearth.staff.models import Role
from tests.factories import CountyFactory, PersonFactory, StaffFactory


@pytest.fixture
def intake_staff(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])


def _post(client, mother, **fields):
    data = {
        "last_name": "Marsh",
        "existing": mother.pk,
        f"role_{mother.pk}": "parent",
        "referral-county": CountyFactory().pk,
        "referral-case_type": "in_home_non_court",
        "referral-complexity": "2",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-0-first_name": "Tom",
        "new-0-last_name": "Marsh",
        "new-0-sex": "male",
        "new-0-role": "child",
        "report-reporter_role": "relative",
        "report-reporter_name": "Gran Marsh",
        "report-reporter_phone": "555-0101",
        "report-narrative": "Tom said he is hit at home.",
        "report-response_priority": "immediate",
        "report-safety_determination": "conditionally_safe",
        "report-safety_threats": ["violent_caregiver"],
        "allegation-TOTAL_FORMS": "2",
        "allegation-INITIAL_FORMS": "0",
        "allegation-0-child": "new-0",
        "allegation-0-maltreatment_type": "physical_abuse",
        "allegation-0-alleged_perpetrator": f"found-{mother.pk}",
    }
    data.update(fields)
    return client.post(reverse("referral_new"), data)


def test_the_referral_page_records_the_report_and_the_case_page_shows_it(
    agency, unit, intake_staff, supervisor, as_user
):
    mother = PersonFactory(first_name="Jo", last_name="Marsh", recorded_by_agency=agency)
    c = as_user(intake_staff)
    form = c.get(reverse("referral_new"), {"last_name": "Marsh"}).content.decode()
    assert "Immediate: within 4 hours" in form  # the agency's response_immediate_hours
    r = _post(c, mother)
    assert r.status_code == 302, r.content.decode()[:3000]
    case = Case.objects.latest("id")
    report = Report.objects.get(case=case)
    assert report.safety_threats == ["violent_caregiver"]
    allegation = Allegation.objects.get(case=case)
    assert allegation.child.first_name == "Tom" and allegation.alleged_perpetrator == mother
    page = as_user(supervisor).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Relative: Gran Marsh, 555-0101" in page
    assert "Immediate: respond by" in page and "Conditionally safe" in page
    assert "A caregiver is violent or acts dangerously" in page
    assert "Tom said he is hit at home." in page
    # In the case's change history.
    assert "Report of the referral" in page and "Allegation of physical abuse (Tom Marsh)" in page


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"report-reporter_anonymous": "on"}, "An anonymous reporter&#x27;s name"),
        ({"report-safety_threats": []}, "Name the safety threats"),
        ({"report-narrative": ""}, "This field is required"),
        ({"allegation-0-child": ""}, "Choose the child"),
        ({"allegation-0-child": "new-2"}, "Include this person in the referral"),
        ({"allegation-0-alleged_perpetrator": "new-0"}, "Name another person in the case"),
    ],
)
def test_bad_report_input_is_refused_on_the_page_and_nothing_is_saved(
    agency, unit, intake_staff, as_user, fields, shown
):
    mother = PersonFactory(first_name="Jo", last_name="Marsh", recorded_by_agency=agency)
    before = (Case.objects.count(), Report.objects.count(), Allegation.objects.count())
    r = _post(as_user(intake_staff), mother, **fields)
    assert r.status_code == 422
    assert shown in r.content.decode()
    assert (Case.objects.count(), Report.objects.count(), Allegation.objects.count()) == before
