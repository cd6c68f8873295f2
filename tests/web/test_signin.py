"""Sign-in that resists guessing and theft (issue 10 §2): lockout, password rules, the
first sign-in's new password, two-factor sign-in, session lifetime. Real sign-ins through
the sign-in page (django-axes counts them), real TOTP codes computed from the device's
key on the frozen clock."""

import io
import logging
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearth.core.services import now, today
from hearth.staff import services as staff_services
from hearth.staff import signin
from hearth.staff.models import Role, StaffMember
from hearth.web.account.middleware import SEEN_AT, SIGNED_IN_AT
from tests.api.conftest import ApiClient
from tests.factories import StaffFactory, UserFactory

PASSWORD = "pass-word-123"  # tests.factories.UserFactory
TWO_FACTOR = override_settings(
    HEARTH_2FA_ROLES=frozenset(
        {Role.PROGRAM_DIRECTOR, Role.STATE_OVERSIGHT, Role.QA_REVIEWER, Role.ADMINISTRATOR}
    )
)


def sign_in(client, username, password=PASSWORD, address="127.0.0.1", **extra):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def code_for(device) -> str:
    """The code the user's authenticator app shows now."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def director(agency):
    return StaffFactory(
        unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR], user__username="pd"
    )


@pytest.fixture
def clock():
    """A stopped clock on top of the session's frozen one, to move by hand."""
    with time_machine.travel(now(), tick=False) as traveller:
        yield traveller


# Lockout ------------------------------------------------------------------------------


def test_sign_in_works_and_starts_the_session_clocks(worker, client):
    r = sign_in(client, "cm")
    assert r.status_code == 302 and r.url == reverse("home")
    assert client.session[SIGNED_IN_AT] == client.session[SEEN_AT]
    assert "Act on these first" in client.get(reverse("home")).content.decode()  # their home


def test_an_account_is_locked_after_five_failures_from_any_address(worker, client, clock, caplog):
    caplog.set_level(logging.DEBUG)
    for i in range(4):
        r = sign_in(client, "cm", f"wrong-guess-{i}", address=f"10.0.0.{i}")
        assert r.status_code == 200 and "correct username and password" in r.content.decode()
    r = sign_in(client, "cm", "wrong-guess-4", address="10.0.0.4")
    assert r.status_code == 429
    text = r.content.decode()
    assert "Sign-in is locked for now" in text and "for up to 30 minutes" in text
    assert "Hearth case management" in text  # the product's layout
    # The right password from a new address is refused too, until the cool-off is over.
    clock.shift(timedelta(minutes=29))
    assert sign_in(client, "cm", address="10.0.1.1").status_code == 429
    clock.shift(timedelta(minutes=2))
    r = sign_in(client, "cm", address="10.0.1.1")
    assert r.status_code == 302 and r.url == reverse("home")
    # Every failure is recorded; no password is, in the records or the logs.
    assert AccessFailureLog.objects.filter(username="cm").count() == 6
    rows = [
        str(v)
        for model in (AccessAttempt, AccessFailureLog)
        for row in model.objects.values()
        for v in row.values()
    ]
    for secret in ("wrong-guess", PASSWORD):
        assert not any(secret in v for v in rows), secret
        assert secret not in caplog.text


def test_an_address_is_locked_after_five_failures_for_any_accounts(worker, client):
    for i in range(5):
        sign_in(client, f"nobody{i}", "wrong-guess", address="10.9.9.9")
    assert sign_in(client, "cm", address="10.9.9.9").status_code == 429
    assert sign_in(client, "cm", address="10.9.9.10").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_failure_limit_is_a_setting(worker, client):
    sign_in(client, "cm", "wrong-guess", address="10.0.0.1")
    assert sign_in(client, "cm", "wrong-guess", address="10.0.0.2").status_code == 429


