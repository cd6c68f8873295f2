"""Quality assurance endpoints (O3, C8, P9): samples drawn by the state oversight
supervisor, the QA reviewers' reviews, the contractor's response, compliance by
contractor, unit, item and month, and corrective actions.

Thin: each endpoint finds the record in the viewer's scope (hearth.oversight.selectors.qa:
a record outside it answers 404 like a missing one), checks the shape of the input, then
calls one service or selector. Bad input answers 4xx naming the field and stores nothing;
a change names the version read (`version` or If-Match; 409 when it changed since)."""

from datetime import date

from django.http import HttpResponse
from ninja import Field, Query, Schema, Status

from hearth.core import audit
from hearth.core.api_common import (
    CaseRef,
    InputSchema,
    LongText,
    NamedRef,
    by_id,
    expected_version,
    log_api_view,
    refuse_nulls,
    set_etag,
)
from hearth.core.errors import DomainError, NotFound
from hearth.oversight.api.router import router
from hearth.oversight.models import CorrectiveAction, QaAnswer, QaReview
from hearth.oversight.selectors import qa as selectors
from hearth.oversight.services import qa as services
from hearth.planning.models import Instrument, InstrumentItem
from hearth.staff.models import Agency, StaffMember, Unit

MAX_ID = 2**63 - 1


def _ref(staff) -> dict | None:
    return {"id": staff.pk, "name": staff.full_name} if staff is not None else None


# Samples (O3) -----------------------------------------------------------------------------


class QaSampleIn(InputSchema):
    period_start: date
    period_end: date
    size: int | None = Field(None, ge=1, le=services.MAX_SAMPLE, description="Default: setting")
    seed: int | None = Field(
        None, ge=0, le=services.MAX_SEED, description="Default: a random one (stored)"
    )
    agency: int | None = Field(None, ge=1, le=MAX_ID, description="One contractor; none: all")
    reviewers: list[int] = Field(..., description="QA reviewers, who take the cases in turn")
    instrument: int | None = Field(
        None, ge=1, le=MAX_ID, description="A fidelity instrument (default: the practice guide's)"
    )


class QaSampleOut(Schema):
    id: int
    instrument: int
    period_start: date
    period_end: date
    size: int
    seed: int
    agency: int | None = Field(None, description="None: every contractor")
    drawn_by: NamedRef
    drawn_on: date


def _sample(sample) -> dict:
    return {
        "id": sample.pk,
        "instrument": sample.instrument_id,
        "period_start": sample.period_start,
        "period_end": sample.period_end,
        "size": sample.size,
        "seed": sample.seed,
        "agency": sample.agency_id,
        "drawn_by": _ref(sample.drawn_by),
        "drawn_on": sample.created_at.date(),
    }


class QaSampleCaseOut(Schema):
    case: CaseRef
    agency: NamedRef
    unit: NamedRef | None
    reviewer: NamedRef | None
    review: int | None
    review_status: str | None


class QaStratumOut(Schema):
    agency: str
    unit: str | None
    cases: int


class QaSampleDetailOut(QaSampleOut):
    strata: list[QaStratumOut]
    cases: list[QaSampleCaseOut]


def _sample_detail(request, sample) -> tuple[dict, list]:
    rows = list(selectors.sample_cases(sample, request.user))
    return {
        **_sample(sample),
        "strata": [
            {"agency": s["agency__name"], "unit": s["unit__name"], "cases": s["cases"]}
            for s in selectors.strata(sample)
        ],
        "cases": [
            {
                "case": {"id": sc.case_id, "case_number": sc.case.case_number},
                "agency": {"id": sc.agency_id, "name": sc.agency.name},
                "unit": {"id": sc.unit_id, "name": sc.unit.name} if sc.unit else None,
                "reviewer": _ref(sc.reviewer),
                "review": getattr(getattr(sc, "review", None), "pk", None),
                "review_status": getattr(getattr(sc, "review", None), "status", None),
            }
            for sc in rows
        ],
    }, rows


