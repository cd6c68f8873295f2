"""Intake's operations on the case endpoints: recording a referred case, routed to a unit
by the agency's rules when none is given (A1, A3, A4), and assigning its primary case
manager (A2, A5, A6, A7).

They sit on the cases router, beside the case reads at the same paths (one path is served
by one router), and live here because routing and assigning are intake's rules: cases,
below intake, does not import it (ADR 0008). Their operation ids stay
`hearth_cases_api_*` (hearth.api.openapi.MOVED_OPERATIONS).
"""

from datetime import date

from django.http import HttpResponse
from ninja import Field, Status

from hearth.cases import access as case_access
from hearth.cases.api.cases import (
    AssignmentOut,
    CaseDetailOut,
    CaseIn,
    case_detail_out,
    resolve_case_fields,
    router,
)
from hearth.cases.models import Assignment
from hearth.core.api_common import InputSchema, LongText, by_id, expected_version, set_etag
from hearth.core.errors import DomainError, Forbidden
from hearth.intake import services
from hearth.staff import access as staff_access
from hearth.staff.permissions import can


class AssignmentIn(InputSchema):
    worker: int = Field(..., description="Staff id of an active case manager")
    reason: LongText = Field(..., min_length=1, description="Why this worker (A6)")
    override_reason: LongText = Field("", description="Why not the recommended worker (A7)")
    limit_override_reason: LongText = Field(
        "", description="A program director's reason to assign above capacity (A2; never A5)"
    )
    starts_on: date | None = None
    version: int | None = Field(None, description="The case's version you read; 409 if it changed.")


@router.post("/cases", response={201: CaseDetailOut}, summary="Record a referred case")
def create_case(request, payload: CaseIn, response: HttpResponse):
    staff = staff_access.staff_for(request.user)
    if not can(staff, "case.record"):
        raise Forbidden()
    data = resolve_case_fields(request, payload.dict(exclude_unset=True))
    unit = data.get("unit")
    if not can(staff, "case.record_any_unit"):
        # A supervisor records cases for their own unit only.
        if unit is not None and unit.pk != staff.unit_id:
            raise DomainError({"unit": "A supervisor records cases for their own unit."})
        data["unit"] = staff.unit
    if unit is not None and unit.agency_id != staff.agency_id:
        raise DomainError({"unit": "Unknown unit."})
    if data.get("prior_case") is not None:
        data["prior_case"] = by_id(
            case_access.visible_cases(request.user), data["prior_case"], "prior_case", "case"
        )
    else:
        data.pop("prior_case", None)
    case = services.case_record(actor=request.user, agency=staff.agency, **data)
    return Status(201, case_detail_out(request, case.pk, response, log=False))


@router.post(
    "/cases/{int:case_id}/assignments",
    response={201: AssignmentOut},
    summary="Assign the primary case manager (A2, A6)",
)
def assign(request, case_id: int, payload: AssignmentIn, response: HttpResponse):
    """`version` (or If-Match) is the case's: the assignment changes who holds it."""
    case = case_access.access_case(request.user, case_id)
    if not case_access.can_assign_case(request.user, case):
        raise Forbidden()
    version = expected_version(request, payload.version)
    worker = by_id(
        staff_access.visible_staff(request.user).prefetch_related("roles"),
        payload.worker,
        "worker",
        "staff member",
    )
    assignment = services.case_assign(
        actor=request.user,
        assigned_by=staff_access.staff_for(request.user),
        case=case,
        worker=worker,
        reason=payload.reason,
        override_reason=payload.override_reason,
        limit_override_reason=payload.limit_override_reason,
        starts_on=payload.starts_on,
        version=version,
    )
    set_etag(response, assignment.case)
    return Status(
        201, Assignment.objects.select_related("worker", "assigned_by").get(pk=assignment.pk)
    )
