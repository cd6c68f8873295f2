"""People endpoints: /api/v1/people. People are seen through their cases (hearth.cases.access),
so their endpoints live with the cases API (ADR 0008)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.cases import events
from hearth.cases import people_selectors as selectors
from hearth.core import audit
from hearth.core.api_common import (
    Code,
    InputSchema,
    LoggedPages,
    by_code,
    by_codes,
    by_id,
    codes,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import DomainError, Forbidden
from hearth.people import services
from hearth.people.models import Person, Relationship
from hearth.reference.models import County, Language, Race, Tribe
from hearth.staff import access as staff_access
from hearth.staff.permissions import can

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    version: int
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    date_of_birth: date | None
    dob_precision: str
    sex: str
    gender_identity: str
    ethnicity: str
    primary_language: str | None
    languages: list[str]
    races: list[str]
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    county: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    whereabouts_known: bool
    incarcerated: bool
    icwa_inquiry_made: bool | None = Field(
        ..., description="C7: null while not yet asked (never a default no)"
    )
    icwa_inquiry_date: date | None
    icwa_membership: str
    icwa_applies: str
    tribes: list[str]
    tribe_notified_on: date | None

    @staticmethod
    def resolve_primary_language(obj):
        return obj.primary_language.code if obj.primary_language else None

    @staticmethod
    def resolve_county(obj):
        return obj.county.code if obj.county else None

    @staticmethod
    def resolve_languages(obj):
        return codes(obj.languages)

    @staticmethod
    def resolve_races(obj):
        return codes(obj.races)

    @staticmethod
    def resolve_tribes(obj):
        return codes(obj.tribes)


class PersonFields(InputSchema):
    middle_name: str | None = Field(None, max_length=100)
    suffix: str | None = Field(None, max_length=20)
    date_of_birth: date | None = None
    dob_precision: Person.DobPrecision | None = None
    sex: Person.Sex | None = None
    gender_identity: str | None = Field(None, max_length=60)
    ethnicity: Person.Ethnicity | None = None
    primary_language: Code | None = Field(None, description="Language code, e.g. es")
    languages: list[Code] | None = None
    races: list[Code] | None = None
    address_line1: str | None = Field(None, max_length=200)
    address_line2: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    state: str | None = Field(None, max_length=2)
    postal_code: str | None = Field(None, max_length=10)
    county: Code | None = Field(None, description="County code")
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)
    whereabouts_known: bool | None = None
    incarcerated: bool | None = None
    icwa_inquiry_made: bool | None = Field(
        None, description="C7: true once asked; null is not yet asked"
    )
    icwa_inquiry_date: date | None = None
    icwa_membership: Person.IcwaMembership | None = None
    icwa_applies: Person.IcwaApplies | None = None
    tribes: list[Code] | None = None
    tribe_notified_on: date | None = None


class PersonIn(PersonFields):
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)


class PersonPatch(PersonFields):
    version: int | None = Field(None, description="The version you read; 409 if it changed.")
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)


class RelationshipIn(InputSchema):
    other: int = Field(..., description="The related person's id")
    kind: Relationship.Kind
    parent_type: Relationship.ParentType | None = None
    relative_kind: str | None = Field(None, max_length=60)
    parental_rights: Relationship.ParentalRights | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class RelationshipOut(Schema):
    id: int
    person: int = Field(..., alias="person_id")
    other: int = Field(..., alias="other_id")
    kind: str
    parent_type: str
    relative_kind: str
    parental_rights: str
    starts_on: date | None
    ends_on: date | None


class MatchPersonOut(Schema):
    id: int
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    date_of_birth: date | None
    dob_precision: str
    sex: str


class MatchCaseOut(Schema):
    id: int
    case_number: str
    status: str
    opened_on: date
    closed_on: date | None
    role: str = Field(..., description="The person's role in the case")


class PersonMatchOut(Schema):
    person: MatchPersonOut
    score: int = Field(..., description="0 to 100: 100 is the same names and date of birth")
    reasons: list[str] = Field(..., description="Why this person may be the one, in words")
    cases: list[MatchCaseOut] = Field(..., description="Their cases that you may see")


def _people(qs):
    return qs.select_related("county", "primary_language").prefetch_related(
        Prefetch("languages", queryset=Language.objects.only("code")),
        Prefetch("races", queryset=Race.objects.only("code")),
        Prefetch("tribes", queryset=Tribe.objects.only("code")),
    )


def _resolve(data: dict) -> dict:
    """Turn reference codes in a request body into rows (422 naming the field if unknown)."""
    for field, model in (("county", County), ("primary_language", Language)):
        if field in data:
            data[field] = by_code(model, data[field], field)
    for field, model in (("languages", Language), ("races", Race), ("tribes", Tribe)):
        if field in data:
            data[field] = by_codes(model, data[field], field)
    return data


# A person's optional text fields: sent as null, they mean empty.
PERSON_TEXT = (
    "middle_name",
    "suffix",
    "gender_identity",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
)


def _blank_to_empty(data: dict) -> dict:
    """Text fields sent as null mean empty."""
    return {k: ("" if v is None and k in PERSON_TEXT else v) for k, v in data.items()}


def visible_person(request, pk: int | None, field: str):
    """A person the caller may see, or a 422 naming `field` (never saying who exists); the
    placements, visitation and contacts endpoints read the people they are given here."""
    return by_id(case_access.visible_people(request.user), pk, field, "person")


@router.get("/people", response=list[PersonOut], summary="List or search people")
@paginate(LoggedPages)
def list_people(request, q: str | None = Query(None, max_length=200)):
    """People you may see. `q`: a name (the matching of GET /people/matches: a last name
    alone, misspellings, nicknames; best first), a date of birth or a case number (its
    members)."""
    if q:
        qs = selectors.people_search(viewer=request.user, q=q)
    else:
        qs = case_access.visible_people(request.user).order_by("last_name", "first_name", "id")
    return _people(qs)


def _may_match(user) -> bool:
    """Staff who record people, or who see case records (every role but an
    administrator alone, who sees reference data only)."""
    staff = staff_access.staff_for(user)
    return case_access.can_create_people(user) or can(staff, "records.use")


@router.get(
    "/people/matches",
    response=list[PersonMatchOut],
    summary="Find who may already be recorded, before recording a person (intake)",
)
def match_people(
    request,
    last_name: str = Query(..., max_length=100),
    first_name: str = Query("", max_length=100),
    date_of_birth: str | None = Query(None, max_length=10, description="YYYY-MM-DD or MM/DD/YYYY"),
    limit: int = Query(20, ge=1, le=50),
):
    """People you may see who may be the person named, best first: misspelt and
    sound-alike names, nicknames (Bill for William) and a birth date with day and month
    swapped count. Each comes with a score, the reasons and the cases of theirs you may
    see (a closed one can be reopened)."""
    if not _may_match(request.user):
        raise Forbidden()
    errors = {}
    if not last_name.strip():
        errors["last_name"] = "Enter the last name to search for."
    dob = None
    if date_of_birth:
        dob = selectors.parse_date(date_of_birth.strip())
        if dob is None:
            errors["date_of_birth"] = "Enter a real date as YYYY-MM-DD or MM/DD/YYYY."
    if errors:
        raise DomainError(errors)
    matches = selectors.people_matches(
        viewer=request.user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=dob,
        limit=limit,
    )
    audit.log_access(request, audit.SEARCH, [m.person for m in matches])
    return matches


class SearchCaseOut(Schema):
    id: int
    case_number: str
    status: str
    county: str
    opened_on: date

    @staticmethod
    def resolve_county(obj):
        return obj.county.code


class SearchOut(Schema):
    cases: list[SearchCaseOut] = Field(..., description="Cases whose number begins so")
    people: list[PersonMatchOut] = Field(..., description="People it may name, best first")


@router.get(
    "/search",
    response=SearchOut,
    summary="Search cases by number and people by name or date of birth (the header's box)",
)
def search(request, q: str = Query(..., max_length=200)):
    """What the search box of every page finds: the cases you may see whose number begins
    with a word of `q`, and the people you may see whom `q` may name, with the matching of
    intake (GET /people/matches): a last name alone, "First Last" or "Last, First",
    misspelt and sound-alike names, nicknames, a date of birth (swapped day and month
    too). At most 50 of each."""
    if not q.strip():
        raise DomainError({"q": "Enter a case number, a name or a date of birth."})
    found = selectors.search(viewer=request.user, q=q.strip())
    audit.log_access(request, audit.SEARCH, [*found.cases, *(m.person for m in found.people)])
    return found


@router.post("/people", response={201: PersonOut}, summary="Record a person")
def create_person(request, payload: PersonIn):
    if not case_access.can_create_people(request.user):
        raise Forbidden()
    data = _resolve(_blank_to_empty(payload.dict(exclude_unset=True)))
    staff = staff_access.staff_for(request.user)
    person = services.person_create(actor=request.user, recorded_by_agency=staff.agency, **data)
    return Status(201, _people(Person.objects.filter(pk=person.pk)).get())


@router.get("/people/{int:person_id}", response=PersonOut, summary="Read a person")
def get_person(request, person_id: int, response: HttpResponse):
    person = case_access.access_person(request.user, person_id)
    log_api_view(request, person)
    set_etag(response, person)
    return _people(Person.objects.filter(pk=person.pk)).get()


@router.patch("/people/{int:person_id}", response=PersonOut, summary="Change a person")
def update_person(request, person_id: int, payload: PersonPatch, response: HttpResponse):
    person = case_access.access_person(request.user, person_id, for_edit=True)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    data = _resolve(_blank_to_empty(data))
    with transaction.atomic():
        person = services.person_update(actor=request.user, person=person, version=version, **data)
        events.person_icwa_changed(person, actor=request.user, fields=data)  # C7
    set_etag(response, person)
    return _people(Person.objects.filter(pk=person.pk)).get()


@router.get(
    "/people/{int:person_id}/relationships",
    response=list[RelationshipOut],
    summary="Relationships of a person (to people you may see)",
)
def list_relationships(request, person_id: int):
    person = case_access.access_person(request.user, person_id)
    log_api_view(request, person)
    visible = case_access.visible_people(request.user).values("pk")
    return list(
        (
            Relationship.objects.filter(person=person, other__in=visible)
            | Relationship.objects.filter(other=person, person__in=visible)
        ).order_by("id")
    )


@router.post(
    "/people/{int:person_id}/relationships",
    response={201: RelationshipOut},
    summary="Record a relationship: this person is the <kind> of `other`",
)
def create_relationship(request, person_id: int, payload: RelationshipIn):
    person = case_access.access_person(request.user, person_id, for_edit=True)
    data = payload.dict(exclude_unset=True)
    other = by_id(case_access.visible_people(request.user), data.pop("other"), "other", "person")
    data = {k: v for k, v in data.items() if v is not None}
    rel = services.relationship_create(actor=request.user, person=person, other=other, **data)
    return Status(201, rel)
