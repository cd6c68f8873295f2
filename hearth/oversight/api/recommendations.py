"""Oversight endpoints of the recommendations area (O1, O2, P1): the contractor's
recommendations (closure, case plan, court report), the supervisor's approval, the
state's review with its findings, the revision, the withdrawal, the presentation to the
court, and the reviews due to the viewer.

Thin: each endpoint checks access (the case's scope, hearth.cases.access; who may act,
hearth.oversight.access) and the input's shape, and calls one service in
hearth.oversight.services.recommendations, which checks the rules. A refusal is a 4xx
naming the field; nothing is stored. A change names the version it was read at (`version`
or If-Match; 409 when it changed since). Reads log what they show.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Schema, Status

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.api_common import (
    InputSchema,
    LongText,
    NamedRef,
    by_id,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import Forbidden
from hearth.oversight import access
from hearth.oversight.api.router import router
from hearth.oversight.models import CourtReport, Hearing, Recommendation
from hearth.oversight.selectors import recommendations as selectors
from hearth.oversight.services import recommendations as services
from hearth.planning.models import CasePlan


def _named(staff) -> dict | None:
    return {"id": staff.pk, "name": staff.full_name} if staff else None


# --- Schemas ---------------------------------------------------------------------------


class RecommendationIn(InputSchema):
    kind: Recommendation.Kind
    reasons: LongText = Field(
        ...,
        description="P1 (closure): why the family no longer needs protection and the parents "
        "can care for the child; O2: what is recommended to the court",
    )
    plan: int | None = Field(None, description="A case plan of the case (kind case_plan)")
    court_report: int | None = Field(
        None, description="A draft court report of the case (kind court_report)"
    )


class RecommendationVersionIn(InputSchema):
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


class RecommendationEvidenceIn(InputSchema):
    type: Literal["contact_note", "service_referral", "safety_plan", "assessment", "case_plan"]
    id: int


class RecommendationFindingIn(InputSchema):
    code: Literal["reasonable_efforts", "threats_mitigated", "aftercare", "best_interest"]
    met: bool
    explanation: LongText = ""
    evidence: list[RecommendationEvidenceIn] = Field(default_factory=list, max_length=50)


class RecommendationReviewIn(RecommendationVersionIn):
    decision: Literal["approved", "returned"]
    findings: list[RecommendationFindingIn] = Field(
        default_factory=list,
        max_length=4,
        description="O1: the four findings of a non-court closure; O2: reasonable_efforts and "
        "best_interest; each yes or no with evidence (records cited, or an explanation)",
    )
    reasons: LongText = Field("", description="Why it is returned (required to return)")


class RecommendationResubmitIn(RecommendationVersionIn):
    reasons: LongText


class RecommendationPresentedIn(RecommendationVersionIn):
    hearing: int = Field(..., description="A hearing of the case")
    on: date


class RecommendationFindingOut(Schema):
    code: str
    met: bool
    explanation: str
    evidence: list[dict]


class RecommendationRoundOut(Schema):
    number: int
    reasons: str
    submitted_by: NamedRef
    submitted_at: datetime
    supervisor_approved_by: NamedRef | None
    supervisor_approved_at: datetime | None
    sent_to_state_at: datetime | None
    reviewer: NamedRef | None
    decision: str
    decided_by: NamedRef | None
    decided_at: datetime | None
    decision_reasons: str
    findings: list[RecommendationFindingOut]

    @staticmethod
    def resolve_submitted_by(obj):
        return _named(obj.submitted_by)

    @staticmethod
    def resolve_supervisor_approved_by(obj):
        return _named(obj.supervisor_approved_by)

    @staticmethod
    def resolve_reviewer(obj):
        return _named(obj.reviewer)

    @staticmethod
    def resolve_decided_by(obj):
        return _named(obj.decided_by)

    @staticmethod
    def resolve_findings(obj):
        return list(obj.findings.all())


class RecommendationOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    kind: str
    status: str
    reasons: str
    plan: int | None = Field(None, alias="plan_id")
    court_report: int | None = Field(None, alias="court_report_id")
    submitted_by: NamedRef
    reviewer: NamedRef | None
    due_on: date | None
    decided_on: date | None
    presented_at: int | None = Field(None, alias="presented_at_id")
    presented_on: date | None
    created_at: datetime

    @staticmethod
    def resolve_submitted_by(obj):
        return _named(obj.submitted_by)

    @staticmethod
    def resolve_reviewer(obj):
        return _named(obj.reviewer)


class RecommendationDetailOut(RecommendationOut):
    rounds: list[RecommendationRoundOut]

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())


class RecommendationReviewDueOut(RecommendationOut):
    case_number: str
    overdue: bool
    days_left: int | None

    @staticmethod
    def resolve_case_number(obj):
        return obj.case.case_number


# --- Helpers ---------------------------------------------------------------------------


def _detail(request, pk: int, response: HttpResponse | None = None) -> Recommendation:
    rec = selectors.recommendation(request.user, pk)
    if response is not None:
        set_etag(response, rec)
    return rec


def _for_contractor(request, pk: int) -> Recommendation:
    """A recommendation the caller may change on the contractor's side (the case's
    writers): NotFound when unseen, Forbidden when seen but not theirs to change."""
    return selectors.recommendation(request.user, pk, for_edit=True)


def _for_reviewer(request, pk: int) -> Recommendation:
    rec = selectors.recommendation(request.user, pk)
    if not access.can_review_recommendation(request.user, rec):
        raise Forbidden()
    return rec


# --- Endpoints -------------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/state-recommendations",
    response=list[RecommendationDetailOut],
    summary="A case's recommendations to the state, with their rounds (O1, O2)",
)
def list_recommendations(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    recs = selectors.case_recommendations(case)
    audit.log_access(request, audit.LIST, recs, case=case)
    return recs


@router.post(
    "/cases/{int:case_id}/state-recommendations",
    response={201: RecommendationDetailOut},
    summary="Recommend a closure, a case plan or a court report to the state (O1, O2, P1)",
)
def submit_recommendation(request, case_id: int, payload: RecommendationIn):
    """A closure for an open case (its reasons, P1); a case plan or court report for a
    court-involved case (O2). It goes to the contractor's supervisor first when the
    agency's setting recommendation_supervisor_approval is 1, else to the state."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    rec = services.recommendation_submit(
        actor=request.user,
        case=case,
        kind=payload.kind,
        reasons=payload.reasons,
        plan=by_id(CasePlan.objects.filter(case=case), payload.plan, "plan", "case plan"),
        court_report=by_id(
            CourtReport.objects.filter(case=case),
            payload.court_report,
            "court_report",
            "court report",
        ),
    )
    return Status(201, selectors.recommendation(request.user, rec.pk))


