"""Oversight endpoints of the court area (O2): a court-involved case's hearings (scheduled,
moved, continued, cancelled, held with the outcome, orders and findings) and its court
reports (generated from the record as drafts, edited, and their PDF once approved).

Thin: each endpoint checks access (hearth.oversight.access, hearth.cases.access) and the
input's shape, resolves the records it names, and calls one service in
hearth.oversight.services.court, which checks the rules. A refusal is a 4xx naming the
field; nothing is stored. Reads log every record they return.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.contacts.api.common import aware
from hearth.core import audit
from hearth.core.api_common import (
    InputSchema,
    LongText,
    NamedRef,
    by_id,
    expected_version,
    log_api_view,
    refuse_nulls,
    set_etag,
)
from hearth.core.errors import ConflictError, Forbidden
from hearth.oversight import access
from hearth.oversight.api.router import router
from hearth.oversight.documents import court_report_pdf
from hearth.oversight.models import CourtReport, Hearing
from hearth.oversight.selectors import court as selectors
from hearth.oversight.services import court as services
from hearth.policy.court import SECTION_CODES, findings_gaps
from hearth.staff.models import Agency, StaffMember

Finding = Literal["", "made", "not_made"]


def _named(person) -> dict | None:
    return {"id": person.pk, "name": person.full_name} if person else None


def _state_staff(pk: int | None, field: str):
    """A member of the state's oversight staff, or a 422 naming `field`."""
    return by_id(
        StaffMember.objects.filter(agency__kind=Agency.Kind.STATE_OVERSIGHT),
        pk,
        field,
        "state staff member",
    )


# --- Schemas ---------------------------------------------------------------------------


class HearingIn(InputSchema):
    type: Hearing.Type
    scheduled_at: datetime = Field(..., description="Date and time (local time if no offset)")
    court: str = Field(..., min_length=1, max_length=200)
    judge: str = Field("", max_length=200)
    child: int | None = Field(None, description="A child of the case (none: every child)")
    state_attendee: int | None = Field(None, description="Who attends for the state")
    state_testifies: bool = False


class HearingPatch(InputSchema):
    version: int | None = Field(None, description="The version read (or send If-Match)")
    change: Literal["edit", "continue", "cancel"] = Field(
        "edit",
        description="edit (or move) a scheduled hearing; continue it to `scheduled_at` "
        "(a new hearing of the same type); cancel it",
    )
    type: Hearing.Type | None = None
    scheduled_at: datetime | None = None
    court: str | None = Field(None, min_length=1, max_length=200)
    judge: str | None = Field(None, max_length=200)
    child: int | None = None
    state_attendee: int | None = None
    state_testifies: bool | None = None


class HearingOutcomeIn(InputSchema):
    version: int | None = Field(None, description="The version read (or send If-Match)")
    outcome: LongText = Field(..., description="What the court decided")
    orders: LongText = ""
    reasonable_efforts_finding: Finding = Field("", description="O2: made, not_made or ''")
    best_interest_finding: Finding = Field("", description="O2: made, not_made or ''")
    state_attendee: int | None = Field(None, description="Who attended for the state")
    state_testifies: bool = False
    next_hearing_at: datetime | None = Field(None, description="Schedules the next hearing")
    next_hearing_type: Hearing.Type | None = Field(
        None, description="Default: the next step of the process, else a review"
    )


class HearingOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    version: int
    type: str
    status: str
    scheduled_at: datetime
    court: str
    judge: str
    child: NamedRef | None
    state_attendee: NamedRef | None
    state_testifies: bool
    outcome: str
    orders: str
    reasonable_efforts_finding: str
    best_interest_finding: str
    findings_gaps: list[str] = Field(..., description="O2: findings not made or not addressed")
    next_hearing_at: datetime | None

    @staticmethod
    def resolve_child(obj):
        return _named(obj.child)

    @staticmethod
    def resolve_state_attendee(obj):
        return _named(obj.state_attendee)

    @staticmethod
    def resolve_findings_gaps(obj):
        if obj.status != Hearing.Status.HELD:
            return []
        return findings_gaps(obj.reasonable_efforts_finding, obj.best_interest_finding)


