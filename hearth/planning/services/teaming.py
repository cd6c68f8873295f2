"""Every write of the teaming area: family team meetings (C5, P7), supervisor case
conferences (the practice guide's "how to use your supervisor", V13), the diligent
search log (C6) and contacts with an American Indian child's tribe (C7). One function
per user action, in a transaction; a refusal raises DomainError naming the field and
stores nothing.

Callers pass a case they have already checked the actor may edit (hearth.cases.access)
and people they may see.
"""

from datetime import date, time

from django.db import transaction

from hearth.cases import events
from hearth.cases import services as case_services
from hearth.cases.models import Case, CaseMeeting, CaseMember
from hearth.contacts import services as contact_services
from hearth.core.errors import DomainError
from hearth.core.services import lock, today, validated_save
from hearth.people import services as people_services
from hearth.people.models import Person, Relationship
from hearth.planning.models import (
    DiligentSearch,
    MeetingParticipant,
    SupervisorConference,
    TeamMeeting,
    TribeContact,
)
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember
from hearth.visitation.services import visitation_reviews_record

CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)


def _open_case(case: Case) -> Case:
    case = lock(Case, case.pk)
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    return case


def _dated(case: Case, field: str, value: date | None, what: str) -> None:
    """Not in the future, not before the case opened."""
    if value is None:
        raise DomainError({field: "Enter the date."})
    if value > today():
        raise DomainError({field: f"{what} cannot be in the future."})
    if value < case.opened_on:
        raise DomainError({field: f"{what} cannot be dated before the case opened."})


def _case_people(case: Case) -> set[int]:
    return set(CaseMember.objects.filter(case=case).values_list("person_id", flat=True))


def _required(problems: dict, field: str, value: str, reason: str) -> str:
    value = (value or "").strip()
    if not value:
        problems[field] = reason
    return value


# --- Family team meetings (C5, P7) -----------------------------------------------------


def _participants_text(participants: list[dict]) -> str:
    """The meeting's participants as the case's meeting record keeps them: one a line."""
    labels = dict(MeetingParticipant.Role.choices)
    return "\n".join(
        f"{p['name']} ({labels.get(p['role'], p['role'])})"
        + ("" if p["attended"] else ": did not attend")
        for p in participants
    )


@transaction.atomic
def team_meeting_record(
    *,
    actor,
    case: Case,
    held_on: date,
    type: str,
    participants: list[dict],
    decisions: str,
    reviews: list[dict] = (),
    facilitator: StaffMember | None = None,
    facilitator_name: str = "",
    location: str = "",
    starts_at: time | None = None,
) -> TeamMeeting:
    """C5: a family team meeting, with each participant's input in their words and the
    team's decisions; P7: while a child is out of home, the meeting reviews the child's
    visitation schedule (`reviews`: child, decision, obstacles, plan_to_overcome; the
    visitation app's rule, hearth.visitation.services.visitation_reviews_record).

    `participants`: dicts of name, role, person (optional, a member of the case),
    attended (default True) and input. At least one participant attended."""
    case = _open_case(case)
    _dated(case, "held_on", held_on, "A meeting")
    problems: dict[str, str] = {}
    if type not in TeamMeeting.Type.values:
        problems["type"] = "Choose the meeting's type."
    facilitator_name = (facilitator_name or "").strip()
    if facilitator is None and not facilitator_name:
        problems["facilitator"] = "Name who facilitated the meeting."
    if facilitator is not None and not facilitator_name:
        facilitator_name = facilitator.full_name
    decisions = _required(problems, "decisions", decisions, "Record the team's decisions (C5).")
    if not participants:
        problems["participants"] = "List who took part, with their input (C5)."
    members = _case_people(case)
    clean = []
    for i, p in enumerate(participants):
        person = p.get("person")
        name = (p.get("name") or "").strip() or (person.full_name if person else "")
        if not name:
            problems[f"participants.{i}.name"] = "Name the participant."
        if p.get("role") not in MeetingParticipant.Role.values:
            problems[f"participants.{i}.role"] = "Choose the participant's role."
        if person is not None and person.pk not in members:
            problems[f"participants.{i}.person"] = "This person is not in the case."
        clean.append(
            {
                "name": name,
                "role": p.get("role"),
                "person": person,
                "attended": bool(p.get("attended", True)),
                "input": (p.get("input") or "").strip(),
            }
        )
    if clean and not any(p["attended"] for p in clean):
        problems.setdefault("participants", "At least one participant attended the meeting.")
    if problems:
        raise DomainError(problems)
    meeting = CaseMeeting(
        case=case,
        kind=CaseMeeting.Kind.FAMILY_TEAM_MEETING,
        held_on=held_on,
        participants=_participants_text(clean),
        decisions=decisions,
    )
    validated_save(meeting, actor=actor)
    team = TeamMeeting(
        meeting=meeting,
        type=type,
        facilitator=facilitator,
        facilitator_name=facilitator_name,
        location=(location or "").strip(),
        starts_at=starts_at,
    )
    validated_save(team, actor=actor)
    for i, p in enumerate(clean):
        try:
            validated_save(MeetingParticipant(meeting=team, **p), actor=actor, exclude=["meeting"])
        except DomainError as exc:
            raise DomainError({f"participants.{i}.{k}": v for k, v in exc.errors.items()}) from None
    # P7: the visitation schedule of every child then out of home, reviewed here.
    visitation_reviews_record(actor=actor, meeting=meeting, reviews=list(reviews))
    events.team_meeting_recorded(meeting, actor=actor, type=type)
    return team


