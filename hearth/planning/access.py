"""Who reads and changes planning records. A planning record belongs to a case and is
read and written through the case's scope (hearth.cases.access): a record of a case the
viewer cannot see answers like a missing one. The capabilities of the permission map
(hearth.staff.permissions) say who approves plans (plan.approve), holds supervisor
conferences (conference.record), keeps the provider directory (provider.manage),
configures instruments (instrument.manage) and reads a unit's or an agency's due list
(due.unit, due.agency)."""

from hearth.cases import access as case_access
from hearth.core.errors import NotFound
from hearth.staff import access as staff_access
from hearth.staff.models import Unit
from hearth.staff.permissions import can


def case_of(user, model, pk, *, for_edit: bool = False, related: tuple = ()):
    """The record `pk` of `model` (which has a `case` field) and its case, through the
    viewer's case scope: NotFound when the record is missing or its case unseen,
    Forbidden when it is seen but `for_edit` and not writable."""
    record = model.objects.filter(pk=pk).select_related("case", *related).first()
    if record is None:
        raise NotFound()
    case = case_access.access_case(user, record.case_id, for_edit=for_edit)
    return record, case


# due ------------------------------------------------------------------------------------


def due_units(user):
    """P9: the units whose overdue list the viewer reads: every unit of the agency for its
    program director (due.agency), their own unit for a supervisor (due.unit), none for
    anyone else. A unit outside these answers like a missing one."""
    staff = staff_access.staff_for(user)
    if staff is None:
        return Unit.objects.none()
    if can(staff, "due.agency"):
        return Unit.objects.filter(agency_id=staff.agency_id)
    if can(staff, "due.unit") and staff.unit_id:
        return Unit.objects.filter(pk=staff.unit_id)
    return Unit.objects.none()


def access_due_unit(user, unit_id):
    """The unit `unit_id` if the viewer reads its overdue list (due_units), else NotFound."""
    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    unit = due_units(user).select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit
