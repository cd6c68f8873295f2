"""Supervisor exceptions to a parent's contact (V7, V8) and parent contact plans (V6):
the caller is the supervisor who approves or agrees; the service checks the rules."""

from datetime import date

from ninja import Field, Schema, Status

from hearth.cases import access as case_access
from hearth.contacts import services
from hearth.contacts.api.common import person, router
from hearth.contacts.models import ParentContactException, ParentContactPlan
from hearth.core.api_common import InputSchema, LongText, NamedRef
from hearth.core.errors import DomainError
from hearth.staff import access as staff_access

# --- Schemas ---------------------------------------------------------------------------


class ExceptionIn(InputSchema):
    person: int = Field(..., description="Person id of a parent in this case")
    kind: ParentContactException.Kind
    reason: LongText
    starts_on: date
    ends_on: date | None = None


class ExceptionOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    person: NamedRef
    kind: str
    reason: str
    approved_by: NamedRef
    starts_on: date
    ends_on: date | None

    @staticmethod
    def resolve_person(obj):
        return {"id": obj.person_id, "name": obj.person.full_name}

    @staticmethod
    def resolve_approved_by(obj):
        return {"id": obj.approved_by_id, "name": obj.approved_by.full_name}


class ContactPlanIn(InputSchema):
    person: int = Field(..., description="Person id of a parent in this case")
    need: ParentContactPlan.Need
    every_months: int = Field(1, ge=1, le=12)
    starts_on: date
    ends_on: date | None = None
    notes: LongText = ""


class ContactPlanOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    person: NamedRef
    need: str
    every_months: int
    agreed_by: NamedRef
    starts_on: date
    ends_on: date | None
    notes: str

    @staticmethod
    def resolve_person(obj):
        return {"id": obj.person_id, "name": obj.person.full_name}

    @staticmethod
    def resolve_agreed_by(obj):
        return {"id": obj.agreed_by_id, "name": obj.agreed_by.full_name}


# --- Exceptions and contact plans ------------------------------------------------------


@router.post(
    "/cases/{int:case_id}/contact-exceptions",
    response={201: ExceptionOut},
    summary="A supervisor approves a call or letter instead of a parent's visit (V7, V8)",
)
def approve_exception(request, case_id: int, payload: ExceptionIn):
    """The caller is the approver and must be a supervisor. `exception`: while it is in
    force, a call or letter at least every few months is the parent's only contact
    requirement (V7); `far_away`: the parent lives far away, so the monthly visit (V5)
    is still owed and the monthly calls and letters (V8) are its documented reason."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    if not payload.reason.strip():
        raise DomainError({"reason": "Say why the exception is approved."})
    exc = services.contact_exception_approve(
        actor=request.user,
        approver=staff_access.staff_for(request.user),
        case=case,
        person=person(request, payload.person, "person"),
        kind=payload.kind,
        reason=payload.reason,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(
        201,
        ParentContactException.objects.select_related("person", "approved_by").get(pk=exc.pk),
    )


@router.post(
    "/cases/{int:case_id}/parent-contact-plans",
    response={201: ContactPlanOut},
    summary="Agree a parent's contact plan when the goal is not reunification (V6)",
)
def set_contact_plan(request, case_id: int, payload: ContactPlanIn):
    """The caller agrees the plan and must be a supervisor; it replaces the parent's
    plan in effect."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    plan = services.parent_contact_plan_set(
        actor=request.user,
        agreed_by=staff_access.staff_for(request.user),
        case=case,
        person=person(request, payload.person, "person"),
        need=payload.need,
        every_months=payload.every_months,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        notes=payload.notes,
    )
    return Status(
        201, ParentContactPlan.objects.select_related("person", "agreed_by").get(pk=plan.pk)
    )
