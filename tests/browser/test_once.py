"""A case manager saves a contact note, goes Back and saves it again: one note is stored,
and the page shows the note already saved (hearth.web.once); axe finds no violations."""

import pytest

from hearth.contacts.models import ContactNote
from hearth.web.once import ALREADY_SAVED
from tests.browser.test_pages import _violations

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_and_save(page, family):
    page.select_option("#id_method", "in_person")
    page.select_option("#id_location", "placement")
    box = page.locator(f"input[name=contact_with][value='{family['child'].pk}']")
    if not box.is_checked():
        page.click(f"label[for='{box.get_attribute('id')}']")
    page.fill("#id_narrative", "Saw the child at the placement.")
    page.click("button:has-text('Save the note')")
    page.wait_for_load_state()


def test_save_back_and_save_again_stores_one_note(page, sign_in, family, removed):
    sign_in("cm")
    page.goto(f"/cases/{family['case'].pk}/notes/new/")
    assert "once=" in page.url  # the token is in the address (web/once.js)
    _fill_and_save(page, family)
    note = ContactNote.objects.get()
    assert page.url.endswith(f"/notes/{note.pk}/")
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Record a contact"
    _fill_and_save(page, family)
    assert page.url.endswith(f"/notes/{note.pk}/")
    assert ALREADY_SAVED in page.locator("main").inner_text()
    assert ContactNote.objects.count() == 1
    assert _violations(page) == []
