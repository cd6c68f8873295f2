"""Case endpoints: /api/v1/cases, members, assignments, status and history."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.cases import selectors, services
from hearth.cases.models import Case, CaseAccessGrant, CaseMember
from hearth.core.api_common import (
    Code,
    InputSchema,
    LoggedPages,
    by_code,
    by_codes,
    by_id,
    codes,
    expected_version,
    log_api_view,
    refuse_nulls,
    set_etag,
)
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.reference.models import County, Language
from hearth.staff import access as staff_access

router = Router(tags=["cases"])

# Case.GenderPreference's values, or "" for none stated (one literal: clear 422 messages).
GenderPreferenceIn = Literal["", "female", "male", "nonbinary"]


class WorkerRef(Schema):
    id: int
    name: str


class CaseOut(Schema):
    id: int
    version: int
    case_number: str
    agency: str
    unit: int | None = Field(None, alias="unit_id")
    county: str
    case_type: str
    court_involved: bool
    out_of_county: bool
    icpc: bool
    complexity: int
    status: str
    opened_on: date
    closed_on: date | None
    prior_case: int | None = Field(None, alias="prior_case_id")
    substance_abuse: bool
    domestic_violence: bool
    developmentally_delayed_parent: bool
    teenager_in_home: bool
    languages: list[str]
    culture: str
    gender_preference: str
    address_line1: str
    city: str
    postal_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    restricted: bool = Field(
        ...,
        description="Only the assigned workers, the unit's supervisor, the program "
        "directors and named staff may open it",
    )
    current_worker: WorkerRef | None

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code

    @staticmethod
    def resolve_county(obj):
        return obj.county.code

    @staticmethod
    def resolve_languages(obj):
        return codes(obj.languages)

    @staticmethod
    def resolve_current_worker(obj):
        if getattr(obj, "worker_id", None) is None:
            return None
        return {"id": obj.worker_id, "name": f"{obj.worker_first_name} {obj.worker_last_name}"}


class MemberOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    person: int = Field(..., alias="person_id")
    person_name: str
    role: str
    in_household: bool
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.full_name


class CaseDetailOut(CaseOut):
    members: list[MemberOut] = Field(..., alias="current_members")


class CaseFields(InputSchema):
    county: Code | None = Field(None, description="County code")
    case_type: Case.Type | None = None
    unit: int | None = Field(None, description="Unit id (your agency's)")
    court_involved: bool | None = None
    out_of_county: bool | None = None
    icpc: bool | None = None
    complexity: Case.Complexity | None = None
    substance_abuse: bool | None = None
    domestic_violence: bool | None = None
    developmentally_delayed_parent: bool | None = None
    teenager_in_home: bool | None = None
    languages: list[Code] | None = None
    culture: str | None = Field(None, max_length=200)
    gender_preference: GenderPreferenceIn | None = Field(
        None, description="The family's stated preference for the case manager's gender (A2 f)"
    )
    address_line1: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    postal_code: str | None = Field(None, max_length=10)
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)


class CaseIn(CaseFields):
    county: Code = Field(..., description="County code")
    case_type: Case.Type
    opened_on: date | None = Field(None, description="Referral date; today if omitted")
    prior_case: int | None = Field(None, description="The family's closed case, when re-opened")


class CasePatch(CaseFields):
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


class StatusIn(InputSchema):
    status: Case.Status
    on: date | None = None
    version: int | None = None


class MemberIn(InputSchema):
    person: int
    role: CaseMember.Role
    in_household: bool = True
    starts_on: date | None = None


class MemberPatch(InputSchema):
    version: int | None = None
    role: CaseMember.Role | None = None
    in_household: bool | None = None
    ends_on: date | None = None


class AssignmentOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    worker: WorkerRef
    unit: int = Field(..., alias="unit_id")
    kind: str
    starts_on: date
    ends_on: date | None
    assigned_by: WorkerRef | None
    reason: str
    override_reason: str
    limit_override_reason: str = Field(
        ..., description="A2: a program director's reason to assign above capacity"
    )
    end_reason: str

    @staticmethod
    def resolve_worker(obj):
        return {"id": obj.worker_id, "name": obj.worker.full_name}

    @staticmethod
    def resolve_assigned_by(obj):
        if obj.assigned_by is None:
            return None
        return {"id": obj.assigned_by_id, "name": obj.assigned_by.full_name}


class HistoryOut(Schema):
    at: datetime
    who: str
    what: str
    action: str
    changes: list[tuple[str, str, str]]
    reason: str


class RestrictionIn(InputSchema):
    restricted: bool
    reason: str = Field(..., min_length=1, max_length=2000, description="Why, kept in history")
    version: int | None = None


class NamedStaffIn(InputSchema):
    staff: int = Field(..., description="Staff id: an active staff member of the case's agency")
    reason: str = Field(..., min_length=1, max_length=2000, description="Why, kept in history")


class NamedStaffEndIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=2000, description="Why, kept in history")


class NamedStaffOut(Schema):
    id: int
    staff: WorkerRef
    starts_on: date
    ends_on: date | None
    named_by: WorkerRef | None
    reason: str
    end_reason: str

    @staticmethod
    def resolve_staff(obj):
        return {"id": obj.staff_id, "name": obj.staff.full_name}

    @staticmethod
    def resolve_named_by(obj):
        if obj.granted_by is None:
            return None
        return {"id": obj.granted_by_id, "name": obj.granted_by.full_name}


def _cases(qs):
    return selectors.with_current_worker(
        qs.select_related("agency", "county").prefetch_related(
            Prefetch("languages", queryset=Language.objects.only("code"))
        )
    )


def _one(case_id: int):
    return _cases(Case.objects.filter(pk=case_id)).get()


def resolve_case_fields(request, data: dict) -> dict:
    """A case's input with reference codes and ids turned into rows (422 naming the
    field for an unknown one); used by intake's create too (hearth.intake.api.cases)."""
    if "county" in data:
        data["county"] = by_code(County, data["county"], "county")
        if data["county"] is None:
            raise DomainError({"county": "A case needs a county."})
    if "languages" in data:
        data["languages"] = by_codes(Language, data["languages"], "languages") or []
    if "unit" in data:
        data["unit"] = by_id(staff_access.visible_units(request.user), data["unit"], "unit", "unit")
    for text in ("culture", "gender_preference", "address_line1", "city", "postal_code"):
        if text in data and data[text] is None:
            data[text] = ""
    refuse_nulls(
        data,
        (
            "court_involved",
            "out_of_county",
            "icpc",
            "substance_abuse",
            "domestic_violence",
            "developmentally_delayed_parent",
            "teenager_in_home",
            "case_type",
            "complexity",
        ),
    )
    return data


