"""A program director adds a home in the pages, then sees a lapsed licence flagged on the
directory and on the home's page, in a real Chromium; axe finds no violations."""

import pytest

from hearth.placements.models import ResourceHome
from hearth.staff.models import Role
from tests.browser.test_pages import _violations
from tests.factories import StaffFactory
from tests.placements.conftest import days_ago

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_director_adds_a_home_and_sees_its_expired_licence_flagged(page, sign_in, agency):
    StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR], user__username="director")
    sign_in("director")
    page.goto("/resource-homes/")
    page.click("text=Add a home or facility")
    page.wait_for_load_state()
    assert _violations(page) == []
    page.fill("#id_name", "Willow House")
    page.select_option("#id_setting", "resource_family_home")
    page.fill("#id_capacity", "5")
    page.fill("#id_max_age", "17")
    page.fill("#id_sibling_group_max", "3")
    page.fill("#id_licence_number", "RF-77")
    page.fill("#id_licensed_on", days_ago(400).isoformat())
    page.fill("#id_licence_expires_on", days_ago(2).isoformat())
    page.click("button:has-text('Add the home')")
    page.wait_for_load_state()
    assert ResourceHome.objects.filter(name="Willow House").exists()
    assert "Licence expired" in page.locator("main").inner_text()
    assert _violations(page) == []
    page.goto("/resource-homes/")
    assert "Licences needing attention" in page.locator("main").inner_text()
    assert _violations(page) == []
