"""Schools of the case's children: the school of origin, a new school's enrolment (P3)."""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.core.api_common import (
    InputSchema,
    NamedRef,
    by_id,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import NotFound
from hearth.placements import services
from hearth.placements.api.common import CHILD_ROLES
from hearth.placements.models import SchoolEnrollment

router = Router()


class SchoolOut(Schema):
    id: int
    version: int
    child: NamedRef
    school_name: str
    district: str
    is_origin: bool
    latitude: Decimal | None
    longitude: Decimal | None
    enrolled_on: date | None
    left_on: date | None
    placement: int | None = Field(None, alias="placement_id")
    best_interest_reason: str

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class SchoolIn(InputSchema):
    child: int
    school_name: str = Field("", max_length=200, description="The school of origin")
    district: str = Field("", max_length=200)
    latitude: Decimal | None = Field(
        None, ge=-90, le=90, max_digits=9, decimal_places=6, description="P3: where the school is"
    )
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    enrolled_on: date | None = None
    enrolment_of: int | None = Field(
        None, description="A new school's enrolment id: record its enrolment date (P3)"
    )
    version: int | None = Field(
        None, description="With `enrolment_of`: the enrolment's version you read; 409 if it changed"
    )


@router.get(
    "/cases/{int:case_id}/schools",
    response=list[SchoolOut],
    summary="Schools of the case's children (P3)",
)
def list_schools(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    children = case.members.filter(role__in=CHILD_ROLES).values("person_id")
    log_api_view(request, case, case=case)
    return list(
        SchoolEnrollment.objects.filter(child__in=children)
        .select_related("child")
        .order_by("child_id", "enrolled_on", "id")
    )


@router.post(
    "/cases/{int:case_id}/schools",
    response={200: SchoolOut, 201: SchoolOut},
    summary="Record a school of origin (201) or a new school's enrolment date (200)",
)
def record_school(request, case_id: int, payload: SchoolIn, response: HttpResponse):
    """A school of origin is a new record; a new school's enrolment date changes the
    enrolment, so it needs the enrolment's version (`version` or If-Match)."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = visible_person(request, payload.child, "child")
    enrolment = by_id(
        SchoolEnrollment.objects.filter(child=child), payload.enrolment_of, "enrolment_of", "school"
    )
    version = expected_version(request, payload.version) if enrolment else None
    school = services.school_record(
        actor=request.user,
        case=case,
        child=child,
        school_name=payload.school_name,
        district=payload.district,
        enrolled_on=payload.enrolled_on,
        enrolment_of=enrolment,
        version=version,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    set_etag(response, school)
    return Status(200 if enrolment else 201, school)


class SchoolLocationIn(InputSchema):
    latitude: Decimal | None = Field(..., ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(..., ge=-180, le=180, max_digits=9, decimal_places=6)
    version: int | None = Field(None, description="The school's version you read.")


@router.post(
    "/cases/{int:case_id}/schools/{int:school_id}/location",
    response=SchoolOut,
    summary="Record where a school is (P3: the ranking counts the distance to it)",
)
def locate_school(
    request, case_id: int, school_id: int, payload: SchoolLocationIn, response: HttpResponse
):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    children = case.members.filter(role__in=CHILD_ROLES).values("person_id")
    school = (
        SchoolEnrollment.objects.select_related("child")
        .filter(pk=school_id, child__in=children)
        .first()
    )
    if school is None:
        raise NotFound()
    version = expected_version(request, payload.version)
    school = services.school_locate(
        actor=request.user,
        case=case,
        school=school,
        latitude=payload.latitude,
        longitude=payload.longitude,
        version=version,
    )
    set_etag(response, school)
    return school
