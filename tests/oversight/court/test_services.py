"""O2: hearings and court reports through the services."""

import pytest

from hearth.cases.models import CaseEvent
from hearth.core.errors import ConflictError, DomainError
from hearth.oversight.models import CourtReport, Hearing
from hearth.oversight.services import court as services
from tests.factories import PersonFactory, make_case
from tests.oversight.court.conftest import at
from tests.placements.conftest import days_ago


def test_o2_hearings_only_for_court_involved_cases(supervisor, worker):
    case = make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    with pytest.raises(DomainError) as e:
        services.hearing_schedule(
            actor=worker.user, case=case, type="review", scheduled_at=at(5), court="Court"
        )
    assert "case" in e.value.errors and "O2" in e.value.errors["case"]
    assert not Hearing.objects.exists()


def test_o2_the_child_is_a_child_of_the_case(family, worker):
    with pytest.raises(DomainError) as e:
        services.hearing_schedule(
            actor=worker.user,
            case=family["case"],
            type="review",
            scheduled_at=at(5),
            court="Court",
            child=family["parent"],
        )
    assert set(e.value.errors) == {"child"}


def test_o2_schedule_records_the_timeline(hearing, family):
    event = CaseEvent.objects.get(case=family["case"], type="hearing_scheduled")
    assert event.payload["hearing"] == hearing.pk and event.payload["type"] == "review"


def test_o2_outcome_only_after_the_hearing_time(hearing, worker):
    with pytest.raises(DomainError) as e:
        services.hearing_record_outcome(
            actor=worker.user, hearing=hearing, version=hearing.version, outcome="Continued care"
        )
    assert "scheduled_at" in e.value.errors and "O2" in e.value.errors["scheduled_at"]
    hearing.refresh_from_db()
    assert hearing.status == "scheduled" and hearing.outcome == ""


def test_o2_outcome_held_with_findings_and_next_hearing_scheduled(past_hearing, worker, specialist):
    held = services.hearing_record_outcome(
        actor=worker.user,
        hearing=past_hearing,
        version=past_hearing.version,
        outcome="The child stays in care; services continue.",
        orders="Parent to complete the parenting class.",
        reasonable_efforts_finding="made",
        best_interest_finding="made",
        state_attendee=specialist,
        state_testifies=True,
        next_hearing_at=at(90),
    )
    assert held.status == "held" and held.state_testifies
    follow = Hearing.objects.exclude(pk=held.pk).get()
    # O2: a disposition is followed by a review, at the same court, about the same child
    assert follow.type == "review" and follow.status == "scheduled"
    assert follow.scheduled_at == at(90) and follow.court == held.court
    assert follow.child_id == held.child_id
    # held once: recording again is refused
    with pytest.raises(DomainError) as e:
        services.hearing_record_outcome(
            actor=worker.user, hearing=held, version=held.version, outcome="Again"
        )
    assert "status" in e.value.errors


def test_o2_next_hearing_after_this_one(past_hearing, worker):
    with pytest.raises(DomainError) as e:
        services.hearing_record_outcome(
            actor=worker.user,
            hearing=past_hearing,
            version=past_hearing.version,
            outcome="Done",
            next_hearing_at=at(-2),
        )
    assert set(e.value.errors) == {"next_hearing_at"}
    assert Hearing.objects.count() == 1


def test_o2_state_attendee_is_state_staff(past_hearing, worker):
    with pytest.raises(DomainError) as e:
        services.hearing_record_outcome(
            actor=worker.user,
            hearing=past_hearing,
            version=past_hearing.version,
            outcome="Done",
            state_attendee=worker,
        )
    assert set(e.value.errors) == {"state_attendee"}


def test_o2_continue_keeps_the_hearing_and_schedules_another(hearing, worker):
    services.hearing_update(
        actor=worker.user,
        hearing=hearing,
        version=hearing.version,
        change="continue",
        scheduled_at=at(30),
    )
    hearing.refresh_from_db()
    assert hearing.status == "continued"
    new = Hearing.objects.get(status="scheduled")
    assert new.type == hearing.type and new.scheduled_at == at(30)


def test_o2_cancel_and_version_check(hearing, worker):
    with pytest.raises(ConflictError):
        services.hearing_update(
            actor=worker.user, hearing=hearing, version=hearing.version + 5, change="cancel"
        )
    services.hearing_update(
        actor=worker.user, hearing=hearing, version=hearing.version, change="cancel"
    )
    hearing.refresh_from_db()
    assert hearing.status == "cancelled"
    with pytest.raises(DomainError) as e:
        services.hearing_update(
            actor=worker.user, hearing=hearing, version=hearing.version, court="Elsewhere"
        )
    assert "status" in e.value.errors


def test_o2_report_period_not_in_the_future(family, worker):
    with pytest.raises(DomainError) as e:
        services.court_report_generate(
            actor=worker.user,
            case=family["case"],
            period_start=days_ago(10),
            period_end=at(3).date(),
        )
    assert set(e.value.errors) == {"period_end"}
    with pytest.raises(DomainError) as e:
        services.court_report_generate(
            actor=worker.user, case=family["case"], period_start=days_ago(1), period_end=days_ago(5)
        )
    assert set(e.value.errors) == {"period_end"}
    assert not CourtReport.objects.exists()


def test_o2_report_edited_only_as_a_draft(family, worker):
    report = services.court_report_generate(
        actor=worker.user, case=family["case"], period_start=days_ago(90), period_end=days_ago(0)
    )
    report = services.court_report_update(
        actor=worker.user,
        report=report,
        version=report.version,
        sections={"recommendation": "Continue reunification services."},
    )
    assert report.sections["recommendation"] == "Continue reunification services."
    assert report.version == 2
    # the recommendations area marks it submitted for the state's review
    CourtReport.objects.filter(pk=report.pk).update(status="submitted")
    with pytest.raises(DomainError) as e:
        services.court_report_update(
            actor=worker.user, report=report, version=report.version, sections={"family": "x"}
        )
    assert "status" in e.value.errors
    report.refresh_from_db()
    assert report.sections["family"] != "x"


def test_o2_regenerate_keeps_the_recommendation(family, worker):
    report = services.court_report_generate(
        actor=worker.user, case=family["case"], period_start=days_ago(90), period_end=days_ago(0)
    )
    report = services.court_report_update(
        actor=worker.user,
        report=report,
        version=report.version,
        sections={"recommendation": "Mine", "family": "edited"},
    )
    report = services.court_report_regenerate(
        actor=worker.user, report=report, version=report.version
    )
    assert report.sections["recommendation"] == "Mine"
    assert report.sections["family"] != "edited"
