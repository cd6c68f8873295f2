"""The resource directory and a child's ranked placement options (P2, P3, ICWA)."""

from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.core import audit
from hearth.core.api_common import (
    Code,
    InputSchema,
    NamedRef,
    Pagination,
    by_code,
    by_codes,
    by_id,
    codes,
    expected_version,
    log_api_view,
    refuse_nulls,
    set_etag,
    unique_list,
)
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.services import today
from hearth.placements import access, selectors, services
from hearth.placements.api.common import CHILD_ROLES
from hearth.placements.models import (
    GenderAccepted,
    Need,
    RemovalEpisode,
    ResourceHome,
    ResourceParent,
    Setting,
)
from hearth.policy import placement as rules
from hearth.policy.settings import DEFAULTS
from hearth.reference.models import County, Language, Tribe
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

router = Router()


class HomeOut(Schema):
    id: int
    version: int
    name: str
    agency: str | None
    setting: str
    level: int | None
    licence_number: str
    licensed_on: date | None
    licence_expires_on: date | None
    licence_state: str | None = Field(
        None, description='"expired", "expiring" (within the agency\'s warning days) or null'
    )
    manager: NamedRef | None
    phone: str
    capacity: int
    occupancy: int
    has_room: bool
    min_age: int
    max_age: int
    gender_accepted: GenderAccepted
    sibling_group_max: int = Field(..., description="The largest sibling group taken together")
    needs_served: list[str]
    languages: list[str]
    tribes_approving: list[str]
    indian_operated: bool
    address_line1: str
    city: str
    state: str
    county: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    active: bool

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code if obj.agency_id else None

    @staticmethod
    def resolve_level(obj):
        return rules.setting_level(obj.setting)

    @staticmethod
    def resolve_has_room(obj):
        return obj.occupancy < obj.capacity

    @staticmethod
    def resolve_licence_state(obj):
        policy = obj.agency.policy if obj.agency_id else DEFAULTS
        return rules.licence_status(
            obj.licence_expires_on, today=today(), warn_days=policy.licence_warning_days
        )

    @staticmethod
    def resolve_manager(obj):
        if not obj.manager_id:
            return None
        return {"id": obj.manager_id, "name": str(obj.manager)}

    @staticmethod
    def resolve_languages(obj):
        return codes(obj.languages)

    @staticmethod
    def resolve_tribes_approving(obj):
        return codes(obj.tribes_approving)

    @staticmethod
    def resolve_county(obj):
        return obj.county.code if obj.county_id else None


class OptionOut(Schema):
    key: str = Field(..., description='"home:ID" or "relative:PERSON_ID": the `choice` to place')
    name: str
    setting: str
    level: int = Field(..., description="P2: 1 relative home ... 5 correctional facility")
    level_label: str
    icwa_category: int | None = Field(
        None, description="ICWA placement preference category (1-5); null when ICWA does not apply"
    )
    icwa_label: str | None
    km_parents: float | None
    km_school: float | None
    km: float | None = Field(None, description="Mean of the distances to parents and school")
    capacity: int | None
    occupancy: int
    available: bool
    full: bool
    notes: list[str]
    problems: list[str] = Field(..., description="Why the option does not fit the child")


@router.get("/resource-homes", response=list[HomeOut], summary="The resource directory")
@paginate(Pagination)
def list_resource_homes(
    request,
    setting: Setting | None = None,
    county: str | None = Query(None, max_length=40, description="County code"),
    has_room: bool | None = Query(None, description="Current occupancy below capacity"),
    include_inactive: bool = False,
):
    """Licensed homes and facilities with their capacity and current occupancy. Any
    staff member may read the directory; it holds no case records."""
    if staff_access.staff_for(request.user) is None:
        raise Forbidden()
    homes = ResourceHome.objects.all()
    if not include_inactive:
        homes = homes.filter(active=True)
    if setting is not None:
        homes = homes.filter(setting=setting)
    if county is not None:
        homes = homes.filter(county=by_code(County, county, "county"))
    homes = selectors.with_occupancy(homes)
    if has_room is True:
        homes = homes.filter(occupancy__lt=F("capacity"))
    elif has_room is False:
        homes = homes.filter(occupancy__gte=F("capacity"))
    return _with_lists(homes).order_by("name", "id")


def _with_lists(homes):
    return homes.select_related("agency", "county", "manager__user").prefetch_related(
        Prefetch("languages", queryset=Language.objects.only("code")),
        Prefetch("tribes_approving", queryset=Tribe.objects.only("code")),
    )


def _read(home_id: int) -> ResourceHome:
    return _with_lists(selectors.with_occupancy(ResourceHome.objects.filter(pk=home_id))).get()


# --- Keeping the directory (home.manage) ------------------------------------------------


class ResourceParentOut(Schema):
    id: int
    version: int
    person: NamedRef
    role: ResourceParent.Role
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_person(obj):
        return {"id": obj.person_id, "name": obj.person.full_name}


