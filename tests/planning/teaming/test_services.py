"""The teaming services: family team meetings (C5, P7), supervisor conferences (V13),
diligent search (C6) and the tribe (C7). A refusal names the field and stores nothing."""

from datetime import timedelta

import pytest

from hearth.cases.models import CaseEvent, CaseMeeting, CaseMember
from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.people.models import Relationship
from hearth.planning.models import (
    DiligentSearch,
    MeetingParticipant,
    SupervisorConference,
    TeamMeeting,
    TribeContact,
)
from hearth.planning.services import teaming as services
from tests.factories import PersonFactory, TribeFactory
from tests.placements.conftest import days_ago


def _parts(family, **over):
    base = [
        {
            "name": "",
            "role": "parent",
            "person": family["parent"],
            "attended": True,
            "input": "I want my kids home by summer.",
        },
        {"name": "Joan Helper", "role": "informal_support", "attended": False, "input": ""},
    ]
    base[0].update(over)
    return base


def _meeting(worker, family, **over):
    kw = dict(
        actor=worker.user,
        case=family["case"],
        held_on=days_ago(2),
        type="initial",
        facilitator=worker,
        participants=_parts(family),
        decisions="Weekly visits continue.",
        reviews=[],
    )
    kw.update(over)
    return services.team_meeting_record(**kw)


def _nothing_stored():
    assert not CaseMeeting.objects.filter(kind="family_team_meeting").exists()
    assert not TeamMeeting.objects.exists() and not MeetingParticipant.objects.exists()


def test_c5_meeting_records_participants_input_and_case_meeting(family, worker):
    team = _meeting(worker, family)
    meeting = team.meeting
    assert meeting.kind == CaseMeeting.Kind.FAMILY_TEAM_MEETING
    assert "Dana Brook (Parent)" in meeting.participants
    assert "Joan Helper (Informal support): did not attend" in meeting.participants
    parts = list(team.participants.order_by("id"))
    assert parts[0].name == "Dana Brook" and parts[0].input == "I want my kids home by summer."
    assert team.facilitator_name == worker.full_name
    assert CaseEvent.objects.filter(case=family["case"], type="team_meeting_recorded").exists()


@pytest.mark.parametrize(
    "over, field",
    [
        ({"held_on": today() + timedelta(days=1)}, "held_on"),
        ({"held_on": days_ago(121)}, "held_on"),  # before the case opened (120 days ago)
        ({"type": "brunch"}, "type"),
        ({"decisions": "  "}, "decisions"),
        ({"participants": []}, "participants"),
        ({"facilitator": None}, "facilitator"),
    ],
)
def test_c5_meeting_refusals_name_the_field_and_store_nothing(family, worker, over, field):
    with pytest.raises(DomainError) as exc:
        _meeting(worker, family, **over)
    assert field in exc.value.errors
    _nothing_stored()


def test_c5_someone_attended_and_a_person_named_is_in_the_case(family, worker):
    with pytest.raises(DomainError) as exc:
        _meeting(worker, family, participants=_parts(family, attended=False))
    assert "participants" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        _meeting(worker, family, participants=_parts(family, person=family["aunt"]))
    assert "participants.0.person" in exc.value.errors
    _nothing_stored()


def test_p7_meeting_reviews_the_visitation_of_a_child_out_of_home(removed, family, worker):
    with pytest.raises(DomainError) as exc:
        _meeting(worker, family)
    assert "P7" in exc.value.errors["reviews"]
    _nothing_stored()
    team = _meeting(
        worker,
        family,
        reviews=[{"child": family["child"], "decision": "continue", "obstacles": "Bus fare"}],
    )
    assert team.meeting.visitation_reviews.get().child == family["child"]


def test_c5_closed_case_refuses_a_meeting(family, worker, supervisor):
    from hearth.cases import services as case_services

    case_services.case_change_status(
        actor=supervisor.user, case=family["case"], status="closed", on=days_ago(1)
    )
    family["case"].refresh_from_db()
    with pytest.raises(DomainError) as exc:
        _meeting(worker, family)
    assert "case" in exc.value.errors
    _nothing_stored()


# --- Supervisor conferences (V13) --------------------------------------------------------


def _conference(user, family, **over):
    kw = dict(
        actor=user,
        case=family["case"],
        held_on=days_ago(1),
        discussed="The FANS results and the plan.",
        decisions="Refer to parenting classes.",
    )
    kw.update(over)
    return services.supervisor_conference_record(**kw)


