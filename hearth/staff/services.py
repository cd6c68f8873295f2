"""Every write to agencies' units and staff members."""

from django.contrib.auth import get_user_model
from django.db import transaction

from hearth.core.errors import DomainError
from hearth.core.services import apply_changes, lock, today, validated_save
from hearth.policy.settings import validate_overrides
from hearth.staff.models import Agency, Role, StaffMember, StaffRole, Unit

UNIT_FIELDS = {"name", "kind", "active"}
STAFF_FIELDS = {
    "unit",
    "first_name",
    "last_name",
    "hire_date",
    "preservice_training_completed_on",
    "experience_level",
    "supervision_level",
    "gender",
    "culture",
    "office_county",
    "office_latitude",
    "office_longitude",
    "status",
    "departed_on",
}


@transaction.atomic
def agency_set_policy(*, actor, agency, overrides, version: int | None = None) -> Agency:
    """Set the jurisdiction numbers where the agency departs from the policies' defaults
    (hearth.policy.settings: caps, intervals, weights, the A1 routing strategy)."""
    problems = validate_overrides(overrides)
    if problems:
        raise DomainError({"overrides": "; ".join(problems)})
    agency = lock(Agency, agency.pk)
    agency.check_version(version)
    agency.policy_overrides = dict(overrides or {})
    agency.bump_version()
    validated_save(agency, actor=actor)
    return agency


@transaction.atomic
def unit_create(*, actor, agency, name: str, kind: str, counties=(), active: bool = True) -> Unit:
    unit = Unit(agency=agency, name=(name or "").strip(), kind=kind, active=active)
    validated_save(unit, actor=actor)
    unit.counties.set(counties)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, version: int | None = None, counties=None, **changes) -> Unit:
    unit = lock(Unit, unit.pk)
    unit.check_version(version)
    changed = apply_changes(unit, changes, editable=UNIT_FIELDS)
    if changed or counties is not None:
        unit.bump_version()
        validated_save(unit, actor=actor)
    if counties is not None:
        unit.counties.set(counties)
    return unit


def _check_staff(member: StaffMember, roles) -> None:
    problems = {}
    if member.unit_id and member.unit.agency_id != member.agency_id:
        problems["unit"] = "This unit belongs to another agency."
    if member.hire_date and member.hire_date > today():
        problems["hire_date"] = "The hire date cannot be in the future."
    trained = member.preservice_training_completed_on
    if trained and trained > today():
        problems["preservice_training_completed_on"] = "This date cannot be in the future."
    if trained and member.hire_date and trained < member.hire_date:
        problems["preservice_training_completed_on"] = "Training is completed after the hire date."
    if member.status == StaffMember.Status.DEPARTED and not member.departed_on:
        problems["departed_on"] = "Give the date the staff member left."
    if member.status != StaffMember.Status.DEPARTED and member.departed_on:
        problems["departed_on"] = "Only a departed staff member has a departure date."
    if roles is not None:
        bad = [r for r in roles if r not in Role.values]
        if bad:
            problems["roles"] = f"Unknown roles: {', '.join(bad)}."
        elif not roles:
            problems["roles"] = "Give the staff member at least one role."
    if problems:
        raise DomainError(problems)


def _set_roles(member: StaffMember, roles) -> None:
    StaffRole.objects.filter(staff=member).exclude(role__in=roles).delete()
    existing = set(StaffRole.objects.filter(staff=member).values_list("role", flat=True))
    StaffRole.objects.bulk_create(
        [StaffRole(staff=member, role=r) for r in roles if r not in existing]
    )
    member._role_set = frozenset(roles)


@transaction.atomic
def staff_create(
    *, actor, agency, username: str, email: str = "", roles, skills=(), languages=(), **fields
) -> StaffMember:
    unknown = sorted(set(fields) - STAFF_FIELDS)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "Unknown field."))
    username = (username or "").strip()
    User = get_user_model()
    if not username:
        raise DomainError({"username": "Enter a username."})
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError({"username": "This username is taken."})
    # The first sign-in asks for a password of the staff member's own.
    member = StaffMember(agency=agency, must_change_password=True, **fields)
    _check_staff(member, list(roles))
    user = User.objects.create_user(
        username=username,
        email=email,
        first_name=member.first_name,
        last_name=member.last_name,
    )
    user.set_unusable_password()
    user.save()
    member.user = user
    validated_save(member, actor=actor)
    _set_roles(member, list(roles))
    member.skills.set(skills)
    member.languages.set(languages)
    return member


@transaction.atomic
def staff_update(
    *,
    actor,
    member: StaffMember,
    version: int | None = None,
    roles=None,
    skills=None,
    languages=None,
    **changes,
) -> StaffMember:
    member = lock(StaffMember, member.pk)
    member.check_version(version)
    changed = apply_changes(member, changes, editable=STAFF_FIELDS)
    _check_staff(member, list(roles) if roles is not None else None)
    if changed or roles is not None or skills is not None or languages is not None:
        member.bump_version()
        validated_save(member, actor=actor)
    if roles is not None:
        _set_roles(member, list(roles))
    if skills is not None:
        member.skills.set(skills)
    if languages is not None:
        member.languages.set(languages)
    if member.status == StaffMember.Status.DEPARTED and member.user.is_active:
        member.user.is_active = False
        member.user.save(update_fields=["is_active"])
    return member