@override_settings(HEARTH_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(worker, client):
    # A client cannot choose its address by sending X-Forwarded-For: the proxy appends
    # the address it saw, and that one counts.
    sign_in(client, "cm", "wrong", address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_a_locked_out_account_is_unlocked_with_axes_reset_username(worker, client):
    for i in range(5):
        sign_in(client, "cm", "wrong-guess", address=f"10.0.0.{i}")
    assert sign_in(client, "cm", address="10.0.2.1").status_code == 429
    call_command("axes_reset_username", "cm")
    assert sign_in(client, "cm", address="10.0.2.1").status_code == 302


def test_the_api_stays_sane_while_an_account_is_locked(worker, client):
    api = ApiClient(worker.user)  # a bearer token made before the guessing started
    for i in range(5):
        sign_in(client, "cm", "wrong-guess", address=f"10.0.0.{i}")
    assert api.get("/api/v1/cases").status_code == 200
    r = Client().get("/api/v1/cases")
    assert r.status_code == 401 and r.json()["detail"] == "Sign in or send a valid bearer token."


# Password rules and the first sign-in's new password -----------------------------------


def test_staff_made_by_the_api_and_the_services_must_choose_a_password(unit, director):
    r = ApiClient(director.user).post(
        "/api/v1/staff",
        {
            "username": "new.worker",
            "first_name": "New",
            "last_name": "Worker",
            "roles": ["case_manager"],
            "hire_date": (today() - timedelta(days=10)).isoformat(),
            "unit": unit.pk,
        },
    )
    assert r.status_code == 201, r.content
    assert StaffMember.objects.get(pk=r.json()["id"]).must_change_password
    # Factories make rows directly (no first-sign-in step for the other tests).
    assert not director.must_change_password


def test_staff_made_in_the_admin_must_choose_a_password(unit, admin_client):
    user = UserFactory(username="admin.made")
    r = admin_client.post(
        reverse("admin:staff_staffmember_add"),
        {
            "user": user.pk,
            "agency": unit.agency_id,
            "unit": unit.pk,
            "first_name": "Admin",
            "last_name": "Made",
            "hire_date": (today() - timedelta(days=10)).isoformat(),
            "experience_level": 1,
            "supervision_level": 2,
            "gender": "undisclosed",
            "status": "active",
            "roles": ["case_manager"],
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert StaffMember.objects.get(user=user).must_change_password


def test_first_sign_in_asks_for_a_password_of_ones_own(unit, director, client):
    member = staff_services.staff_create(
        actor=director.user,
        agency=unit.agency,
        username="jordan.ellis",
        roles=[Role.CASE_MANAGER],
        unit=unit,
        first_name="Jordan",
        last_name="Ellis",
        hire_date=today() - timedelta(days=10),
    )
    member.user.set_password("temporary-password-1")  # set by an administrator
    member.user.save()
    assert sign_in(client, "jordan.ellis", "temporary-password-1").status_code == 302
    change = reverse("password_change")
    for page in (reverse("home"), reverse("caseload"), reverse("api_tokens")):
        r = client.get(page)
        assert r.status_code == 302 and r.url.startswith(change), page
    r = client.get("/api/v1/cases")
    assert r.status_code == 403
    assert r.json()["detail"] == signin.STEP_REASONS[signin.CHANGE_PASSWORD]
    r = client.get(change + "?next=/caseload/")
    assert "temporary password" in r.content.decode()

    def choose(password):
        return client.post(
            change,
            {
                "old_password": "temporary-password-1",
                "new_password1": password,
                "new_password2": password,
                "next": "/caseload/",
            },
        )

    for bad, reason in (
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("jordan.ellis1", "too similar to the username"),
        ("384729105738", "entirely numeric"),
    ):
        r = choose(bad)
        assert r.status_code == 200 and reason in r.content.decode(), bad
        member.refresh_from_db()
        assert member.must_change_password
    r = choose("maple kettle harbor lamp")
    assert r.status_code == 302 and r.url == "/caseload/"
    member.refresh_from_db()
    assert not member.must_change_password
    assert member.history.first().history_user == member.user
    assert client.get(reverse("caseload")).status_code == 200
    assert client.get("/api/v1/cases").status_code == 200


# Two-factor sign-in --------------------------------------------------------------------


@TWO_FACTOR
def test_a_director_sets_up_two_factor_before_anything_else(director, client, clock):
    assert sign_in(client, "pd").status_code == 302
    setup = reverse("two_factor_setup")
    for page in ("/", reverse("unit_list"), reverse("password_change"), reverse("api_tokens")):
        r = client.get(page)
        assert r.status_code == 302 and r.url.startswith(setup), page
    r = client.get("/api/v1/cases")
    assert r.status_code == 403
    assert r.json()["detail"] == signin.STEP_REASONS[signin.SET_UP_TWO_FACTOR]
    r = client.get(setup + "?next=/units/")
    text = r.content.decode()
    assert r.status_code == 200 and "<svg" in text and "QR code" in text
    device = TOTPDevice.objects.get(user=director.user, confirmed=False)
    assert device.config_url.split("secret=")[1].split("&")[0] in text.replace(" ", "")
    r = client.post(setup, {"code": "000000", "next": "/units/"})
    assert r.status_code == 200 and "does not match" in r.content.decode()
    clock.shift(timedelta(seconds=5))  # past the throttle's pause after a wrong code
    r = client.post(setup, {"code": code_for(device), "next": "/units/"})
    assert r.status_code == 200
    codes = list(
        StaticToken.objects.filter(device__user=director.user).values_list("token", flat=True)
    )
    assert len(codes) == 10 and all(c in r.content.decode() for c in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("unit_list")).status_code == 200
    assert client.get("/api/v1/cases").status_code == 200
    # The recovery codes are shown once: not on the account page.
    text = client.get(reverse("account")).content.decode()
    assert "10 recovery codes left" in text and codes[0] not in text


@pytest.fixture
def enrolled(director):
    device = TOTPDevice.objects.create(user=director.user, name="Authenticator app")
    codes = signin.recovery_codes_regenerate(user=director.user)
    return device, codes


@TWO_FACTOR
def test_each_sign_in_asks_for_a_code(director, enrolled, client, clock):
    device, _ = enrolled
    sign_in(client, "pd")
    verify = reverse("two_factor_verify")
    r = client.get(reverse("unit_list"))
    assert r.status_code == 302 and r.url == verify + "?next=%2Funits%2F"
    r = client.get("/api/v1/cases")
    assert r.status_code == 403
    assert r.json()["detail"] == signin.STEP_REASONS[signin.VERIFY_TWO_FACTOR]
    r = client.post(verify, {"code": "123456", "next": "/units/"})
    assert r.status_code == 200 and "does not match" in r.content.decode()
    clock.shift(timedelta(seconds=5))
    r = client.post(verify, {"code": code_for(device), "next": "/units/"})
    assert r.status_code == 302 and r.url == "/units/"
    assert client.get(reverse("unit_list")).status_code == 200
    assert client.get("/api/v1/cases").status_code == 200
    # The same code is not accepted twice (a code seen over a shoulder).
    other = Client()
    sign_in(other, "pd")
    r = other.post(verify, {"code": code_for(device)})
    assert r.status_code == 200 and "does not match" in r.content.decode()


@TWO_FACTOR
def test_a_recovery_code_works_once(director, enrolled, client):
    _, codes = enrolled
    sign_in(client, "pd")
    r = client.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
    assert r.status_code == 302 and r.url == reverse("home")
    r = client.get(reverse("unit_list"))
    assert r.status_code == 200 and "9 of them are left" in r.content.decode()
    other = Client()
    sign_in(other, "pd")
    r = other.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert r.status_code == 200 and "does not match" in r.content.decode()
    assert StaticToken.objects.filter(device__user=director.user).count() == 9


@TWO_FACTOR
def test_new_recovery_codes_replace_the_old_ones(director, enrolled, client):
    _, old = enrolled
    sign_in(client, "pd")
    client.post(reverse("two_factor_verify"), {"code": old[0]})
    r = client.post(reverse("two_factor_recovery_codes"))
    new = set(
        StaticToken.objects.filter(device__user=director.user).values_list("token", flat=True)
    )
    assert r.status_code == 200 and len(new) == 10 and not new & set(old)
    assert all(c in r.content.decode() for c in new)


@TWO_FACTOR
def test_an_unverified_session_cannot_renew_recovery_codes(director, enrolled, client):
    _, old = enrolled
    sign_in(client, "pd")
    r = client.post(reverse("two_factor_recovery_codes"))
    assert r.status_code == 302 and r.url.startswith(reverse("two_factor_verify"))
    assert StaticToken.objects.filter(device__user=director.user).count() == 10


@TWO_FACTOR
def test_a_new_phone_replaces_the_old_app(director, enrolled, client, clock):
    old_device, codes = enrolled
    sign_in(client, "pd")
    client.post(reverse("two_factor_verify"), {"code": code_for(old_device)})
    client.get(reverse("two_factor_setup"))
    new_device = TOTPDevice.objects.get(user=director.user, confirmed=False)
    clock.shift(timedelta(seconds=30))
    r = client.post(reverse("two_factor_setup"), {"code": code_for(new_device)})
    assert r.status_code == 200 and "recovery codes" in r.content.decode()
    assert list(TOTPDevice.objects.filter(user=director.user)) == [new_device]


@TWO_FACTOR
def test_the_django_admin_needs_a_verified_session(world, client):
    admin = world["staff"]["admin"]
    admin.user.is_staff = True
    admin.user.save()
    TOTPDevice.objects.create(user=admin.user, name="Authenticator app")
    client.force_login(admin.user)
    for url in ("/admin/", "/admin/staff/staffmember/"):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("two_factor_verify")), url
    # A superuser without a staff record counts as an administrator.
    superuser = get_user_model().objects.create_superuser("root", "", "maple kettle lamp")
    other = Client()
    other.force_login(superuser)
    r = other.get("/admin/")
    assert r.status_code == 302 and r.url.startswith(reverse("two_factor_setup"))


@TWO_FACTOR
def test_roles_outside_the_setting_sign_in_with_a_password(world, client):
    sign_in(client, "cm")
    assert "Act on these first" in client.get("/").content.decode()  # the case manager's home
    assert client.get(reverse("caseload")).status_code == 200
    r = client.get(reverse("two_factor_setup"))
    assert r.status_code == 302 and r.url == reverse("account")


@override_settings(HEARTH_2FA_FOR_EVERYONE=True)
def test_a_setting_requires_two_factor_for_everyone(worker, client):
    sign_in(client, "cm")
    r = client.get(reverse("caseload"))
    assert r.status_code == 302 and r.url.startswith(reverse("two_factor_setup"))


def test_production_defaults_require_two_factor_for_the_named_roles():
    from hearth import settings as production

    defaults = vars(production)
    assert defaults["HEARTH_2FA_ROLES"] == {
        "program_director",
        "state_oversight",
        "qa_reviewer",
        "administrator",
    }
    assert not defaults["HEARTH_2FA_FOR_EVERYONE"]
    assert defaults["HEARTH_SESSION_IDLE_MINUTES"] == 30
    assert defaults["HEARTH_SESSION_MAX_HOURS"] == 12
    assert defaults["AXES_FAILURE_LIMIT"] == 5
    assert defaults["AXES_COOLOFF_TIME"] == timedelta(minutes=30)
    assert defaults["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]
    assert defaults["HEARTH_API_TOKEN_DAYS"] == 90


def test_a_misspelt_role_in_the_setting_stops_the_server():
    with override_settings(HEARTH_2FA_ROLES=frozenset({"program_directors"})):
        errors = signin.check_two_factor_roles(None)
    assert [e.id for e in errors] == ["hearth.E001"]
    assert "program_directors" in errors[0].msg
    assert signin.check_two_factor_roles(None) == []


# Session lifetime ----------------------------------------------------------------------


def test_an_idle_session_ends_after_thirty_minutes(worker, client, clock):
    sign_in(client, "cm")
    page = reverse("account")
    assert client.get(page).status_code == 200
    clock.shift(timedelta(minutes=29))
    assert client.get(page).status_code == 200  # activity keeps it alive
    clock.shift(timedelta(minutes=29))
    assert client.get(page).status_code == 200
    clock.shift(timedelta(minutes=31))
    r = client.get(page)
    assert r.status_code == 302 and r.url == f"{reverse('login')}?next={page}"
    r = client.get(r.url)
    assert "signed out after 30 minutes without activity" in r.content.decode()
    assert client.get(page).status_code == 302  # the session is gone


def test_an_idle_session_answers_401_on_the_api(worker, client, clock):
    client.force_login(worker.user)
    assert client.get("/api/v1/cases").status_code == 200
    clock.shift(timedelta(minutes=31))
    assert client.get("/api/v1/cases").status_code == 401


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(worker, client, clock):
    sign_in(client, "cm")
    page = reverse("account")
    for _ in range(35):  # 11 h 40 min of steady work
        clock.shift(timedelta(minutes=20))
        assert client.get(page).status_code == 200
    clock.shift(timedelta(minutes=21))
    r = client.get(page)
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert "12 hours after signing in" in client.get(r.url).content.decode()


@override_settings(HEARTH_SESSION_IDLE_MINUTES=5)
def test_the_idle_timeout_is_a_setting(worker, client, clock):
    client.force_login(worker.user)
    assert client.get(reverse("account")).status_code == 200
    clock.shift(timedelta(minutes=6))
    assert client.get(reverse("account")).status_code == 302


@TWO_FACTOR
def test_a_lost_phone_is_reset_with_manage_py_reset_two_factor(director, enrolled, client):
    out = io.StringIO()
    call_command("reset_two_factor", "pd", stdout=out)
    assert "Removed 2 two-factor device(s)" in out.getvalue()
    sign_in(client, "pd")
    r = client.get(reverse("unit_list"))
    assert r.status_code == 302 and r.url.startswith(reverse("two_factor_setup"))