def test_v13_conference_records_the_documented_reason_not_seen(family, supervisor, worker):
    c = _conference(
        supervisor.user,
        family,
        worker=worker,
        not_seen=family["parent"],
        not_seen_reason="In residential treatment until the 20th; calls weekly.",
    )
    assert c.supervisor == supervisor and c.not_seen == family["parent"]
    with pytest.raises(DomainError) as exc:
        _conference(supervisor.user, family, not_seen=family["parent"])
    assert "not_seen_reason" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        _conference(supervisor.user, family, not_seen_reason="Away")
    assert "not_seen" in exc.value.errors
    assert SupervisorConference.objects.count() == 1


def test_v13_only_a_holder_of_conference_record_records_one(family, worker):
    with pytest.raises(DomainError) as exc:
        _conference(worker.user, family)
    assert "supervisor" in exc.value.errors
    assert not SupervisorConference.objects.exists()


# --- Diligent search (C6) ----------------------------------------------------------------


def _search(worker, family, **over):
    kw = dict(
        actor=worker.user,
        case=family["case"],
        sought_for="extended_family",
        sought_name="Aunt Rosa",
        method="phone",
        searched_on=days_ago(3),
        result="not_found",
    )
    kw.update(over)
    return services.diligent_search_record(**kw)


def test_c6_search_not_found_is_logged(family, worker):
    s = _search(worker, family)
    assert s.result == "not_found" and s.found_person is None


def test_c6_found_relative_joins_the_family_with_the_relationship(family, worker):
    s = _search(
        worker,
        family,
        result="found",
        child=family["child"],
        found_person=family["aunt"],
        relative_kind="aunt",
    )
    assert s.found_person == family["aunt"]
    member = CaseMember.objects.get(case=family["case"], person=family["aunt"])
    assert member.role == "caregiver" and not member.in_household
    assert Relationship.objects.filter(
        person=family["aunt"], other=family["child"], kind="relative"
    ).exists()


def test_c6_found_putative_father_recorded_new_is_a_parent(family, worker):
    s = _search(
        worker,
        family,
        sought_for="putative_father",
        sought_name="Tom",
        method="registry",
        result="found",
        child=family["child"],
        new_person={"first_name": "Tom", "last_name": "Vale"},
    )
    father = s.found_person
    assert CaseMember.objects.get(case=family["case"], person=father).role == "parent"
    rel = Relationship.objects.get(person=father, other=family["child"])
    assert rel.kind == "parent" and rel.parent_type == "putative_father"


def test_c6_found_without_a_person_or_child_is_refused_and_stores_nothing(family, worker):
    with pytest.raises(DomainError) as exc:
        _search(worker, family, result="found", child=family["child"], relative_kind="aunt")
    assert "found_person" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        _search(worker, family, result="found", found_person=family["aunt"], relative_kind="x")
    assert "child" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        _search(
            worker,
            family,
            result="found",
            child=family["child"],
            new_person={"first_name": "", "last_name": "Vale"},
            relative_kind="uncle",
        )
    assert "new_person.first_name" in exc.value.errors
    assert not DiligentSearch.objects.exists()
    assert not CaseMember.objects.filter(person=family["aunt"]).exists()


# --- The tribe (C7) ----------------------------------------------------------------------


def test_c7_tribe_contact_for_the_childs_tribe(family, worker):
    tribe, other = TribeFactory(), TribeFactory()
    family["child"].tribes.add(tribe)
    kw = dict(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        contacted_on=days_ago(1),
        method="phone",
        response="The tribe will send its ICWA worker.",
        active_efforts="Weekly calls with the tribe's worker.",
    )
    with pytest.raises(DomainError) as exc:
        services.tribe_contact_record(tribe=other, **kw)
    assert "tribe" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        services.tribe_contact_record(tribe=tribe, **{**kw, "child": family["parent"]})
    assert "child" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        services.tribe_contact_record(tribe=tribe, **{**kw, "contacted_on": days_ago(500)})
    assert "contacted_on" in exc.value.errors
    assert not TribeContact.objects.exists()
    contact = services.tribe_contact_record(tribe=tribe, **kw)
    assert contact.tribe == tribe and contact.active_efforts.startswith("Weekly")


def test_c7_people_factory_asks_nothing_by_default():
    """C7: unknown until asked, never a default no."""
    assert PersonFactory.build().icwa_inquiry_made is None
