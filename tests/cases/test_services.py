from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from hearth.cases import services
from hearth.cases.models import Assignment, Case, CaseEvent, CaseMember
from hearth.core.errors import ConflictError, DomainError
from hearth.core.services import today
from hearth.intake import services as intake_services
from hearth.staff.models import Role, StaffMember
from tests.factories import CountyFactory, PersonFactory, StaffFactory, make_case


def test_a6_assignment_keeps_who_when_by_whom_and_why(case, worker, supervisor):
    a = Assignment.objects.get(case=case)
    assert (a.worker, a.assigned_by, a.reason) == (worker, supervisor, "Initial assignment")
    assert a.starts_on == case.opened_on
    event = CaseEvent.objects.get(case=case, type="assigned")
    assert event.actor == supervisor.user
    assert event.payload["worker"] == worker.pk


def test_a6_reassignment_ends_the_current_one_and_keeps_both(case, worker, supervisor, unit):
    other = StaffFactory(unit=unit)
    intake_services.case_assign(
        actor=supervisor.user,
        assigned_by=supervisor,
        case=case,
        worker=other,
        reason="Worker moving to another county",
    )
    rows = list(Assignment.objects.filter(case=case).order_by("id"))
    assert [r.worker for r in rows] == [worker, other]
    assert rows[0].ends_on == today() and rows[1].ends_on is None
    assert rows[0].end_reason == "Reassigned: Worker moving to another county"


def test_a6_assignment_without_reason_is_refused_and_changes_nothing(case, supervisor, unit):
    other = StaffFactory(unit=unit)
    before = list(Assignment.objects.values_list("id", "ends_on"))
    with pytest.raises(DomainError) as err:
        intake_services.case_assign(
            actor=supervisor.user, assigned_by=supervisor, case=case, worker=other, reason=" "
        )
    assert "reason" in err.value.errors
    assert list(Assignment.objects.values_list("id", "ends_on")) == before


def test_database_refuses_two_current_primary_case_managers(case, unit, supervisor):
    other = StaffFactory(unit=unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            case=case,
            worker=other,
            unit=unit,
            starts_on=today(),
            assigned_by=supervisor,
            reason="second",
        )


def test_assigning_departed_or_non_case_manager_is_refused(case, supervisor, unit):
    departed = StaffFactory(unit=unit, status=StaffMember.Status.DEPARTED, departed_on=today())
    director = StaffFactory(unit=unit, roles=[Role.PROGRAM_DIRECTOR])
    for who in (departed, director):
        with pytest.raises(DomainError) as err:
            intake_services.case_assign(
                actor=supervisor.user, assigned_by=supervisor, case=case, worker=who, reason="x"
            )
        assert "worker" in err.value.errors


def test_assigning_worker_of_another_agency_is_refused(case, supervisor):
    stranger = StaffFactory()
    with pytest.raises(DomainError) as err:
        intake_services.case_assign(
            actor=supervisor.user, assigned_by=supervisor, case=case, worker=stranger, reason="x"
        )
    assert err.value.errors["worker"] == "This worker belongs to another agency."


def test_case_update_with_stale_version_is_refused(case, supervisor):
    services.case_update(actor=supervisor.user, case=case, version=case.version, complexity=3)
    with pytest.raises(ConflictError):
        services.case_update(actor=supervisor.user, case=case, version=case.version, complexity=1)
    case.refresh_from_db()
    assert case.complexity == 3


def test_case_update_records_history_and_event(case, supervisor):
    services.case_update(actor=supervisor.user, case=case, court_involved=True)
    latest = case.history.order_by("-history_id").first()
    assert latest.court_involved is True and latest.history_user == supervisor.user
    event = CaseEvent.objects.filter(case=case, type="case_updated").get()
    assert event.payload["changes"] == {"court_involved": [False, True]}


def test_case_update_refuses_unknown_field(case, supervisor):
    with pytest.raises(DomainError) as err:
        services.case_update(actor=supervisor.user, case=case, case_number="X-1")
    assert "case_number" in err.value.errors


