"""A case manager opens "My contacts", records a visit with one click and sees the child
move to "seen"; axe finds no violations on the way (V2, V10, V13)."""

import pytest

from tests.browser.test_pages import _violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_v13_record_a_contact_from_my_contacts(page, sign_in, family, removed):
    child = family["child"].full_name
    sign_in("cm")
    page.goto("/contacts/")
    todo = page.locator("#todo")
    assert child in todo.inner_text()
    assert _violations(page) == []
    todo.get_by_role("link", name=f"Record contact with {child}").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Record a contact"
    assert page.is_checked(f"input[name=contact_with][value='{family['child'].pk}']")
    assert _violations(page) == []
    page.select_option("#id_method", "in_person")
    page.select_option("#id_location", "placement")
    page.click(f"label:has-text('{family['parent'].full_name}')")
    page.fill("#id_narrative", "Saw the child and the mother at the placement.")
    page.click("button:has-text('Save the note')")
    page.wait_for_load_state()
    errors = page.locator(".usa-error-message, .usa-alert--error").all_inner_texts()
    assert errors == [], errors
    assert page.url.endswith("/contacts/")
    assert child in page.locator("#done").inner_text()
    assert child not in page.locator("#todo").inner_text()
    # One note met the child's and the mother's requirements (V10).
    assert family["parent"].full_name in page.locator("#done").inner_text()
