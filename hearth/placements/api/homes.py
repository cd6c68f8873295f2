"""The resource directory and a child's ranked placement options (P2, P3, ICWA)."""

from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.core.api_common import Pagination, by_code, codes, log_api_view
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.placements import selectors
from hearth.placements.api.common import CHILD_ROLES
from hearth.placements.models import RemovalEpisode, ResourceHome, Setting
from hearth.policy import placement as rules
from hearth.reference.models import County, Language, Tribe
from hearth.staff import access as staff_access

router = Router()


class HomeOut(Schema):
    id: int
    name: str
    agency: str | None
    setting: str
    level: int | None
    licence_number: str
    licence_expires_on: date | None
    capacity: int
    occupancy: int
    has_room: bool
    min_age: int
    max_age: int
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
    return (
        homes.select_related("agency", "county")
        .prefetch_related(
            Prefetch("languages", queryset=Language.objects.only("code")),
            Prefetch("tribes_approving", queryset=Tribe.objects.only("code")),
        )
        .order_by("name", "id")
    )


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