@router.post(
    "/qa/samples",
    response={201: QaSampleDetailOut},
    summary="Draw a QA sample of a period (O3; qa.sample)",
)
def draw_sample(request, payload: QaSampleIn):
    """Random, stratified by contractor and unit, reproducible from its seed: the same
    seed on the same population draws the same cases. Each case is granted to its
    reviewer and gets a draft review."""
    sample = services.sample_draw(
        actor=request.user,
        period_start=payload.period_start,
        period_end=payload.period_end,
        size=payload.size,
        seed=payload.seed,
        agency=by_id(Agency.objects.all(), payload.agency, "agency", "contractor"),
        reviewers=[
            by_id(services.qa_reviewers(), pk, "reviewers", "QA reviewer")
            for pk in dict.fromkeys(payload.reviewers)
        ],
        instrument=by_id(
            Instrument.objects.filter(kind=Instrument.Kind.FIDELITY),
            payload.instrument,
            "instrument",
            "fidelity instrument",
        ),
    )
    detail, _ = _sample_detail(request, sample)
    return Status(201, detail)


@router.get("/qa/samples", response=list[QaSampleOut], summary="QA samples (O3)")
def list_samples(request):
    """Every sample for the state oversight supervisor; the ones with cases given to them
    for a QA reviewer."""
    return [_sample(s) for s in selectors.visible_samples(request.user).select_related("drawn_by")]


@router.get(
    "/qa/samples/{int:qa_sample_id}",
    response=QaSampleDetailOut,
    summary="A QA sample with its strata and cases (O3)",
)
def get_sample(request, qa_sample_id: int):
    sample = (
        selectors.visible_samples(request.user)
        .select_related("drawn_by")
        .filter(pk=qa_sample_id)
        .first()
    )
    if sample is None:
        raise NotFound()
    detail, rows = _sample_detail(request, sample)
    log_api_view(request, sample)
    audit.log_access(request, audit.LIST, [sc.case for sc in rows])
    return detail


# Reviews (O3, C8) ---------------------------------------------------------------------------


class QaReviewOut(Schema):
    id: int
    sample: int
    case: CaseRef
    agency: NamedRef
    unit: NamedRef | None
    reviewer: NamedRef
    status: str
    due_on: date
    finalized_on: date | None
    responded_on: date | None
    version: int

    @staticmethod
    def resolve_sample(obj):
        return obj.sample_case.sample_id

    @staticmethod
    def resolve_case(obj):
        return {"id": obj.sample_case.case_id, "case_number": obj.sample_case.case.case_number}

    @staticmethod
    def resolve_agency(obj):
        return {"id": obj.sample_case.agency_id, "name": obj.sample_case.agency.name}

    @staticmethod
    def resolve_unit(obj):
        unit = obj.sample_case.unit
        return {"id": unit.pk, "name": unit.name} if unit else None

    @staticmethod
    def resolve_reviewer(obj):
        return _ref(obj.reviewer)


class QaAnswerOut(Schema):
    item: str
    text: str
    answer: str = Field(..., description="yes, no, na; empty: not answered yet")
    comment: str


class QaReviewDomainOut(Schema):
    code: str
    name: str
    items: list[QaAnswerOut]


class QaReviewDetailOut(QaReviewOut):
    instrument: int
    summary: str
    contractor_response: str
    responded_by: NamedRef | None
    domains: list[QaReviewDomainOut]

    @staticmethod
    def resolve_instrument(obj):
        return obj.sample_case.sample.instrument_id

    @staticmethod
    def resolve_responded_by(obj):
        return _ref(obj.responded_by)

    @staticmethod
    def resolve_domains(obj):
        return [
            {
                "code": d.domain.code,
                "name": d.domain.name,
                "items": [
                    {
                        "item": r.item.code,
                        "text": r.item.text,
                        "answer": r.answer,
                        "comment": r.comment,
                    }
                    for r in d.items
                ],
            }
            for d in selectors.review_domains(obj)
        ]


class QaAnswerIn(InputSchema):
    item: str = Field(..., max_length=40, description="The item's code")
    answer: QaAnswer.Answer = Field(..., description="yes, no or na (not applicable)")
    comment: LongText = Field("", description="What was seen; a no needs one to finalize")


class QaAnswersIn(InputSchema):
    answers: list[QaAnswerIn]
    summary: LongText | None = None
    version: int | None = Field(None, ge=1, le=MAX_ID)


