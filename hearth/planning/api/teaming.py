"""Planning endpoints of the teaming area: family team meetings (C5, P7), supervisor case
conferences (V13), the diligent search log (C6) and tribe contacts (C7).

Thin: each endpoint checks access (hearth.cases.access) and the input's shape, resolves
the people it names among those the caller may see, and calls one service in
hearth.planning.services.teaming, which checks the rules. A refusal is a 4xx naming the
field; nothing is stored. Lists log every record they return.
"""

from datetime import date, time

from ninja import Field, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.core import audit
from hearth.core.api_common import InputSchema, LongText, NamedRef, by_code, log_api_view
from hearth.core.errors import DomainError, Forbidden
from hearth.planning.api.router import router
from hearth.planning.models import (
    DiligentSearch,
    MeetingParticipant,
    TeamMeeting,
    TribeContact,
)
from hearth.planning.selectors import teaming as selectors
from hearth.planning.services import teaming as services
from hearth.reference.models import Tribe
from hearth.staff import access as staff_access
from hearth.visitation.models import VisitationReview


def _named(person) -> dict | None:
    return {"id": person.pk, "name": person.full_name} if person else None


# --- Schemas ---------------------------------------------------------------------------


class MeetingParticipantIn(InputSchema):
    name: str = Field("", max_length=200, description="Defaults to the person's name")
    role: MeetingParticipant.Role
    person: int | None = Field(None, description="A person of the case, if one")
    attended: bool = True
    input: LongText = Field("", description="What they said, in their words (C5)")


class MeetingReviewIn(InputSchema):
    child: int
    decision: VisitationReview.Decision
    obstacles: LongText = ""
    plan_to_overcome: LongText = ""


class TeamMeetingIn(InputSchema):
    held_on: date
    type: TeamMeeting.Type
    facilitator: int | None = Field(None, description="A staff member's id, if staff")
    facilitator_name: str = Field("", max_length=200, description="Or the facilitator's name")
    location: str = Field("", max_length=200)
    starts_at: time | None = None
    participants: list[MeetingParticipantIn] = Field(..., max_length=60)
    decisions: LongText
    reviews: list[MeetingReviewIn] = Field(
        default_factory=list,
        description="P7: the visitation schedule of every child then out of home",
    )


class MeetingParticipantOut(Schema):
    id: int
    name: str
    role: str
    person: int | None = Field(None, alias="person_id")
    attended: bool
    input: str


class MeetingReviewOut(Schema):
    id: int
    child: NamedRef
    plan: int | None = Field(None, alias="plan_id")
    decision: str
    obstacles: str
    plan_to_overcome: str

    @staticmethod
    def resolve_child(obj):
        return _named(obj.child)


class TeamMeetingOut(Schema):
    id: int = Field(..., description="The case meeting's id (meeting_id)")
    case: int
    held_on: date
    type: str
    facilitator: int | None = Field(None, alias="facilitator_id")
    facilitator_name: str
    location: str
    starts_at: time | None
    decisions: str
    participants: list[MeetingParticipantOut]
    reviews: list[MeetingReviewOut]

    @staticmethod
    def resolve_id(obj):
        return obj.meeting_id

    @staticmethod
    def resolve_case(obj):
        return obj.meeting.case_id

    @staticmethod
    def resolve_held_on(obj):
        return obj.meeting.held_on

    @staticmethod
    def resolve_decisions(obj):
        return obj.meeting.decisions

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.all())

    @staticmethod
    def resolve_reviews(obj):
        return list(obj.meeting.visitation_reviews.all())


class TeamMeetingDetailOut(TeamMeetingOut):
    case_plans: list[int] = Field(..., description="Case plan versions adopted at it (C5)")

    @staticmethod
    def resolve_case_plans(obj):
        return [p.pk for p in getattr(obj.meeting, "adopted_plans", [])]


class SupervisorConferenceIn(InputSchema):
    held_on: date
    worker: int | None = Field(None, description="The worker's staff id")
    discussed: LongText
    decisions: LongText
    next_steps: LongText = ""
    not_seen: int | None = Field(None, description="V13: a child or parent not being seen")
    not_seen_reason: LongText = Field("", description="V13: the documented reason")


class SupervisorConferenceOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    held_on: date
    supervisor: NamedRef
    worker: NamedRef | None
    discussed: str
    decisions: str
    next_steps: str
    not_seen: NamedRef | None
    not_seen_reason: str

    @staticmethod
    def resolve_supervisor(obj):
        return _named(obj.supervisor)

    @staticmethod
    def resolve_worker(obj):
        return _named(obj.worker)

    @staticmethod
    def resolve_not_seen(obj):
        return _named(obj.not_seen)


class FoundPersonIn(InputSchema):
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    date_of_birth: date | None = None


class DiligentSearchIn(InputSchema):
    sought_for: DiligentSearch.SoughtFor
    sought_name: str = Field(..., min_length=1, max_length=200)
    method: DiligentSearch.Method
    searched_on: date
    result: DiligentSearch.Result
    child: int | None = Field(None, description="When found: whose relative (a child's id)")
    found_person: int | None = Field(None, description="When found: a recorded person")
    new_person: FoundPersonIn | None = Field(None, description="Or a new person's fields")
    relative_kind: str = Field("", max_length=60, description="Extended family: aunt, ...")
    notes: LongText = ""


class DiligentSearchOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    sought_for: str
    sought_name: str
    method: str
    searched_on: date
    result: str
    found_person: NamedRef | None
    notes: str

    @staticmethod
    def resolve_found_person(obj):
        return _named(obj.found_person)


class TribeContactIn(InputSchema):
    child: int
    tribe: str = Field(..., max_length=40, description="The tribe's code (one of the child's)")
    contacted_on: date
    method: TribeContact.Method
    tribe_contact_name: str = Field("", max_length=200)
    response: LongText = ""
    active_efforts: LongText = ""


class TribeContactOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    child: NamedRef
    tribe: str
    tribe_name: str
    contacted_on: date
    method: str
    tribe_contact_name: str
    response: str
    active_efforts: str

    @staticmethod
    def resolve_child(obj):
        return _named(obj.child)

    @staticmethod
    def resolve_tribe(obj):
        return obj.tribe.code

    @staticmethod
    def resolve_tribe_name(obj):
        return obj.tribe.name


def _log_list(request, case, records: list) -> list:
    audit.log_access(request, audit.LIST, records, case=case)
    return records


