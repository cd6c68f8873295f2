"""The home accepts a placement before it starts: requests sent to a managed home, and
the home's answer (hearth.placements.services.requests)."""

from datetime import date

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.api_common import InputSchema, LongText, NamedRef, expected_version, set_etag
from hearth.core.errors import DomainError, NotFound
from hearth.placements import access, selectors, services
from hearth.placements.models import PlacementRequest, RemovalEpisode, ResourceHome

router = Router()


class PlacementRequestOut(Schema):
    id: int
    version: int
    case: int
    child: NamedRef
    home: NamedRef
    starts_on: date
    note: str
    status: PlacementRequest.Status
    requested_by: str
    decided_on: date | None
    reason: str
    placement: int | None = Field(None, alias="placement_id")

    @staticmethod
    def resolve_case(obj):
        return obj.episode.case_id

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}

    @staticmethod
    def resolve_home(obj):
        return {"id": obj.home_id, "name": obj.home.name}

    @staticmethod
    def resolve_requested_by(obj):
        return obj.requested_by.get_full_name() or obj.requested_by.username


class PlacementRequestIn(InputSchema):
    home: int = Field(..., description="A home of the directory (its id)")
    starts_on: date = Field(..., description="The day the child would move in")
    note: LongText = ""


class AnswerIn(InputSchema):
    accept: bool
    reason: LongText = Field("", description="Why the home declines (needed then)")
    version: int | None = Field(None, description="The request's version you read.")


class WithdrawIn(InputSchema):
    version: int | None = Field(None, description="The request's version you read.")


def _requests():
    return PlacementRequest.objects.select_related("episode", "child", "home", "requested_by")


@router.post(
    "/cases/{int:case_id}/children/{int:child_id}/placement-requests",
    response={201: PlacementRequestOut},
    summary="Ask a home to take the child (it accepts before the placement starts)",
)
def send_request(request, case_id: int, child_id: int, payload: PlacementRequestIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    member = selectors.case_child_member(case, child_id)
    episode = RemovalEpisode.objects.filter(
        case=case, child=member.person, exited_on__isnull=True
    ).first()
    if episode is None:
        raise DomainError({"child": "This child is not in out-of-home care in this case."})
    home = ResourceHome.objects.filter(pk=payload.home).first()
    if home is None:
        raise DomainError({"home": "No such home in the directory."})
    sent = services.placement_request_send(
        actor=request.user,
        case=case,
        episode=episode,
        home=home,
        starts_on=payload.starts_on,
        note=payload.note,
    )
    return Status(201, _requests().get(pk=sent.pk))


@router.get(
    "/cases/{int:case_id}/placement-requests",
    response=list[PlacementRequestOut],
    summary="The placement requests of a case's children",
)
def case_requests(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    rows = list(_requests().filter(episode__case=case).order_by("-id"))
    audit.log_access(request, audit.LIST, rows, case=case)
    return rows


@router.get(
    "/resource-homes/{int:home_id}/placement-requests",
    response=list[PlacementRequestOut],
    summary="The placement requests sent to a home (for those who answer them)",
)
def home_requests(request, home_id: int):
    home = access.access_home(request.user, home_id)
    if not access.can_answer(request.user, home):
        raise NotFound()
    rows = list(_requests().filter(home=home).order_by("-id")[:200])
    audit.log_access(request, audit.LIST, rows)
    return rows


@router.post(
    "/placement-requests/{int:request_id}/answer",
    response=PlacementRequestOut,
    summary="The home accepts the child, or declines with a reason",
)
def answer_request(request, request_id: int, payload: AnswerIn, response: HttpResponse):
    found = _requests().filter(pk=request_id, home__in=access.answering_homes(request.user)).first()
    if found is None:
        raise NotFound()
    version = expected_version(request, payload.version)
    services.placement_request_answer(
        actor=request.user,
        request=found,
        accept=payload.accept,
        reason=payload.reason,
        version=version,
    )
    found = _requests().get(pk=request_id)
    set_etag(response, found)
    return found


@router.post(
    "/cases/{int:case_id}/placement-requests/{int:request_id}/withdraw",
    response=PlacementRequestOut,
    summary="Withdraw a placement request not yet placed",
)
def withdraw_request(
    request, case_id: int, request_id: int, payload: WithdrawIn, response: HttpResponse
):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    found = _requests().filter(pk=request_id, episode__case=case).first()
    if found is None:
        raise NotFound()
    version = expected_version(request, payload.version)
    services.placement_request_withdraw(actor=request.user, request=found, version=version)
    found = _requests().get(pk=request_id)
    set_etag(response, found)
    return found