class QaFinalizeIn(InputSchema):
    summary: LongText | None = None
    version: int | None = Field(None, ge=1, le=MAX_ID)


class QaResponseIn(InputSchema):
    response: LongText = Field(..., description="The contractor's response")
    version: int | None = Field(None, ge=1, le=MAX_ID)


def _review(request, qa_review_id: int) -> QaReview:
    review = selectors.visible_reviews(request.user).filter(pk=qa_review_id).first()
    if review is None:
        raise NotFound()
    return review


def _review_answer(request, review, response) -> QaReview:
    review = _review(request, review.pk)
    set_etag(response, review)
    return review


@router.get("/qa/reviews", response=list[QaReviewOut], summary="QA reviews (O3)")
def list_reviews(
    request,
    status: QaReview.Status | None = None,
    sample: int | None = Query(None, ge=1, le=MAX_ID),
):
    """A QA reviewer's own reviews; every review for the state oversight supervisor; the
    finalized reviews of their agency (unit) for a contractor's program director
    (supervisor). `status`: draft or finalized."""
    reviews = selectors.visible_reviews(request.user)
    if status:
        reviews = reviews.filter(status=status)
    if sample:
        reviews = reviews.filter(sample_case__sample_id=sample)
    rows = list(reviews.order_by("due_on", "pk")[:1000])
    audit.log_access(request, audit.LIST, [r.sample_case.case for r in rows])
    return rows


@router.get(
    "/qa/reviews/{int:qa_review_id}",
    response=QaReviewDetailOut,
    summary="A QA review with its answers by domain (O3, C8)",
)
def get_review(request, qa_review_id: int, response: HttpResponse):
    review = _review(request, qa_review_id)
    log_api_view(request, review, case=review.sample_case.case)
    set_etag(response, review)
    return review


@router.put(
    "/qa/reviews/{int:qa_review_id}/answers",
    response=QaReviewDetailOut,
    summary="Answer items of a draft QA review (C8; its reviewer)",
)
def answer_review(request, qa_review_id: int, payload: QaAnswersIn, response: HttpResponse):
    """Each item yes, no or na with a comment; an item answered again takes the new
    answer. `summary` replaces the summary when given."""
    review = _review(request, qa_review_id)
    version = expected_version(request, payload.version)
    review = services.review_answer(
        actor=request.user,
        review=review,
        answers=[a.dict() for a in payload.answers],
        summary=payload.summary,
        version=version,
    )
    return _review_answer(request, review, response)


@router.post(
    "/qa/reviews/{int:qa_review_id}/finalize",
    response=QaReviewDetailOut,
    summary="Finalize a QA review (O3, C8): every item answered, a no with a comment",
)
def finalize_review(request, qa_review_id: int, payload: QaFinalizeIn, response: HttpResponse):
    """The review is then shown to the contractor; an item of its contractor's unit below
    the threshold opens a corrective action (P9)."""
    review = _review(request, qa_review_id)
    version = expected_version(request, payload.version)
    review = services.review_finalize(
        actor=request.user, review=review, version=version, summary=payload.summary
    )
    return _review_answer(request, review, response)


@router.post(
    "/qa/reviews/{int:qa_review_id}/response",
    response=QaReviewDetailOut,
    summary="The contractor's response to a finalized QA review (O3; qa.respond)",
)
def respond_to_review(request, qa_review_id: int, payload: QaResponseIn, response: HttpResponse):
    review = _review(request, qa_review_id)
    version = expected_version(request, payload.version)
    review = services.review_respond(
        actor=request.user, review=review, response=payload.response, version=version
    )
    return _review_answer(request, review, response)


# Compliance (P9) ---------------------------------------------------------------------------


class QaComplianceRowOut(Schema):
    agency: NamedRef | None
    unit: NamedRef | None
    item: str | None = Field(None, description="The item's code")
    item_text: str | None
    month: str | None = Field(None, description="YYYY-MM")
    yes: int
    no: int
    na: int
    percent: int | None = Field(..., description="yes / (yes + no); na excluded")
    below_threshold: bool


