"""Contact endpoints: contact notes (draft, final, amended; locate efforts), supervisor
exceptions and parent contact plans, a case's contact requirements for a month with
their compliance (V1 to V13), the dashboard figures and "my obligations".

Thin by design: each endpoint checks access (hearth.cases.access) and the shape of the
input, then calls one service in hearth.contacts.services, which checks the rules. A
note is reached through its case, and every person named by id is resolved among the
people the caller may see, never trusted as a raw id.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.contacts import selectors, services
from hearth.contacts.models import (
    Collateral,
    ContactNote,
    ParentContactException,
    ParentContactPlan,
)
from hearth.core import audit
from hearth.core.api_common import (
    CaseRef,
    InputSchema,
    LoggedPages,
    LongText,
    NamedRef,
    by_id,
    expected_version,
    log_api_view,
    refuse_nulls,
    set_etag,
)
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.services import parse_month, today
from hearth.obligations import selectors as obligations
from hearth.people.models import Person
from hearth.policy import contacts as rules
from hearth.staff import access as staff_access

router = Router(tags=["contacts"])

MONTH_HELP = "The calendar month, YYYY-MM; this month if omitted"


# --- Schemas ---------------------------------------------------------------------------


class CollateralIn(InputSchema):
    kind: Collateral.Kind
    name: str = Field("", max_length=200)


class CollateralOut(Schema):
    kind: str
    name: str


class AmendmentOut(Schema):
    id: int
    note: int = Field(..., alias="note_id")
    text: str
    author: str = Field(..., description="Who added the amendment")
    created_at: datetime

    @staticmethod
    def resolve_author(obj):
        user = obj.author
        staff = getattr(user, "staff", None)
        return staff.full_name if staff else (user.get_full_name() or user.username)


class NoteOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    author: NamedRef | None
    kind: str
    status: str
    occurred_at: datetime
    method: str
    location: str
    contact_with: list[NamedRef]
    collaterals: list[CollateralOut]
    purpose: str
    narrative: str
    locate_subject: NamedRef | None
    locate_method: str
    finalized_at: datetime | None
    created_at: datetime
    amendments: list[AmendmentOut]

    @staticmethod
    def resolve_author(obj):
        if obj.author_id is None:
            return None
        return {"id": obj.author_id, "name": obj.author.full_name}

    @staticmethod
    def resolve_contact_with(obj):
        return [{"id": p.pk, "name": p.full_name} for p in obj.contact_with.all()]

    @staticmethod
    def resolve_collaterals(obj):
        return list(obj.collaterals.all())

    @staticmethod
    def resolve_locate_subject(obj):
        if obj.locate_subject_id is None:
            return None
        return {"id": obj.locate_subject_id, "name": obj.locate_subject.full_name}

    @staticmethod
    def resolve_amendments(obj):
        return list(obj.amendments.all())


class NoteIn(InputSchema):
    occurred_at: datetime = Field(
        ...,
        description="When the contact happened (not in the future); a time without an "
        "offset is read in the agency's time zone",
    )
    kind: ContactNote.Kind = ContactNote.Kind.CONTACT
    method: ContactNote.Method | None = Field(
        None,
        description="How the contact was made; an attempt is never a visit (V9). A locate "
        "effort's method follows from `locate_method`.",
    )
    location: ContactNote.Location | None = None
    contact_with: list[int] = Field(
        default_factory=list,
        description="Person ids of the case members actually seen or spoken to",
    )
    collaterals: list[CollateralIn] = Field(
        default_factory=list, description="Others the contact was with (V12: the placement)"
    )
    purpose: str = Field("", max_length=200)
    narrative: LongText
    locate_subject: int | None = Field(
        None, description="A locate effort: the case member being located (V8, V11)"
    )
    locate_method: ContactNote.LocateMethod | None = Field(
        None, description="A locate effort: how they were looked for"
    )
    finalize: bool = Field(
        False, description="Finalize now: a final note counts toward the requirements"
    )


class NotePatch(InputSchema):
    version: int | None = Field(None, description="The version you read; 409 if it changed.")
    occurred_at: datetime | None = None
    method: ContactNote.Method | None = None
    location: ContactNote.Location | None = None
    contact_with: list[int] | None = None
    purpose: str | None = Field(None, max_length=200)
    narrative: LongText | None = None


class VersionIn(InputSchema):
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


class AmendIn(InputSchema):
    text: LongText = Field(..., description="What is added to the final note")


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


class RequirementOut(Schema):
    rule: str
    person: NamedRef | None = Field(..., description="Null: the family as a whole (V1)")
    need: str
    text: str
    start: date = Field(..., description="Evidence counts from this day ...")
    due: date = Field(..., description="... to this day, inclusive")
    state: Literal["met", "open", "missed", "upcoming"]
    evidence: int | None = Field(None, description="The id of the note that meets it")
    days_left: int
    reason: str = Field(..., description="The documented reason it is not met")
    attempts: list[int] = Field(..., description="Ids of the attempts and locate efforts")


class RequirementsOut(Schema):
    case: int
    month: str
    requirements: list[RequirementOut]


class Counts(Schema):
    total: int
    met: int
    due: int
    overdue: int
    upcoming: int
    percent: int | None = Field(None, description="The share met, in percent")


class DashboardRow(Counts):
    key: int | None = Field(None, description="The agency, unit or staff id")
    label: str | None


class DashboardOut(Schema):
    month: str
    group: str
    rows: list[DashboardRow]
    totals: Counts


class ObligationOut(Schema):
    id: int
    source: str
    rule: str
    case: CaseRef
    person: NamedRef | None
    need: str
    description: str
    month: date
    starts_on: date
    due_on: date
    state: str
    met_on: date | None
    evidence_type: str
    evidence_id: int | None
    reason: str
    excused_reason: str
    responsible: int | None = Field(None, alias="responsible_id")
    unit: int | None = Field(None, alias="unit_id")

    @staticmethod
    def resolve_case(obj):
        return {"id": obj.case_id, "case_number": obj.case.case_number}

    @staticmethod
    def resolve_person(obj):
        if obj.person_id is None:
            return None
        return {"id": obj.person_id, "name": obj.person.full_name}


# --- Helpers ---------------------------------------------------------------------------


def _month(raw: str | None) -> date:
    """The first day of a YYYY-MM month (this month when omitted), or a 422 on `month`."""
    if raw is None:
        return today().replace(day=1)
    try:
        return parse_month(raw)
    except ValueError:
        raise DomainError({"month": "Give the month as YYYY-MM."}) from None


def _aware(moment: datetime) -> datetime:
    """A time without an offset is the agency's local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _people(request, pks: list[int], field: str) -> list[Person]:
    wanted = list(dict.fromkeys(pks))
    found = {p.pk: p for p in case_access.visible_people(request.user).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError({field: "Unknown person."})
    return [found[pk] for pk in wanted]


def _person(request, pk: int | None, field: str) -> Person | None:
    return by_id(case_access.visible_people(request.user), pk, field, "person")


def _note(request, note_id: int, *, for_edit: bool = False) -> ContactNote:
    """A note, through its case: 404 if the case is not visible, 403 if it may not be
    changed."""
    note = ContactNote.objects.filter(pk=note_id).first()
    if note is None:
        raise NotFound()
    note.case = case_access.access_case(request.user, note.case_id, for_edit=for_edit)
    return note


def _with_details(qs):
    return qs.select_related("author", "locate_subject").prefetch_related(
        "contact_with", "collaterals", "amendments__author__staff"
    )


def _one(note_id: int) -> ContactNote:
    return _with_details(ContactNote.objects.filter(pk=note_id)).get()


def _staff_or_403(request):
    staff = staff_access.staff_for(request.user)
    if staff is None:
        raise Forbidden()
    return staff


# --- Contact notes ---------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/notes",
    response=list[NoteOut],
    summary="A case's contact notes, newest first",
)
@paginate(LoggedPages)
def list_notes(
    request,
    case_id: int,
    person: int | None = Query(None, description="Only the notes with or locating this person"),
):
    case = case_access.access_case(request.user, case_id)
    log_api_view(request, case, case=case)
    return _with_details(selectors.case_notes(case, person_id=person))


