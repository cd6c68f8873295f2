"""Placements of a removal: a child placed, moved, or given a status (P2, P3, V11, V12)."""

from datetime import date

from ninja import Field, Router, Schema, Status

from hearth.core.api_common import InputSchema, LongText, log_api_view
from hearth.placements import services
from hearth.placements.api.common import _episode
from hearth.placements.models import Placement, Setting
from hearth.policy import placement as rules

router = Router()


class FlagOut(Schema):
    rule: str
    text: str


class PlacementOut(Schema):
    id: int
    version: int
    removal: int = Field(..., alias="episode_id")
    child: int = Field(..., alias="child_id")
    setting: str
    home: int | None = Field(None, alias="home_id")
    caregiver: int | None = Field(None, alias="caregiver_id")
    place_name: str
    provider_name: str
    address_line1: str
    city: str
    state: str
    out_of_state: bool
    starts_on: date
    ends_on: date | None
    move_reason: str
    departure_reason: str
    school: str
    contact_flags: list[FlagOut] = Field(..., description="What the status adds (V11, V12)")

    @staticmethod
    def resolve_contact_flags(obj):
        return [
            {"rule": rule, "text": text}
            for rule, text in rules.placement_contact_flags(obj.setting, obj.out_of_state)
        ]


class PlacementIn(InputSchema):
    choice: str = Field(
        "",
        max_length=40,
        description='An option key from placement-options ("home:ID", "relative:PERSON_ID"); '
        "or leave empty and give `setting` (with `provider_name` unless a status)",
    )
    setting: Setting | None = Field(
        None, description="A place outside the directory, or a status: runaway (V11)..."
    )
    provider_name: str = Field("", max_length=200)
    address_line1: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    state: str = Field("", max_length=2)
    out_of_state: bool = Field(False, description="An ICPC placement: name the state (V12)")
    starts_on: date
    ends_on: date | None = Field(None, description="Only for a past placement")
    move_reason: LongText = ""
    departure_reason: LongText = Field(
        "", description="Why a more restrictive or farther option, or outside the ICWA order (P2)"
    )
    school: Placement.School = Placement.School.UNKNOWN
    new_school_name: str = Field("", max_length=200)
    new_school_enrolled_on: date | None = None
    best_interest_reason: LongText = Field("", description="Why the child changes school (P3)")


def _placements(qs):
    return qs.select_related("home", "caregiver")


@router.get(
    "/removals/{int:removal_id}/placements",
    response=list[PlacementOut],
    summary="Placements of a removal",
)
def list_placements(request, removal_id: int):
    episode = _episode(request, removal_id)
    log_api_view(request, episode, case=episode.case)
    return list(_placements(episode.placements.order_by("starts_on", "id")))


@router.post(
    "/removals/{int:removal_id}/placements",
    response={201: PlacementOut},
    summary="Place the child, or record a move or a status (P2, P3, V11, V12)",
)
def create_placement(request, removal_id: int, payload: PlacementIn):
    """`choice` is a key from placement-options; a choice more restrictive or farther
    than an available option, or outside the ICWA order, needs `departure_reason` (P2).
    Placements of a child never overlap: an overlap is refused with 422 on `starts_on`."""
    episode = _episode(request, removal_id, for_edit=True)
    choice = payload.choice.strip()
    placement = services.child_place(
        actor=request.user,
        episode=episode,
        starts_on=payload.starts_on,
        choice=choice,
        setting=payload.setting or "",
        provider_name=payload.provider_name,
        address_line1=payload.address_line1,
        city=payload.city,
        state=payload.state,
        out_of_state=payload.out_of_state,
        ends_on=payload.ends_on,
        move_reason=payload.move_reason,
        departure_reason=payload.departure_reason,
        school=payload.school,
        new_school_name=payload.new_school_name,
        new_school_enrolled_on=payload.new_school_enrolled_on,
        best_interest_reason=payload.best_interest_reason,
    )
    return Status(201, _placements(Placement.objects.filter(pk=placement.pk)).get())
