"""Planning endpoints: assessment instruments (configured, not coded), a case's
assessments with what changed since the previous one, and its actionable needs (C3, C9).

Thin: each endpoint checks access (hearth.cases.access, the instruments a viewer sees)
and the shape of the input, then calls one service or selector. Bad input answers 4xx
naming the field (a rating as `ratings.<item code>`) and stores nothing."""

from datetime import date

from ninja import Field, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.core import audit
from hearth.core.api_common import InputSchema, LongText, NamedRef, by_id, log_api_view
from hearth.core.errors import NotFound
from hearth.planning.api.router import router
from hearth.planning.models import Assessment, Instrument, InstrumentItem
from hearth.planning.selectors import assessments as selectors
from hearth.planning.services import assessments as services
from hearth.policy.assessments import SCORE_LABELS

# --- Instruments ---------------------------------------------------------------------------

Slug = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")


class ItemIn(InputSchema):
    code: str = Slug
    text: str = Field(..., min_length=1, max_length=300)
    kind: InstrumentItem.Kind = InstrumentItem.Kind.NEED
    trauma: bool = False


class DomainIn(InputSchema):
    code: str = Slug
    name: str = Field(..., min_length=1, max_length=200)
    min_age: int | None = Field(None, ge=0, le=25, description="Rated from this age on")
    items: list[ItemIn]


class InstrumentIn(InputSchema):
    code: str = Slug
    name: str = Field(..., min_length=1, max_length=200)
    subject: Instrument.Subject
    kind: Instrument.Kind = Instrument.Kind.NEEDS
    description: LongText = ""
    domains: list[DomainIn]


class ItemOut(Schema):
    id: int
    code: str
    text: str
    kind: str
    trauma: bool


class DomainOut(Schema):
    id: int
    code: str
    name: str
    order: int
    min_age: int | None
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())


class InstrumentOut(Schema):
    id: int
    code: str
    name: str
    subject: str
    kind: str
    description: str
    agency: int | None = Field(None, alias="agency_id", description="Empty: every agency's")
    active: bool
    quality_assurance: bool = Field(
        False,
        description="C8: a fidelity instrument of quality assurance reviews; a case is not "
        "assessed with it",
    )

    @staticmethod
    def resolve_quality_assurance(obj) -> bool:
        return obj.kind == Instrument.Kind.FIDELITY


class InstrumentDetailOut(InstrumentOut):
    domains: list[DomainOut]

    @staticmethod
    def resolve_domains(obj):
        return list(obj.domains.all())


@router.get("/instruments", response=list[InstrumentOut], summary="Assessment instruments (C3)")
def list_instruments(request):
    """The instruments you see: the shared ones and your agency's; C8: the fidelity one
    of quality assurance reviews too, marked `quality_assurance`."""
    return list(selectors.visible_instruments(request.user).order_by("name", "id"))


@router.get(
    "/instruments/{int:instrument_id}",
    response=InstrumentDetailOut,
    summary="An assessment instrument with its domains and items (C3)",
)
def get_instrument(request, instrument_id: int):
    instrument = (
        selectors.instruments_with_items(selectors.visible_instruments(request.user))
        .filter(pk=instrument_id)
        .first()
    )
    if instrument is None:
        raise NotFound()
    return instrument


@router.post(
    "/instruments",
    response={201: InstrumentDetailOut},
    summary="Configure an assessment instrument (C3; instrument.manage)",
)
def create_instrument(request, payload: InstrumentIn):
    """The administrator makes an instrument every agency uses; a program director one of
    their agency. Codes are unique; at least one domain, each with items."""
    instrument = services.instrument_create(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        subject=payload.subject,
        kind=payload.kind,
        description=payload.description,
        domains=[d.dict() for d in payload.domains],
    )
    return Status(
        201,
        selectors.instruments_with_items(Instrument.objects.filter(pk=instrument.pk)).get(),
    )


# --- Assessments ---------------------------------------------------------------------------


class RatingIn(InputSchema):
    item: str = Field(..., max_length=40, description="The item's code")
    score: int = Field(..., description="0 no need, 1 watch, 2 act, 3 act now")
    note: LongText = ""


class AssessmentIn(InputSchema):
    instrument: int
    subject: int | None = Field(None, description="The child or caregiver; none for a family")
    assessed_on: date
    reason: Assessment.Reason
    situation: LongText = Field("", description="What changed (any reason but initial)")
    risk_level: str = Field("", max_length=10, description="Safety and risk only")
    summary: LongText = ""
    ratings: list[RatingIn] = Field(..., description="Every item that applies, once")


class InstrumentRef(Schema):
    id: int
    code: str
    name: str
    kind: str
    subject: str


class NeedOut(Schema):
    rating: int
    assessment: int
    instrument: str
    item: str
    text: str
    domain: str
    domain_name: str
    score: int
    label: str
    trauma: bool
    subject: NamedRef | None
    service_linked: bool


def _need(r) -> dict:
    subject = r.assessment.subject
    return {
        "rating": r.pk,
        "assessment": r.assessment_id,
        "instrument": r.assessment.instrument.code,
        "item": r.item.code,
        "text": r.item.text,
        "domain": r.item.domain.code,
        "domain_name": r.item.domain.name,
        "score": r.score,
        "label": SCORE_LABELS[r.score],
        "trauma": r.item.trauma,
        "subject": {"id": subject.pk, "name": subject.full_name} if subject else None,
        "service_linked": bool(r.served),
    }


class AssessmentOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    instrument: InstrumentRef
    subject: NamedRef | None
    assessed_on: date
    assessed_by: NamedRef
    reason: str
    situation: str
    risk_level: str
    summary: str
    actionable_needs: int = Field(..., alias="needs")

    @staticmethod
    def resolve_subject(obj):
        return {"id": obj.subject_id, "name": obj.subject.full_name} if obj.subject_id else None

    @staticmethod
    def resolve_assessed_by(obj):
        return {"id": obj.assessed_by_id, "name": obj.assessed_by.full_name}


class RatingOut(Schema):
    id: int
    item: str
    text: str
    domain: str
    kind: str
    trauma: bool
    score: int
    label: str
    note: str
    actionable: bool
    previous_score: int | None


class ChangeOut(Schema):
    item: str
    text: str
    domain: str
    before: int | None
    after: int | None


class PreviousOut(Schema):
    id: int
    assessed_on: date


class AssessmentDetailOut(Schema):
    id: int
    case: int
    instrument: InstrumentRef
    subject: NamedRef | None
    assessed_on: date
    assessed_by: NamedRef
    reason: str
    situation: str
    risk_level: str
    summary: str
    ratings: list[RatingOut]
    previous: PreviousOut | None = Field(
        None, description="The assessment before it (same case, instrument and subject)"
    )
    changes: list[ChangeOut] = Field(..., description="What changed since the previous one")
    actionable_needs: list[NeedOut]


def _ref(person) -> dict | None:
    return {"id": person.pk, "name": person.full_name} if person is not None else None


def _detail(assessment: Assessment) -> dict:
    """The assessment as the detail shows it (selectors.assessment_detail: 3 queries)."""
    d = selectors.assessment_detail(assessment)
    a = d.assessment
    for r in d.needs:
        r.assessment = a
    return {
        "id": a.pk,
        "case": a.case_id,
        "instrument": a.instrument,
        "subject": _ref(a.subject),
        "assessed_on": a.assessed_on,
        "assessed_by": _ref(a.assessed_by),
        "reason": a.reason,
        "situation": a.situation,
        "risk_level": a.risk_level,
        "summary": a.summary,
        "ratings": [
            {
                "id": row.rating.pk,
                "item": row.rating.item.code,
                "text": row.rating.item.text,
                "domain": dom.domain.code,
                "kind": row.rating.item.kind,
                "trauma": row.rating.item.trauma,
                "score": row.rating.score,
                "label": row.label,
                "note": row.rating.note,
                "actionable": row.actionable,
                "previous_score": row.before,
            }
            for dom in d.domains
            for row in dom.rows
        ],
        "previous": d.previous,
        "changes": [
            {
                "item": c.code,
                "text": c.text,
                "domain": c.domain,
                "before": c.before,
                "after": c.after,
            }
            for c in d.changes
        ],
        "actionable_needs": [_need(r) for r in d.needs],
    }


@router.get(
    "/cases/{int:case_id}/assessments",
    response=list[AssessmentOut],
    summary="A case's assessments, newest first (C3)",
)
def list_assessments(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    rows = list(selectors.case_assessments(case))
    log_api_view(request, case, case=case)
    audit.log_access(request, audit.LIST, rows, case=case)
    return rows


@router.post(
    "/cases/{int:case_id}/assessments",
    response={201: AssessmentDetailOut},
    summary="Record an assessment (C3): every item that applies rated 0 to 3",
)
def record_assessment(request, case_id: int, payload: AssessmentIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    instrument = by_id(
        services.usable_instruments(case), payload.instrument, "instrument", "instrument"
    )
    subject = visible_person(request, payload.subject, "subject")
    assessment = services.assessment_record(
        actor=request.user,
        case=case,
        instrument=instrument,
        subject=subject,
        assessed_on=payload.assessed_on,
        reason=payload.reason,
        situation=payload.situation,
        risk_level=payload.risk_level,
        summary=payload.summary,
        ratings=[r.dict() for r in payload.ratings],
    )
    return Status(201, _detail(selectors.assessment_for_detail(assessment.pk)))


@router.get(
    "/assessments/{int:assessment_id}",
    response=AssessmentDetailOut,
    summary="An assessment: ratings, what changed since the previous one, actionable needs",
)
def get_assessment(request, assessment_id: int):
    assessment = selectors.assessment_for_detail(assessment_id)
    if assessment is None:
        raise NotFound()
    case = case_access.access_case(request.user, assessment.case_id)
    log_api_view(request, assessment, case=case)
    return _detail(assessment)


@router.get(
    "/cases/{int:case_id}/needs",
    response=list[NeedOut],
    summary="The actionable needs of the case's latest assessments (C3, C9)",
)
def list_needs(request, case_id: int):
    """Needs rated 2 (act) or 3 (act now) in the latest assessment of each instrument and
    subject; `trauma` marks trauma needs, `service_linked` a service referral meeting it."""
    case = case_access.access_case(request.user, case_id)
    needs = list(selectors.actionable_needs(case))
    log_api_view(request, case, case=case)
    return [_need(r) for r in needs]
