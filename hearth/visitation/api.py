"""Visitation endpoints: visitation plans and their signatures, family visits, and
placement conferences with their visitation reviews (P5 to P7).

Thin by design: each endpoint checks access (hearth.cases.access) and the shape of the
input, then calls one service in hearth.visitation.services, which checks the rules. A
visitation plan addressed by its own id is reached through its case, and every person
named by id is resolved among the people the caller may see, never trusted as a raw id.
"""

from datetime import date, time
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.cases.models import CaseMeeting
from hearth.core import audit
from hearth.core.api_common import (
    InputSchema,
    LongText,
    NamedRef,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import DomainError, NotFound
from hearth.visitation import services
from hearth.visitation.documents import visitation_plan_pdf
from hearth.visitation.models import (
    FamilyVisit,
    PlanParticipant,
    VisitArrangement,
    VisitationPlan,
    VisitationReview,
)

router = Router(tags=["placements"])

# --- Schemas ---------------------------------------------------------------------------


class ArrangementIn(InputSchema):
    visitor: int | None = Field(None, description="Person id of the visitor, if recorded")
    visitor_name: str = Field("", max_length=200, description="Defaults to the person's name")
    visitor_role: VisitArrangement.VisitorRole
    frequency: VisitArrangement.Frequency
    place: VisitArrangement.Place | None = Field(
        None, description="Where, in words the family's copy translates; or `location` alone"
    )
    location: str = Field("", max_length=200, description="The address or the place's name")
    supervised: bool = True
    supervised_by: VisitArrangement.SupervisedBy | None = None
    supervisor: str = Field("", max_length=200, description="The supervisor's name")
    transport: VisitArrangement.Transport = VisitArrangement.Transport.NONE
    evenings_weekends: bool = False
    day: VisitArrangement.Day | None = None
    starts_at: time | None = None
    ends_at: time | None = None
    times: str = Field("", max_length=200, description="Other times, printed as written")


class ArrangementOut(Schema):
    id: int
    visitor: int | None = Field(None, alias="visitor_id")
    visitor_name: str
    visitor_role: str
    frequency: str
    place: str
    location: str
    supervised: bool
    supervised_by: str
    supervisor: str
    transport: str
    evenings_weekends: bool
    day: str
    starts_at: time | None
    ends_at: time | None
    times: str


class ParticipantIn(InputSchema):
    name: str = Field("", max_length=200, description="Defaults to the person's name")
    role: PlanParticipant.Role
    person: int | None = None


class ParticipantOut(Schema):
    id: int
    name: str
    role: str
    person: int | None = Field(None, alias="person_id")
    signed: bool
    signed_on: date | None
    signature_method: str
    signed_as: str
    copy_given_on: date | None


class PlanIn(InputSchema):
    child: int
    made_at: VisitationPlan.MadeAt
    made_on: date
    arrangements: list[ArrangementIn]
    participants: list[ParticipantIn]
    less_than_weekly_reason: LongText = ""
    notes: LongText = ""


class PlanOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    child: NamedRef
    removal: int = Field(..., alias="episode_id")
    status: str
    made_at: str
    made_on: date
    in_effect_on: date | None
    ended_on: date | None
    less_than_weekly_reason: str
    notes: str
    arrangements: list[ArrangementOut]
    participants: list[ParticipantOut]

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class SignIn(InputSchema):
    method: PlanParticipant.Method
    signed_on: date
    signed_as: str = Field(
        "", max_length=200, description="For an electronic signature: the participant's name"
    )
    copy_given_on: date | None = None
    version: int | None = Field(None, description="The plan's version you read; 409 if it changed.")


class VisitIn(InputSchema):
    child: int
    visit_on: date
    status: FamilyVisit.Status
    reason: LongText = Field("", description="Why a visit was missed or cancelled")
    visitors: list[int] = Field(default_factory=list, description="Person ids of case members")
    location: str = Field("", max_length=200)
    supervised: bool = False


class VisitOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    child: NamedRef
    plan: int | None = Field(None, alias="plan_id")
    visit_on: date
    status: str
    reason: str
    visitors: list[NamedRef]
    location: str
    supervised: bool

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}

    @staticmethod
    def resolve_visitors(obj):
        return [{"id": p.pk, "name": p.full_name} for p in obj.visitors.all()]


