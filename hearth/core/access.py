"""The one scoping module: who may see and change what.

Every page and every endpoint reads through these functions. A record a viewer may not
see is answered exactly like a record that does not exist (`NotFound`, a 404), so no
one learns that a child's record exists. A record the viewer may see but not change
raises `Forbidden` (a 403).

Who sees which cases (union over the staff member's roles):
- case manager: the cases they hold (current assignment), and their unit's cases read-only
- supervisor: their unit's cases
- program director, intake coordinator: their agency's cases
- state oversight specialist: the cases assigned to them for oversight
- QA reviewer: the cases in their review sample, read-only
- administrator: reference data only, no case records
Contractor staff never see another agency's cases. A restricted case is seen only by its
assigned workers, the supervisor of its unit, the agency's program directors, the staff
named on it (read-only) and the state staff granted it (docs/adr/0010-restricted-cases.md).
"""

from django.db.models import Q, QuerySet

from hearth.core.errors import Forbidden, NotFound
from hearth.staff.models import Agency, Role, StaffMember, Unit

_NONE = Q(pk__in=[])
# A restricted case is closed to the agency at large: only its assigned workers, the
# supervisor of its unit, the program directors and the staff named on it see it.
_UNRESTRICTED = Q(restricted=False)


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


def _current_assignment_q(staff: StaffMember) -> Q:
    from hearth.cases.models import Assignment

    held = Assignment.objects.filter(worker=staff, ends_on__isnull=True).values("case_id")
    return Q(pk__in=held)


def _grant_q(staff: StaffMember, purpose: str) -> Q:
    from hearth.cases.models import CaseAccessGrant

    granted = CaseAccessGrant.objects.filter(
        staff=staff, purpose=purpose, ends_on__isnull=True
    ).values("case_id")
    return Q(pk__in=granted)


def _case_read_q(staff: StaffMember) -> Q:
    from hearth.cases.models import CaseAccessGrant

    q = _NONE
    agency_q = Q(agency_id=staff.agency_id)
    roles = staff.role_set
    if Role.PROGRAM_DIRECTOR in roles:
        q |= agency_q
    if Role.INTAKE_COORDINATOR in roles:
        q |= agency_q & _UNRESTRICTED
    if Role.SUPERVISOR in roles and staff.unit_id:
        q |= agency_q & Q(unit_id=staff.unit_id)
    if Role.CASE_MANAGER in roles:
        own = agency_q & _current_assignment_q(staff)
        q |= own
        if staff.unit_id:
            q |= agency_q & Q(unit_id=staff.unit_id) & _UNRESTRICTED
    if Role.STATE_OVERSIGHT in roles:
        q |= _grant_q(staff, CaseAccessGrant.Purpose.OVERSIGHT)
    if Role.QA_REVIEWER in roles:
        q |= _grant_q(staff, CaseAccessGrant.Purpose.QA_REVIEW)
    # Staff named on a restricted case see it (whatever their role), while it is restricted.
    q |= agency_q & Q(restricted=True) & _grant_q(staff, CaseAccessGrant.Purpose.NAMED)
    return q


def _case_write_q(staff: StaffMember) -> Q:
    q = _NONE
    agency_q = Q(agency_id=staff.agency_id)
    roles = staff.role_set
    if Role.PROGRAM_DIRECTOR in roles:
        q |= agency_q
    if Role.INTAKE_COORDINATOR in roles:
        q |= agency_q & Q(status="referred") & _UNRESTRICTED
    if Role.SUPERVISOR in roles and staff.unit_id:
        q |= agency_q & Q(unit_id=staff.unit_id)
    if Role.CASE_MANAGER in roles:
        q |= agency_q & _current_assignment_q(staff)
    return q


def visible_cases(user) -> QuerySet:
    from hearth.cases.models import Case

    staff = staff_for(user)
    if staff is None:
        return Case.objects.none()
    return Case.objects.filter(_case_read_q(staff))


def editable_cases(user) -> QuerySet:
    from hearth.cases.models import Case

    staff = staff_for(user)
    if staff is None:
        return Case.objects.none()
    return Case.objects.filter(_case_write_q(staff))


def held_cases(user) -> QuerySet:
    """The cases the viewer holds as current primary case manager (their caseload): always
    a subset of visible_cases, read straight from the current-assignment index."""
    from hearth.cases.models import Assignment, Case

    staff = staff_for(user)
    if staff is None or not staff.has_role(Role.CASE_MANAGER):
        return Case.objects.none()
    held = Assignment.objects.filter(
        worker=staff, ends_on__isnull=True, kind=Assignment.Kind.PRIMARY
    ).values("case_id")
    return Case.objects.filter(agency_id=staff.agency_id, pk__in=held)


