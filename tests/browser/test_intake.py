"""A referral from intake to an assigned worker, in a real browser (A1, A2, A3, A7; P1)."""

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from hearth.cases import services as case_services
from hearth.cases.models import Assignment, Case
from hearth.staff.models import Role
from tests.factories import CountyFactory, PersonFactory, StaffFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
    ]


def test_a2_a7_referral_from_intake_to_an_assigned_worker(page, sign_in, agency, unit):
    county = CountyFactory(name="Harbor County")
    StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR],
                 user__username="intake")  # fmt: skip
    StaffFactory(unit=unit, roles=[Role.SUPERVISOR], user__username="sup")
    robin = StaffFactory(unit=unit, first_name="Robin", last_name="Lopez")
    sam = StaffFactory(unit=unit, first_name="Sam", last_name="Ortiz")
    # The mother is already known to the agency: the search must find her misspelt.
    mother = PersonFactory(first_name="Katherine", last_name="Johnson",
                           date_of_birth=date(1990, 3, 7), recorded_by_agency=agency)  # fmt: skip

    sign_in("intake")
    page.goto("/intake/referrals/new/")
    assert _violations(page) == []
    page.fill("#id_last_name", "Jonson")
    page.fill("#id_first_name", "Kathryn")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    found = page.locator("table").inner_text()
    assert "Katherine Johnson" in found
    assert _violations(page) == []
    page.click(f"label[for=existing-{mother.pk}]")
    page.select_option(f"#role-{mother.pk}", "parent")
    page.fill("#id_new-0-first_name", "Lia")
    page.fill("#id_new-0-last_name", "Johnson")
    page.fill("#id_new-0-date_of_birth", "2016-05-02")
    page.select_option("#id_new-0-role", "child")
    page.select_option("#id_referral-county", str(county.pk))
    page.select_option("#id_referral-case_type", "in_home_non_court")
    page.click("label[for=id_referral-domestic_violence]")
    _fill_report(page, "new-0", perpetrator=f"found-{mother.pk}", unsafe=True)
    page.click("text=Record the referral")
    page.wait_for_load_state()
    assert page.url.endswith("/intake/")
    main = page.locator("main").inner_text()
    assert "recorded" in main and "Unit A" in main
    assert _violations(page) == []

    page.context.clear_cookies()  # sign out
    sign_in("sup")
    page.goto("/intake/")
    page.locator("main table a").first.click()
    page.wait_for_load_state()
    assert "Recommended case managers" in page.locator("main").inner_text()
    page.locator("details summary").first.click()  # why this rank, factor by factor
    assert "(a) Caseload" in page.locator("details").first.inner_text()
    assert _violations(page) == []
    # Picking the second-ranked worker without a reason is refused (A7) ...
    radios = page.locator("input[name=assign-worker]")
    top = radios.nth(0).get_attribute("value")
    other = radios.nth(1).get_attribute("value")
    page.click(f"label[for=worker-{other}]")
    page.fill("#id_assign-reason", "New referral")
    page.click("main form button:has-text('Assign')")
    page.wait_for_load_state()
    assert "say why you chose" in page.locator("main").inner_text()
    assert _violations(page) == []
    # ... and taking the recommendation assigns the case.
    page.click(f"label[for=worker-{top}]")
    page.click("main form button:has-text('Assign')")
    page.wait_for_load_state()
    assert "Case assigned." in page.locator("main").inner_text()
    # The case page shows what was reported (issue 15).
    report = page.locator("main").inner_text()
    assert "School staff or teacher: Pat Teacher" in report
    assert "A caregiver is violent or acts dangerously" in report
    assert "Physical abuse" in report and "Katherine Johnson" in report
    assert _violations(page) == []
    current = Assignment.objects.get(ends_on=None)
    assert str(current.worker_id) == top and current.worker_id in {robin.pk, sam.pk}
    assert current.case.members.filter(person=mother, role="parent").exists()


def _fill_report(page, child, perpetrator="", unsafe=False):
    """The report (issue 15): a teacher's, urgent; unsafe with a threat, or safe; one
    allegation of `child` (a found-<id> or new-<row> choice)."""
    page.select_option("#id_report-reporter_role", "teacher")
    page.fill("#id_report-reporter_name", "Pat Teacher")
    page.fill("#id_report-narrative", "Bruises on both arms, seen at school.")
    page.select_option("#id_report-response_priority", "urgent")
    page.select_option("#id_report-safety_determination", "unsafe" if unsafe else "safe")
    if unsafe:
        page.click("label[for=id_report-safety_threats_0]")
    page.select_option("#id_allegation-0-child", child)
    page.select_option("#id_allegation-0-maltreatment_type", "physical_abuse")
    if perpetrator:
        page.select_option("#id_allegation-0-alleged_perpetrator", perpetrator)


def test_p1_a3_a_returning_family_is_offered_its_closed_case_without_picking_it(
    page, sign_in, agency, unit, supervisor, worker
):
    """P1, A3: the search finds the child of a closed case; the page offers the re-opening,
    chosen already; recording the referral re-opens it, back to its unit."""
    county = CountyFactory(name="Harbor County")
    StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR],
                 user__username="intake")  # fmt: skip
    noa = PersonFactory(first_name="Noa", last_name="Varga", date_of_birth=date(2015, 4, 9))
    closed = make_case(actor_staff=supervisor, worker=worker, members=[(noa, "child")])
    case_services.case_change_status(actor=supervisor.user, case=closed, status="open")
    # O1: closed as the state approves its closure recommendation.
    case_services.case_change_status(
        actor=supervisor.user, case=closed, status="closed", closure_approved=True
    )

    sign_in("intake")
    page.goto("/intake/referrals/new/")
    page.fill("#id_last_name", "Varga")
    page.fill("#id_first_name", "Noa")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    offer = page.locator("#reopen-offer").inner_text()
    assert "This family had a closed case" in offer and closed.case_number in offer
    assert page.locator("#id_referral-prior_case").input_value() == str(closed.pk)
    assert _violations(page) == []
    page.click(f"label[for=existing-{noa.pk}]")
    page.select_option(f"#role-{noa.pk}", "child")
    page.select_option("#id_referral-county", str(county.pk))
    page.select_option("#id_referral-case_type", "in_home_non_court")
    _fill_report(page, f"found-{noa.pk}")
    page.click("text=Record the referral")
    page.wait_for_load_state()
    reopened = Case.objects.get(prior_case=closed)
    assert reopened.unit == unit and reopened.routings.get().rule == "A3"
    assert reopened.members.filter(person=noa, role="child").exists()