class ReviewIn(InputSchema):
    child: int
    decision: VisitationReview.Decision
    obstacles: LongText = ""
    plan_to_overcome: LongText = ""


class ReviewOut(Schema):
    id: int
    child: NamedRef
    plan: int | None = Field(None, alias="plan_id")
    decision: str
    obstacles: str
    plan_to_overcome: str

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class ConferenceIn(InputSchema):
    held_on: date
    participants: LongText = Field(..., description="Who took part, one per line, with their role")
    decisions: LongText
    reviews: list[ReviewIn] = Field(
        ..., description="P7: the visitation schedule of every child in out-of-home care"
    )


class ConferenceOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    kind: str
    held_on: date
    participants: str
    decisions: str
    reviews: list[ReviewOut] = Field(..., alias="visitation_reviews")


# --- Lookups through access -----------------------------------------------------------


def _people(request, pks: list[int], field: str) -> list:
    wanted = list(dict.fromkeys(pks))
    found = {p.pk: p for p in case_access.visible_people(request.user).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError({field: "Unknown person."})
    return [found[pk] for pk in wanted]


def _plan(request, plan_id: int, *, for_edit: bool = False) -> VisitationPlan:
    plan = VisitationPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    plan.case = case_access.access_case(request.user, plan.case_id, for_edit=for_edit)
    return plan


# --- Visitation plans ------------------------------------------------------------------


def _plans(qs):
    return qs.select_related("child").prefetch_related("arrangements", "participants")


@router.get(
    "/cases/{int:case_id}/visitation-plans",
    response=list[PlanOut],
    summary="Visitation plans (P5, P6)",
)
def list_visit_plans(request, case_id: int, child: int | None = None):
    case = case_access.access_case(request.user, case_id)
    qs = case.visit_plans.order_by("-made_on", "-id")
    if child is not None:
        qs = qs.filter(child_id=child)
    log_api_view(request, case, case=case)
    return list(_plans(qs))


@router.post(
    "/cases/{int:case_id}/visitation-plans",
    response={201: PlanOut},
    summary="Make a visitation plan with the resource parents (P5, P6)",
)
def create_visit_plan(request, case_id: int, payload: PlanIn):
    """The plan awaits every participant's signature; it takes effect when all have
    signed and replaces the plan then in effect."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = visible_person(request, payload.child, "child")
    arrangements = []
    for i, a in enumerate(payload.arrangements):
        data = a.dict()
        for choice in ("place", "supervised_by", "day"):  # not given: blank
            data[choice] = data[choice] or ""
        data["visitor"] = visible_person(request, a.visitor, f"arrangements.{i}.visitor")
        if not data["visitor_name"].strip():
            if data["visitor"] is None:
                raise DomainError({f"arrangements.{i}.visitor_name": "Name the visitor."})
            data["visitor_name"] = data["visitor"].full_name
        arrangements.append(data)
    participants = []
    for i, p in enumerate(payload.participants):
        person = visible_person(request, p.person, f"participants.{i}.person")
        name = p.name.strip() or (person.full_name if person else "")
        if not name:
            raise DomainError({f"participants.{i}.name": "Name the participant."})
        participants.append({"name": name, "role": p.role, "person": person})
    plan = services.visit_plan_create(
        actor=request.user,
        case=case,
        child=child,
        made_at=payload.made_at,
        made_on=payload.made_on,
        arrangements=arrangements,
        participants=participants,
        less_than_weekly_reason=payload.less_than_weekly_reason,
        notes=payload.notes,
    )
    return Status(201, _plans(VisitationPlan.objects.filter(pk=plan.pk)).get())


@router.get("/visitation-plans/{int:plan_id}", response=PlanOut, summary="Read a visitation plan")
def get_visit_plan(request, plan_id: int, response: HttpResponse):
    plan = _plan(request, plan_id)
    log_api_view(request, plan, case=plan.case)
    set_etag(response, plan)
    return _plans(VisitationPlan.objects.filter(pk=plan.pk)).get()


@router.post(
    "/visitation-plans/{int:plan_id}/participants/{int:participant_id}/sign",
    response=PlanOut,
    summary="A participant signs the plan (P6); it takes effect once all have signed",
)
def sign_visit_plan(
    request, plan_id: int, participant_id: int, payload: SignIn, response: HttpResponse
):
    """`version` (or If-Match) is the plan's: every signature changes it."""
    plan = _plan(request, plan_id, for_edit=True)
    participant = plan.participants.filter(pk=participant_id).first()
    if participant is None:
        raise NotFound()
    services.visit_plan_sign(
        actor=request.user,
        participant=participant,
        method=payload.method,
        signed_on=payload.signed_on,
        signed_as=payload.signed_as,
        copy_given_on=payload.copy_given_on,
        version=expected_version(request, payload.version),
    )
    plan = _plans(VisitationPlan.objects.filter(pk=plan.pk)).get()
    set_etag(response, plan)
    return plan


@router.get(
    "/visitation-plans/{int:plan_id}/pdf",
    summary="The plan as a PDF, in English or Spanish (P6: every participant's copy)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The plan's PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def visit_plan_pdf_get(request, plan_id: int, lang: Literal["en", "es"] = Query("en")):
    plan = _plan(request, plan_id)
    audit.log_access(request, audit.EXPORT, plan, case=plan.case)
    response = HttpResponse(visitation_plan_pdf(plan, lang), content_type="application/pdf")
    name = f"visitation-plan-{plan.case.case_number}-{plan.pk}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Family visits ---------------------------------------------------------------------


def _visits(qs):
    return qs.select_related("child").prefetch_related("visitors")


@router.get(
    "/cases/{int:case_id}/family-visits", response=list[VisitOut], summary="Family visits (P5)"
)
def list_family_visits(request, case_id: int, child: int | None = None):
    case = case_access.access_case(request.user, case_id)
    qs = case.family_visits.order_by("-visit_on", "-id")
    if child is not None:
        qs = qs.filter(child_id=child)
    log_api_view(request, case, case=case)
    return list(_visits(qs))


@router.post(
    "/cases/{int:case_id}/family-visits",
    response={201: VisitOut},
    summary="Record a family visit held, missed or cancelled (P5)",
)
def record_family_visit(request, case_id: int, payload: VisitIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = visible_person(request, payload.child, "child")
    visitors = _people(request, payload.visitors, "visitors")
    visit = services.family_visit_record(
        actor=request.user,
        case=case,
        child=child,
        visit_on=payload.visit_on,
        status=payload.status,
        reason=payload.reason,
        visitors=visitors,
        location=payload.location,
        supervised=payload.supervised,
    )
    return Status(201, _visits(FamilyVisit.objects.filter(pk=visit.pk)).get())


# --- Placement conferences -------------------------------------------------------------


@router.post(
    "/cases/{int:case_id}/placement-conferences",
    response={201: ConferenceOut},
    summary="Record a placement conference and its visitation reviews (P7)",
)
def record_placement_conference(request, case_id: int, payload: ConferenceIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    reviews = [
        {
            "child": visible_person(request, r.child, f"reviews.{i}.child"),
            "decision": r.decision,
            "obstacles": r.obstacles,
            "plan_to_overcome": r.plan_to_overcome,
        }
        for i, r in enumerate(payload.reviews)
    ]
    meeting = services.placement_conference_record(
        actor=request.user,
        case=case,
        held_on=payload.held_on,
        participants=payload.participants,
        decisions=payload.decisions,
        reviews=reviews,
    )
    meeting = CaseMeeting.objects.prefetch_related(
        Prefetch(
            "visitation_reviews",
            queryset=VisitationReview.objects.select_related("child").order_by("id"),
        )
    ).get(pk=meeting.pk)
    return Status(201, meeting)
