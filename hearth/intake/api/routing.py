"""A case's routing to a unit (A1, A3, A4): current, history, what the rules say now,
and a program director sending a referral to another unit."""

from datetime import datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.models import Case
from hearth.core.api_common import (
    CaseRef,
    InputSchema,
    NamedRef,
    by_id,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import Forbidden
from hearth.intake import access as intake_access
from hearth.intake import selectors, services
from hearth.intake.api.common import unit_ref
from hearth.intake.models import Routing
from hearth.staff import access as staff_access
from hearth.staff.models import Unit

router = Router()


# --- Schemas: routing ------------------------------------------------------------------


class RoutingOut(Schema):
    id: int
    unit: NamedRef
    rule: str
    strategy: str
    explanation: str
    routed_by: str | None
    at: datetime


class RoutingPreviewOut(Schema):
    unit: NamedRef | None
    rule: str
    strategy: str
    explanation: str


class CaseRoutingOut(Schema):
    case: CaseRef
    status: str
    current: RoutingOut | None
    history: list[RoutingOut] = Field(..., description="Every routing, newest first")
    preview: RoutingPreviewOut | None = Field(
        ..., description="What the rules would decide now, while the case is referred"
    )


class SendToUnitIn(InputSchema):
    unit: int = Field(..., description="An active case management unit of the case's agency")
    reason: str = Field(..., min_length=1, max_length=2000)
    version: int | None = Field(None, description="The case's version you read; 409 if it changed.")


def _staff_name(user) -> str | None:
    if user is None:
        return None
    staff = getattr(user, "staff", None)
    return staff.full_name if staff else (user.get_full_name() or user.username)


# --- Routing ---------------------------------------------------------------------------


def _routing_out(routing) -> dict:
    return {
        "id": routing.pk,
        "unit": unit_ref(routing.unit),
        "rule": routing.rule,
        "strategy": routing.strategy,
        "explanation": routing.explanation,
        "routed_by": _staff_name(routing.routed_by),
        "at": routing.created_at,
    }


@router.get(
    "/cases/{int:case_id}/routing",
    response=CaseRoutingOut,
    summary="A case's routing to a unit: current, history, and what the rules say now",
)
def get_routing(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    history = list(case.routings.select_related("unit", "routed_by__staff"))
    preview = None
    if case.status == Case.Status.REFERRED:
        decision = selectors.decide_routing(case)
        unit = Unit.objects.filter(pk=decision.unit_id).first() if decision.unit_id else None
        preview = {
            "unit": unit_ref(unit),
            "rule": decision.rule,
            "strategy": decision.strategy,
            "explanation": decision.explanation,
        }
    log_api_view(request, case, case=case)
    return {
        "case": case,
        "status": case.status,
        "current": _routing_out(history[0]) if history else None,
        "history": [_routing_out(r) for r in history],
        "preview": preview,
    }


@router.post(
    "/cases/{int:case_id}/routing",
    response={201: RoutingOut},
    summary="Send a referral to another unit than the rules chose, saying why (A1)",
)
def send_to_unit(request, case_id: int, payload: SendToUnitIn, response: HttpResponse):
    """`version` (or If-Match) is the case's: sending it to a unit changes it."""
    case = case_access.access_case(request.user, case_id)
    if not intake_access.can_route(request.user, case):
        raise Forbidden()
    unit = by_id(
        staff_access.visible_units(request.user).filter(agency_id=case.agency_id),
        payload.unit,
        "unit",
        "unit",
    )
    routing = services.referral_send_to_unit(
        actor=request.user,
        case=case,
        unit=unit,
        reason=payload.reason,
        version=expected_version(request, payload.version),
    )
    set_etag(response, routing.case)
    routing = Routing.objects.select_related("unit", "routed_by__staff").get(pk=routing.pk)
    return Status(201, _routing_out(routing))