# --- Supervisor case conferences (V13) -------------------------------------------------


@transaction.atomic
def supervisor_conference_record(
    *,
    actor,
    case: Case,
    held_on: date,
    discussed: str,
    decisions: str,
    worker: StaffMember | None = None,
    not_seen: Person | None = None,
    not_seen_reason: str = "",
    next_steps: str = "",
) -> SupervisorConference:
    """The practice guide's "how to use your supervisor": a dated staffing note of what
    was discussed, the decisions and next steps; V13: when a child or parent is not
    being seen, the person and the documented reason, both or neither. The actor holds
    conference.record (a supervisor or program director) and is the conference's
    supervisor. The reason is also written to the contacts layer
    (hearth.contacts.services.not_seen_reason_record): the unmet requirements to see the
    person whose window holds `held_on` show it as their documented reason (V13)."""
    supervisor = staff_access.staff_for(actor)
    if supervisor is None or not staff_access.viewer_can(actor, "conference.record"):
        raise DomainError({"supervisor": "Only a supervisor records a case conference."})
    case = _open_case(case)
    _dated(case, "held_on", held_on, "A conference")
    problems: dict[str, str] = {}
    discussed = _required(problems, "discussed", discussed, "Record what was discussed.")
    decisions = _required(problems, "decisions", decisions, "Record the decisions.")
    not_seen_reason = (not_seen_reason or "").strip()
    if not_seen is not None and not not_seen_reason:
        problems["not_seen_reason"] = "Give the documented reason this person is not seen (V13)."
    if not_seen is None and not_seen_reason:
        problems["not_seen"] = "Name who is not being seen (V13)."
    if not_seen is not None and not_seen.pk not in _case_people(case):
        problems["not_seen"] = "This person is not in the case."
    if worker is not None and not case.assignments.filter(worker=worker).exists():
        problems["worker"] = "This worker has not been assigned the case."
    if problems:
        raise DomainError(problems)
    conference = SupervisorConference(
        case=case,
        held_on=held_on,
        supervisor=supervisor,
        worker=worker,
        discussed=discussed,
        decisions=decisions,
        not_seen=not_seen,
        not_seen_reason=not_seen_reason,
        next_steps=(next_steps or "").strip(),
        recorded_by=actor,
    )
    validated_save(conference, actor=actor)
    events.supervisor_conference_recorded(conference, actor=actor)
    if not_seen is not None:
        # V13: the reason counts as the contacts layer's documentation of why the person
        # is not seen: the requirements to see them whose window holds the day carry it.
        contact_services.not_seen_reason_record(
            actor=actor,
            case=case,
            person=not_seen,
            on=held_on,
            reason=not_seen_reason,
            source="supervisor_conference",
            source_id=conference.pk,
        )
    return conference


# --- Diligent search (C6) --------------------------------------------------------------

# Who is sought decides the found person's place in the family.
FOUND_ROLE = {
    DiligentSearch.SoughtFor.EXTENDED_FAMILY: CaseMember.Role.CAREGIVER,
    DiligentSearch.SoughtFor.ABSENT_PARENT: CaseMember.Role.PARENT,
    DiligentSearch.SoughtFor.PUTATIVE_FATHER: CaseMember.Role.PARENT,
}


def _relationship(sought_for: str, relative_kind: str) -> dict:
    """C6: the found person's relationship to the child."""
    if sought_for == DiligentSearch.SoughtFor.EXTENDED_FAMILY:
        return {"kind": Relationship.Kind.RELATIVE, "relative_kind": relative_kind}
    parent_type = (
        Relationship.ParentType.PUTATIVE_FATHER
        if sought_for == DiligentSearch.SoughtFor.PUTATIVE_FATHER
        else Relationship.ParentType.LEGAL
    )
    return {"kind": Relationship.Kind.PARENT, "parent_type": parent_type}