# --- Family team meetings --------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/team-meetings",
    response=list[TeamMeetingOut],
    summary="Family team meetings (C5)",
)
def list_team_meetings(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    teams = list(selectors.team_meetings(case))
    _log_list(request, case, [t.meeting for t in teams])
    return teams


@router.post(
    "/cases/{int:case_id}/team-meetings",
    response={201: TeamMeetingDetailOut},
    summary="Record a family team meeting with each participant's input (C5, P7)",
)
def record_team_meeting(request, case_id: int, payload: TeamMeetingIn):
    """At least one participant attended; a person named is one of the case's. While a
    child is out of home, `reviews` reviews the child's visitation schedule (P7)."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    facilitator = None
    if payload.facilitator is not None:
        facilitator = (
            staff_access.visible_staff(request.user).filter(pk=payload.facilitator).first()
        )
        if facilitator is None:
            raise DomainError({"facilitator": "Unknown staff member."})
    participants = [
        {
            "name": p.name,
            "role": p.role,
            "person": visible_person(request, p.person, f"participants.{i}.person"),
            "attended": p.attended,
            "input": p.input,
        }
        for i, p in enumerate(payload.participants)
    ]
    reviews = [
        {
            "child": visible_person(request, r.child, f"reviews.{i}.child"),
            "decision": r.decision,
            "obstacles": r.obstacles,
            "plan_to_overcome": r.plan_to_overcome,
        }
        for i, r in enumerate(payload.reviews)
    ]
    team = services.team_meeting_record(
        actor=request.user,
        case=case,
        held_on=payload.held_on,
        type=payload.type,
        facilitator=facilitator,
        facilitator_name=payload.facilitator_name,
        location=payload.location,
        starts_at=payload.starts_at,
        participants=participants,
        decisions=payload.decisions,
        reviews=reviews,
    )
    return Status(201, selectors.team_meeting(request.user, team.pk))


@router.get(
    "/team-meetings/{int:meeting_id}",
    response=TeamMeetingDetailOut,
    summary="Read a family team meeting (C5)",
)
def get_team_meeting(request, meeting_id: int):
    team = selectors.team_meeting(request.user, meeting_id)
    log_api_view(request, team.meeting, case=team.meeting.case)
    return team


# --- Supervisor conferences ------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/supervisor-conferences",
    response=list[SupervisorConferenceOut],
    summary="Supervisor case conferences (V13)",
)
def list_conferences(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    return _log_list(request, case, list(selectors.conferences(case)))


@router.post(
    "/cases/{int:case_id}/supervisor-conferences",
    response={201: SupervisorConferenceOut},
    summary="Record a supervisor case conference (V13: who is not seen, and why)",
)
def record_conference(request, case_id: int, payload: SupervisorConferenceIn):
    """By a holder of conference.record (a supervisor, a program director) who may edit
    the case; `not_seen` and `not_seen_reason` go together."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    if not staff_access.viewer_can(request.user, "conference.record"):
        raise Forbidden()
    worker = None
    if payload.worker is not None:
        worker = staff_access.visible_staff(request.user).filter(pk=payload.worker).first()
        if worker is None:
            raise DomainError({"worker": "Unknown staff member."})
    conference = services.supervisor_conference_record(
        actor=request.user,
        case=case,
        held_on=payload.held_on,
        worker=worker,
        discussed=payload.discussed,
        decisions=payload.decisions,
        not_seen=visible_person(request, payload.not_seen, "not_seen"),
        not_seen_reason=payload.not_seen_reason,
        next_steps=payload.next_steps,
    )
    return Status(201, selectors.conferences(case).get(pk=conference.pk))


# --- Diligent search -------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/searches",
    response=list[DiligentSearchOut],
    summary="Diligent search log (C6)",
)
def list_searches(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    return _log_list(request, case, list(selectors.searches(case)))


@router.post(
    "/cases/{int:case_id}/searches",
    response={201: DiligentSearchOut},
    summary="Record a diligent search effort; a person found joins the family (C6)",
)
def record_search(request, case_id: int, payload: DiligentSearchIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    search = services.diligent_search_record(
        actor=request.user,
        case=case,
        sought_for=payload.sought_for,
        sought_name=payload.sought_name,
        method=payload.method,
        searched_on=payload.searched_on,
        result=payload.result,
        child=visible_person(request, payload.child, "child"),
        found_person=visible_person(request, payload.found_person, "found_person"),
        new_person=payload.new_person.dict(exclude_none=True) if payload.new_person else None,
        relative_kind=payload.relative_kind,
        notes=payload.notes,
    )
    return Status(201, selectors.searches(case).get(pk=search.pk))


# --- Tribe contacts --------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/tribe-contacts",
    response=list[TribeContactOut],
    summary="Contacts with the children's tribes (C7)",
)
def list_tribe_contacts(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    return _log_list(request, case, list(selectors.tribe_contacts(case)))


@router.post(
    "/cases/{int:case_id}/tribe-contacts",
    response={201: TribeContactOut},
    summary="Record a contact with an American Indian child's tribe (C7)",
)
def record_tribe_contact(request, case_id: int, payload: TribeContactIn):
    """The child is a child of the case; the tribe one of the child's tribes."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    contact = services.tribe_contact_record(
        actor=request.user,
        case=case,
        child=visible_person(request, payload.child, "child"),
        tribe=by_code(Tribe, payload.tribe, "tribe"),
        contacted_on=payload.contacted_on,
        method=payload.method,
        tribe_contact_name=payload.tribe_contact_name,
        response=payload.response,
        active_efforts=payload.active_efforts,
    )
    return Status(201, selectors.tribe_contacts(case).get(pk=contact.pk))