class HomeDetailOut(HomeOut):
    parents: list[ResourceParentOut]

    @staticmethod
    def resolve_parents(obj):
        return list(obj.parents.select_related("person").order_by("ends_on", "id"))


class HomeFields(InputSchema):
    phone: str = Field("", max_length=30)
    min_age: int = Field(0, ge=0, le=21)
    max_age: int = Field(21, ge=0, le=21)
    gender_accepted: GenderAccepted = GenderAccepted.ANY
    sibling_group_max: int = Field(1, ge=1, le=99)
    needs_served: unique_list(Need) = []
    languages: unique_list(Code) = []
    tribes_approving: unique_list(Code) = []
    indian_operated: bool = False
    address_line1: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    state: str = Field("", max_length=2)
    county: Code | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    manager: int | None = Field(None, description="A staff member of the agency (their id)")


class HomeIn(HomeFields):
    name: str = Field(..., min_length=1, max_length=200)
    setting: Setting
    capacity: int = Field(..., ge=1, le=999)
    licence_number: str = Field("", max_length=40)
    licensed_on: date | None = None
    licence_expires_on: date | None = None


class HomePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    setting: Setting | None = None
    capacity: int | None = Field(None, ge=1, le=999)
    phone: str | None = Field(None, max_length=30)
    min_age: int | None = Field(None, ge=0, le=21)
    max_age: int | None = Field(None, ge=0, le=21)
    gender_accepted: GenderAccepted | None = None
    sibling_group_max: int | None = Field(None, ge=1, le=99)
    needs_served: unique_list(Need) | None = None
    languages: unique_list(Code) | None = None
    tribes_approving: unique_list(Code) | None = None
    indian_operated: bool | None = None
    address_line1: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=2)
    county: Code | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    manager: int | None = None
    active: bool | None = None
    version: int | None = Field(None, description="The home's version you read.")


class LicenceIn(InputSchema):
    licence_number: str = Field(..., min_length=1, max_length=40)
    licensed_on: date
    licence_expires_on: date
    version: int | None = Field(None, description="The home's version you read.")


class ResourceParentIn(InputSchema):
    person: int = Field(..., description="A person you may see (their id)")
    role: ResourceParent.Role
    starts_on: date


class ResourceParentEndIn(InputSchema):
    ends_on: date
    version: int | None = Field(None, description="The link's version you read.")


def _manager(request, pk: int | None) -> StaffMember | None:
    staff = staff_access.staff_for(request.user)
    return by_id(StaffMember.objects.filter(agency_id=staff.agency_id), pk, "manager", "staff")


def _lists(request, data: dict) -> dict:
    """Reference codes and ids of a home's input, resolved (422 naming the field)."""
    if "county" in data:
        data["county"] = by_code(County, data["county"], "county")
    if "languages" in data:
        data["languages"] = by_codes(Language, data["languages"], "languages")
    if "tribes_approving" in data:
        data["tribes_approving"] = by_codes(Tribe, data["tribes_approving"], "tribes_approving")
    if "manager" in data:
        data["manager"] = _manager(request, data["manager"])
    if "needs_served" in data:
        data["needs_served"] = [str(n) for n in data["needs_served"]]
    return data


@router.get(
    "/resource-homes/attention",
    response=list[HomeOut],
    summary="Homes whose licence has expired or expires soon, that you keep, manage or place in",
)
def homes_needing_attention(request):
    """The homes the caller keeps (home.manage), manages, or where a child of a case the
    caller may edit lives, whose licence has expired or expires within the agency's
    `licence_warning_days`: expired first."""
    if staff_access.staff_for(request.user) is None:
        raise Forbidden()
    homes = selectors.homes_needing_attention(request.user)
    by_id_ = {
        h.pk: h for h in _with_lists(ResourceHome.objects.filter(pk__in=[h.pk for h in homes]))
    }
    out = []
    for home in homes:
        full = by_id_[home.pk]
        full.occupancy = home.occupancy
        out.append(full)
    return out


@router.post("/resource-homes", response={201: HomeDetailOut}, summary="Add a home or facility")
def create_home(request, payload: HomeIn):
    """A program director (home.manage) adds a home or facility to their agency's
    directory, with its capacity by age range and gender, the sibling groups it takes
    and its licence."""
    if not access.can_create_homes(request.user):
        raise Forbidden()
    data = _lists(request, payload.dict())
    home = services.home_create(actor=request.user, **data)
    return Status(201, _read(home.pk))


@router.get(
    "/resource-homes/{int:home_id}", response=HomeDetailOut, summary="A home and its parents"
)
def get_home(request, home_id: int, response: HttpResponse):
    home = access.access_home(request.user, home_id)
    home = _read(home.pk)
    parents = list(home.parents.all())
    audit.log_access(request, audit.VIEW, [home, *[p.person for p in parents]])
    set_etag(response, home)
    return home


