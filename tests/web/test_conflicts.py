"""Two people edit the same record in the web forms (issue 10, section 5): the second to
save is not silently overwriting the first. The form carries the version it was opened
at; on a conflict it shows who changed the record, when and what, keeps the second
person's entries, and saving again (now knowingly) applies them."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from hearth.cases.forms import CaseEditForm
from hearth.cases.models import Assignment
from hearth.people.forms import PersonEditForm
from hearth.staff.models import Role
from tests.factories import StaffFactory


def _named(staff, first, last):
    staff.user.first_name, staff.user.last_name = first, last
    staff.user.save()
    return staff


def _client(staff):
    c = Client()
    c.force_login(staff.user)
    return c


def _opened(client, url, name, **params) -> dict:
    """The form's fields as the page renders them: what a browser would send back."""
    page = client.get(url, params).content.decode()
    assert f'name="{name}"' in page
    return page


def _hidden(page: str, name: str) -> int:
    match = re.search(rf'name="{name}" value="(\d+)"', page) or re.search(
        rf'value="(\d+)" name="{name}"', page
    )
    assert match, f"no hidden {name} in the form"
    return int(match.group(1))


def _data(form) -> dict:
    """POST data of an unbound form as opened (its initial values)."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


@pytest.fixture
def two(supervisor, worker):
    return _named(supervisor, "Sam", "Super"), _named(worker, "Wendy", "Worker")


def test_second_case_edit_sees_the_first_and_keeps_its_entries(case, two):
    sam, wendy = two
    url = reverse("case_detail", args=[case.pk])
    edit = reverse("case_edit", args=[case.pk])
    # Both open the edit form at the same version.
    read_sam = _hidden(_opened(_client(sam), url, "edit-version", action="edit"), "edit-version")
    read_wendy = _hidden(
        _opened(_client(wendy), url, "edit-version", action="edit"), "edit-version"
    )
    assert read_sam == read_wendy == case.version
    opened = _data(CaseEditForm.for_case(case))

    r = _client(sam).post(edit, {**opened, "edit-culture": "Speaks Tagalog at home"})
    assert r.status_code == 302

    wendy_c = _client(wendy)
    r = wendy_c.post(edit, {**opened, "edit-culture": "Speaks Portuguese at home"})
    assert r.status_code == 409
    page = unescape(r.content.decode())
    assert "data-conflict" in page
    assert "Sam Super changed this record on" in page
    assert re.search(
        r"<th scope=\"row\">Culture</th><td>—</td><td>Speaks Tagalog at home</td>", page
    )
    assert 'value="Speaks Portuguese at home"' in page  # Wendy's entry is kept
    case.refresh_from_db()
    assert case.culture == "Speaks Tagalog at home"  # nothing of Wendy's was saved
    assert _hidden(page, "edit-version") == case.version  # the form now carries the current

    # Saving again, knowingly, applies Wendy's entries.
    r = wendy_c.post(
        edit,
        {**opened, "edit-culture": "Speaks Portuguese at home", "edit-version": case.version},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.culture == "Speaks Portuguese at home"


def test_second_person_edit_sees_the_first(case, two):
    sam, wendy = two
    child = case.members.get(role="child").person
    url = reverse("person_detail", args=[child.pk])
    edit = reverse("person_edit", args=[child.pk])
    assert _hidden(_opened(_client(sam), url, "version"), "version") == child.version
    opened = _data(PersonEditForm.for_person(child))
    assert opened["version"] == child.version

    assert _client(sam).post(edit, {**opened, "middle_name": "Grace"}).status_code == 302
    r = _client(wendy).post(edit, {**opened, "city": "Springfield"})
    assert r.status_code == 409
    page = unescape(r.content.decode())
    assert "Sam Super changed this record on" in page
    assert re.search(r"<th scope=\"row\">Middle name</th><td>—</td><td>Grace</td>", page)
    assert 'value="Springfield"' in page
    child.refresh_from_db()
    assert (child.middle_name, child.city) == ("Grace", "")


def test_a_status_change_on_a_changed_case_is_refused(case, two):
    sam, wendy = two
    opened = {"status-version": case.version, "status-status": "open"}
    r = _client(sam).post(
        reverse("case_edit", args=[case.pk]),
        {**_data(CaseEditForm.for_case(case)), "edit-icpc": "on"},
    )
    assert r.status_code == 302
    r = _client(wendy).post(reverse("case_status", args=[case.pk]), opened)
    assert r.status_code == 409
    assert "Sam Super changed this record" in unescape(r.content.decode())
    case.refresh_from_db()
    assert case.status == "assigned" and case.icpc


def test_a_second_assignment_from_a_stale_page_is_refused(case, two, agency, unit):
    """The assignment page carries the case's version: assigning from a page opened before
    someone else assigned the case does not silently replace their choice."""
    sam, _ = two
    director = _named(
        StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR]), "Dora", "Director"
    )
    first, second = StaffFactory(unit=unit), StaffFactory(unit=unit)
    url = reverse("case_assign", args=[case.pk])
    read = _hidden(_opened(_client(director), url, "assign-version"), "assign-version")
    assert read == case.version
    body = {"assign-reason": "Balance", "assign-override_reason": "Chosen by the test"}
    r = _client(sam).post(url, {**body, "assign-worker": first.pk, "assign-version": read})
    assert r.status_code == 302
    r = _client(director).post(url, {**body, "assign-worker": second.pk, "assign-version": read})
    assert r.status_code == 409
    assert "Sam Super changed this record" in unescape(r.content.decode())
    assert Assignment.objects.get(case=case, ends_on__isnull=True).worker == first
