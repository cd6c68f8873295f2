"""API tokens (issue 10 §2): made, listed and revoked by their owner through the API and
the API tokens page; they expire, record when they were last used, and only their hash is
kept."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearth.api.models import ApiToken, hash_token
from hearth.staff.models import Role
from tests.factories import StaffFactory
from tests.web.test_signin import TWO_FACTOR, code_for, sign_in

API = "/api/v1"


def post_json(client, url, body=None, **extra):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **extra)


def bearer(raw):
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def session(worker, client):
    client.force_login(worker.user)
    return client


def test_a_token_made_from_a_session_works_and_only_its_hash_is_kept(worker, session):
    r = post_json(session, API + "/tokens", {"label": "reporting script"})
    assert r.status_code == 201, r.content
    body = r.json()
    raw = body["token"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hash_token(raw) and token.user == worker.user
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert raw not in json.dumps(list(ApiToken.history.values()), default=str)
    assert body["state"] == "active" and body["label"] == "reporting script"
    assert abs(token.expires_at - token.created_at - timedelta(days=90)) < timedelta(seconds=1)
    assert token.last_used_at is None
    assert bearer(raw).get(API + "/cases").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Making it is audited: its history names who made it.
    made = token.history.get(history_type="+")
    assert made.history_user == worker.user


def test_the_list_shows_only_ones_own_tokens_and_never_the_token(worker, supervisor, session):
    mine = ApiToken.issue(worker.user, label="mine")[0]
    ApiToken.issue(supervisor.user, label="theirs")
    r = session.get(API + "/tokens")
    assert r.status_code == 200
    items = r.json()["items"]
    assert [t["id"] for t in items] == [mine.pk]
    assert "token" not in items[0] and "key_hash" not in items[0]
    assert items[0]["prefix"] == mine.prefix


def test_revoking_one_of_ones_tokens(worker, supervisor, session):
    token, raw = ApiToken.issue(worker.user)
    theirs, their_raw = ApiToken.issue(supervisor.user)
    r = session.post(f"{API}/tokens/{theirs.pk}/revoke")
    assert r.status_code == 404 and r.json()["detail"] == "Not found."
    assert bearer(their_raw).get(API + "/cases").status_code == 200
    assert session.post(f"{API}/tokens/999999/revoke").status_code == 404
    r = session.post(f"{API}/tokens/{token.pk}/revoke")
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    r = bearer(raw).get(API + "/cases")
    assert r.status_code == 401 and r.json()["detail"] == "Sign in or send a valid bearer token."
    # Again: nothing changes.
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    assert session.post(f"{API}/tokens/{token.pk}/revoke").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
    assert token.history.filter(history_type="~").get().history_user == worker.user


def test_a_token_can_revoke_itself(worker):
    token, raw = ApiToken.issue(worker.user)
    assert post_json(bearer(raw), f"{API}/tokens/{token.pk}/revoke").status_code == 200
    assert bearer(raw).get(API + "/tokens").status_code == 401


def test_a_token_expires_after_ninety_days(worker):
    token, raw = ApiToken.issue(worker.user)
    with time_machine.travel(timezone.now() + timedelta(days=89, hours=23), tick=False):
        assert bearer(raw).get(API + "/cases").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=90, minutes=1), tick=False):
        assert bearer(raw).get(API + "/cases").status_code == 401
        client = Client()
        client.force_login(worker.user)
        assert client.get(API + "/tokens").json()["items"][0]["state"] == "expired"


@override_settings(HEARTH_API_TOKEN_DAYS=7)
def test_the_lifetime_is_a_setting(worker, session):
    r = post_json(session, API + "/tokens")
    token = ApiToken.objects.get(pk=r.json()["id"])
    assert abs(token.expires_at - token.created_at - timedelta(days=7)) < timedelta(seconds=1)


def test_a_token_cannot_make_another(worker):
    _, raw = ApiToken.issue(worker.user)
    r = post_json(bearer(raw), API + "/tokens", {"label": "longer life"})
    assert r.status_code == 403 and "signed-in session" in r.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_bad_bodies_make_nothing(session):
    r = post_json(session, API + "/tokens", {"label": "x" * 101})
    assert r.status_code == 422 and "label" in r.json()["errors"]
    assert not ApiToken.objects.exists()


def test_anonymous_requests_are_refused(db):
    assert Client().get(API + "/tokens").status_code == 401
    assert post_json(Client(), API + "/tokens").status_code == 401


@TWO_FACTOR
def test_making_a_token_needs_a_verified_session_where_two_factor_applies(agency):
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    device = TOTPDevice.objects.create(user=director.user, name="Authenticator app")
    client = Client()
    sign_in(client, director.user.username)
    r = post_json(client, API + "/tokens")
    assert r.status_code == 403 and "authenticator app" in r.json()["detail"]
    r = client.get(reverse("api_tokens"))
    assert r.status_code == 302 and r.url.startswith(reverse("two_factor_verify"))
    assert not ApiToken.objects.exists()
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert post_json(client, API + "/tokens").status_code == 201


def test_the_openapi_document_describes_the_token_endpoints(worker):
    _, raw = ApiToken.issue(worker.user)
    doc = bearer(raw).get(API + "/openapi.json").json()
    assert {"get", "post"} <= set(doc["paths"]["/api/v1/tokens"])
    assert "post" in doc["paths"]["/api/v1/tokens/{token_id}/revoke"]
    assert "expire" in doc["info"]["description"]


# The API tokens page ------------------------------------------------------------------


def test_the_page_makes_a_token_shown_once_and_revokes_it(worker, supervisor, session):
    theirs, _ = ApiToken.issue(supervisor.user, label="theirs")
    page = reverse("api_tokens")
    r = session.get(page)
    assert r.status_code == 200 and "You have no API tokens." in r.content.decode()
    assert "theirs" not in r.content.decode()
    r = session.post(page, {"label": "nightly export"})
    token = ApiToken.objects.get(user=worker.user)
    raw = r.content.decode().split('<code class="hearth-secret">')[1].split("</code>")[0]
    assert token.key_hash == hash_token(raw)
    assert "only time Hearth shows it" in r.content.decode()
    text = session.get(page).content.decode()
    assert raw not in text and "nightly export" in text and token.prefix in text
    assert token.history.get(history_type="+").history_user == worker.user
    # Another's token answers 404 and stays active.
    assert session.post(reverse("api_token_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    r = session.post(reverse("api_token_revoke", args=[token.pk]))
    assert r.status_code == 302 and r.url == page
    token.refresh_from_db()
    assert token.state == ApiToken.State.REVOKED
    assert bearer(raw).get(API + "/cases").status_code == 401


def test_the_account_menu_links_to_the_tokens_page(session):
    text = session.get(reverse("account")).content.decode()
    assert f'href="{reverse("api_tokens")}"' in text


def test_manage_py_create_api_token_makes_an_expiring_audited_token(worker, capsys):
    call_command("create_api_token", worker.user.username, label="ops")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert token.state == ApiToken.State.ACTIVE and token.label == "ops"
    assert token.expires_at > timezone.now() + timedelta(days=89)
    assert token.history.filter(history_type="+").exists()