class CourtReportIn(InputSchema):
    period_start: date
    period_end: date
    hearing: int | None = Field(None, description="The case's hearing it is for")


class CourtReportPatch(InputSchema):
    version: int | None = Field(None, description="The version read (or send If-Match)")
    sections: dict[Literal[SECTION_CODES], LongText] | None = Field(  # type: ignore[valid-type]
        None, description="Section code -> text; sections left out are kept"
    )
    regenerate: bool = Field(False, description="Write the sections again from the record")


class CourtReportSummaryOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    version: int
    status: str
    period_start: date
    period_end: date
    hearing: int | None = Field(None, alias="hearing_id")
    approved_on: date | None


class CourtReportOut(CourtReportSummaryOut):
    prepared_by: NamedRef
    sections: dict[str, str]

    @staticmethod
    def resolve_prepared_by(obj):
        return _named(obj.prepared_by)


def _hearing(request, hearing_id: int, *, for_edit: bool = False) -> Hearing:
    record = selectors.hearing(request.user, hearing_id)
    if for_edit and not access.can_record_hearing(request.user, record.case):
        raise Forbidden()
    return record


# --- Hearings --------------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/hearings", response=list[HearingOut], summary="A case's hearings (O2)"
)
def list_hearings(request, case_id: int):
    case = access.hearing_case(request.user, case_id)
    hearings = list(selectors.case_hearings(case))
    audit.log_access(request, audit.LIST, hearings, case=case)
    return hearings


@router.post(
    "/cases/{int:case_id}/hearings",
    response={201: HearingOut},
    summary="Schedule a hearing of a court-involved case (O2)",
)
def schedule_hearing(request, case_id: int, payload: HearingIn, response: HttpResponse):
    """By the case's writers or the state staff overseeing it; the child is one of the
    case's. It falls due in the worker's and the specialist's due lists."""
    case = access.hearing_case(request.user, case_id, for_edit=True)
    hearing = services.hearing_schedule(
        actor=request.user,
        case=case,
        type=payload.type,
        scheduled_at=aware(payload.scheduled_at),
        court=payload.court,
        judge=payload.judge,
        child=visible_person(request, payload.child, "child"),
        state_attendee=_state_staff(payload.state_attendee, "state_attendee"),
        state_testifies=payload.state_testifies,
    )
    set_etag(response, hearing)
    return Status(201, selectors.hearing(request.user, hearing.pk))


@router.get("/hearings/{int:hearing_id}", response=HearingOut, summary="Read a hearing (O2)")
def get_hearing(request, hearing_id: int, response: HttpResponse):
    hearing = _hearing(request, hearing_id)
    log_api_view(request, hearing, case=hearing.case)
    set_etag(response, hearing)
    return hearing


@router.patch(
    "/hearings/{int:hearing_id}",
    response=HearingOut,
    summary="Edit, move, continue or cancel a scheduled hearing (O2)",
)
def update_hearing(request, hearing_id: int, payload: HearingPatch, response: HttpResponse):
    """Only a scheduled hearing changes. `continue` keeps this one as continued and
    schedules one of the same type at `scheduled_at`."""
    hearing = _hearing(request, hearing_id, for_edit=True)
    version = expected_version(request, payload.version)
    data = payload.dict(exclude_unset=True, exclude={"version", "change"})
    refuse_nulls(data, ("type", "scheduled_at", "court", "judge", "state_testifies"))
    if "child" in data:
        data["child"] = visible_person(request, data["child"], "child")
    if "state_attendee" in data:
        data["state_attendee"] = _state_staff(data["state_attendee"], "state_attendee")
    if data.get("scheduled_at") is not None:
        data["scheduled_at"] = aware(data["scheduled_at"])
    hearing = services.hearing_update(
        actor=request.user, hearing=hearing, version=version, change=payload.change, **data
    )
    set_etag(response, hearing)
    return selectors.hearing(request.user, hearing.pk)


