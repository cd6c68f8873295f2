"""Intake and assignment endpoints: referrals and the intake queue, routing to a unit (A1,
A3, A4), the ranked recommendations for a case (A2, A3, A5, A7), a unit's balance, and a
worker's reassignment proposal and its confirmation (A6).

Thin by design: each endpoint checks access (hearth.cases.access) and the shape of the
input, resolves every id among the records the caller may see (an id outside that scope
is a 422 naming the field, never a hint that it exists), then calls one selector or
service of hearth.intake, which applies the rules of hearth.policy.assignment.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.cases.api.cases import GenderPreferenceIn
from hearth.cases.api.people import PERSON_TEXT
from hearth.cases.models import Assignment, Case, CaseMember
from hearth.core import audit
from hearth.core.api_common import (
    CaseRef,
    Code,
    InputSchema,
    LoggedPages,
    NamedRef,
    by_code,
    by_codes,
    by_id,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.services import today
from hearth.intake import access as intake_access
from hearth.intake import selectors, services
from hearth.intake.models import Routing
from hearth.people.models import Person
from hearth.policy import assignment as rules
from hearth.reference.models import County, Language, Race, Tribe
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember, Unit
from hearth.staff.permissions import can

router = Router(tags=["intake"])

MAX_MEMBERS = 30
MAX_MOVES = 200


# --- Schemas: references ---------------------------------------------------------------


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
    icwa_inquiry_made: bool = False
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
    members: list[ReferralMemberIn] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="The family: each an existing `person_id` or a new `person`",
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


# --- Schemas: routing ------------------------------------------------------------------


class RoutingOut(Schema):
    id: int
    unit: NamedRef
    rule: str
    strategy: str
    explanation: str
    routed_by: str | None
    at: datetime


class RoutingPreviewOut(Schema):
    unit: NamedRef | None
    rule: str
    strategy: str
    explanation: str


class CaseRoutingOut(Schema):
    case: CaseRef
    status: str
    current: RoutingOut | None
    history: list[RoutingOut] = Field(..., description="Every routing, newest first")
    preview: RoutingPreviewOut | None = Field(
        ..., description="What the rules would decide now, while the case is referred"
    )


class SendToUnitIn(InputSchema):
    unit: int = Field(..., description="An active case management unit of the case's agency")
    reason: str = Field(..., min_length=1, max_length=2000)
    version: int | None = Field(None, description="The case's version you read; 409 if it changed.")


# --- Schemas: recommendations ----------------------------------------------------------


class FactorOut(Schema):
    code: str = Field(..., description="a .. h as listed in A2; A3 for the previous worker")
    name: str
    points: float
    of: int
    text: str


class LimitOut(Schema):
    code: str
    text: str
    overridable: bool = Field(..., description="A program director may assign above it")


class RecommendationOut(Schema):
    worker: NamedRef
    unit: int | None
    rank: int
    score: float
    eligible: bool
    overridable: bool = Field(..., description="Every limit may be lifted by a director")
    previous_worker: bool = Field(..., description="A3: this family's previous case manager")
    open_cases: int
    weighted_load: float
    capacity: float
    cap: str = Field(..., description="A5: the new-worker cap, in words, when one applies")
    limits: list[LimitOut]
    factors: list[FactorOut]


class RecommendationsOut(Schema):
    case: CaseRef
    unit: NamedRef | None = Field(..., description="The unit ranked; null across the agency")
    scope: str
    weight: float = Field(..., description="A2(a): how much this case counts in a caseload")
    top: int | None = Field(..., description="A7: the recommended worker's id, if any")
    workers: list[RecommendationOut]


# --- Schemas: balance and reassignment -------------------------------------------------


class BalanceWorkerOut(Schema):
    worker: NamedRef
    status: str
    open_cases: int
    weighted_load: float
    capacity: float
    load_percent: int
    out_of_home_share: int = Field(..., description="Percent of open cases out of home")
    new_worker_cap: int | None = Field(..., description="A5: most cases allowed now")
    cap_rises_on: date | None
    cap_text: str
    limits: list[LimitOut] = Field(..., description="Why they may not take a moderate case")


class BalanceTotalsOut(Schema):
    workers: int
    open_cases: int
    weighted_load: float
    capacity: float = Field(..., description="Of the active case managers")
    load_percent: int


class UnitBalanceOut(Schema):
    unit: NamedRef
    kind: str
    workers: list[BalanceWorkerOut]
    totals: BalanceTotalsOut


class ProposedMoveOut(Schema):
    case: CaseRef
    weight: float
    worker: NamedRef | None = Field(..., description="null: no one in the unit has room")
    score: float
    note: str


class WorkerLoadOut(Schema):
    worker: NamedRef
    capacity: float
    new_worker_cap: int | None
    open_cases_before: int
    open_cases_after: int
    weighted_load_before: float
    weighted_load_after: float


class ProposalOut(Schema):
    worker: WorkerLoadOut = Field(..., description="The worker whose cases move")
    unit: NamedRef
    moves: list[ProposedMoveOut]
    workers: list[WorkerLoadOut] = Field(..., description="The unit's other case managers")


class MoveIn(InputSchema):
    case: int = Field(..., description="A case the worker holds")
    worker: int = Field(..., description="The case manager who takes it")


class ReassignIn(InputSchema):
    moves: list[MoveIn] = Field(..., min_length=1, max_length=MAX_MOVES)
    reason: str = Field(..., min_length=1, max_length=2000, description="Why (A6)")
    adjust_reason: str = Field(
        "", max_length=2000, description="A7: why a move differs from the proposal"
    )


class ReassignedOut(Schema):
    id: int
    case: CaseRef
    worker: NamedRef
    unit: int
    starts_on: date
    assigned_by: NamedRef | None
    reason: str
    override_reason: str


# --- Helpers ---------------------------------------------------------------------------


def _unit_ref(unit) -> dict | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def _staff_name(user) -> str | None:
    if user is None:
        return None
    staff = getattr(user, "staff", None)
    return staff.full_name if staff else (user.get_full_name() or user.username)


def _limits(limits) -> list[dict]:
    return [{"code": x.code, "text": x.text, "overridable": x.overridable} for x in limits]


def _collect(errors: dict, fn, *args):
    """fn(*args), or None with its DomainError's reasons added to `errors` (so that one
    answer names every bad field)."""
    try:
        return fn(*args)
    except DomainError as exc:
        errors.update(exc.errors)
        return None


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
        "unit": _unit_ref(case.unit),
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
    and routed back to its previous unit (A3). All or nothing: any problem is a 422
    naming the field, and nothing is recorded."""
    if not intake_access.can_record_referrals(request.user):
        raise Forbidden()
    staff = staff_access.staff_for(request.user)
    data = payload.dict(exclude={"members"})
    errors: dict[str, str] = {}
    data["county"] = _collect(errors, by_code, County, data["county"], "county")
    data["languages"] = _collect(errors, by_codes, Language, data["languages"], "languages")
    visible = case_access.visible_cases(request.user)
    data["prior_case"] = _collect(errors, by_id, visible, data["prior_case"], "prior_case", "case")
    members = _collect(errors, _members, request, payload.members)
    if errors:
        raise DomainError(errors)
    if data["prior_case"] is None:
        data.pop("prior_case")
    if data["opened_on"] is None:
        data.pop("opened_on")
    for field in ("culture", "address_line1", "city", "postal_code"):
        data[field] = data[field].strip()
    case = services.referral_create(
        actor=request.user, agency=staff.agency, members=members, **data
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
    if not staff_access.viewer_can(request.user, "referral.queue"):
        raise Forbidden()
    return selectors.intake_queue(viewer=request.user)


# --- Routing ---------------------------------------------------------------------------


def _routing_out(routing) -> dict:
    return {
        "id": routing.pk,
        "unit": _unit_ref(routing.unit),
        "rule": routing.rule,
        "strategy": routing.strategy,
        "explanation": routing.explanation,
        "routed_by": _staff_name(routing.routed_by),
        "at": routing.created_at,
    }


@router.get(
    "/cases/{int:case_id}/routing",
    response=CaseRoutingOut,
    summary="A case's routing to a unit: current, history, and what the rules say now",
)
def get_routing(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    history = list(case.routings.select_related("unit", "routed_by__staff"))
    preview = None
    if case.status == Case.Status.REFERRED:
        decision = selectors.decide_routing(case)
        unit = Unit.objects.filter(pk=decision.unit_id).first() if decision.unit_id else None
        preview = {
            "unit": _unit_ref(unit),
            "rule": decision.rule,
            "strategy": decision.strategy,
            "explanation": decision.explanation,
        }
    log_api_view(request, case, case=case)
    return {
        "case": case,
        "status": case.status,
        "current": _routing_out(history[0]) if history else None,
        "history": [_routing_out(r) for r in history],
        "preview": preview,
    }


@router.post(
    "/cases/{int:case_id}/routing",
    response={201: RoutingOut},
    summary="Send a referral to another unit than the rules chose, saying why (A1)",
)
def send_to_unit(request, case_id: int, payload: SendToUnitIn, response: HttpResponse):
    """`version` (or If-Match) is the case's: sending it to a unit changes it."""
    case = case_access.access_case(request.user, case_id)
    if not intake_access.can_route(request.user, case):
        raise Forbidden()
    unit = by_id(
        staff_access.visible_units(request.user).filter(agency_id=case.agency_id),
        payload.unit,
        "unit",
        "unit",
    )
    routing = services.send_to_unit(
        actor=request.user,
        case=case,
        unit=unit,
        reason=payload.reason,
        version=expected_version(request, payload.version),
    )
    set_etag(response, routing.case)
    routing = Routing.objects.select_related("unit", "routed_by__staff").get(pk=routing.pk)
    return Status(201, _routing_out(routing))


# --- Recommendations (A2, A3, A5, A7) --------------------------------------------------


def _may_see_recommendations(user, case) -> bool:
    """Those who may assign the case (A2), and the intake coordinator or program director
    of its agency."""
    if case_access.can_assign_case(user, case):
        return True
    staff = staff_access.staff_for(user)
    return (
        staff is not None
        and staff.agency_id == case.agency_id
        and can(staff, "referral.assign_any")
    )


def _recommendation_out(rec: rules.Recommendation) -> dict:
    w = rec.worker
    return {
        "worker": {"id": w.id, "name": w.name},
        "unit": w.unit_id,
        "rank": rec.rank,
        "score": rec.score,
        "eligible": rec.eligible,
        "overridable": rec.overridable,
        "previous_worker": rec.previous_worker,
        "open_cases": w.open_cases,
        "weighted_load": w.weighted_load,
        "capacity": rec.capacity,
        "cap": rec.cap,
        "limits": _limits(rec.limits),
        "factors": [
            {"code": f.code, "name": f.name, "points": f.points, "of": f.of, "text": f.text}
            for f in rec.factors
        ],
    }


@router.get(
    "/cases/{int:case_id}/recommendations",
    response=RecommendationsOut,
    summary="The case managers ranked for a case, each factor explained (A2, A3, A5, A7)",
)
def get_recommendations(
    request,
    case_id: int,
    unit: int | None = Query(None, description="Rank this unit's case managers"),
    scope: Literal["unit", "agency"] = Query(
        "unit", description="unit: the case's unit (or `unit`); agency: every unit"
    ),
):
    """Eligible workers first by score, then the ineligible with their limits. `top` is
    the system's recommendation (A7): assigning anyone else needs an override reason."""
    case = case_access.access_case(request.user, case_id)
    if not _may_see_recommendations(request.user, case):
        raise Forbidden()
    if unit is not None:
        if scope == "agency":
            raise DomainError({"unit": "Choose a unit or scope=agency, not both."})
        by_id(
            staff_access.visible_units(request.user).filter(agency_id=case.agency_id),
            unit,
            "unit",
            "unit",
        )
    found = selectors.recommendations(
        viewer=request.user, case_id=case.pk, unit_id=unit, agency_wide=scope == "agency"
    )
    log_api_view(request, case, case=case)
    return {
        "case": case,
        "unit": _unit_ref(found.unit),
        "scope": scope,
        "weight": found.weight,
        "top": found.top.worker.id if found.top else None,
        "workers": [_recommendation_out(r) for r in found.ranked],
    }


# --- Unit balance ----------------------------------------------------------------------


@router.get(
    "/units/{int:unit_id}/balance",
    response=UnitBalanceOut,
    summary="A unit's case managers: loads, capacity, out-of-home share, caps (A2, A5)",
)
def unit_balance(request, unit_id: int):
    unit = staff_access.access_unit(request.user, unit_id)
    if not staff_access.can_see_unit_balance(request.user, unit):
        raise Forbidden()
    unit, rows = selectors.unit_balance(viewer=request.user, unit_id=unit.pk)
    workers = []
    for row in rows:
        w = row.worker
        workers.append(
            {
                "worker": {"id": w.id, "name": w.name},
                "status": w.status,
                "open_cases": w.open_cases,
                "weighted_load": w.weighted_load,
                "capacity": row.capacity,
                "load_percent": row.load_percent,
                "out_of_home_share": row.share,
                "new_worker_cap": row.cap.cases,
                "cap_rises_on": row.cap.rises_on,
                "cap_text": row.cap.text,
                "limits": _limits(row.limits),
            }
        )
    load = round(sum(r.worker.weighted_load for r in rows), 2)
    room = round(sum(r.capacity for r in rows if r.worker.status == StaffMember.Status.ACTIVE), 1)
    return {
        "unit": _unit_ref(unit),
        "kind": unit.kind,
        "workers": workers,
        "totals": {
            "workers": len(rows),
            "open_cases": sum(r.worker.open_cases for r in rows),
            "weighted_load": load,
            "capacity": room,
            "load_percent": round(100 * load / room) if room else 0,
        },
    }


# --- Reassignment (A6) -----------------------------------------------------------------


def _reassigning(request, staff_id: int) -> StaffMember:
    worker = staff_access.access_staff(request.user, staff_id)
    if not staff_access.can_reassign_from(request.user, worker):
        raise Forbidden()
    return worker


def _case_ids(raw: str | None) -> list[int] | None:
    if raw is None or not raw.strip():
        return None
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise DomainError({"cases": "Give case ids separated by commas, e.g. 12,15."}) from None
    return list(dict.fromkeys(ids))


def _load(facts: rules.WorkerFacts, s, *, cases: int, weight: float) -> dict:
    """A worker's load before and after `cases` cases weighing `weight` move to them (a
    negative count and weight: move away from them)."""
    cap = rules.new_worker_cap(facts.trained_on, facts.experience, today(), s).cases
    return {
        "worker": {"id": facts.id, "name": facts.name},
        "capacity": rules.capacity(facts, s),
        "new_worker_cap": cap,
        "open_cases_before": facts.open_cases,
        "open_cases_after": facts.open_cases + cases,
        "weighted_load_before": facts.weighted_load,
        "weighted_load_after": round(facts.weighted_load + weight, 2),
    }


@router.get(
    "/staff/{int:staff_id}/reassignment-proposal",
    response=ProposalOut,
    summary="A6: a distribution of a worker's open cases across their unit",
)
def reassignment_proposal(
    request,
    staff_id: int,
    cases: str | None = Query(
        None, max_length=2000, description="Case ids, comma-separated; all their cases if omitted"
    ),
):
    """Spreads the cases (SciPy's assignment solver) so that no one goes over a hard limit
    (A5, capacity) and loads even out. Confirm it with POST .../reassignments."""
    worker = _reassigning(request, staff_id)
    wanted = _case_ids(cases)
    held = list(
        selectors.held_cases(worker)
        .filter(pk__in=case_access.visible_cases(request.user).values("pk"))
        .values_list("pk", flat=True)
    )
    if wanted is not None:
        holds = set(held)
        stray = [str(pk) for pk in wanted if pk not in holds]
        if stray:
            raise DomainError(
                {"cases": f"Not among {worker.full_name}'s open cases: {', '.join(stray)}."}
            )
    proposal = selectors.propose_reassignment(
        viewer=request.user, worker_id=worker.pk, case_ids=held if wanted is None else wanted
    )
    s = worker.agency.policy
    weights = {m.case.pk: rules.case_weight(m.case.complexity, s) for m in proposal.moves}
    added: dict[int, list[float]] = {}
    for move in proposal.moves:
        if move.worker_id is not None:
            added.setdefault(move.worker_id, []).append(weights[move.case.pk])
    audit.log_access(request, audit.LIST, [m.case for m in proposal.moves])
    names = {w.id: w.name for w in proposal.workers}
    moving = [weights[m.case.pk] for m in proposal.moves if m.worker_id is not None]
    (source,) = selectors.worker_facts(StaffMember.objects.filter(pk=worker.pk), s)
    return {
        "worker": _load(source, s, cases=-len(moving), weight=-sum(moving)),
        "unit": _unit_ref(proposal.unit),
        "moves": [
            {
                "case": m.case,
                "weight": weights[m.case.pk],
                "worker": (
                    {"id": m.worker_id, "name": names[m.worker_id]}
                    if m.worker_id is not None
                    else None
                ),
                "score": m.score,
                "note": m.note,
            }
            for m in proposal.moves
        ],
        "workers": [
            _load(w, s, cases=len(added.get(w.id, [])), weight=sum(added.get(w.id, [])))
            for w in proposal.workers
        ],
    }


@router.post(
    "/staff/{int:staff_id}/reassignments",
    response={201: list[ReassignedOut]},
    summary="A6: move a worker's cases to the workers chosen (the proposal, or adjusted)",
)
def reassign(request, staff_id: int, payload: ReassignIn):
    """Every move keeps who, when, by whom and why; the worker's assignment ends with the
    reason. A move that departs from the proposal needs `adjust_reason` (A7); a move past
    a hard limit is refused (A5). All or nothing."""
    source = _reassigning(request, staff_id)
    case_ids = {m.case for m in payload.moves}
    worker_ids = {m.worker for m in payload.moves}
    found_cases = {c.pk: c for c in case_access.visible_cases(request.user).filter(pk__in=case_ids)}
    found_workers = {
        w.pk: w
        for w in staff_access.visible_staff(request.user)
        .filter(pk__in=worker_ids, agency_id=source.agency_id)
        .select_related("unit", "agency")
        .prefetch_related("roles")
    }
    errors: dict[str, str] = {}
    moves = []
    for i, move in enumerate(payload.moves):
        case = found_cases.get(move.case)
        target = found_workers.get(move.worker)
        if case is None:
            errors[f"moves[{i}].case"] = "Unknown case."
        if target is None:
            errors[f"moves[{i}].worker"] = "Unknown staff member."
        if case is not None and target is not None:
            moves.append(services.MoveIn(case=case, worker=target))
    if errors:
        raise DomainError(errors)
    done = services.reassign_cases(
        actor=request.user,
        assigned_by=staff_access.staff_for(request.user),
        worker=source,
        moves=moves,
        reason=payload.reason,
        adjust_reason=payload.adjust_reason,
    )
    made = Assignment.objects.filter(pk__in=[a.pk for a in done]).select_related(
        "case", "worker", "assigned_by"
    )
    by_pk = {a.pk: a for a in made}
    return Status(
        201,
        [
            {
                "id": a.pk,
                "case": a.case,
                "worker": {"id": a.worker_id, "name": a.worker.full_name},
                "unit": a.unit_id,
                "starts_on": a.starts_on,
                "assigned_by": (
                    {"id": a.assigned_by_id, "name": a.assigned_by.full_name}
                    if a.assigned_by_id
                    else None
                ),
                "reason": a.reason,
                "override_reason": a.override_reason,
            }
            for a in (by_pk[d.pk] for d in done)
        ],
    )