@router.get("/cases", response=list[CaseOut], summary="List the cases you may see")
@paginate(LoggedPages)
def list_cases(
    request,
    status: Case.Status | None = None,
    case_type: Case.Type | None = None,
    unit: int | None = None,
    worker: int | None = None,
    q: str | None = Query(None, max_length=200),
    include_closed: bool = False,
):
    filters = {
        "status": status,
        "case_type": case_type,
        "unit": unit,
        "worker": worker,
        "q": q,
        "include_closed": include_closed,
    }
    qs = selectors.case_list(viewer=request.user, filters=filters)
    return _cases(qs)


def case_detail_out(request, case_id, response, *, log=True):
    """The case as its detail schema reads it, with its ETag; logged as a view unless
    the caller has just written it."""
    case = case_access.access_case(request.user, case_id)
    out = _one(case.pk)
    out.current_members = list(
        case.members.filter(ends_on__isnull=True).select_related("person").order_by("role", "id")
    )
    if log:
        log_api_view(request, case, case=case)
    set_etag(response, out)
    return out


@router.get("/cases/{int:case_id}", response=CaseDetailOut, summary="Read a case")
def get_case(request, case_id: int, response: HttpResponse):
    return case_detail_out(request, case_id, response)


@router.patch("/cases/{int:case_id}", response=CaseDetailOut, summary="Change a case")
def update_case(request, case_id: int, payload: CasePatch, response: HttpResponse):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    data = resolve_case_fields(request, data)
    services.case_update(actor=request.user, case=case, version=version, **data)
    return case_detail_out(request, case.pk, response, log=False)


@router.post("/cases/{int:case_id}/status", response=CaseDetailOut, summary="Change status")
def change_status(request, case_id: int, payload: StatusIn, response: HttpResponse):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    services.case_change_status(
        actor=request.user,
        case=case,
        status=payload.status,
        on=payload.on,
        version=expected_version(request, payload.version),
    )
    return case_detail_out(request, case.pk, response, log=False)


