"""What a signed-in user must do before anything else: set up or confirm the second
factor, then choose their own password. The web pages (hearth.web.account) send them
there; the API refuses their session with a 403 (hearth.api.auth).

Who needs two-factor sign-in is a setting: HEARTH_2FA_ROLES (the roles that require it;
an account that enters the Django admin counts as an administrator) and
HEARTH_2FA_FOR_EVERYONE. See docs/adr/0009-sign-in-and-two-factor.md."""

import logging

from django.conf import settings
from django.core import checks
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearth.core.services import lock
from hearth.staff.access import staff_for
from hearth.staff.models import Role, StaffMember

log = logging.getLogger(__name__)

RECOVERY_CODES = 10  # one-time codes given at set-up and each time they are renewed

SET_UP_TWO_FACTOR = "set_up_two_factor"
VERIFY_TWO_FACTOR = "verify_two_factor"
CHANGE_PASSWORD = "change_password"

# What the API answers (403) to a session that has a step left.
STEP_REASONS = {
    SET_UP_TWO_FACTOR: "Set up two-factor sign-in (Account security in the web pages) before "
    "using the API with this session.",
    VERIFY_TWO_FACTOR: "Confirm this sign-in with a code from your authenticator app before "
    "using the API with this session.",
    CHANGE_PASSWORD: "Choose a new password (Account security in the web pages) before using "
    "the API with this session.",
}


def two_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if settings.HEARTH_2FA_FOR_EVERYONE:
        return True
    required = settings.HEARTH_2FA_ROLES
    if not required:
        return False
    if Role.ADMINISTRATOR in required and (user.is_staff or user.is_superuser):
        return True
    member = staff_for(user)
    return member is not None and bool(member.role_set & required)


def has_authenticator(user) -> bool:
    """A confirmed authenticator app. Recovery codes alone do not count: a user left
    with only those (their app was removed by an administrator) sets up a new one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_change_password(user) -> bool:
    member = staff_for(user)
    return member is not None and member.must_change_password


def pending_step(user) -> str | None:
    """The step a signed-in user has left, or None. The second factor comes first."""
    if two_factor_required(user) and not user.is_verified():
        return VERIFY_TWO_FACTOR if has_authenticator(user) else SET_UP_TWO_FACTOR
    if must_change_password(user):
        return CHANGE_PASSWORD
    return None


@checks.register(checks.Tags.security)
def check_two_factor_roles(app_configs, **kwargs):
    """A misspelt role in HEARTH_2FA_ROLES would silently let that role sign in with a
    password alone."""
    unknown = sorted(set(settings.HEARTH_2FA_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"HEARTH_2FA_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Known roles: {', '.join(Role.values)}.",
            id="hearth.E001",
        )
    ]


# The writes of the sign-in steps (each user acts on their own account).


@transaction.atomic
def password_changed(*, user) -> None:
    """The user chose their own password: the first-sign-in step is done."""
    member = staff_for(user)
    if member is None or not member.must_change_password:
        return
    locked = lock(StaffMember, member.pk)
    locked.must_change_password = False
    locked._history_user = user
    locked.save(update_fields=["must_change_password"])
    member.must_change_password = False


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """New one-time recovery codes for `user`; the old ones stop working. The codes are
    returned to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    log.info("Recovery codes made for user %s.", user.pk)
    return codes


@transaction.atomic
def two_factor_enrol(*, user, device: TOTPDevice) -> list[str]:
    """`device` (whose code the user just gave) becomes their authenticator app, in place
    of any earlier one; returns their new recovery codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log.info("Two-factor sign-in set up for user %s.", user.pk)
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def two_factor_reset(*, user) -> int:
    """Remove the user's authenticator app and recovery codes (a lost phone); returns how
    many devices were removed. Their next sign-in sets up a new app."""
    removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    removed += StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    log.warning("Two-factor sign-in reset for user %s.", user.pk)
    return removed