@router.patch("/resource-homes/{int:home_id}", response=HomeDetailOut, summary="Change a home")
def update_home(request, home_id: int, payload: HomePatch, response: HttpResponse):
    """Those who keep the agency's homes (home.manage) change its entry; `active: false`
    takes it out of the ranking. The licence is renewed at `/licence`."""
    home = access.access_home(request.user, home_id, for_edit=True)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    refuse_nulls(data, ("name", "setting", "capacity", "phone", "min_age", "max_age"))
    refuse_nulls(data, ("gender_accepted", "sibling_group_max", "needs_served", "languages"))
    refuse_nulls(data, ("tribes_approving", "indian_operated", "address_line1", "city"))
    refuse_nulls(data, ("state", "active"))
    services.home_update(actor=request.user, home=home, version=version, **_lists(request, data))
    home = _read(home.pk)
    set_etag(response, home)
    return home


@router.post(
    "/resource-homes/{int:home_id}/licence",
    response=HomeDetailOut,
    summary="License or renew a home",
)
def renew_licence(request, home_id: int, payload: LicenceIn, response: HttpResponse):
    home = access.access_home(request.user, home_id, for_edit=True)
    data = payload.dict()
    version = expected_version(request, data.pop("version", None))
    services.home_licence_renew(actor=request.user, home=home, version=version, **data)
    home = _read(home.pk)
    set_etag(response, home)
    return home


@router.get(
    "/resource-homes/{int:home_id}/parents",
    response=list[ResourceParentOut],
    summary="The home's resource parents, past and present",
)
def list_resource_parents(request, home_id: int):
    home = access.access_home(request.user, home_id)
    links = list(home.parents.select_related("person").order_by("ends_on", "id"))
    audit.log_access(request, audit.LIST, [link.person for link in links])
    return links


@router.post(
    "/resource-homes/{int:home_id}/parents",
    response={201: ResourceParentOut},
    summary="Link a resource parent (a person) to the home",
)
def add_resource_parent(request, home_id: int, payload: ResourceParentIn):
    home = access.access_home(request.user, home_id, for_edit=True)
    person = visible_person(request, payload.person, "person")
    link = services.resource_parent_add(
        actor=request.user,
        home=home,
        person=person,
        role=payload.role,
        starts_on=payload.starts_on,
    )
    return Status(201, link)


@router.post(
    "/resource-homes/{int:home_id}/parents/{int:link_id}/end",
    response=ResourceParentOut,
    summary="A resource parent leaves the home",
)
def end_resource_parent(
    request, home_id: int, link_id: int, payload: ResourceParentEndIn, response: HttpResponse
):
    home = access.access_home(request.user, home_id, for_edit=True)
    link = ResourceParent.objects.select_related("home", "person").filter(home=home, pk=link_id)
    link = link.first()
    if link is None:
        raise NotFound()
    version = expected_version(request, payload.version)
    link = services.resource_parent_end(
        actor=request.user, link=link, ends_on=payload.ends_on, version=version
    )
    set_etag(response, link)
    return link


@router.get(
    "/cases/{int:case_id}/children/{int:child_id}/placement-options",
    response=list[OptionOut],
    summary="Ranked placement options for a child in care (P2, P3, ICWA)",
)
def placement_options(request, case_id: int, child_id: int, limit: int = Query(20, ge=1, le=200)):
    """The child's relatives and the directory's homes that take a child of this age and
    have room, best first, each with the reasons it fits or does not (`problems`). A
    relative the caller may not see is left out."""
    case = case_access.access_case(request.user, case_id)
    child = case_access.visible_people(request.user).filter(pk=child_id).first()
    if child is None or not case.members.filter(person=child, role__in=CHILD_ROLES).exists():
        raise NotFound()
    episode = (
        RemovalEpisode.objects.select_related("child", "case")
        .filter(case=case, child=child, exited_on__isnull=True)
        .first()
    )
    if episode is None:
        raise DomainError({"child": "This child is not in out-of-home care in this case."})
    ranked = selectors.rank_for_child(episode, viewer=request.user)
    log_api_view(request, child, case=case)
    out = []
    for r in ranked:
        out.append(
            {
                "key": r.option.key,
                "name": r.option.name,
                "setting": r.option.setting,
                "level": int(r.level),
                "level_label": rules.LEVEL_LABELS[r.level],
                "icwa_category": int(r.icwa) if r.icwa is not None else None,
                "icwa_label": rules.ICWA_LABELS[r.icwa] if r.icwa is not None else None,
                "km_parents": r.km_parents,
                "km_school": r.km_school,
                "km": r.km,
                "capacity": r.option.capacity,
                "occupancy": r.option.occupancy,
                "available": r.available,
                "full": r.full,
                "notes": list(r.notes),
                "problems": list(r.problems),
            }
        )
        if len(out) >= limit:
            break
    return out