@router.get("/cases/{int:case_id}/members", response=list[MemberOut], summary="Case members")
def list_members(request, case_id: int, include_past: bool = True):
    case = case_access.access_case(request.user, case_id)
    qs = case.members.select_related("person").order_by("ends_on", "role", "id")
    if not include_past:
        qs = qs.filter(ends_on__isnull=True)
    log_api_view(request, case, case=case)
    return list(qs)


@router.post("/cases/{int:case_id}/members", response={201: MemberOut}, summary="Add a member")
def add_member(request, case_id: int, payload: MemberIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    person = by_id(case_access.visible_people(request.user), payload.person, "person", "person")
    member = services.case_member_add(
        actor=request.user,
        case=case,
        person=person,
        role=payload.role,
        in_household=payload.in_household,
        starts_on=payload.starts_on,
    )
    return Status(201, member)


@router.patch("/case-members/{int:member_id}", response=MemberOut, summary="Change a member")
def update_member(request, member_id: int, payload: MemberPatch, response: HttpResponse):
    member = (
        CaseMember.objects.filter(pk=member_id, case__in=case_access.visible_cases(request.user))
        .select_related("person")
        .first()
    )
    if member is None:
        raise NotFound()
    case_access.access_case(request.user, member.case_id, for_edit=True)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    refuse_nulls(data, ("role", "in_household"))
    member = services.case_member_update(actor=request.user, member=member, version=version, **data)
    member.person  # noqa: B018 - loaded for the response
    set_etag(response, member)
    return member


@router.get(
    "/cases/{int:case_id}/assignments", response=list[AssignmentOut], summary="Assignment history"
)
def list_assignments(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    log_api_view(request, case, case=case)
    return list(
        case.assignments.select_related("worker", "assigned_by").order_by("-starts_on", "-id")
    )


@router.get("/cases/{int:case_id}/history", response=list[HistoryOut], summary="Change history")
def history(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    log_api_view(request, case, case=case)
    return selectors.case_history(case=case)


# Restricted cases (docs/adr/0010-restricted-cases.md) ----------------------------------


def _restricting(request, case_id: int) -> Case:
    """The case, for the program director or the supervisor of its unit (403 for others
    who see it, 404 for those who do not)."""
    case = case_access.access_case(request.user, case_id)
    if not case_access.can_restrict_case(request.user, case):
        raise Forbidden()
    return case


@router.post(
    "/cases/{int:case_id}/restriction",
    response=CaseDetailOut,
    summary="Restrict a case, or lift its restriction",
)
def set_restriction(request, case_id: int, payload: RestrictionIn, response: HttpResponse):
    case = _restricting(request, case_id)
    services.case_set_restricted(
        actor=request.user,
        case=case,
        restricted=payload.restricted,
        reason=payload.reason,
        version=expected_version(request, payload.version),
    )
    return case_detail_out(request, case.pk, response, log=False)


@router.get(
    "/cases/{int:case_id}/named-staff",
    response=list[NamedStaffOut],
    summary="The staff named on a restricted case",
)
def list_named_staff(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    log_api_view(request, case, case=case)
    return list(selectors.named_staff(case=case))


@router.post(
    "/cases/{int:case_id}/named-staff",
    response={201: NamedStaffOut},
    summary="Name a staff member on a restricted case",
)
def name_staff(request, case_id: int, payload: NamedStaffIn):
    case = _restricting(request, case_id)
    staff = by_id(staff_access.visible_staff(request.user), payload.staff, "staff", "staff member")
    grant = services.case_name_staff(
        actor=request.user,
        named_by=staff_access.staff_for(request.user),
        case=case,
        staff=staff,
        reason=payload.reason,
    )
    return Status(
        201, CaseAccessGrant.objects.select_related("staff", "granted_by").get(pk=grant.pk)
    )


@router.post(
    "/cases/{int:case_id}/named-staff/{int:staff_id}/end",
    response=NamedStaffOut,
    summary="Remove a staff member named on a restricted case",
)
def unname_staff(request, case_id: int, staff_id: int, payload: NamedStaffEndIn):
    case = _restricting(request, case_id)
    staff = by_id(staff_access.visible_staff(request.user), staff_id, "staff", "staff member")
    grant = services.case_unname_staff(
        actor=request.user, case=case, staff=staff, reason=payload.reason
    )
    return CaseAccessGrant.objects.select_related("staff", "granted_by").get(pk=grant.pk)