@router.post(
    "/cases/{int:case_id}/notes",
    response={201: NoteOut},
    summary="Record a contact or a locate effort (V8 to V12)",
)
def create_note(request, case_id: int, payload: NoteIn):
    """A draft unless `finalize`; only a final note counts toward the requirements, and
    it is then only amended. The people ticked in `contact_with` must be members of the
    case on the day. A locate effort (`kind` locate) names `locate_subject` and
    `locate_method`, from which its method follows."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    locating = payload.kind == ContactNote.Kind.LOCATE
    if not locating and (payload.locate_subject is not None or payload.locate_method):
        field = "locate_subject" if payload.locate_subject is not None else "locate_method"
        raise DomainError({field: "Only a locate effort names whom and how it locates."})
    if locating and payload.method is not None and payload.locate_method is not None:
        derived = rules.LOCATE_METHODS.get(payload.locate_method)
        if payload.method != derived:
            raise DomainError({"method": "A locate effort's method follows from locate_method."})
    note = services.contact_note_create(
        actor=request.user,
        author=staff_access.staff_for(request.user),
        case=case,
        occurred_at=_aware(payload.occurred_at),
        narrative=payload.narrative,
        method=payload.method or "",
        location=payload.location or "",
        contact_with=_people(request, payload.contact_with, "contact_with"),
        collaterals=[c.dict() for c in payload.collaterals],
        purpose=payload.purpose,
        kind=payload.kind,
        locate_subject=_person(request, payload.locate_subject, "locate_subject"),
        locate_method=payload.locate_method or "",
        finalize=payload.finalize,
    )
    return Status(201, _one(note.pk))


@router.get("/notes/{int:note_id}", response=NoteOut, summary="Read a contact note")
def get_note(request, note_id: int, response: HttpResponse):
    note = _note(request, note_id)
    log_api_view(request, note, case=note.case)
    set_etag(response, note)
    return _one(note.pk)


@router.patch(
    "/notes/{int:note_id}",
    response=NoteOut,
    summary="Correct a draft note (its author); a final note is amended instead",
)
def update_note(request, note_id: int, payload: NotePatch, response: HttpResponse):
    note = _note(request, note_id, for_edit=True)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    refuse_nulls(data, ("occurred_at", "method", "narrative", "contact_with"))
    for field in ("location", "purpose"):
        if field in data and data[field] is None:
            data[field] = ""
    if "method" in data and note.kind == ContactNote.Kind.LOCATE:
        raise DomainError({"method": "A locate effort's method follows from its locate method."})
    if "occurred_at" in data:
        data["occurred_at"] = _aware(data["occurred_at"])
    if "contact_with" in data:
        data["contact_with"] = _people(request, data["contact_with"], "contact_with")
    note = services.contact_note_update(actor=request.user, note=note, version=version, **data)
    set_etag(response, note)
    return _one(note.pk)


@router.post(
    "/notes/{int:note_id}/finalize",
    response=NoteOut,
    summary="The author finalizes a draft: it then counts, and is only amended",
)
def finalize_note(request, note_id: int, response: HttpResponse, payload: VersionIn | None = None):
    note = _note(request, note_id, for_edit=True)
    version = expected_version(request, payload.version if payload else None)
    note = services.contact_note_finalize(actor=request.user, note=note, version=version)
    set_etag(response, note)
    return _one(note.pk)


@router.post(
    "/notes/{int:note_id}/amendments",
    response={201: AmendmentOut},
    summary="Add an amendment to a final note; the note stays as it was",
)
def amend_note(request, note_id: int, payload: AmendIn):
    note = _note(request, note_id, for_edit=True)
    amendment = services.contact_note_amend(actor=request.user, note=note, text=payload.text)
    return Status(201, amendment)


@router.get(
    "/people/{int:person_id}/notes",
    response=list[NoteOut],
    summary="The notes with or locating a person, in the cases you may see",
)
@paginate(LoggedPages)
def list_person_notes(request, person_id: int):
    person = case_access.access_person(request.user, person_id)
    log_api_view(request, person)
    notes = (
        ContactNote.objects.filter(case__in=case_access.visible_cases(request.user).values("pk"))
        .filter(Q(contact_with=person) | Q(locate_subject=person))
        .distinct()
        .order_by("-occurred_at", "-id")
    )
    return _with_details(notes)


# --- Exceptions and contact plans ------------------------------------------------------


@router.post(
    "/cases/{int:case_id}/contact-exceptions",
    response={201: ExceptionOut},
    summary="A supervisor approves a call or letter instead of a parent's visit (V7, V8)",
)
def approve_exception(request, case_id: int, payload: ExceptionIn):
    """The caller is the approver and must be a supervisor. `exception`: a call or letter
    at least every few months (V7); `far_away`: calls and letters each month (V8)."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    if not payload.reason.strip():
        raise DomainError({"reason": "Say why the exception is approved."})
    exc = services.contact_exception_approve(
        actor=request.user,
        approver=staff_access.staff_for(request.user),
        case=case,
        person=_person(request, payload.person, "person"),
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
        person=_person(request, payload.person, "person"),
        need=payload.need,
        every_months=payload.every_months,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        notes=payload.notes,
    )
    return Status(
        201, ParentContactPlan.objects.select_related("person", "agreed_by").get(pk=plan.pk)
    )