@router.post(
    "/hearings/{int:hearing_id}/outcome",
    response=HearingOut,
    summary="Record a held hearing's outcome, orders and findings (O2)",
)
def record_outcome(request, hearing_id: int, payload: HearingOutcomeIn, response: HttpResponse):
    """Once the hearing's time has passed; `next_hearing_at` schedules the next one."""
    hearing = _hearing(request, hearing_id, for_edit=True)
    hearing = services.hearing_record_outcome(
        actor=request.user,
        hearing=hearing,
        version=expected_version(request, payload.version),
        outcome=payload.outcome,
        orders=payload.orders,
        reasonable_efforts_finding=payload.reasonable_efforts_finding,
        best_interest_finding=payload.best_interest_finding,
        state_attendee=_state_staff(payload.state_attendee, "state_attendee"),
        state_testifies=payload.state_testifies,
        next_hearing_at=aware(payload.next_hearing_at) if payload.next_hearing_at else None,
        next_hearing_type=payload.next_hearing_type,
    )
    set_etag(response, hearing)
    return selectors.hearing(request.user, hearing.pk)


# --- Court reports ---------------------------------------------------------------------


def _report(request, report_id: int, *, for_edit: bool = False) -> CourtReport:
    return selectors.report(request.user, report_id, for_edit=for_edit)


@router.get(
    "/cases/{int:case_id}/court-reports",
    response=list[CourtReportSummaryOut],
    summary="A case's court reports (O2)",
)
def list_court_reports(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    reports = list(selectors.case_reports(case))
    audit.log_access(request, audit.LIST, reports, case=case)
    return reports


@router.post(
    "/cases/{int:case_id}/court-reports",
    response={201: CourtReportOut},
    summary="Generate a court report's draft from the record of a period (O2)",
)
def generate_court_report(request, case_id: int, payload: CourtReportIn, response: HttpResponse):
    """By the case's writers, for a court-involved case; the period has ended."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    hearing = by_id(Hearing.objects.filter(case=case), payload.hearing, "hearing", "hearing")
    report = services.court_report_generate(
        actor=request.user,
        case=case,
        period_start=payload.period_start,
        period_end=payload.period_end,
        hearing=hearing,
    )
    set_etag(response, report)
    return Status(201, selectors.report(request.user, report.pk))


@router.get(
    "/court-reports/{int:court_report_id}", response=CourtReportOut, summary="Read a court report"
)
def get_court_report(request, court_report_id: int, response: HttpResponse):
    report = _report(request, court_report_id)
    log_api_view(request, report, case=report.case)
    set_etag(response, report)
    return report


@router.patch(
    "/court-reports/{int:court_report_id}",
    response=CourtReportOut,
    summary="Edit a draft court report's sections, or write them again from the record",
)
def update_court_report(
    request, court_report_id: int, payload: CourtReportPatch, response: HttpResponse
):
    """Only a draft changes (409 once submitted or approved). `regenerate` keeps the
    recommendation and writes the other sections from the record as it is now."""
    report = _report(request, court_report_id, for_edit=True)
    version = expected_version(request, payload.version)
    if payload.regenerate:
        report = services.court_report_regenerate(
            actor=request.user, report=report, version=version
        )
        version = report.version
    if payload.sections:
        report = services.court_report_update(
            actor=request.user, report=report, version=version, sections=dict(payload.sections)
        )
    set_etag(response, report)
    return selectors.report(request.user, report.pk)


@router.get(
    "/court-reports/{int:court_report_id}/pdf",
    summary="An approved court report as a PDF (O2)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report's PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def court_report_pdf_get(request, court_report_id: int):
    """409 until the report is approved (through the state's review of a court report
    recommendation)."""
    report = _report(request, court_report_id)
    if report.status != CourtReport.Status.APPROVED:
        raise ConflictError(
            {"status": "The PDF is made once the report is approved by the state's review."}
        )
    audit.log_access(request, audit.EXPORT, report, case=report.case)
    response = HttpResponse(court_report_pdf(report), content_type="application/pdf")
    name = f"court-report-{report.case.case_number}-{report.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
