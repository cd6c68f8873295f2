"""Staff and unit endpoints: /api/v1/staff, /api/v1/units."""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpResponse
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from hearth.core.api_common import (
    Code,
    InputSchema,
    Pagination,
    by_code,
    by_codes,
    by_id,
    codes,
    expected_version,
    refuse_nulls,
    set_etag,
    unique_list,
)
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.reference.models import County, Language, Skill
from hearth.staff import access as staff_access
from hearth.staff import services
from hearth.staff.models import Agency, Role, StaffMember, Unit

router = Router(tags=["staff and units"])

NOT_A_GRANTER = (
    "Only an administrator, or the program director of the staff member's agency, "
    "grants roles and changes a status."
)


class UnitOut(Schema):
    id: int
    version: int
    agency: str
    name: str
    kind: str
    counties: list[str]
    active: bool

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code

    @staticmethod
    def resolve_counties(obj):
        return codes(obj.counties)


class UnitIn(InputSchema):
    agency: str | None = Field(None, max_length=20, description="Agency code; yours if omitted")
    name: str = Field(..., min_length=1, max_length=200)
    kind: Unit.Kind
    counties: list[Code] = []
    active: bool = True


class UnitPatch(InputSchema):
    version: int | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Unit.Kind | None = None
    counties: list[Code] | None = None
    active: bool | None = None


class StaffOut(Schema):
    id: int
    version: int
    username: str
    agency: str
    unit: int | None = Field(None, alias="unit_id")
    first_name: str
    last_name: str
    roles: list[str]
    hire_date: date
    preservice_training_completed_on: date | None
    experience_level: int
    supervision_level: int
    skills: list[str]
    languages: list[str]
    gender: str
    culture: str
    office_county: str | None
    office_latitude: Decimal | None
    office_longitude: Decimal | None
    status: str
    departed_on: date | None

    @staticmethod
    def resolve_username(obj):
        return obj.user.username

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code

    @staticmethod
    def resolve_roles(obj):
        return sorted(r.role for r in obj.roles.all())

    @staticmethod
    def resolve_skills(obj):
        return codes(obj.skills)

    @staticmethod
    def resolve_languages(obj):
        return codes(obj.languages)

    @staticmethod
    def resolve_office_county(obj):
        return obj.office_county.code if obj.office_county else None


class StaffFields(InputSchema):
    unit: int | None = None
    preservice_training_completed_on: date | None = None
    experience_level: StaffMember.Experience | None = None
    supervision_level: StaffMember.Supervision | None = None
    skills: list[Code] | None = None
    languages: list[Code] | None = None
    gender: StaffMember.Gender | None = None
    culture: str | None = Field(None, max_length=200)
    office_county: Code | None = None
    office_latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    office_longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)


class StaffIn(StaffFields):
    username: str = Field(..., min_length=1, max_length=150)
    email: str = Field("", max_length=254)
    agency: str | None = Field(None, max_length=20, description="Agency code; yours if omitted")
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    roles: unique_list(Role) = Field(..., min_length=1)
    hire_date: date


class StaffPatch(StaffFields):
    version: int | None = None
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    roles: unique_list(Role) | None = None
    hire_date: date | None = None
    status: StaffMember.Status | None = None
    departed_on: date | None = None


def _units(qs):
    return qs.select_related("agency").prefetch_related(
        Prefetch("counties", queryset=County.objects.only("code"))
    )


def _staff(qs):
    return qs.select_related("agency", "user", "office_county").prefetch_related(
        "roles",
        Prefetch("skills", queryset=Skill.objects.only("code")),
        Prefetch("languages", queryset=Language.objects.only("code")),
    )


def _agency(request, code: str | None) -> Agency:
    managed = staff_access.managed_agencies(request.user)
    if code is None:
        staff = staff_access.staff_for(request.user)
        agency = managed.filter(pk=staff.agency_id).first() if staff else None
        if agency is None:
            raise Forbidden()
        return agency
    agency = managed.filter(code=code).first()
    if agency is None:
        if not managed.exists():
            raise Forbidden()
        raise DomainError({"agency": "Unknown agency, or not one you manage."})
    return agency


def _resolve_staff(request, data: dict, agency_id: int) -> dict:
    if "unit" in data and data["unit"] is not None:
        data["unit"] = by_id(Unit.objects.filter(agency_id=agency_id), data["unit"], "unit", "unit")
    if "office_county" in data:
        data["office_county"] = by_code(County, data["office_county"], "office_county")
    for field, model in (("skills", Skill), ("languages", Language)):
        if field in data:
            data[field] = by_codes(model, data[field], field)
    refuse_nulls(
        data,
        (
            "experience_level",
            "supervision_level",
            "gender",
            "culture",
            "first_name",
            "last_name",
            "hire_date",
            "status",
        ),
    )
    return data


class PolicyOut(Schema):
    agency: str
    overrides: dict
    effective: dict


class PolicyIn(InputSchema):
    overrides: dict = Field(
        ..., description="Setting name -> value, where the agency departs from the defaults"
    )
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


def _policy(agency: Agency) -> dict:
    return {
        "agency": agency.code,
        "overrides": agency.policy_overrides,
        "effective": agency.policy.as_dict(),
    }


