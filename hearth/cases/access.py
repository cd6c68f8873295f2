"""Case and people scoping: who sees and changes which cases, and the people in them.

Every page and every endpoint reads through these functions. A record a viewer may not
see is answered exactly like a record that does not exist (`NotFound`, a 404), so no
one learns that a child's record exists. A record the viewer may see but not change
raises `Forbidden` (a 403). People are seen through their cases.

Who sees which cases (union over the staff member's roles; each reach is a capability of
the one permission map, `hearth.staff.permissions`):
- case manager: the cases they hold (current assignment), and their unit's cases read-only
- supervisor: their unit's cases
- program director, intake coordinator: their agency's cases
- state oversight specialist: the cases assigned to them for oversight, a non-court case
  only once its closure has been recommended to the state (O1)
- state oversight supervisor: every case the state oversees (court-involved, or whose
  closure has been recommended), to route and balance them (O4)
- QA reviewer: the cases in their review sample, read-only
- administrator: reference data only, no case records
Contractor staff never see another agency's cases. A restricted case is seen only by its
assigned workers, the supervisor of its unit, the agency's program directors, the staff
named on it (read-only) and the state staff granted it (docs/adr/0010-restricted-cases.md).
"""

from django.db.models import Q, QuerySet

from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseMember
from hearth.core.errors import Forbidden, NotFound
from hearth.people.models import Person
from hearth.staff.access import staff_for
from hearth.staff.models import StaffMember
from hearth.staff.permissions import can

_NONE = Q(pk__in=[])
# A restricted case is closed to the agency at large: only its assigned workers, the
# supervisor of its unit, the program directors and the staff named on it see it.
_UNRESTRICTED = Q(restricted=False)
# O1: the state sees a non-court case's content only from its closure recommendation; a
# court-involved case (O2) from the start.
OVERSEEN = Q(court_involved=True) | Q(closure_recommended_on__isnull=False)


def _current_assignment_q(staff: StaffMember) -> Q:
    held = Assignment.objects.filter(worker=staff, ends_on__isnull=True).values("case_id")
    return Q(pk__in=held)


def _grant_q(staff: StaffMember, purpose: str) -> Q:
    granted = CaseAccessGrant.objects.filter(
        staff=staff, purpose=purpose, ends_on__isnull=True
    ).values("case_id")
    return Q(pk__in=granted)


def _case_read_q(staff: StaffMember) -> Q:
    q = _NONE
    agency_q = Q(agency_id=staff.agency_id)
    if can(staff, "case.read_agency"):
        q |= agency_q
    if can(staff, "case.read_agency_unrestricted"):
        q |= agency_q & _UNRESTRICTED
    if can(staff, "case.read_unit") and staff.unit_id:
        q |= agency_q & Q(unit_id=staff.unit_id)
    if can(staff, "case.hold"):
        q |= agency_q & _current_assignment_q(staff)
    if can(staff, "case.read_unit_unrestricted") and staff.unit_id:
        q |= agency_q & Q(unit_id=staff.unit_id) & _UNRESTRICTED
    if can(staff, "case.read_oversight_grant"):
        q |= OVERSEEN & _grant_q(staff, CaseAccessGrant.Purpose.OVERSIGHT)
    if can(staff, "case.read_oversight_all"):
        q |= OVERSEEN
    if can(staff, "case.read_qa_grant"):
        q |= _grant_q(staff, CaseAccessGrant.Purpose.QA_REVIEW)
    # Staff named on a restricted case see it (whatever their role), while it is restricted.
    q |= agency_q & Q(restricted=True) & _grant_q(staff, CaseAccessGrant.Purpose.NAMED)
    return q


def _case_write_q(staff: StaffMember) -> Q:
    q = _NONE
    agency_q = Q(agency_id=staff.agency_id)
    if can(staff, "case.write_agency"):
        q |= agency_q
    if can(staff, "case.write_referred"):
        q |= agency_q & Q(status="referred") & _UNRESTRICTED
    if can(staff, "case.write_unit") and staff.unit_id:
        q |= agency_q & Q(unit_id=staff.unit_id)
    if can(staff, "case.hold"):
        q |= agency_q & _current_assignment_q(staff)
    return q


def visible_cases(user) -> QuerySet:
    staff = staff_for(user)
    if staff is None:
        return Case.objects.none()
    return Case.objects.filter(_case_read_q(staff))


def editable_cases(user) -> QuerySet:
    staff = staff_for(user)
    if staff is None:
        return Case.objects.none()
    return Case.objects.filter(_case_write_q(staff))


def held_cases(user) -> QuerySet:
    """The cases the viewer holds as current primary case manager (their caseload): always
    a subset of visible_cases, read straight from the current-assignment index."""
    staff = staff_for(user)
    if staff is None or not can(staff, "case.hold"):
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
    if can(staff, "case.assign_agency"):
        return True
    return (
        can(staff, "case.assign_unit")
        and case.unit_id is not None
        and case.unit_id == staff.unit_id
    )


def can_restrict_case(user, case) -> bool:
    """Restricting a case, lifting the restriction and naming staff on it: the agency's
    program director and the supervisor of the case's unit, who also assign it (A2)."""
    return can_assign_case(user, case)


# People: seen through their cases -------------------------------------------------


def _people_ids(user, cases: QuerySet, among: QuerySet | None = None) -> QuerySet:
    """Ids of the people in the given cases, plus (for roles that record people) the people
    the viewer's agency recorded who are in no case yet. One UNION subquery: the database
    builds the set once, then reads people by primary key. `among` (a query of person
    ids) limits both parts to those people, so a search does not build the whole set."""
    from hearth.people.models import Person

    staff = staff_for(user)
    members = CaseMember.objects.filter(case__in=cases.values("pk"))
    if among is not None:
        members = members.filter(person_id__in=among)
    ids = members.order_by().values("person_id")
    if can(staff, "person.create"):
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
    if staff_for(user) is None:
        return Person.objects.none()
    return Person.objects.filter(pk__in=_people_ids(user, visible_cases(user), among))


def editable_people(user) -> QuerySet:
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
        exists = Person.objects.filter(pk=person_id).exists()
        raise NotFound(refused=("person", person_id, None) if exists else None)
    if for_edit and not editable_people(user).filter(pk=person_id).exists():
        raise Forbidden()
    return person


def can_create_people(user) -> bool:
    staff = staff_for(user)
    return can(staff, "person.create")
