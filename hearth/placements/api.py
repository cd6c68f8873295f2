"""Placement endpoints: the resource directory, placement options, removals, placements,
permanency goals, schools, visitation plans, family visits and placement conferences
(P2 to P7, V11, V12).

Thin by design: each endpoint checks access (hearth.cases.access) and the shape of the
input, then calls one service in hearth.placements.services, which checks the rules.
Records addressed by their own id (a removal, a visitation plan) are reached through
their case, and every person named by id is resolved among the people the caller may
see, never trusted as a raw id.
"""

from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.cases.models import CaseMeeting, CaseMember
from hearth.core.api_common import (
    InputSchema,
    LongText,
    NamedRef,
    Pagination,
    by_code,
    by_id,
    codes,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.placements import selectors, services
from hearth.placements.models import (
    FamilyVisit,
    Need,
    PermanencyGoal,
    Placement,
    PlanParticipant,
    RemovalEpisode,
    ResourceHome,
    SchoolEnrollment,
    Setting,
    VisitArrangement,
    VisitationPlan,
    VisitationReview,
)
from hearth.policy import placement as rules
from hearth.reference.models import County, Language, Tribe
from hearth.staff import access as staff_access

router = Router(tags=["placements"])

CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)


# --- Schemas ---------------------------------------------------------------------------


class HomeOut(Schema):
    id: int
    name: str
    agency: str | None
    setting: str
    level: int | None
    licence_number: str
    licence_expires_on: date | None
    capacity: int
    occupancy: int
    has_room: bool
    min_age: int
    max_age: int
    needs_served: list[str]
    languages: list[str]
    tribes_approving: list[str]
    indian_operated: bool
    address_line1: str
    city: str
    state: str
    county: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    active: bool

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code if obj.agency_id else None

    @staticmethod
    def resolve_level(obj):
        return rules.setting_level(obj.setting)

    @staticmethod
    def resolve_has_room(obj):
        return obj.occupancy < obj.capacity

    @staticmethod
    def resolve_languages(obj):
        return codes(obj.languages)

    @staticmethod
    def resolve_tribes_approving(obj):
        return codes(obj.tribes_approving)

    @staticmethod
    def resolve_county(obj):
        return obj.county.code if obj.county_id else None


class OptionOut(Schema):
    key: str = Field(..., description='"home:ID" or "relative:PERSON_ID": the `choice` to place')
    name: str
    setting: str
    level: int = Field(..., description="P2: 1 relative home ... 5 correctional facility")
    level_label: str
    icwa_category: int | None = Field(
        None, description="ICWA placement preference category (1-5); null when ICWA does not apply"
    )
    icwa_label: str | None
    km_parents: float | None
    km_school: float | None
    km: float | None = Field(None, description="Mean of the distances to parents and school")
    capacity: int | None
    occupancy: int
    available: bool
    full: bool
    notes: list[str]
    problems: list[str] = Field(..., description="Why the option does not fit the child")


class RemovalOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    child: NamedRef
    removed_on: date
    entered_on: date
    legal_basis: str
    removal_reasons: list[str]
    child_needs: list[str]
    exited_on: date | None
    exit_reason: str
    transfer_agency: str
    is_open: bool

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class RemovalIn(InputSchema):
    child: int = Field(..., description="Person id of a child in this case")
    removed_on: date
    legal_basis: RemovalEpisode.LegalBasis
    removal_reasons: list[RemovalEpisode.RemovalReason] = Field(..., min_length=1)
    child_needs: list[Need] = Field(default_factory=list)
    goal: PermanencyGoal.Goal = Field(
        PermanencyGoal.Goal.REUNIFICATION,
        description="The first permanency goal; another than reunification needs a reason (P4)",
    )
    goal_reason: LongText = ""


class ExitIn(InputSchema):
    exited_on: date
    exit_reason: RemovalEpisode.ExitReason
    transfer_agency: RemovalEpisode.TransferAgency | None = Field(
        None, description="Required when the exit reason is transfer"
    )
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


class FlagOut(Schema):
    rule: str
    text: str


class PlacementOut(Schema):
    id: int
    version: int
    removal: int = Field(..., alias="episode_id")
    child: int = Field(..., alias="child_id")
    setting: str
    home: int | None = Field(None, alias="home_id")
    caregiver: int | None = Field(None, alias="caregiver_id")
    place_name: str
    provider_name: str
    address_line1: str
    city: str
    state: str
    out_of_state: bool
    starts_on: date
    ends_on: date | None
    move_reason: str
    departure_reason: str
    school: str
    contact_flags: list[FlagOut] = Field(..., description="What the status adds (V11, V12)")

    @staticmethod
    def resolve_contact_flags(obj):
        return [
            {"rule": rule, "text": text}
            for rule, text in rules.placement_contact_flags(obj.setting, obj.out_of_state)
        ]