class QaComplianceOut(Schema):
    start: date
    end: date
    by: list[str]
    threshold_percent: int
    rows: list[QaComplianceRowOut]


def compliance_json(report) -> dict:
    rows = []
    for r in report.rows:
        agency = report.agencies.get(r.agency)
        unit = report.units.get(r.unit)
        item = report.items.get(r.item)
        rows.append(
            {
                "agency": {"id": agency.pk, "name": agency.name} if agency else None,
                "unit": {"id": unit.pk, "name": unit.name} if unit else None,
                "item": item.code if item else None,
                "item_text": item.text if item else None,
                "month": f"{r.month:%Y-%m}" if r.month else None,
                "yes": r.yes,
                "no": r.no,
                "na": r.na,
                "percent": r.percent,
                "below_threshold": r.percent is not None and r.percent < report.threshold,
            }
        )
    return {
        "start": report.start,
        "end": report.end,
        "by": list(report.by),
        "threshold_percent": report.threshold,
        "rows": rows,
    }


def parse_by(raw: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in (raw or "").split(",") if p.strip())
    unknown = sorted(set(parts) - set(selectors.GROUPS))
    if unknown or not parts:
        raise DomainError({"by": "Group by agency, unit, item and/or month, comma-separated."})
    return parts


@router.get(
    "/qa/compliance",
    response=QaComplianceOut,
    summary="QA compliance by contractor, unit, item and month (P9)",
)
def get_compliance(
    request,
    start: date,
    end: date,
    by: str = Query("agency,item", max_length=40, description="agency, unit, item, month"),
):
    """Compliance = yes / (yes + no) of the reviews finalized from `start` to `end`; not
    applicable answers excluded. Every contractor for state staff; a contractor's own
    agency for its program director and supervisors."""
    if end < start:
        raise DomainError({"end": "The period ends on or after its first day."})
    return compliance_json(selectors.compliance(request.user, start, end, parse_by(by)))


# Corrective actions (P9) -------------------------------------------------------------------


class CorrectiveActionOut(Schema):
    id: int
    agency: NamedRef
    unit: NamedRef | None
    item: str
    item_text: str
    period_start: date
    period_end: date
    compliance_percent: int
    threshold_percent: int
    status: str
    owner: NamedRef | None
    due_on: date
    plan: str
    opened_by: NamedRef | None = Field(None, description="None: opened by a finalized review")
    opened_on: date
    closed_on: date | None
    closing_note: str
    follow_up_reviews: list[int]
    version: int

    @staticmethod
    def resolve_agency(obj):
        return {"id": obj.agency_id, "name": obj.agency.name}

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name} if obj.unit else None

    @staticmethod
    def resolve_item(obj):
        return obj.item.code

    @staticmethod
    def resolve_item_text(obj):
        return obj.item.text

    @staticmethod
    def resolve_owner(obj):
        return _ref(obj.owner)

    @staticmethod
    def resolve_opened_by(obj):
        return _ref(obj.opened_by)

    @staticmethod
    def resolve_opened_on(obj):
        return obj.created_at.date()

    @staticmethod
    def resolve_follow_up_reviews(obj):
        return sorted(r.pk for r in obj.follow_up_reviews.all())


class CorrectiveActionIn(InputSchema):
    agency: int = Field(..., ge=1, le=MAX_ID)
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    item: int = Field(..., ge=1, le=MAX_ID, description="An item of a fidelity instrument")
    period_start: date
    period_end: date
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Default: program director")
    due_on: date | None = None
    plan: LongText = ""


class CorrectiveActionPatch(InputSchema):
    owner: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: date | None = None
    plan: LongText | None = None
    version: int | None = Field(None, ge=1, le=MAX_ID)


class CorrectiveActionCloseIn(InputSchema):
    closing_note: LongText
    no_follow_up_reason: LongText = Field("", description="When no follow-up review is linked")
    version: int | None = Field(None, ge=1, le=MAX_ID)


class CorrectiveActionFollowUpIn(InputSchema):
    review: int = Field(..., ge=1, le=MAX_ID, description="A finalized QA review")
    version: int | None = Field(None, ge=1, le=MAX_ID)


