"""Issue 15, done when: each role opens their home in Chromium and finds the urgent item
first (the case manager, the supervisor, the program director; the intake coordinator
lands on the queue with each referral's age), axe finds no violations on the new pages,
and a page printed shows no navigation."""

import pytest

from hearth.staff.models import Role
from tests.browser.test_pages import _violations
from tests.factories import PersonFactory, StaffFactory, make_case
from tests.reports.test_homes import _in_care

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def unit_at_work(unit):
    """A case manager with a child 40 days in a shelter with no visitation plan, in a case
    whose first case plan is overdue (opened 60 days ago), and a referral waiting 60 days."""
    supervisor = StaffFactory(unit=unit, roles=[Role.SUPERVISOR], user__username="sup")
    worker = StaffFactory(unit=unit, user__username="cm", first_name="Casey", last_name="Worker")
    director = StaffFactory(
        unit=None, agency=unit.agency, roles=[Role.PROGRAM_DIRECTOR], user__username="pd"
    )
    intake = StaffFactory(
        unit=None, agency=unit.agency, roles=[Role.INTAKE_COORDINATOR], user__username="ic"
    )
    _in_care(supervisor, worker, shelter_days=40, plan=False)
    referral = make_case(actor_staff=supervisor, unit=unit, members=[(PersonFactory(), "child")])
    return {"worker": worker, "director": director, "intake": intake, "referral": referral}


def test_case_manager_finds_the_overdue_first(page, sign_in, unit_at_work):
    sign_in("cm")
    first = page.locator("#urgent-items tbody tr").first
    assert "Overdue" in first.inner_text() and "Overdue " in first.locator("th").inner_text()
    urgent = page.locator("#urgent-items").inner_text()
    assert "No plan, in care 60 days" in urgent and "In a shelter 40 days" in urgent
    assert _violations(page) == []
    # Printed: the content without the navigation, the footer or the buttons.
    page.emulate_media(media="print")
    assert not page.locator("header.usa-header").is_visible()
    assert not page.locator("footer").is_visible()
    assert page.locator("#urgent-items").is_visible()


def test_supervisor_finds_the_unit_overdue_first(page, sign_in, unit_at_work):
    sign_in("sup")
    first = page.locator("#overdue-by-worker tbody tr").first
    assert "Overdue" in first.inner_text()
    assert "Waiting 60 days" in page.locator("#referrals-waiting").inner_text()
    assert _violations(page) == []


def test_program_director_finds_the_queue_age_and_sets_a_policy(page, sign_in, unit_at_work):
    sign_in("pd")
    summary = page.locator("#queue-summary li").first.inner_text()
    assert "1 waiting more than 3 days" in summary
    assert "Casey Worker" not in page.locator("#at-limits").inner_text()
    assert _violations(page) == []
    page.click("text=Policy settings >> nth=-1")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Policy settings")
    assert _violations(page) == []
    page.fill("#id_new_worker_case_cap", "four")
    page.click("button:has-text('Save the settings')")
    page.wait_for_load_state()
    assert "must be a whole number" in page.locator("#id_new_worker_case_cap_error").inner_text()
    assert _violations(page) == []
    page.fill("#id_new_worker_case_cap", "4")
    page.click("button:has-text('Save the settings')")
    page.wait_for_load_state()
    assert "Policy settings saved." in page.locator("main").inner_text()
    assert "new_worker_case_cap" in page.locator("#history + table").inner_text()


def test_intake_coordinator_lands_on_the_queue_with_ages(page, sign_in, unit_at_work):
    sign_in("ic")
    assert page.url.endswith("/intake/")
    row = page.locator("tbody tr").first
    assert unit_at_work["referral"].case_number in row.inner_text() and "60" in row.inner_text()
    assert _violations(page) == []