# --- Requirements and compliance -------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/contact-requirements",
    response=RequirementsOut,
    summary="Who must be contacted in a month, how, and whether it is met (V1 to V13)",
)
def contact_requirements(
    request, case_id: int, month: str | None = Query(None, max_length=7, description=MONTH_HELP)
):
    """Computed live from the case's facts and its final notes. One note may meet several
    requirements (V10); an attempt meets none (V9) but is given as the reason."""
    case = case_access.access_case(request.user, case_id)
    first = _month(month)
    policy = case.agency.policy
    reqs = rules.requirements(
        selectors.case_facts(case),
        first,
        min_days=policy.contact_partial_month_days,
        exception_months=policy.exception_contact_months,
    )
    contacts = (
        selectors.final_contacts(case, min(r.start for r in reqs), max(r.end for r in reqs))
        if reqs
        else []
    )
    names = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in={r.person_id for r in reqs if r.person_id})
    }
    now = today()
    out = []
    for r in reqs:
        o = rules.evaluate(r, contacts, today=now)
        out.append(
            {
                "rule": r.rule,
                "person": (
                    {"id": r.person_id, "name": names.get(r.person_id, "")}
                    if r.person_id is not None
                    else None
                ),
                "need": r.need,
                "text": r.text,
                "start": r.start,
                "due": r.end,
                "state": o.state,
                "evidence": o.evidence,
                "days_left": o.days_left,
                "reason": o.reason,
                "attempts": list(o.attempts),
            }
        )
    log_api_view(request, case, case=case)
    return {"case": case.pk, "month": f"{first:%Y-%m}", "requirements": out}