class PlacementIn(InputSchema):
    choice: str = Field(
        "",
        max_length=40,
        description='An option key from placement-options ("home:ID", "relative:PERSON_ID"); '
        "or leave empty and give `setting` (with `provider_name` unless a status)",
    )
    setting: Setting | None = Field(
        None, description="A place outside the directory, or a status: runaway (V11)..."
    )
    provider_name: str = Field("", max_length=200)
    address_line1: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    state: str = Field("", max_length=2)
    out_of_state: bool = Field(False, description="An ICPC placement: name the state (V12)")
    starts_on: date
    ends_on: date | None = Field(None, description="Only for a past placement")
    move_reason: LongText = ""
    departure_reason: LongText = Field(
        "", description="Why a more restrictive or farther option, or outside the ICWA order (P2)"
    )
    school: Placement.School = Placement.School.UNKNOWN
    new_school_name: str = Field("", max_length=200)
    new_school_enrolled_on: date | None = None
    best_interest_reason: LongText = Field("", description="Why the child changes school (P3)")


class GoalOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    child: NamedRef
    goal: str
    starts_on: date
    ends_on: date | None
    reason: str

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class GoalIn(InputSchema):
    child: int
    goal: PermanencyGoal.Goal
    starts_on: date
    reason: LongText = Field(..., description="Why the goal changes (P4)")


class SchoolOut(Schema):
    id: int
    version: int
    child: NamedRef
    school_name: str
    district: str
    is_origin: bool
    enrolled_on: date | None
    left_on: date | None
    placement: int | None = Field(None, alias="placement_id")
    best_interest_reason: str

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class SchoolIn(InputSchema):
    child: int
    school_name: str = Field("", max_length=200, description="The school of origin")
    district: str = Field("", max_length=200)
    enrolled_on: date | None = None
    enrolment_of: int | None = Field(
        None, description="A new school's enrolment id: record its enrolment date (P3)"
    )
    version: int | None = Field(
        None, description="With `enrolment_of`: the enrolment's version you read; 409 if it changed"
    )


class ArrangementIn(InputSchema):
    visitor: int | None = Field(None, description="Person id of the visitor, if recorded")
    visitor_name: str = Field("", max_length=200, description="Defaults to the person's name")
    visitor_role: VisitArrangement.VisitorRole
    frequency: VisitArrangement.Frequency
    location: str = Field(..., min_length=1, max_length=200)
    supervised: bool = True
    supervisor: str = Field("", max_length=200)
    transport: VisitArrangement.Transport = VisitArrangement.Transport.NONE
    evenings_weekends: bool = False
    times: str = Field("", max_length=200)


class ArrangementOut(Schema):
    id: int
    visitor: int | None = Field(None, alias="visitor_id")
    visitor_name: str
    visitor_role: str
    frequency: str
    location: str
    supervised: bool
    supervisor: str
    transport: str
    evenings_weekends: bool
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


def _person(request, pk: int | None, field: str):
    """A person the caller may see, or a 422 naming `field` (never saying who exists)."""
    return by_id(case_access.visible_people(request.user), pk, field, "person")


