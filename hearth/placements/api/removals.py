"""Removals into out-of-home care and exits from it (P4: the first goal)."""

from datetime import date

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.core.api_common import (
    InputSchema,
    LongText,
    NamedRef,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.placements import services
from hearth.placements.api.common import _episode
from hearth.placements.models import Need, PermanencyGoal, RemovalEpisode

router = Router()


class RemovalOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    child: NamedRef
    removed_on: date
    recorded_on: date = Field(..., description="The day the removal was recorded")
    entered_care_on: date | None = Field(
        ..., description="F5: the date the child entered foster care; null when unknown"
    )
    legal_basis: str
    removal_reasons: list[str]
    child_needs: list[str]
    exited_on: date | None
    exit_reason: str
    transfer_agency: str
    is_open: bool

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class RemovalIn(InputSchema):
    child: int = Field(..., description="Person id of a child in this case")
    removed_on: date
    entered_care_on: date | None = Field(
        None,
        description="F5: the date the child entered foster care, on or after the removal; "
        "left out or null when unknown (the first placement's date fills it)",
    )
    legal_basis: RemovalEpisode.LegalBasis
    removal_reasons: list[RemovalEpisode.RemovalReason] = Field(..., min_length=1)
    child_needs: list[Need] = Field(default_factory=list)
    goal: PermanencyGoal.Goal = Field(
        PermanencyGoal.Goal.REUNIFICATION,
        description="The first permanency goal; another than reunification needs a reason (P4)",
    )
    goal_reason: LongText = ""


class EntryDateIn(InputSchema):
    entered_care_on: date = Field(..., description="F5: the date the child entered care")
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


class ExitIn(InputSchema):
    exited_on: date
    exit_reason: RemovalEpisode.ExitReason
    transfer_agency: RemovalEpisode.TransferAgency | None = Field(
        None, description="Required when the exit reason is transfer"
    )
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


@router.get("/cases/{int:case_id}/removals", response=list[RemovalOut], summary="Removal episodes")
def list_removals(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    log_api_view(request, case, case=case)
    return list(case.episodes.select_related("child").order_by("-removed_on", "-id"))


@router.post(
    "/cases/{int:case_id}/removals",
    response={201: RemovalOut},
    summary="Remove a child into out-of-home care (P4: the first goal)",
)
def create_removal(request, case_id: int, payload: RemovalIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = visible_person(request, payload.child, "child")
    episode = services.child_remove(
        actor=request.user,
        case=case,
        child=child,
        removed_on=payload.removed_on,
        entered_care_on=payload.entered_care_on,
        legal_basis=payload.legal_basis,
        removal_reasons=[r.value for r in payload.removal_reasons],
        child_needs=[n.value for n in payload.child_needs],
        goal=payload.goal,
        goal_reason=payload.goal_reason,
    )
    return Status(201, episode)


@router.post(
    "/removals/{int:removal_id}/exit",
    response=RemovalOut,
    summary="The child leaves care: ends the removal and its current placement",
)
def exit_removal(request, removal_id: int, payload: ExitIn, response: HttpResponse):
    episode = _episode(request, removal_id, for_edit=True)
    episode = services.episode_exit(
        actor=request.user,
        episode=episode,
        exited_on=payload.exited_on,
        exit_reason=payload.exit_reason,
        transfer_agency=payload.transfer_agency or "",
        version=expected_version(request, payload.version),
    )
    set_etag(response, episode)
    return RemovalEpisode.objects.select_related("child").get(pk=episode.pk)


@router.post(
    "/removals/{int:removal_id}/entered-care",
    response=RemovalOut,
    summary="Record or correct the date the child entered foster care (F5)",
)
def set_removal_entry_date(request, removal_id: int, payload: EntryDateIn, response: HttpResponse):
    episode = _episode(request, removal_id, for_edit=True)
    episode = services.episode_entry_date_set(
        actor=request.user,
        episode=episode,
        entered_care_on=payload.entered_care_on,
        version=expected_version(request, payload.version),
    )
    set_etag(response, episode)
    return RemovalEpisode.objects.select_related("child").get(pk=episode.pk)
