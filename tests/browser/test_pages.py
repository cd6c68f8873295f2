"""A case manager signs in, opens the caseload and a case; axe finds no violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
    ]


@pytest.fixture
def family(unit):
    supervisor = StaffFactory(unit=unit, roles=[Role.SUPERVISOR], user__username="sup")
    worker = StaffFactory(unit=unit, user__username="cm", first_name="Casey", last_name="Worker")
    child = PersonFactory(first_name="Ava", last_name="Rivera")
    parent = PersonFactory(
        first_name="Maria", last_name="Rivera", date_of_birth=None, dob_precision="unknown"
    )
    case = make_case(
        actor_staff=supervisor, worker=worker, members=[(child, "child"), (parent, "parent")]
    )
    make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    return {"case": case, "worker": worker, "supervisor": supervisor}


def test_login_page_is_accessible(page):
    page.goto("/accounts/login/")
    assert page.title().startswith("Sign in")
    assert _violations(page) == []


def test_case_manager_opens_caseload_and_case(page, sign_in, family):
    sign_in("cm")
    assert "Act on these first" in page.locator("main").inner_text()  # the home (issue 15)
    page.goto("/caseload/")
    assert page.locator("h1").inner_text() == "My caseload"
    # The USWDS stylesheet is served (no CDN): the header uses its font stack.
    assert "Source Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert _violations(page) == []
    case = family["case"]
    page.click(f"text={case.case_number}")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Case {case.case_number}"
    family_table = page.locator("#family + table")
    assert "Ava Rivera" in family_table.inner_text()
    assert "Maria Rivera" in family_table.inner_text()
    assert _violations(page) == []
    page.goto("/people/?q=rivera")
    assert "Ava Rivera" in page.locator("#people-found + p + ul").inner_text()
    assert _violations(page) == []


def test_supervisor_unit_page_and_assignment(page, sign_in, family, unit):
    other = StaffFactory(unit=unit, first_name="Robin", last_name="Other")
    sign_in("sup")
    assert "Overdue items by worker" in page.locator("main").inner_text()  # the home
    page.goto(f"/units/{unit.pk}/")
    assert "Casey Worker" in page.locator("main").inner_text()
    assert _violations(page) == []
    page.goto(f"/cases/{family['case'].pk}/")
    page.click("text=Reassign")
    assert "Recommended case managers" in page.locator("main").inner_text()
    assert _violations(page) == []
    page.click(f"label[for=worker-{other.pk}]")
    page.fill("#id_assign-reason", "Robin speaks the family's language")
    page.click("main form button:has-text('Assign')")
    page.wait_for_load_state()
    assert "Case assigned." in page.locator("main").inner_text()
    assert "Robin Other" in page.locator("#assignments + table").inner_text()
    assert _violations(page) == []


def test_the_header_search_finds_a_last_name_alone_and_a_misspelling(page, sign_in, family):
    """Issue 15: a last name alone and a misspelt one find the family, from the search box
    in the header of every page; a case number finds the case, on top."""
    sign_in("cm")
    page.fill("#header-q", "Rivra")
    page.press("#header-q", "Enter")
    page.wait_for_load_state()
    people = page.locator("#people-found + p + ul").inner_text()
    assert "Ava Rivera" in people and "Maria Rivera" in people
    assert _violations(page) == []
    page.fill("#people-q", "Rivira")
    page.click("main form button")
    page.wait_for_load_state()
    assert "Ava Rivera" in page.locator("#people-found + p + ul").inner_text()
    number = family["case"].case_number
    page.fill("#header-q", number)
    page.press("#header-q", "Enter")
    page.wait_for_load_state()
    assert number in page.locator("#cases-found + table").inner_text()
    assert _violations(page) == []