# --- Dashboard figures and my obligations ----------------------------------------------


@router.get(
    "/contacts/dashboard",
    response=DashboardOut,
    summary="How many contact requirements are met, due and overdue, by group (V13)",
)
def contacts_dashboard(
    request,
    month: str | None = Query(None, max_length=7, description=MONTH_HELP),
    group: Literal["agency", "unit", "worker"] | None = Query(
        None, description="Default: by agency for the state, by unit for directors, else worker"
    ),
    agency: int | None = None,
    unit: int | None = None,
    worker: int | None = Query(None, description="Staff id of the responsible worker"),
):
    """Counts only, no names, over what the caller may report on: the state every
    agency, a director their agency, a supervisor their unit, a case manager their own."""
    _staff_or_403(request)
    first = _month(month)
    group = group or obligations.default_group(request.user)
    filters = {
        k: v for k, v in (("agency", agency), ("unit", unit), ("worker", worker)) if v is not None
    }
    rows = obligations.dashboard(viewer=request.user, month=first, group=group, filters=filters)
    totals = {k: sum(r[k] for r in rows) for k in ("total", "met", "due", "overdue", "upcoming")}
    totals["percent"] = round(100 * totals["met"] / totals["total"]) if totals["total"] else None
    return {"month": f"{first:%Y-%m}", "group": group, "rows": rows, "totals": totals}


@router.get(
    "/contacts/unmet",
    response=list[ObligationOut],
    summary="Who is not seen yet in a month, and why, in the cases you may see (V13)",
)
@paginate(LoggedPages)
def contacts_unmet(
    request,
    month: str | None = Query(None, max_length=7, description=MONTH_HELP),
    agency: int | None = None,
    unit: int | None = None,
    worker: int | None = Query(None, description="Staff id of the responsible worker"),
):
    _staff_or_403(request)
    first = _month(month)
    filters = {
        k: v for k, v in (("agency", agency), ("unit", unit), ("worker", worker)) if v is not None
    }
    return obligations.unmet(viewer=request.user, month=first, filters=filters)


@router.get(
    "/obligations/mine",
    response=list[ObligationOut],
    summary="What you are responsible for in a month, most urgent first (V13)",
)
def my_obligations(request, month: str | None = Query(None, max_length=7, description=MONTH_HELP)):
    _staff_or_403(request)
    first = _month(month)
    rows = obligations.my_obligations(viewer=request.user, month=first)
    audit.log_access(request, audit.LIST, rows)
    return rows
