"""Referrals and the intake queue: recording a referral (the case, its family and its
routing to a unit, A1, A3, A4; P1 re-opens a closed case) and listing the referrals
waiting for a case manager."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.cases.api.cases import GenderPreferenceIn
from hearth.cases.api.people import PERSON_TEXT
from hearth.cases.models import Case, CaseMember
from hearth.core.api_common import (
    CaseRef,
    Code,
    InputSchema,
    LoggedPages,
    NamedRef,
    by_code,
    by_codes,
    by_id,
)
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.intake import access as intake_access
from hearth.intake import selectors, services
from hearth.intake.api.common import collect, unit_ref
from hearth.intake.api.report import AllegationIn, ReportIn, ReportOut, report_out
from hearth.people.models import Person
from hearth.reference.models import County, Language, Race, Tribe
from hearth.staff import access as staff_access

router = Router()

MAX_MEMBERS = 30


# --- Schemas: referrals ----------------------------------------------------------------


class NewPersonIn(InputSchema):
    """A person not yet recorded (search first: GET /people/matches)."""

    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    middle_name: str = Field("", max_length=100)
    suffix: str = Field("", max_length=20)
    date_of_birth: date | None = None
    dob_precision: Person.DobPrecision | None = Field(
        None, description="exact, approximate or unknown; unknown when no date is given"
    )
    sex: Person.Sex | None = None
    gender_identity: str = Field("", max_length=60)
    ethnicity: Person.Ethnicity | None = None
    primary_language: str | None = Field(None, max_length=20, description="Language code")
    languages: list[Code] = Field(default_factory=list, max_length=20)
    races: list[Code] = Field(default_factory=list, max_length=10)
    address_line1: str = Field("", max_length=200)
    address_line2: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    state: str = Field("", max_length=2)
    postal_code: str = Field("", max_length=10)
    county: str | None = Field(None, max_length=40, description="County code")
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)
    whereabouts_known: bool = True
    incarcerated: bool = False
    icwa_inquiry_made: bool | None = Field(
        None, description="C7: true once asked; left out or null, not yet asked"
    )
    icwa_inquiry_date: date | None = None
    icwa_membership: Person.IcwaMembership | None = None
    icwa_applies: Person.IcwaApplies | None = None
    tribes: list[Code] = Field(default_factory=list, max_length=10)
    tribe_notified_on: date | None = None


class ReferralMemberIn(InputSchema):
    person_id: int | None = Field(None, description="An existing person you may see")
    person: NewPersonIn | None = Field(None, description="Or a new person's fields")
    role: CaseMember.Role
    in_household: bool = True


class ReferralIn(InputSchema):
    county: str = Field(..., min_length=1, max_length=40, description="County code")
    case_type: Case.Type
    complexity: Case.Complexity = Case.Complexity.MODERATE
    court_involved: bool = False
    out_of_county: bool = Field(False, description="A4: routed to the support unit")
    icpc: bool = Field(False, description="A4: Interstate Compact case, to the support unit")
    substance_abuse: bool = False
    domestic_violence: bool = False
    developmentally_delayed_parent: bool = False
    teenager_in_home: bool = False
    languages: list[Code] = Field(default_factory=list, max_length=20, description="Codes")
    culture: str = Field("", max_length=200)
    gender_preference: GenderPreferenceIn = ""
    address_line1: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=10)
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6)
    opened_on: date | None = Field(None, description="Referral date; today if omitted")
    prior_case: int | None = Field(
        None, description="P1, A3: the family's closed case this referral re-opens"
    )
    new_case_reason: str = Field(
        "",
        max_length=2000,
        description="P1: why a new case is opened when a person named was a member of a "
        "closed case of the agency (without it, and without prior_case, the answer is a 422 "
        "naming the closed cases)",
    )
    members: list[ReferralMemberIn] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="The family: each an existing `person_id` or a new `person`",
    )
    report: ReportIn | None = Field(
        None, description="What was reported: reporter, narrative, priority, safety"
    )
    allegations: list[AllegationIn] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS * 4,
        description="With `report`: the maltreatment alleged of each child",
    )


class RoutingBrief(Schema):
    rule: str
    strategy: str
    explanation: str


class ReferralMemberOut(Schema):
    id: int
    person: NamedRef
    role: str
    in_household: bool


class ReferralOut(Schema):
    id: int
    version: int
    case_number: str
    status: str
    opened_on: date
    county: str
    case_type: str
    prior_case: CaseRef | None
    unit: NamedRef | None
    routing: RoutingBrief | None
    members: list[ReferralMemberOut]
    report: ReportOut | None


class QueueItemOut(Schema):
    id: int
    case_number: str
    opened_on: date
    age_days: int
    unit: NamedRef | None
    routing_rule: str | None
    routing_explanation: str | None
    county: str
    case_type: str
    complexity: int
    icpc: bool
    out_of_county: bool
    prior_case: str | None = Field(None, description="The re-opened case's number")
    children: int

    @staticmethod
    def resolve_age_days(obj):
        return selectors.age_days(obj)

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name} if obj.unit_id else None

    @staticmethod
    def resolve_routing_rule(obj):
        return obj.routed_rule

    @staticmethod
    def resolve_routing_explanation(obj):
        return obj.routed_explanation

    @staticmethod
    def resolve_county(obj):
        return obj.county.code

    @staticmethod
    def resolve_prior_case(obj):
        return obj.prior_case.case_number if obj.prior_case_id else None


# --- Referrals -------------------------------------------------------------------------


def _new_person_fields(i: int, person: NewPersonIn) -> dict:
    """The new person's fields with reference codes turned into rows (422 naming
    members[i].<field> for an unknown code); nulls mean "not given"."""
    data = {k: v for k, v in person.dict(exclude_unset=True).items() if v is not None}
    for field in ("first_name", "last_name", *PERSON_TEXT):
        if field in data:
            data[field] = data[field].strip()
    for field, model in (("county", County), ("primary_language", Language)):
        if field in data:
            data[field] = by_code(model, data[field], f"members[{i}].{field}")
    for field, model in (("languages", Language), ("races", Race), ("tribes", Tribe)):
        if field in data:
            data[field] = by_codes(model, data[field], f"members[{i}].{field}")
    return data


def _members(request, members: list[ReferralMemberIn]) -> list[services.NewMember]:
    """Each member an existing person the caller may see, or a new person's fields. All
    problems of all members are reported together."""
    errors: dict[str, str] = {}
    out = []
    for i, member in enumerate(members):
        if (member.person_id is None) == (member.person is None):
            errors[f"members[{i}]"] = "Give either person_id (someone recorded) or person."
            continue
        try:
            if member.person_id is not None:
                try:
                    person = case_access.access_person(request.user, member.person_id)
                except NotFound:
                    raise DomainError({f"members[{i}].person_id": "Unknown person."}) from None
                out.append(
                    services.NewMember(
                        role=member.role, person=person, in_household=member.in_household
                    )
                )
            else:
                out.append(
                    services.NewMember(
                        role=member.role,
                        fields=_new_person_fields(i, member.person),
                        in_household=member.in_household,
                    )
                )
        except DomainError as exc:
            errors.update(exc.errors)
    if errors:
        raise DomainError(errors)
    return out


def _referral(case_id: int) -> dict:
    case = Case.objects.select_related("unit", "county", "prior_case").get(pk=case_id)
    routing = selectors.current_routing(case)
    members = (
        case.members.filter(ends_on__isnull=True).select_related("person").order_by("role", "id")
    )
    return {
        "id": case.pk,
        "version": case.version,
        "case_number": case.case_number,
        "status": case.status,
        "opened_on": case.opened_on,
        "county": case.county.code,
        "case_type": case.case_type,
        "prior_case": (
            {"id": case.prior_case_id, "case_number": case.prior_case.case_number}
            if case.prior_case_id
            else None
        ),
        "unit": unit_ref(case.unit),
        "routing": routing,
        "members": [
            {
                "id": m.pk,
                "person": {"id": m.person_id, "name": m.person.full_name},
                "role": m.role,
                "in_household": m.in_household,
            }
            for m in members
        ],
        "report": report_out(case),
    }


@router.post(
    "/referrals",
    response={201: ReferralOut},
    summary="Record a referral: the case, its family, and its routing to a unit (A1, A3, A4)",
)
def create_referral(request, payload: ReferralIn):
    """The intake coordinator or the program director records a referral. Each member is
    an existing person (`person_id`, found with GET /people/matches) or a new `person`.
    With `prior_case` (a closed case of the agency) the family's case is re-opened (P1)
    and routed back to its previous unit and case manager (A3). When a person named was a
    member of a closed case of the agency, the referral re-opens it (`prior_case`) or says
    why a new case is opened (`new_case_reason`); without either the answer is a 422
    naming `new_case_reason` and the closed cases (P1). All or nothing: any problem is a
    422 naming the field, and nothing is recorded."""
    if not intake_access.can_record_referrals(request.user):
        raise Forbidden()
    staff = staff_access.staff_for(request.user)
    data = payload.dict(exclude={"members", "report", "allegations"})
    errors: dict[str, str] = {}
    data["county"] = collect(errors, by_code, County, data["county"], "county")
    data["languages"] = collect(errors, by_codes, Language, data["languages"], "languages")
    visible = case_access.visible_cases(request.user)
    data["prior_case"] = collect(errors, by_id, visible, data["prior_case"], "prior_case", "case")
    members = collect(errors, _members, request, payload.members)
    if errors:
        raise DomainError(errors)
    if data["prior_case"] is None:
        data.pop("prior_case")
    if data["opened_on"] is None:
        data.pop("opened_on")
    for field in ("culture", "address_line1", "city", "postal_code"):
        data[field] = data[field].strip()
    case = services.referral_create(
        actor=request.user,
        agency=staff.agency,
        members=members,
        report=payload.report.dict() if payload.report else None,
        allegations=[
            services.AllegationIn(a.child, a.maltreatment_type, a.alleged_perpetrator)
            for a in payload.allegations
        ],
        **data,
    )
    return Status(201, _referral(case.pk))


@router.get(
    "/referrals",
    response=list[QueueItemOut],
    summary="The intake queue: referrals waiting for a case manager, oldest first",
)
@paginate(LoggedPages)
def list_referrals(request):
    """For the program director, the intake coordinator (their agency's referrals) and a
    supervisor (their unit's), each as far as their access goes."""
    if not intake_access.can_work_queue(request.user):
        raise Forbidden()
    return selectors.intake_queue(viewer=request.user)
