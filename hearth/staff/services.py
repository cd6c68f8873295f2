"""Every write to agencies' units and staff members."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from hearth.core.errors import DomainError
from hearth.core.services import apply_changes, lock, today, validated_save
from hearth.policy import grants
from hearth.policy.settings import validate_overrides
from hearth.staff import access as staff_access
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


class GrantRefused(DomainError):
    """The granter's own powers do not reach this change of roles or status."""

    status_code = 403


def _staff_problems(member: StaffMember) -> dict[str, str]:
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
    return problems


def _granter(actor) -> tuple[grants.Granter, int | None]:
    """The granter's powers and staff id. A superuser with no staff record (the
    installation's first administrator, `manage.py createsuperuser`) acts as a state
    administrator; anyone else without an active staff record grants nothing."""
    staff = staff_access.staff_for(actor)
    if staff is not None:
        return grants.Granter(staff.role_set, staff.agency.kind, staff.agency_id), staff.pk
    if actor is not None and actor.is_superuser:
        return grants.Granter(
            frozenset({Role.ADMINISTRATOR}), Agency.Kind.STATE_OVERSIGHT, None
        ), None
    return grants.Granter(frozenset(), None, None), None


def lock_for_grant(member_pk: int) -> None:
    """Lock the staff member and every administrator, in one order, so that two
    concurrent changes cannot both remove an administrator believing another remains."""
    administrators = StaffRole.objects.filter(role=Role.ADMINISTRATOR).values("staff_id")
    rows = StaffMember.objects.select_for_update().filter(
        Q(pk=member_pk) | Q(pk__in=administrators)
    )
    list(rows.order_by("pk").values_list("pk", flat=True))


def stored_roles(member: StaffMember) -> frozenset[str]:
    """The roles stored for `member` now (not a cached set)."""
    return frozenset(StaffRole.objects.filter(staff=member).values_list("role", flat=True))


def grant_check(
    *,
    actor,
    member: StaffMember,
    roles_before: frozenset[str],
    status_before: str | None,
    roles,
) -> dict[str, str]:
    """Check a change of `member`'s roles (to `roles`) and status (to `member.status`)
    against the granter's own powers (hearth.policy.grants). Raises GrantRefused (403)
    for what the granter may not do; returns the bad values (field -> reason). Run it
    inside the transaction, after `lock_for_grant`."""
    granter, granter_pk = _granter(actor)
    others = 0
    if Role.ADMINISTRATOR in roles_before:
        others = (
            StaffMember.objects.filter(
                roles__role=Role.ADMINISTRATOR, status=StaffMember.Status.ACTIVE
            )
            .exclude(pk=member.pk)
            .count()
        )
    change = grants.Change(
        agency_kind=member.agency.kind,
        agency_id=member.agency_id,
        is_granter=member.pk is not None and member.pk == granter_pk,
        roles_before=roles_before,
        roles_after=frozenset(roles),
        status_before=status_before,
        status_after=member.status,
        other_active_administrators=others,
    )
    problems = grants.grant_problems(granter, change)
    refused = {p.field: p.reason for p in problems if p.forbidden}
    if refused:
        raise GrantRefused(refused)
    return {p.field: p.reason for p in problems}


def staff_set_roles(member: StaffMember, roles) -> None:
    """Store `member`'s roles; call `grant_check` first, in the same transaction."""
    StaffRole.objects.filter(staff=member).exclude(role__in=roles).delete()
    existing = set(StaffRole.objects.filter(staff=member).values_list("role", flat=True))
    StaffRole.objects.bulk_create(
        [StaffRole(staff=member, role=r) for r in roles if r not in existing]
    )
    member._role_set = frozenset(roles)


def staff_deactivate_departed(member: StaffMember) -> None:
    """A departed staff member's sign-in is deactivated."""
    if member.status == StaffMember.Status.DEPARTED and member.user.is_active:
        member.user.is_active = False
        member.user.save(update_fields=["is_active"])


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
    roles = list(roles)
    # The first sign-in asks for a password of the staff member's own.
    member = StaffMember(agency=agency, must_change_password=True, **fields)
    problems = grant_check(
        actor=actor, member=member, roles_before=frozenset(), status_before=None, roles=roles
    )
    problems.update(_staff_problems(member))
    if problems:
        raise DomainError(problems)
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
    staff_set_roles(member, roles)
    member.skills.set(skills or ())  # null in a create body: none
    member.languages.set(languages or ())
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
    grant = roles is not None or "status" in changes
    if grant:
        lock_for_grant(member.pk)
    member = lock(StaffMember, member.pk)
    member.check_version(version)
    roles_before, status_before = stored_roles(member), member.status
    roles = roles_before if roles is None else frozenset(roles)
    changed = apply_changes(member, changes, editable=STAFF_FIELDS)
    problems = {}
    if grant:
        problems = grant_check(
            actor=actor,
            member=member,
            roles_before=roles_before,
            status_before=status_before,
            roles=roles,
        )
    problems.update(_staff_problems(member))
    if problems:
        raise DomainError(problems)
    if changed or roles != roles_before or skills is not None or languages is not None:
        member.bump_version()
        validated_save(member, actor=actor)
    if roles != roles_before:
        staff_set_roles(member, roles)
    if skills is not None:
        member.skills.set(skills)
    if languages is not None:
        member.languages.set(languages)
    staff_deactivate_departed(member)
    return member