@router.get(
    "/recommendations/{int:recommendation_id}",
    response=RecommendationDetailOut,
    summary="Read a recommendation with every round and its findings",
)
def get_recommendation(request, recommendation_id: int, response: HttpResponse):
    rec = _detail(request, recommendation_id, response)
    log_api_view(request, rec, case=rec.case)
    return rec


@router.post(
    "/recommendations/{int:recommendation_id}/supervisor-approval",
    response=RecommendationDetailOut,
    summary="The contractor's supervisor approves a recommendation; it goes to the state",
)
def approve_recommendation(
    request, recommendation_id: int, payload: RecommendationVersionIn, response: HttpResponse
):
    rec = _for_contractor(request, recommendation_id)
    services.recommendation_supervisor_approve(
        actor=request.user,
        recommendation=rec,
        version=expected_version(request, payload.version),
    )
    return _detail(request, recommendation_id, response)


@router.post(
    "/recommendations/{int:recommendation_id}/review",
    response=RecommendationDetailOut,
    summary="The state's review: findings, then approve or return with reasons (O1, O2)",
)
def review_recommendation(
    request, recommendation_id: int, payload: RecommendationReviewIn, response: HttpResponse
):
    """O1: a non-court closure needs its four findings, all yes, to be approved; O2: a
    court-involved case's recommendation needs reasonable efforts and best interest. Each
    finding cites records of the case (`evidence`) or explains. Approving a closure closes
    the case (refused, 422 naming `status`, while a child is in care)."""
    rec = _for_reviewer(request, recommendation_id)
    services.recommendation_review(
        actor=request.user,
        recommendation=rec,
        decision=payload.decision,
        findings=[
            {
                "code": f.code,
                "met": f.met,
                "explanation": f.explanation,
                "evidence": [{"type": e.type, "id": e.id} for e in f.evidence],
            }
            for f in payload.findings
        ],
        reasons=payload.reasons,
        version=expected_version(request, payload.version),
    )
    return _detail(request, recommendation_id, response)


@router.post(
    "/recommendations/{int:recommendation_id}/resubmit",
    response=RecommendationDetailOut,
    summary="Revise a returned recommendation and submit it again (a new round)",
)
def resubmit_recommendation(
    request, recommendation_id: int, payload: RecommendationResubmitIn, response: HttpResponse
):
    rec = _for_contractor(request, recommendation_id)
    services.recommendation_resubmit(
        actor=request.user,
        recommendation=rec,
        reasons=payload.reasons,
        version=expected_version(request, payload.version),
    )
    return _detail(request, recommendation_id, response)


@router.post(
    "/recommendations/{int:recommendation_id}/withdraw",
    response=RecommendationDetailOut,
    summary="Withdraw a pending recommendation (a closure's case goes back to open)",
)
def withdraw_recommendation(
    request, recommendation_id: int, payload: RecommendationVersionIn, response: HttpResponse
):
    rec = _for_contractor(request, recommendation_id)
    services.recommendation_withdraw(
        actor=request.user,
        recommendation=rec,
        version=expected_version(request, payload.version),
    )
    return _detail(request, recommendation_id, response)


@router.post(
    "/recommendations/{int:recommendation_id}/presented",
    response=RecommendationDetailOut,
    summary="Mark an approved case plan or court report presented to the court (O2)",
)
def present_recommendation(
    request, recommendation_id: int, payload: RecommendationPresentedIn, response: HttpResponse
):
    rec = _for_reviewer(request, recommendation_id)
    services.recommendation_mark_presented(
        actor=request.user,
        recommendation=rec,
        hearing=by_id(Hearing.objects.filter(case=rec.case), payload.hearing, "hearing", "hearing"),
        on=payload.on,
        version=expected_version(request, payload.version),
    )
    return _detail(request, recommendation_id, response)


@router.get(
    "/oversight/reviews",
    response=list[RecommendationReviewDueOut],
    summary="The reviews awaiting the caller, by due date, overdue ones marked (O1, O2)",
)
def reviews_due(request):
    items = selectors.reviews_due(viewer=request.user)
    audit.log_access(request, audit.LIST, items)
    return items
