"""`Idempotency-Key` on the API's creates (hearth.api.idempotency): one key, one record."""

from datetime import timedelta

from hearth.contacts.models import ContactNote
from hearth.core.models import IdempotencyKey
from tests.api.contacts.helpers import API, visit_body

KEY = {"Idempotency-Key": "5b0c2a3e-visit-1"}


def _create(api, family, body=None, headers=KEY):
    body = body or visit_body(family, contact_with=[family["child"].pk], collaterals=[])
    return api.post(f"{API}/cases/{family['case'].pk}/notes", body, headers=headers)


def test_a_create_sent_twice_with_one_key_makes_one_record(removed, family, api):
    first = _create(api, family)
    assert first.status_code == 201, first.content
    again = _create(api, family)
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ContactNote.objects.count() == 1


def test_the_key_with_another_body_is_refused_naming_the_header(removed, family, api):
    assert _create(api, family).status_code == 201
    other = visit_body(family, contact_with=[family["child"].pk], collaterals=[])
    other["narrative"] = "Another visit."
    r = _create(api, family, other)
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["errors"]
    assert ContactNote.objects.count() == 1


def test_keys_are_each_users_own(removed, family, api, api_as, supervisor):
    assert _create(api, family).status_code == 201
    r = _create(api_as(supervisor.user), family)
    assert r.status_code == 201 and r.get("Idempotent-Replayed") is None
    assert ContactNote.objects.count() == 2


def test_without_a_key_each_create_makes_a_record_and_a_failed_one_frees_its_key(
    removed, family, api
):
    assert _create(api, family, headers=None).status_code == 201
    assert _create(api, family, headers=None).status_code == 201
    bad = visit_body(family, contact_with=[family["child"].pk], collaterals=[])
    bad["narrative"] = ""
    assert _create(api, family, bad, headers={"Idempotency-Key": "k2"}).status_code == 422
    assert not IdempotencyKey.objects.filter(key="api:k2").exists()
    assert ContactNote.objects.count() == 2


def test_a_key_is_kept_for_the_configured_hours(removed, family, api, settings):
    assert _create(api, family).status_code == 201
    IdempotencyKey.objects.update(
        created_at=IdempotencyKey.objects.get().created_at
        - timedelta(hours=settings.HEARTH_IDEMPOTENCY_HOURS)
    )
    assert _create(api, family).get("Idempotent-Replayed") is None
    assert ContactNote.objects.count() == 2


def test_an_empty_or_overlong_key_is_refused(removed, family, api):
    for key in (" ", "k" * 256):
        r = _create(api, family, headers={"Idempotency-Key": key})
        assert r.status_code == 422 and "Idempotency-Key" in r.json()["errors"]
    assert not ContactNote.objects.exists()