@transaction.atomic
def diligent_search_record(
    *,
    actor,
    case: Case,
    sought_for: str,
    sought_name: str,
    method: str,
    searched_on: date,
    result: str,
    child: Person | None = None,
    found_person: Person | None = None,
    new_person: dict | None = None,
    relative_kind: str = "",
    notes: str = "",
) -> DiligentSearch:
    """C6: one effort of the diligent search for extended family, an absent parent or a
    putative father: who was sought, how, when and with what result. A person found is
    added to the family: a member of the case (a parent for an absent parent or putative
    father, a caregiver for extended family) related to `child` (a child of the case),
    through the cases and people services. `found_person`: a person the caller may see;
    or `new_person`: the fields of a person to record (first_name, last_name, ...).
    `relative_kind` says how extended family is related (grandmother, aunt, ...)."""
    case = _open_case(case)
    _dated(case, "searched_on", searched_on, "A search")
    problems: dict[str, str] = {}
    if sought_for not in DiligentSearch.SoughtFor.values:
        problems["sought_for"] = "Choose who is sought."
    if method not in DiligentSearch.Method.values:
        problems["method"] = "Choose the method."
    if result not in DiligentSearch.Result.values:
        problems["result"] = "Choose the result."
    sought_name = _required(problems, "sought_name", sought_name, "Name who is sought, as known.")
    found = result == DiligentSearch.Result.FOUND
    relative_kind = (relative_kind or "").strip()
    if found:
        if found_person is None and not new_person:
            problems["found_person"] = "C6: a person found is added to the family; name them."
        if found_person is not None and new_person:
            problems["found_person"] = "Choose a recorded person or record a new one, not both."
        if child is None:
            problems["child"] = "Say whose relative the person found is."
        elif not CaseMember.objects.filter(case=case, person=child, role__in=CHILD_ROLES).exists():
            problems["child"] = "This person is not a child in this case."
        if sought_for == DiligentSearch.SoughtFor.EXTENDED_FAMILY and not relative_kind:
            problems["relative_kind"] = "Say how they are related (grandmother, aunt, ...)."
        if found_person is not None and child is not None and found_person.pk == child.pk:
            problems["found_person"] = "The person found is not the child."
    elif found_person is not None or new_person:
        problems["result"] = "A person found means the result is found."
    if problems:
        raise DomainError(problems)
    if found:
        if found_person is None:
            try:
                found_person = people_services.person_create(
                    actor=actor, recorded_by_agency=case.agency, **new_person
                )
            except DomainError as exc:
                raise DomainError({f"new_person.{k}": v for k, v in exc.errors.items()}) from None
        role = FOUND_ROLE[sought_for]
        if not CaseMember.objects.filter(case=case, person=found_person, ends_on__isnull=True):
            case_services.case_member_add(
                actor=actor,
                case=case,
                person=found_person,
                role=role,
                in_household=False,
                starts_on=searched_on,
            )
        rel = _relationship(sought_for, relative_kind)
        if not Relationship.objects.filter(
            person=found_person, other=child, kind=rel["kind"]
        ).exists():
            people_services.relationship_create(
                actor=actor, person=found_person, other=child, starts_on=None, **rel
            )
    search = DiligentSearch(
        case=case,
        sought_for=sought_for,
        sought_name=sought_name,
        method=method,
        searched_on=searched_on,
        result=result,
        found_person=found_person if found else None,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    validated_save(search, actor=actor)
    events.diligent_search_recorded(search, actor=actor)
    return search


# --- The tribe (C7) --------------------------------------------------------------------


@transaction.atomic
def tribe_contact_record(
    *,
    actor,
    case: Case,
    child: Person,
    tribe,
    contacted_on: date,
    method: str,
    tribe_contact_name: str = "",
    response: str = "",
    active_efforts: str = "",
) -> TribeContact:
    """C7: the worker's contact with the tribe of an American Indian child: how, whom,
    the tribe's response and the active efforts the tribe defines. The child is a child
    of the case and the tribe one of the child's tribes (Person.tribes: record the tribe
    on the child first)."""
    case = _open_case(case)
    _dated(case, "contacted_on", contacted_on, "A contact")
    problems: dict[str, str] = {}
    if not CaseMember.objects.filter(case=case, person=child, role__in=CHILD_ROLES).exists():
        problems["child"] = "This person is not a child in this case."
    elif tribe is None or not child.tribes.filter(pk=tribe.pk).exists():
        problems["tribe"] = "This is not one of the child's tribes (C7): record it on the child."
    if method not in TribeContact.Method.values:
        problems["method"] = "Choose how the tribe was contacted."
    if problems:
        raise DomainError(problems)
    contact = TribeContact(
        case=case,
        child=child,
        tribe=tribe,
        contacted_on=contacted_on,
        method=method,
        tribe_contact_name=(tribe_contact_name or "").strip(),
        response=(response or "").strip(),
        active_efforts=(active_efforts or "").strip(),
        recorded_by=actor,
    )
    validated_save(contact, actor=actor)
    events.tribe_contacted(contact, actor=actor)
    return contact