def test_case_numbers_are_sequential_per_agency_and_year(supervisor, worker):
    a = make_case(actor_staff=supervisor, worker=worker, opened_on=date(2025, 3, 1))
    b = make_case(actor_staff=supervisor, worker=worker, opened_on=date(2025, 4, 1))
    assert a.case_number == "NSF-2025-000001"
    assert b.case_number == "NSF-2025-000002"


def test_case_in_the_future_is_refused(supervisor):
    with pytest.raises(DomainError) as err:
        services.case_create(
            actor=supervisor.user,
            agency=supervisor.agency,
            county=CountyFactory(),
            case_type=Case.Type.OUT_OF_HOME,
            opened_on=today() + timedelta(days=1),
        )
    assert "opened_on" in err.value.errors
    assert not Case.objects.exists()


def test_closing_ends_assignments_and_memberships(case, supervisor):
    services.case_change_status(actor=supervisor.user, case=case, status="open")
    # O1: the state approved its closure recommendation (hearth.oversight).
    services.case_change_status(
        actor=supervisor.user, case=case, status="closed", closure_approved=True
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == today()
    assert not Assignment.objects.filter(case=case, ends_on__isnull=True).exists()
    assert not CaseMember.objects.filter(case=case, ends_on__isnull=True).exists()


def test_p1_reopening_links_the_prior_case_and_closed_case_stays_closed(case, supervisor):
    case = services.case_change_status(actor=supervisor.user, case=case, status="closed")
    with pytest.raises(DomainError):
        services.case_change_status(actor=supervisor.user, case=case, status="open")
    again = services.case_create(
        actor=supervisor.user,
        agency=case.agency,
        county=case.county,
        case_type=Case.Type.IN_HOME_NON_COURT,
        prior_case=case,
    )
    assert again.prior_case == case
    assert case.reopenings.get() == again


def test_reopening_an_open_case_is_refused(case, supervisor):
    with pytest.raises(DomainError) as err:
        services.case_create(
            actor=supervisor.user,
            agency=case.agency,
            county=case.county,
            case_type=Case.Type.IN_HOME_NON_COURT,
            prior_case=case,
        )
    assert "prior_case" in err.value.errors


def test_opening_a_case_needs_a_primary_worker(supervisor):
    case = make_case(actor_staff=supervisor)
    with pytest.raises(DomainError) as err:
        services.case_change_status(actor=supervisor.user, case=case, status="assigned")
    assert "Assign a primary case manager first." in err.value.errors["status"]


def test_a_person_is_a_current_member_of_a_case_once(case, supervisor):
    person = case.members.first().person
    with pytest.raises(DomainError):
        services.case_member_add(actor=supervisor.user, case=case, person=person, role="sibling")


def test_member_end_date_before_start_is_refused(case, supervisor):
    member = case.members.first()
    with pytest.raises(DomainError) as err:
        services.case_member_update(
            actor=supervisor.user, member=member, ends_on=member.starts_on - timedelta(days=1)
        )
    assert "ends_on" in err.value.errors or "__all__" in err.value.errors
    member.refresh_from_db()
    assert member.ends_on is None


def test_member_can_be_added_and_ended(case, supervisor):
    sib = PersonFactory()
    m = services.case_member_add(actor=supervisor.user, case=case, person=sib, role="sibling")
    services.case_member_update(actor=supervisor.user, member=m, ends_on=today())
    m.refresh_from_db()
    assert m.ends_on == today()
    assert CaseEvent.objects.filter(case=case, type="member_ended").exists()


def test_grant_requires_matching_role(case, supervisor):
    state = StaffFactory(roles=[Role.STATE_OVERSIGHT])
    with pytest.raises(DomainError):
        services.case_grant_access(
            actor=supervisor.user, granted_by=None, case=case, staff=state, purpose="qa_review"
        )
    grant = services.case_grant_access(
        actor=supervisor.user, granted_by=None, case=case, staff=state, purpose="oversight"
    )
    assert grant.ends_on is None
