"""Reads of the teaming area: a case's family team meetings, supervisor conferences,
diligent search log, its children's ICWA status and the tribe contacts (C5 to C7, V13).
Every read takes a case the viewer was given through hearth.cases.access; a fixed number
of queries whatever the case holds."""

from django.db.models import Prefetch

from hearth.cases import access as case_access
from hearth.cases.models import Case, CaseMeeting, CaseMember
from hearth.core.errors import NotFound
from hearth.planning.models import (
    CasePlan,
    DiligentSearch,
    MeetingParticipant,
    SupervisorConference,
    TeamMeeting,
    TribeContact,
)
from hearth.visitation.models import VisitationReview

CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)


def team_meetings_all():
    return TeamMeeting.objects.select_related(
        "meeting", "meeting__case", "facilitator"
    ).prefetch_related(
        Prefetch("participants", queryset=MeetingParticipant.objects.order_by("id")),
        Prefetch(
            "meeting__visitation_reviews",
            queryset=VisitationReview.objects.select_related("child").order_by("id"),
        ),
    )


def team_meetings(case: Case):
    """C5: the case's family team meetings, latest first, with their participants."""
    return team_meetings_all().filter(meeting__case=case).order_by("-meeting__held_on", "-pk")


def team_meeting(viewer, meeting_id: int) -> TeamMeeting:
    """C5: one family team meeting through its case's scope (NotFound alike when missing
    or unseen), with its participants, visitation reviews (P7) and the plan versions
    adopted at it."""
    team = (
        team_meetings_all()
        .filter(pk=meeting_id)
        .prefetch_related(
            Prefetch(
                "meeting__plans", queryset=CasePlan.objects.order_by("id"), to_attr="adopted_plans"
            )
        )
        .first()
    )
    if team is None:
        raise NotFound()
    case_access.access_case(viewer, team.meeting.case_id)
    return team


def conferences(case: Case):
    """The supervisor's case conferences (V13: with the reasons a person is not seen)."""
    return SupervisorConference.objects.filter(case=case).select_related(
        "supervisor", "worker", "not_seen"
    )


def not_seen_reasons(case: Case) -> list[SupervisorConference]:
    """V13: the documented reasons a child or parent is not being seen, latest first."""
    return list(conferences(case).filter(not_seen__isnull=False).order_by("-held_on", "-id"))


def searches(case: Case):
    """C6: the diligent search log, latest first."""
    return DiligentSearch.objects.filter(case=case).select_related("found_person")


def tribe_contacts(case: Case):
    """C7: the contacts with the children's tribes, latest first."""
    return TribeContact.objects.filter(case=case).select_related("child", "tribe")


def children_icwa(case: Case) -> list[dict]:
    """C7: each child of the case with the ICWA inquiry's state (asked, or not yet asked:
    unknown until asked), membership, whether ICWA applies, and the child's tribes."""
    members = (
        CaseMember.objects.filter(case=case, role__in=CHILD_ROLES, ends_on__isnull=True)
        .select_related("person")
        .prefetch_related("person__tribes")
        .order_by("person__last_name", "person__first_name", "id")
    )
    out = []
    for m in members:
        p = m.person
        if p.icwa_inquiry_made is True:
            asked = "Asked" + (f" on {p.icwa_inquiry_date:%Y-%m-%d}" if p.icwa_inquiry_date else "")
        elif p.icwa_inquiry_made is False:
            asked = "Recorded as not made"
        else:
            asked = "Not yet asked"
        out.append({"child": p, "asked": asked, "tribes": list(p.tribes.all())})
    return out


def meeting_people(case: Case) -> list:
    """The people of the case, for naming a participant, a person found, who is not seen."""
    people = {
        m.person_id: m.person
        for m in CaseMember.objects.filter(case=case)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    }
    return list(people.values())


def case_meeting_of(viewer, meeting_id: int, *, for_edit: bool = False) -> CaseMeeting:
    meeting = CaseMeeting.objects.filter(
        pk=meeting_id, kind=CaseMeeting.Kind.FAMILY_TEAM_MEETING
    ).first()
    if meeting is None:
        raise NotFound()
    case_access.access_case(viewer, meeting.case_id, for_edit=for_edit)
    return meeting
