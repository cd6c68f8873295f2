"""A case manager removes a child, places them, records a visitation plan, has every
participant sign it and downloads its PDF, in a real Chromium; axe finds no violations."""

import pytest

from tests.browser.test_pages import _violations
from tests.i18n import pdf_text
from tests.placements.conftest import days_ago, make_home

pytestmark = pytest.mark.django_db(transaction=True)


def test_p2_p5_p6_place_a_child_record_and_sign_a_visitation_plan(page, sign_in, family, tmp_path):
    make_home("Maple resource home", km_north=4, capacity=3)
    make_home("Oak group home", setting="group_home", km_north=1, capacity=6)
    case, child = family["case"], family["child"]
    sign_in("cm")
    page.goto(f"/cases/{case.pk}/")
    page.locator("#children + table").get_by_role("link", name=child.full_name).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == child.full_name
    assert _violations(page) == []

    # Removal (P4: the first goal is reunification).
    page.click("text=Record a removal")
    page.fill("#id_removed_on", days_ago(2).isoformat())
    page.select_option("#id_legal_basis", "court_ordered")
    page.select_option("#id_removal_reasons", ["neglect"])
    page.fill("#id_school_of_origin", "Elm Primary")
    page.click("button:has-text('Record a removal')")
    page.wait_for_load_state()
    assert "Removal recorded" in page.content()

    # Placement: the aunt (a relative home) is the first option (P2).
    page.click("text=Place or move the child")
    page.wait_for_load_state()
    rows = page.locator("table tbody tr th[scope=row]").all_inner_texts()
    assert rows[:3] == ["Rosa Brook", "Maple resource home", "Oak group home"]
    assert _violations(page) == []
    page.click("label[for=option-1]")
    page.fill("#id_starts_on", days_ago(2).isoformat())
    page.select_option("#id_school", "stays")
    page.click("button:has-text('Place or move the child')")
    page.wait_for_load_state()
    assert "Placement recorded" in page.content()
    assert "Relative or kin home" in page.locator("main").inner_text()

    # Visitation plan, prefilled with the parent and the sibling (P5), made with the
    # resource parent (P6).
    page.click("text=New visitation plan")
    page.wait_for_load_state()
    page.select_option("#id_arr-0-place", "visit_center")
    page.select_option("#id_arr-0-supervised_by", "case_manager")
    page.select_option("#id_arr-0-day", "saturday")
    page.fill("#id_arr-0-starts_at", "10:00")
    page.fill("#id_arr-0-ends_at", "12:00")
    page.select_option("#id_arr-1-place", "resource_home")
    page.fill("#id_par-1-name", "Rosa Brook")
    page.fill("#id_par-2-name", "Casey Worker")
    assert _violations(page) == []
    page.click("button:has-text('New visitation plan')")
    page.wait_for_load_state()
    assert "Visitation plan saved" in page.content()
    page.click("text=Visitation plan of")
    page.wait_for_load_state()
    assert page.locator("#plan-status").inner_text() == "Awaiting signatures"
    assert _violations(page) == []

    for name in ["Dana Brook", "Rosa Brook", "Casey Worker"]:
        form = page.locator(f"form[aria-label='Signature of {name}']")
        form.locator("select[name=method]").select_option("electronic")
        form.locator("input[name=signed_as]").fill(name)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert f"{name} signed the plan" in page.content()
    assert page.locator("#plan-status").inner_text() == "Signed by all, in effect"

    with page.expect_download() as info:
        page.click("text=Download PDF (Español)")
    text = pdf_text(info.value.path().read_bytes(), tmp_path)
    assert "Plan de visitas" in text and "Casey Worker" in text
    assert "Centro de visitas familiares" in text and "Los sábados" in text
    assert "Family visit center" not in text

    # The page the family signs on, in Spanish (issue 15); the staff's page stays English.
    page.click("text=Ver esta página en español")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Plan de visitas de {child.full_name}"
    assert page.locator("#plan-status").inner_text() == "Firmado por todos, vigente"
    assert _violations(page) == []