def _people(request, pks: list[int], field: str) -> list:
    wanted = list(dict.fromkeys(pks))
    found = {p.pk: p for p in case_access.visible_people(request.user).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError({field: "Unknown person."})
    return [found[pk] for pk in wanted]


def _episode(request, episode_id: int, *, for_edit: bool = False) -> RemovalEpisode:
    """A removal episode, through its case: 404 if the case is not visible, 403 if it
    may not be changed."""
    episode = RemovalEpisode.objects.select_related("child").filter(pk=episode_id).first()
    if episode is None:
        raise NotFound()
    episode.case = case_access.access_case(request.user, episode.case_id, for_edit=for_edit)
    return episode


def _plan(request, plan_id: int, *, for_edit: bool = False) -> VisitationPlan:
    plan = VisitationPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    plan.case = case_access.access_case(request.user, plan.case_id, for_edit=for_edit)
    return plan


# --- Resource directory ----------------------------------------------------------------


@router.get("/resource-homes", response=list[HomeOut], summary="The resource directory")
@paginate(Pagination)
def list_resource_homes(
    request,
    setting: Setting | None = None,
    county: str | None = Query(None, max_length=40, description="County code"),
    has_room: bool | None = Query(None, description="Current occupancy below capacity"),
    include_inactive: bool = False,
):
    """Licensed homes and facilities with their capacity and current occupancy. Any
    staff member may read the directory; it holds no case records."""
    if staff_access.staff_for(request.user) is None:
        raise Forbidden()
    homes = ResourceHome.objects.all()
    if not include_inactive:
        homes = homes.filter(active=True)
    if setting is not None:
        homes = homes.filter(setting=setting)
    if county is not None:
        homes = homes.filter(county=by_code(County, county, "county"))
    homes = selectors.with_occupancy(homes)
    if has_room is True:
        homes = homes.filter(occupancy__lt=F("capacity"))
    elif has_room is False:
        homes = homes.filter(occupancy__gte=F("capacity"))
    return (
        homes.select_related("agency", "county")
        .prefetch_related(
            Prefetch("languages", queryset=Language.objects.only("code")),
            Prefetch("tribes_approving", queryset=Tribe.objects.only("code")),
        )
        .order_by("name", "id")
    )


@router.get(
    "/cases/{int:case_id}/children/{int:child_id}/placement-options",
    response=list[OptionOut],
    summary="Ranked placement options for a child in care (P2, P3, ICWA)",
)
def placement_options(request, case_id: int, child_id: int, limit: int = Query(20, ge=1, le=200)):
    """The child's relatives and the directory's homes that take a child of this age and
    have room, best first, each with the reasons it fits or does not (`problems`). A
    relative the caller may not see is left out."""
    case = case_access.access_case(request.user, case_id)
    child = case_access.visible_people(request.user).filter(pk=child_id).first()
    if child is None or not case.members.filter(person=child, role__in=CHILD_ROLES).exists():
        raise NotFound()
    episode = (
        RemovalEpisode.objects.select_related("child", "case")
        .filter(case=case, child=child, exited_on__isnull=True)
        .first()
    )
    if episode is None:
        raise DomainError({"child": "This child is not in out-of-home care in this case."})
    ranked = selectors.rank_for_child(episode, viewer=request.user)
    log_api_view(request, child, case=case)
    out = []
    for r in ranked:
        out.append(
            {
                "key": r.option.key,
                "name": r.option.name,
                "setting": r.option.setting,
                "level": int(r.level),
                "level_label": rules.LEVEL_LABELS[r.level],
                "icwa_category": int(r.icwa) if r.icwa is not None else None,
                "icwa_label": rules.ICWA_LABELS[r.icwa] if r.icwa is not None else None,
                "km_parents": r.km_parents,
                "km_school": r.km_school,
                "km": r.km,
                "capacity": r.option.capacity,
                "occupancy": r.option.occupancy,
                "available": r.available,
                "full": r.full,
                "notes": list(r.notes),
                "problems": list(r.problems),
            }
        )
        if len(out) >= limit:
            break
    return out


# --- Removals and exits ----------------------------------------------------------------


@router.get("/cases/{int:case_id}/removals", response=list[RemovalOut], summary="Removal episodes")
def list_removals(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    log_api_view(request, case, case=case)
    return list(case.episodes.select_related("child").order_by("-removed_on", "-id"))


@router.post(
    "/cases/{int:case_id}/removals",
    response={201: RemovalOut},
    summary="Remove a child into out-of-home care (P4: the first goal)",
)
def create_removal(request, case_id: int, payload: RemovalIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = _person(request, payload.child, "child")
    episode = services.child_remove(
        actor=request.user,
        case=case,
        child=child,
        removed_on=payload.removed_on,
        legal_basis=payload.legal_basis,
        removal_reasons=[r.value for r in payload.removal_reasons],
        child_needs=[n.value for n in payload.child_needs],
        goal=payload.goal,
        goal_reason=payload.goal_reason,
    )
    return Status(201, episode)


@router.post(
    "/removals/{int:removal_id}/exit",
    response=RemovalOut,
    summary="The child leaves care: ends the removal and its current placement",
)
def exit_removal(request, removal_id: int, payload: ExitIn, response: HttpResponse):
    episode = _episode(request, removal_id, for_edit=True)
    episode = services.episode_exit(
        actor=request.user,
        episode=episode,
        exited_on=payload.exited_on,
        exit_reason=payload.exit_reason,
        transfer_agency=payload.transfer_agency or "",
        version=expected_version(request, payload.version),
    )
    set_etag(response, episode)
    return RemovalEpisode.objects.select_related("child").get(pk=episode.pk)


# --- Placements ------------------------------------------------------------------------


def _placements(qs):
    return qs.select_related("home", "caregiver")


@router.get(
    "/removals/{int:removal_id}/placements",
    response=list[PlacementOut],
    summary="Placements of a removal",
)
def list_placements(request, removal_id: int):
    episode = _episode(request, removal_id)
    log_api_view(request, episode, case=episode.case)
    return list(_placements(episode.placements.order_by("starts_on", "id")))


@router.post(
    "/removals/{int:removal_id}/placements",
    response={201: PlacementOut},
    summary="Place the child, or record a move or a status (P2, P3, V11, V12)",
)
def create_placement(request, removal_id: int, payload: PlacementIn):
    """`choice` is a key from placement-options; a choice more restrictive or farther
    than an available option, or outside the ICWA order, needs `departure_reason` (P2).
    Placements of a child never overlap: an overlap is refused with 422 on `starts_on`."""
    episode = _episode(request, removal_id, for_edit=True)
    choice = payload.choice.strip()
    placement = services.child_place(
        actor=request.user,
        episode=episode,
        starts_on=payload.starts_on,
        choice=choice,
        setting=payload.setting or "",
        provider_name=payload.provider_name,
        address_line1=payload.address_line1,
        city=payload.city,
        state=payload.state,
        out_of_state=payload.out_of_state,
        ends_on=payload.ends_on,
        move_reason=payload.move_reason,
        departure_reason=payload.departure_reason,
        school=payload.school,
        new_school_name=payload.new_school_name,
        new_school_enrolled_on=payload.new_school_enrolled_on,
        best_interest_reason=payload.best_interest_reason,
    )
    return Status(201, _placements(Placement.objects.filter(pk=placement.pk)).get())


# --- Permanency goals and schools ------------------------------------------------------


@router.get("/cases/{int:case_id}/goals", response=list[GoalOut], summary="Permanency goals")
def list_goals(request, case_id: int, child: int | None = None, current: bool = False):
    case = case_access.access_case(request.user, case_id)
    qs = case.goals.select_related("child").order_by("child_id", "-starts_on", "-id")
    if child is not None:
        qs = qs.filter(child_id=child)
    if current:
        qs = qs.filter(ends_on__isnull=True)
    log_api_view(request, case, case=case)
    return list(qs)


@router.post(
    "/cases/{int:case_id}/goals",
    response={201: GoalOut},
    summary="Change a child's permanency goal (P4)",
)
def change_goal(request, case_id: int, payload: GoalIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = _person(request, payload.child, "child")
    goal = services.goal_change(
        actor=request.user,
        case=case,
        child=child,
        goal=payload.goal,
        starts_on=payload.starts_on,
        reason=payload.reason,
    )
    return Status(201, goal)


@router.get(
    "/cases/{int:case_id}/schools",
    response=list[SchoolOut],
    summary="Schools of the case's children (P3)",
)
def list_schools(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    children = case.members.filter(role__in=CHILD_ROLES).values("person_id")
    log_api_view(request, case, case=case)
    return list(
        SchoolEnrollment.objects.filter(child__in=children)
        .select_related("child")
        .order_by("child_id", "enrolled_on", "id")
    )


@router.post(
    "/cases/{int:case_id}/schools",
    response={200: SchoolOut, 201: SchoolOut},
    summary="Record a school of origin (201) or a new school's enrolment date (200)",
)
def record_school(request, case_id: int, payload: SchoolIn, response: HttpResponse):
    """A school of origin is a new record; a new school's enrolment date changes the
    enrolment, so it needs the enrolment's version (`version` or If-Match)."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = _person(request, payload.child, "child")
    enrolment = by_id(
        SchoolEnrollment.objects.filter(child=child), payload.enrolment_of, "enrolment_of", "school"
    )
    version = expected_version(request, payload.version) if enrolment else None
    school = services.school_record(
        actor=request.user,
        case=case,
        child=child,
        school_name=payload.school_name,
        district=payload.district,
        enrolled_on=payload.enrolled_on,
        enrolment_of=enrolment,
        version=version,
    )
    set_etag(response, school)
    return Status(200 if enrolment else 201, school)


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
    child = _person(request, payload.child, "child")
    arrangements = []
    for i, a in enumerate(payload.arrangements):
        data = a.dict()
        data["visitor"] = _person(request, a.visitor, f"arrangements.{i}.visitor")
        if not data["visitor_name"].strip():
            if data["visitor"] is None:
                raise DomainError({f"arrangements.{i}.visitor_name": "Name the visitor."})
            data["visitor_name"] = data["visitor"].full_name
        arrangements.append(data)
    participants = []
    for i, p in enumerate(payload.participants):
        person = _person(request, p.person, f"participants.{i}.person")
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
    child = _person(request, payload.child, "child")
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
            "child": _person(request, r.child, f"reviews.{i}.child"),
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
