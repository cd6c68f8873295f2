"""Staff and unit scoping: who the viewer is, which staff and units they see and manage.

The roles behind each power are read from the one permission map
(`hearth.staff.permissions`); a record the viewer may not see is answered like one that
does not exist (`NotFound`), one they may see but not change with `Forbidden`
(ADR 0002, 0008). Case and people scoping is in `hearth.cases.access`, referral and
routing powers in `hearth.intake.access`.
"""

from django.db.models import QuerySet

from hearth.core.errors import Forbidden, NotFound
from hearth.staff.models import Agency, StaffMember, Unit
from hearth.staff.permissions import can, is_state_staff


def staff_for(user) -> StaffMember | None:
    """The active staff record of a signed-in user, cached on the user object."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_hearth_staff"):
        staff = (
            StaffMember.objects.select_related("agency", "unit")
            .prefetch_related("roles")
            .filter(user=user)
            .exclude(status=StaffMember.Status.DEPARTED)
            .first()
        )
        user._hearth_staff = staff
    return user._hearth_staff


def viewer_can(user, capability: str) -> bool:
    """Whether the signed-in `user` holds `capability` (hearth.staff.permissions)."""
    return can(staff_for(user), capability)


def viewer_roles(user) -> str:
    """The signed-in user's roles, comma-separated, as the access log records them."""
    staff = staff_for(user)
    return ",".join(sorted(staff.role_set)) if staff is not None else ""


def can_read_access_log(user) -> bool:
    """Who has seen a record: the program director and state oversight read it (ADR 0010)."""
    return viewer_can(user, "access_log.read")


def _sees_all_agencies(staff: StaffMember) -> bool:
    return can(staff, "staff.see_all_agencies") or is_state_staff(staff)


def visible_staff(user) -> QuerySet:
    staff = staff_for(user)
    if staff is None:
        return StaffMember.objects.none()
    if _sees_all_agencies(staff):
        return StaffMember.objects.all()
    return StaffMember.objects.filter(agency_id=staff.agency_id)


def visible_units(user) -> QuerySet:
    staff = staff_for(user)
    if staff is None:
        return Unit.objects.none()
    if _sees_all_agencies(staff):
        return Unit.objects.all()
    return Unit.objects.filter(agency_id=staff.agency_id)


def managed_agencies(user) -> QuerySet:
    """Agencies whose units and staff this user may create and change."""
    staff = staff_for(user)
    if staff is None:
        return Agency.objects.none()
    if can(staff, "agency.manage_all"):
        return Agency.objects.all()
    if can(staff, "agency.manage_own"):
        return Agency.objects.filter(pk=staff.agency_id)
    return Agency.objects.none()


def access_staff(user, staff_id, *, for_edit: bool = False) -> StaffMember:
    try:
        staff_id = int(staff_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    member = (
        visible_staff(user).select_related("agency", "unit", "user").filter(pk=staff_id).first()
    )
    if member is None:
        raise NotFound()
    if for_edit and not managed_agencies(user).filter(pk=member.agency_id).exists():
        raise Forbidden()
    return member


def access_unit(user, unit_id, *, for_edit: bool = False) -> Unit:
    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    unit = visible_units(user).select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    if for_edit and not managed_agencies(user).filter(pk=unit.agency_id).exists():
        raise Forbidden()
    return unit


def can_manage_unit(user, unit: Unit) -> bool:
    """A6: the agency's program director, or the unit's supervisor, balances its caseloads."""
    staff = staff_for(user)
    if staff is None or staff.agency_id != unit.agency_id:
        return False
    if can(staff, "unit.manage_agency"):
        return True
    return can(staff, "unit.manage_own") and staff.unit_id == unit.pk


def can_see_unit_balance(user, unit: Unit) -> bool:
    """A2(a): a unit's loads are for those who balance them and the agency's intake."""
    staff = staff_for(user)
    if staff is None or staff.agency_id != unit.agency_id:
        return False
    return can(staff, "unit.see_balance") or can_manage_unit(user, unit)


def can_reassign_from(user, worker: StaffMember) -> bool:
    """A6: the program director, or the supervisor of the worker's unit, moves a worker's
    cases."""
    return worker.unit is not None and can_manage_unit(user, worker.unit)