@router.get("/agencies/{code}/policy", response=PolicyOut, summary="An agency's policy settings")
def get_policy(request, response: HttpResponse, code: str = Path(..., max_length=20)):
    """The jurisdiction settings in force (docs/policy-settings.md): the defaults with the
    agency's overrides. Any staff member of the agency may read them."""
    staff = staff_access.staff_for(request.user)
    agency = Agency.objects.filter(code=code).first()
    visible = staff is not None and agency is not None and (
        staff.agency_id == agency.pk or staff_access.managed_agencies(request.user).filter(
            pk=agency.pk).exists()
    )  # fmt: skip
    if not visible:
        raise NotFound()
    set_etag(response, agency)
    return _policy(agency)


@router.put(
    "/agencies/{code}/policy", response=PolicyOut, summary="Set an agency's policy overrides"
)
def set_policy(
    request, payload: PolicyIn, response: HttpResponse, code: str = Path(..., max_length=20)
):
    """Replace the agency's overrides (its program director or an administrator). Unknown
    settings and wrong values are refused with the reason; nothing changes."""
    agency = _agency(request, code)
    agency = services.agency_set_policy(
        actor=request.user,
        agency=agency,
        overrides=payload.overrides,
        version=expected_version(request, payload.version),
    )
    set_etag(response, agency)
    return _policy(agency)


@router.get("/units", response=list[UnitOut], summary="List units")
@paginate(Pagination)
def list_units(request):
    return _units(staff_access.visible_units(request.user).order_by("agency__name", "name"))


@router.post("/units", response={201: UnitOut}, summary="Create a unit")
def create_unit(request, payload: UnitIn):
    agency = _agency(request, payload.agency)
    unit = services.unit_create(
        actor=request.user,
        agency=agency,
        name=payload.name.strip(),
        kind=payload.kind,
        counties=by_codes(County, payload.counties, "counties"),
        active=payload.active,
    )
    return Status(201, _units(Unit.objects.filter(pk=unit.pk)).get())


@router.get("/units/{int:unit_id}", response=UnitOut, summary="Read a unit")
def get_unit(request, unit_id: int, response: HttpResponse):
    unit = staff_access.access_unit(request.user, unit_id)
    set_etag(response, unit)
    return _units(Unit.objects.filter(pk=unit.pk)).get()


@router.patch("/units/{int:unit_id}", response=UnitOut, summary="Change a unit")
def update_unit(request, unit_id: int, payload: UnitPatch, response: HttpResponse):
    unit = staff_access.access_unit(request.user, unit_id, for_edit=True)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    if "counties" in data:
        data["counties"] = by_codes(County, data["counties"], "counties")
    refuse_nulls(data, ("name", "kind", "active"))
    unit = services.unit_update(actor=request.user, unit=unit, version=version, **data)
    set_etag(response, unit)
    return _units(Unit.objects.filter(pk=unit.pk)).get()


@router.get("/staff", response=list[StaffOut], summary="List staff")
@paginate(Pagination)
def list_staff(request, unit: int | None = None, role: Role | None = None):
    qs = staff_access.visible_staff(request.user)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if role is not None:
        qs = qs.filter(roles__role=role)
    return _staff(qs.order_by("last_name", "first_name", "id"))


def _refuse_grants(data: dict, reason: str) -> None:
    """A refused change of roles or status names the field (hearth.policy.grants)."""
    fields = [f for f in ("roles", "status") if f in data]
    if fields:
        raise services.GrantRefused(dict.fromkeys(fields, reason))


@router.post("/staff", response={201: StaffOut}, summary="Create a staff member")
def create_staff(request, payload: StaffIn):
    """Roles are granted within the creator's own powers (docs/access.md, "Granting
    roles"); beyond them the answer is 403 naming `roles`, and nothing is created."""
    data = payload.dict(exclude_unset=True)
    try:
        agency = _agency(request, payload.agency)
    except Forbidden:
        _refuse_grants(data, NOT_A_GRANTER)
        raise
    data.pop("agency", None)
    data = _resolve_staff(request, data, agency.pk)
    member = services.staff_create(actor=request.user, agency=agency, **data)
    return Status(201, _staff(StaffMember.objects.filter(pk=member.pk)).get())


@router.get("/staff/{int:staff_id}", response=StaffOut, summary="Read a staff member")
def get_staff(request, staff_id: int, response: HttpResponse):
    member = staff_access.access_staff(request.user, staff_id)
    set_etag(response, member)
    return _staff(StaffMember.objects.filter(pk=member.pk)).get()


@router.patch("/staff/{int:staff_id}", response=StaffOut, summary="Change a staff member")
def update_staff(request, staff_id: int, payload: StaffPatch, response: HttpResponse):
    """A change of roles or status is checked against your own powers (docs/access.md,
    "Granting roles"): 403 naming `roles` or `status` when it is beyond them, 422 when
    no one may make it (a role that does not fit the agency, the last administrator)."""
    data = payload.dict(exclude_unset=True)
    try:
        member = staff_access.access_staff(request.user, staff_id, for_edit=True)
    except Forbidden:
        _refuse_grants(data, NOT_A_GRANTER)
        raise
    version = expected_version(request, data.pop("version", None))
    data = _resolve_staff(request, data, member.agency_id)
    member = services.staff_update(actor=request.user, member=member, version=version, **data)
    set_etag(response, member)
    return _staff(StaffMember.objects.filter(pk=member.pk)).get()
