"""A create form's one-time token (hearth.web.once): saving a contact note, going Back
and saving again stores one note and shows it. What was typed survives errors and a
session that ended (hearth.web.account.middleware)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hearth.contacts.models import ContactNote
from hearth.core.models import IdempotencyKey
from hearth.core.services import now
from hearth.web.account.middleware import KEPT_FORM, KEPT_MESSAGE
from hearth.web.once import ALREADY_SAVED
from tests.web.test_signin import sign_in


def _token(page: str) -> str:
    return re.search(r'name="once" value="([^"]+)"', page).group(1)


def _visit(family, once, **kw):
    return {
        "kind": "contact",
        "occurred_at": timezone.localtime(now()).strftime("%Y-%m-%dT%H:%M"),
        "method": "in_person",
        "location": "placement",
        "contact_with": [family["child"].pk],
        "narrative": "Seen at the foster home.",
        "finalize": "on",
        "once": once,
        **kw,
    }


def test_a_note_saved_twice_with_its_token_is_stored_once(client, worker, removed, family):
    client.force_login(worker.user)
    url = reverse("note_new", args=[family["case"].pk])
    once = _token(client.get(url).content.decode())
    first = client.post(url, _visit(family, once))
    note = ContactNote.objects.get()
    assert first.status_code == 302 and first.url == reverse("note_detail", args=[note.pk])
    again = client.post(url, _visit(family, once), follow=True)
    assert again.redirect_chain[0][0] == first.url
    assert ALREADY_SAVED in again.content.decode()
    assert ContactNote.objects.count() == 1
    # Back to the form: its address carries the token (web/once.js), the form keeps it.
    assert _token(client.get(f"{url}?once={once}").content.decode()) == once
    # A new form is a new token: a second visit is recorded.
    fresh = _token(client.get(url).content.decode())
    assert fresh != once
    assert client.post(url, _visit(family, fresh)).status_code == 302
    assert ContactNote.objects.count() == 2


def test_a_form_with_errors_keeps_what_was_typed_and_its_token(client, worker, removed, family):
    client.force_login(worker.user)
    url = reverse("note_new", args=[family["case"].pk])
    once = _token(client.get(url).content.decode())
    r = client.post(url, _visit(family, once, method="phone", narrative="Typed words"))
    page = r.content.decode()
    assert r.status_code == 422 and "Typed words" in page and _token(page) == once
    assert not IdempotencyKey.objects.exists()  # unused: the corrected form saves
    assert client.post(url, _visit(family, once)).status_code == 302
    assert ContactNote.objects.count() == 1


def test_each_create_form_carries_a_token(client, worker, removed, family):
    client.force_login(worker.user)
    case = family["case"].pk
    for url in (
        reverse("note_new", args=[case]),
        reverse("case_teaming", args=[case]),
        reverse("case_services", args=[case]),
    ):
        assert 'name="once"' in client.get(url).content.decode(), url


@pytest.fixture
def clock():
    with time_machine.travel(now(), tick=False) as traveller:
        yield traveller


def test_a_note_sent_after_the_session_ended_is_kept_through_sign_in(
    client, worker, removed, family, clock
):
    client.force_login(worker.user)
    url = reverse("note_new", args=[family["case"].pk])
    once = _token(client.get(url).content.decode())
    clock.shift(timedelta(minutes=31))
    r = client.post(url, _visit(family, once, narrative="Typed while away"))
    assert r.status_code == 302 and r.url == f"{reverse('login')}?next={url}"
    assert not ContactNote.objects.exists()
    r = sign_in(client, "cm", QUERY_STRING=f"next={url}")
    assert r.status_code == 302 and r.url == url
    page = client.get(url).content.decode()
    assert "Typed while away" in page and KEPT_MESSAGE in page and _token(page) == once
    assert not ContactNote.objects.exists()  # shown, not saved: the user saves it
    assert client.post(url, _visit(family, once, narrative="Typed while away")).status_code == 302
    assert ContactNote.objects.get().narrative == "Typed while away"
    assert "Typed while away" not in client.get(url).content.decode()  # kept once


def test_a_forged_form_after_the_session_ended_keeps_nothing(worker, removed, family, clock):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker.user)
    url = reverse("note_new", args=[family["case"].pk])
    assert client.get(url).status_code == 200
    clock.shift(timedelta(minutes=31))
    r = client.post(url, _visit(family, "x"))
    assert r.status_code == 302 and KEPT_FORM not in client.session