def _action(request, corrective_action_id: int) -> CorrectiveAction:
    action = (
        selectors.visible_actions(request.user)
        .prefetch_related("follow_up_reviews")
        .filter(pk=corrective_action_id)
        .first()
    )
    if action is None:
        raise NotFound()
    return action


def _action_answer(request, action, response) -> CorrectiveAction:
    action = _action(request, action.pk)
    set_etag(response, action)
    return action


@router.get(
    "/qa/corrective-actions", response=list[CorrectiveActionOut], summary="Corrective actions (P9)"
)
def list_actions(request, status: CorrectiveAction.Status | None = None):
    actions = selectors.visible_actions(request.user).prefetch_related("follow_up_reviews")
    if status:
        actions = actions.filter(status=status)
    return list(actions[:1000])


@router.post(
    "/qa/corrective-actions",
    response={201: CorrectiveActionOut},
    summary="Open a corrective action (P9; qa.corrective_action)",
)
def create_action(request, payload: CorrectiveActionIn, response: HttpResponse):
    agency = by_id(Agency.objects.all(), payload.agency, "agency", "contractor")
    action = services.corrective_action_create(
        actor=request.user,
        agency=agency,
        unit=by_id(Unit.objects.filter(agency=agency), payload.unit, "unit", "unit"),
        item=by_id(
            InstrumentItem.objects.select_related("domain__instrument"),
            payload.item,
            "item",
            "item",
        ),
        period_start=payload.period_start,
        period_end=payload.period_end,
        owner=by_id(StaffMember.objects.all(), payload.owner, "owner", "staff member"),
        due_on=payload.due_on,
        plan=payload.plan,
    )
    return Status(201, _action_answer(request, action, response))


@router.get(
    "/qa/corrective-actions/{int:corrective_action_id}",
    response=CorrectiveActionOut,
    summary="A corrective action (P9)",
)
def get_action(request, corrective_action_id: int, response: HttpResponse):
    action = _action(request, corrective_action_id)
    set_etag(response, action)
    return action


@router.patch(
    "/qa/corrective-actions/{int:corrective_action_id}",
    response=CorrectiveActionOut,
    summary="Set a corrective action's owner, due date or plan (P9)",
)
def update_action(
    request, corrective_action_id: int, payload: CorrectiveActionPatch, response: HttpResponse
):
    """The state oversight supervisor sets the owner, the due date and the plan; the
    contractor's program director or supervisor writes the plan."""
    action = _action(request, corrective_action_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    refuse_nulls(data, ("owner", "due_on", "plan"))
    if "owner" in data:
        data["owner"] = by_id(StaffMember.objects.all(), data["owner"], "owner", "staff member")
    action = services.corrective_action_update(
        actor=request.user, action=action, version=version, **data
    )
    return _action_answer(request, action, response)


@router.post(
    "/qa/corrective-actions/{int:corrective_action_id}/close",
    response=CorrectiveActionOut,
    summary="Close a corrective action (P9): a note, and a follow-up review or a reason",
)
def close_action(
    request, corrective_action_id: int, payload: CorrectiveActionCloseIn, response: HttpResponse
):
    action = _action(request, corrective_action_id)
    version = expected_version(request, payload.version)
    action = services.corrective_action_close(
        actor=request.user,
        action=action,
        closing_note=payload.closing_note,
        no_follow_up_reason=payload.no_follow_up_reason,
        version=version,
    )
    return _action_answer(request, action, response)


@router.post(
    "/qa/corrective-actions/{int:corrective_action_id}/follow-ups",
    response=CorrectiveActionOut,
    summary="Link a follow-up review to a corrective action (P9)",
)
def add_follow_up(
    request, corrective_action_id: int, payload: CorrectiveActionFollowUpIn, response: HttpResponse
):
    action = _action(request, corrective_action_id)
    version = expected_version(request, payload.version)
    review = by_id(
        selectors.visible_reviews(request.user).filter(status=QaReview.Status.FINALIZED),
        payload.review,
        "review",
        "finalized review",
    )
    action = services.corrective_action_add_follow_up(
        actor=request.user, action=action, review=review, version=version
    )
    return _action_answer(request, action, response)
