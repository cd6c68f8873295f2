"""Schools: the school of origin, and a move of school with a placement (P3)."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from hearth.cases import events
from hearth.cases.models import Case
from hearth.core.errors import DomainError
from hearth.core.services import lock, not_future, validated_save
from hearth.people.models import Person
from hearth.placements.models import Placement, SchoolEnrollment
from hearth.placements.services.common import check_child


def _school_for_placement(*, actor, placement, name, enrolled_on, reason) -> None:
    """P3: a move of school records the best-interest reason and the enrolment date."""
    if placement.school != Placement.School.CHANGES:
        if name:
            raise DomainError(
                {"school": "A new school is given only when the child changes school."}
            )
        return
    if not name.strip():
        raise DomainError({"new_school_name": "Name the new school."})
    if not reason.strip():
        raise DomainError(
            {
                "best_interest_reason": "P3: the child stays in the school of origin unless that "
                "is not in their best interest; record why."
            }
        )
    if enrolled_on is not None:
        not_future("new_school_enrolled_on", enrolled_on, "An enrolment")
        if enrolled_on < placement.starts_on:
            raise DomainError({"new_school_enrolled_on": "The enrolment follows the placement."})
    current = SchoolEnrollment.objects.filter(child=placement.child, left_on__isnull=True).first()
    if current is not None:
        left = placement.starts_on
        if current.enrolled_on and left < current.enrolled_on:
            left = current.enrolled_on
        current.left_on = left
        current.bump_version()
        validated_save(current, actor=actor)
    validated_save(
        SchoolEnrollment(
            child=placement.child,
            school_name=name,
            enrolled_on=enrolled_on,
            placement=placement,
            best_interest_reason=reason,
        ),
        actor=actor,
    )
    events.school_changed(
        placement.episode.case, actor=actor, child=placement.child_id, reason=reason
    )


@transaction.atomic
def school_record(
    *,
    actor,
    case: Case,
    child: Person,
    school_name: str,
    district: str = "",
    enrolled_on: date | None = None,
    enrolment_of: SchoolEnrollment | None = None,
    version: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> SchoolEnrollment:
    """Record the child's school of origin (the school at removal) with its location
    (P3: the ranking counts a home's distance to it), or the enrolment date of a new
    school once known (`enrolment_of`)."""
    check_child(case, child)
    if enrolled_on is not None:
        not_future("enrolled_on", enrolled_on, "An enrolment")
    if enrolment_of is not None:
        school = lock(SchoolEnrollment, enrolment_of.pk)
        school.check_version(version)
        if school.child_id != child.pk or school.enrolled_on is not None:
            raise DomainError({"enrolled_on": "This enrolment date is already recorded."})
        if enrolled_on is None or (school.placement and enrolled_on < school.placement.starts_on):
            raise DomainError({"enrolled_on": "Give the enrolment date, on or after the move."})
        school.enrolled_on = enrolled_on
        school.bump_version()
        validated_save(school, actor=actor)
        return school
    if not school_name.strip():
        raise DomainError({"school_name": "Name the school."})
    if SchoolEnrollment.objects.filter(child=child, is_origin=True).exists():
        raise DomainError({"school_name": "The child's school of origin is already recorded."})
    school = SchoolEnrollment(
        child=child,
        school_name=school_name,
        district=district,
        enrolled_on=enrolled_on,
        is_origin=True,
    )
    _locate(school, latitude, longitude)
    validated_save(school, actor=actor)
    return school


def _locate(school: SchoolEnrollment, latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise DomainError(
            {
                "longitude" if longitude is None else "latitude": "Give both the latitude and "
                "the longitude of the school, or neither."
            }
        )
    if latitude is not None and not -90 <= latitude <= 90:
        raise DomainError({"latitude": "A latitude is between -90 and 90."})
    if longitude is not None and not -180 <= longitude <= 180:
        raise DomainError({"longitude": "A longitude is between -180 and 180."})
    school.latitude, school.longitude = latitude, longitude


@transaction.atomic
def school_locate(
    *,
    actor,
    case: Case,
    school: SchoolEnrollment,
    latitude: Decimal | None,
    longitude: Decimal | None,
    version: int | None = None,
) -> SchoolEnrollment:
    """P3: record (or correct) where a school of the child is, so that the ranking of
    placement options counts each home's distance to the school of origin."""
    check_child(case, school.child)
    school = lock(SchoolEnrollment, school.pk)
    school.check_version(version)
    _locate(school, latitude, longitude)
    school.bump_version()
    validated_save(school, actor=actor)
    return school
