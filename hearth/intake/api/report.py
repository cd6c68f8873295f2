"""What a referral reports (issue 15): the reporter, the narrative, the response
priority, the safety determination with its threats, and the allegations per child.
Recorded with the referral (POST /referrals, `report` and `allegations`), read back here
and in the referral's answer."""

from datetime import datetime

from ninja import Field, Router, Schema

from hearth.cases import access as case_access
from hearth.core.api_common import InputSchema, LongText, NamedRef, log_api_view
from hearth.intake import selectors
from hearth.intake.models import Allegation, Report

router = Router()


class ReportIn(InputSchema):
    reporter_role: Report.ReporterRole
    reporter_anonymous: bool = Field(
        False, description="An anonymous reporter's name and contact are not recorded"
    )
    reporter_name: str = Field("", max_length=200, description="Needed unless anonymous")
    reporter_phone: str = Field("", max_length=30)
    reporter_email: str = Field("", max_length=200)
    narrative: LongText = Field(..., min_length=1, description="What was reported")
    response_priority: Report.Priority = Field(
        ..., description="Answered within the agency's response_<priority>_hours"
    )
    safety_determination: Report.Determination
    safety_threats: list[Report.Threat] = Field(
        default_factory=list,
        max_length=len(Report.Threat.values),
        description="None when safe; at least one when conditionally safe or unsafe",
    )


class AllegationIn(InputSchema):
    child: int = Field(..., ge=0, description="The index in `members` of a child")
    maltreatment_type: Allegation.Type
    alleged_perpetrator: int | None = Field(
        None, ge=0, description="The index in `members` of the person alleged; null: unknown"
    )


class ThreatOut(Schema):
    code: str
    label: str


class AllegationOut(Schema):
    id: int
    child: NamedRef
    maltreatment_type: str
    alleged_perpetrator: NamedRef | None


class ReportOut(Schema):
    reporter_role: str
    reporter_anonymous: bool
    reporter_name: str
    reporter_phone: str
    reporter_email: str
    narrative: str
    response_priority: str
    respond_by: datetime = Field(..., description="The report's time and the priority's hours")
    safety_determination: str
    safety_threats: list[ThreatOut]
    allegations: list[AllegationOut]


def report_out(case) -> dict | None:
    """The case's report as the API answers it, or None (two queries)."""
    found = selectors.case_report(case)
    if found is None:
        return None
    report = found.report
    return {
        **{f: getattr(report, f) for f in ReportIn.model_fields if f != "safety_threats"},
        "respond_by": found.respond_by,
        "safety_threats": [{"code": c, "label": label} for c, label in found.threats],
        "allegations": [
            {
                "id": a.pk,
                "child": {"id": a.child_id, "name": a.child.full_name},
                "maltreatment_type": a.maltreatment_type,
                "alleged_perpetrator": (
                    {"id": a.alleged_perpetrator_id, "name": a.alleged_perpetrator.full_name}
                    if a.alleged_perpetrator_id
                    else None
                ),
            }
            for a in found.allegations
        ],
    }


class CaseReportOut(Schema):
    report: ReportOut | None = Field(..., description="null when none was recorded")


@router.get(
    "/cases/{int:case_id}/report",
    response=CaseReportOut,
    summary="What the referral reported: reporter, allegations, priority, safety",
)
def get_report(request, case_id: int):
    """Whoever may see the case; `report` is null when the case was recorded without one."""
    case = case_access.access_case(request.user, case_id)
    log_api_view(request, case)
    return {"report": report_out(case)}