def access_case(user, case_id, *, for_edit: bool = False):
    """The case if the viewer may see it, else NotFound (naming the case in `refused` when
    it exists, for the access log); Forbidden if they may see it but `for_edit` asks for a
    change they may not make."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case = visible_cases(user).select_related("agency", "unit", "county").filter(pk=case_id).first()
    if case is None:
        from hearth.cases.models import Case

        exists = Case.objects.filter(pk=case_id).exists()
        raise NotFound(refused=("case", case_id, case_id) if exists else None)
    if for_edit and not can_edit_case(user, case):
        raise Forbidden()
    return case


def can_edit_case(user, case) -> bool:
    return editable_cases(user).filter(pk=case.pk).exists()


def can_assign_case(user, case) -> bool:
    """A2: inside the unit, the supervisor and the program director pick the case manager."""
    staff = staff_for(user)
    if staff is None or staff.agency_id != case.agency_id:
        return False
    if staff.has_role(Role.PROGRAM_DIRECTOR):
        return True
    return (
        staff.has_role(Role.SUPERVISOR)
        and case.unit_id is not None
        and case.unit_id == staff.unit_id
    )


def can_restrict_case(user, case) -> bool:
    """Restricting a case, lifting the restriction and naming staff on it: the agency's
    program director and the supervisor of the case's unit, who also assign it (A2)."""
    return can_assign_case(user, case)


def can_record_referrals(user) -> bool:
    """Intake: the intake coordinator and the program director record referrals."""
    staff = staff_for(user)
    return staff is not None and bool(
        staff.role_set & {Role.INTAKE_COORDINATOR, Role.PROGRAM_DIRECTOR}
    )


def can_route(user, case) -> bool:
    """A1: a program director may send a referral to another unit than the rules chose."""
    staff = staff_for(user)
    return (
        staff is not None
        and staff.agency_id == case.agency_id
        and staff.has_role(Role.PROGRAM_DIRECTOR)
    )


def can_manage_unit(user, unit: Unit) -> bool:
    """A6: the agency's program director, or the unit's supervisor, balances its caseloads."""
    staff = staff_for(user)
    if staff is None or staff.agency_id != unit.agency_id:
        return False
    if staff.has_role(Role.PROGRAM_DIRECTOR):
        return True
    return staff.has_role(Role.SUPERVISOR) and staff.unit_id == unit.pk


def can_see_unit_balance(user, unit: Unit) -> bool:
    """A2(a): a unit's loads are for those who balance them and the agency's intake."""
    staff = staff_for(user)
    if staff is None or staff.agency_id != unit.agency_id:
        return False
    return staff.has_role(Role.INTAKE_COORDINATOR) or can_manage_unit(user, unit)


def can_reassign_from(user, worker: StaffMember) -> bool:
    """A6: the program director, or the supervisor of the worker's unit, moves a worker's
    cases."""
    return worker.unit is not None and can_manage_unit(user, worker.unit)


# People -------------------------------------------------------------------------------

_PEOPLE_CREATORS = {
    Role.CASE_MANAGER,
    Role.SUPERVISOR,
    Role.PROGRAM_DIRECTOR,
    Role.INTAKE_COORDINATOR,
}


def _people_ids(user, cases: QuerySet, among: QuerySet | None = None) -> QuerySet:
    """Ids of the people in the given cases, plus (for roles that record people) the people
    the viewer's agency recorded who are in no case yet. One UNION subquery: the database
    builds the set once, then reads people by primary key. `among` (a query of person
    ids) limits both parts to those people, so a search does not build the whole set."""
    from hearth.cases.models import CaseMember
    from hearth.people.models import Person

    staff = staff_for(user)
    members = CaseMember.objects.filter(case__in=cases.values("pk"))
    if among is not None:
        members = members.filter(person_id__in=among)
    ids = members.order_by().values("person_id")
    if staff is not None and staff.role_set & _PEOPLE_CREATORS:
        # Someone the agency recorded who is in no case yet (a new referral's family).
        recorded = Person.objects.filter(recorded_by_agency_id=staff.agency_id)
        if among is not None:
            recorded = recorded.filter(pk__in=among)
        unlinked = (
            recorded.exclude(pk__in=CaseMember.objects.order_by().values("person_id"))
            .order_by()
            .values("pk")
        )
        ids = ids.union(unlinked)
    return ids


def visible_people(user, *, among: QuerySet | None = None) -> QuerySet:
    """The people the viewer may see; with `among` (a query of person ids), only those of
    them (a search's candidates), without building the viewer's whole set."""
    from hearth.people.models import Person

    if staff_for(user) is None:
        return Person.objects.none()
    return Person.objects.filter(pk__in=_people_ids(user, visible_cases(user), among))


def editable_people(user) -> QuerySet:
    from hearth.people.models import Person

    if staff_for(user) is None:
        return Person.objects.none()
    return Person.objects.filter(pk__in=_people_ids(user, editable_cases(user)))


def access_person(user, person_id, *, for_edit: bool = False):
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    person = visible_people(user).filter(pk=person_id).first()
    if person is None:
        from hearth.people.models import Person

        exists = Person.objects.filter(pk=person_id).exists()
        raise NotFound(refused=("person", person_id, None) if exists else None)
    if for_edit and not editable_people(user).filter(pk=person_id).exists():
        raise Forbidden()
    return person


def can_create_people(user) -> bool:
    staff = staff_for(user)
    return staff is not None and bool(staff.role_set & _PEOPLE_CREATORS)


# Staff and units ------------------------------------------------------------------------


def _sees_all_agencies(staff: StaffMember) -> bool:
    return staff.has_role(Role.ADMINISTRATOR) or staff.agency.kind == Agency.Kind.STATE_OVERSIGHT


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
    if staff.has_role(Role.ADMINISTRATOR):
        return Agency.objects.all()
    if staff.has_role(Role.PROGRAM_DIRECTOR):
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
