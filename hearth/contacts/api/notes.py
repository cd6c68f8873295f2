"""Contact notes: draft, final, amended; locate efforts (V8 to V12).

Thin by design: each endpoint checks access (hearth.cases.access) and the shape of the
input, then calls one service in hearth.contacts.services, which checks the rules. A
note is reached through its case, and every person named by id is resolved among the
people the caller may see, never trusted as a raw id.
"""

from datetime import datetime

from django.db.models import Q
from django.http import HttpResponse
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.contacts import selectors, services
from hearth.contacts.api.common import aware, people, person, router
from hearth.contacts.models import Collateral, ContactNote
from hearth.core.api_common import (
    InputSchema,
    LoggedPages,
    LongText,
    NamedRef,
    expected_version,
    log_api_view,
    refuse_nulls,
    set_etag,
)
from hearth.core.errors import DomainError, NotFound
from hearth.policy import contacts as rules
from hearth.staff import access as staff_access

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


# --- Helpers ---------------------------------------------------------------------------


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
        occurred_at=aware(payload.occurred_at),
        narrative=payload.narrative,
        method=payload.method or "",
        location=payload.location or "",
        contact_with=people(request, payload.contact_with, "contact_with"),
        collaterals=[c.dict() for c in payload.collaterals],
        purpose=payload.purpose,
        kind=payload.kind,
        locate_subject=person(request, payload.locate_subject, "locate_subject"),
        locate_method=payload.locate_method or "",
        finalize=payload.finalize,
    )
    return Status(201, _one(note.pk))


@router.get(
    "/notes/{int:note_id}",
    response=NoteOut,
    summary="Read a contact note",
)
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
        data["occurred_at"] = aware(data["occurred_at"])
    if "contact_with" in data:
        data["contact_with"] = people(request, data["contact_with"], "contact_with")
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
