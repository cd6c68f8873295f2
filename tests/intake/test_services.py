"""Intake and assignment through the services, on the real database (A1 to A7, P1)."""

from datetime import timedelta

import pytest

from hearth.cases import services as case_services
from hearth.cases.models import Assignment, Case
from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.intake import selectors, services
from hearth.intake.models import Routing
from hearth.intake.services import MoveIn, NewMember
from hearth.staff import services as staff_services
from hearth.staff.models import Role, Unit
from tests.factories import CountyFactory, PersonFactory, StaffFactory, UnitFactory, make_case


@pytest.fixture
def director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


@pytest.fixture
def intake_staff(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])


@pytest.fixture
def support(agency):
    return UnitFactory(
        agency=agency, name="Case Management Support", kind=Unit.Kind.CASE_MANAGEMENT_SUPPORT
    )


def refer(actor_staff, agency, **fields):
    fields.setdefault("county", CountyFactory())
    fields.setdefault("case_type", Case.Type.IN_HOME_NON_COURT)
    return services.referral_create(
        actor=actor_staff.user,
        agency=agency,
        members=[NewMember(role="child", person=PersonFactory())],
        **fields,
    )


def new_worker(unit, days_since_training):
    return StaffFactory(
        unit=unit,
        experience_level=1,
        hire_date=today() - timedelta(days=days_since_training + 30),
        preservice_training_completed_on=today() - timedelta(days=days_since_training),
    )


def test_a4_an_icpc_referral_lands_in_the_support_unit(agency, unit, support, intake_staff):
    case = refer(intake_staff, agency, icpc=True)
    assert case.unit == support
    routing = case.routings.get()
    assert routing.rule == "A4" and "ICPC" in routing.explanation
    assert refer(intake_staff, agency, out_of_county=True).unit == support


def test_a1_rotation_cycles_through_units_across_referrals(agency, unit, other_unit, intake_staff):
    third = UnitFactory(agency=agency, name="Unit C")
    agency.policy_overrides = {"unit_routing": "rotation"}
    agency.save()
    got = [refer(intake_staff, agency).unit for _ in range(4)]
    assert got == [unit, other_unit, third, unit]
    assert [r.strategy for r in Routing.objects.order_by("id")] == ["rotation"] * 4


def test_a1_by_caseload_the_lighter_unit_gets_the_referral(
    agency, unit, other_unit, supervisor, worker, intake_staff
):
    StaffFactory(unit=other_unit)  # same capacity in both units
    for _ in range(3):
        make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    case = refer(intake_staff, agency)
    assert case.unit == other_unit
    assert case.routings.get().rule == "A1"


def _closed_case(supervisor, worker):
    case = make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    case_services.case_change_status(actor=supervisor.user, case=case, status="open")
    # O1: closed as the state approves its closure recommendation.
    return case_services.case_change_status(
        actor=supervisor.user, case=case, status="closed", closure_approved=True
    )


def test_a3_p1_a_reopened_case_goes_back_to_its_worker(
    agency, unit, other_unit, supervisor, worker, intake_staff
):
    StaffFactory(unit=other_unit)
    prior = _closed_case(supervisor, worker)
    case = refer(intake_staff, agency, prior_case=prior)
    assert case.unit == unit and case.routings.get().rule == "A3"
    ranked = selectors.recommend(case)
    assert ranked.top.worker.id == worker.pk and ranked.top.previous_worker


def test_p1_a3_a_referral_naming_a_member_of_a_closed_case_re_opens_it_or_says_why_not(
    agency, unit, supervisor, worker, intake_staff
):
    """P1: the referral links a person of a closed case: without prior_case it needs
    new_case_reason (nothing is written without it); with prior_case it is the re-opening
    (A3: back to the previous unit and case manager)."""
    prior = _closed_case(supervisor, worker)
    child = prior.members.get().person
    fields = {"county": CountyFactory(), "case_type": Case.Type.IN_HOME_NON_COURT}
    members = [NewMember(role="child", person=child)]
    before = Case.objects.count()
    with pytest.raises(DomainError) as refused:
        services.referral_create(actor=intake_staff.user, agency=agency, members=members, **fields)
    assert set(refused.value.errors) == {"new_case_reason"}
    assert prior.case_number in refused.value.errors["new_case_reason"]
    assert Case.objects.count() == before
    new = services.referral_create(
        actor=intake_staff.user, agency=agency, members=members,
        new_case_reason="Another household now", **fields,
    )  # fmt: skip
    assert new.prior_case is None
    assert new.events.get(type="case_created").payload["new_case_reason"] == "Another household now"
    reopened = services.referral_create(
        actor=intake_staff.user, agency=agency, members=members, prior_case=prior, **fields
    )
    assert reopened.prior_case == prior and reopened.routings.get().rule == "A3"
    assert selectors.recommend(reopened).top.worker.id == worker.pk


def test_p1_a_restricted_closed_case_is_not_named_by_its_number(
    agency, unit, supervisor, worker, director, intake_staff
):
    prior = _closed_case(supervisor, worker)
    case_services.case_set_restricted(
        actor=director.user, case=prior, restricted=True, reason="A staff member's family"
    )
    with pytest.raises(DomainError) as refused:
        services.referral_create(
            actor=intake_staff.user, agency=agency, county=CountyFactory(),
            case_type=Case.Type.IN_HOME_NON_COURT,
            members=[NewMember(role="child", person=prior.members.get().person)],
        )  # fmt: skip
    problem = refused.value.errors["new_case_reason"]
    assert "a restricted closed case" in problem and prior.case_number not in problem


def test_a3_when_the_worker_left_the_case_goes_to_the_same_unit(
    agency, unit, other_unit, supervisor, worker, intake_staff
):
    colleague = StaffFactory(unit=unit)
    StaffFactory(unit=other_unit)
    prior = _closed_case(supervisor, worker)
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    staff_services.staff_update(
        actor=director.user, member=worker, status="departed", departed_on=today()
    )
    case = refer(intake_staff, agency, prior_case=prior)
    assert case.unit == unit
    ranked = selectors.recommend(case)
    assert ranked.top.worker.id == colleague.pk
    gone = next(r for r in ranked.ranked if r.worker.id == worker.pk)
    assert not gone.eligible and "left the agency" in gone.limits[0].text


def test_a5_the_sixth_case_for_a_worker_20_days_past_training_is_refused(
    agency, unit, supervisor, director
):
    rookie = new_worker(unit, 20)
    for _ in range(5):
        make_case(actor_staff=supervisor, worker=rookie, members=[(PersonFactory(), "child")])
    sixth = make_case(actor_staff=supervisor, members=[(PersonFactory(), "child")], unit=unit)
    before = Assignment.objects.count()
    with pytest.raises(DomainError) as refused:
        services.case_assign(
            actor=supervisor.user, assigned_by=supervisor, case=sixth, worker=rookie,
            reason="Needs a worker", override_reason="Only one free",
        )  # fmt: skip
    assert "5 of the 5 cases" in refused.value.errors["worker"]
    assert "A5" in refused.value.errors["worker"]
    # A5 is a hard limit (issue 11): a program director is refused too, whatever the reason.
    with pytest.raises(DomainError) as director_refused:
        services.case_assign(
            actor=director.user, assigned_by=director, case=sixth, worker=rookie,
            reason="Needs a worker", override_reason="Only one free",
        )  # fmt: skip
    assert set(director_refused.value.errors) == {"worker"}
    assert "5 of the 5 cases" in director_refused.value.errors["worker"]
    assert "not even a program director" in director_refused.value.errors["worker"]
    # A reason does not lift it (only capacity is a director's to go above, A2).
    with pytest.raises(DomainError) as with_reason:
        services.case_assign(
            actor=director.user, assigned_by=director, case=sixth, worker=rookie,
            reason="Needs a worker", override_reason="Only one free",
            limit_override_reason="Emergency placement night; reviewed Monday",
        )  # fmt: skip
    assert set(with_reason.value.errors) == {"worker"}
    assert "not even a program director" in with_reason.value.errors["worker"]
    assert Assignment.objects.count() == before
    sixth.refresh_from_db()
    assert sixth.status == "referred" and not sixth.assignments.exists()


def full_worker(supervisor, unit):
    """A2(a, h): an experienced case manager at 14 of 15 weighted cases (7 very high)."""
    full = StaffFactory(unit=unit)
    for _ in range(7):
        make_case(actor_staff=supervisor, worker=full, complexity=Case.Complexity.VERY_HIGH,
                  members=[(PersonFactory(), "child")])  # fmt: skip
    return full


def test_a2_a_director_assigns_above_capacity_with_a_reason_a5_and_a7_kept(
    agency, unit, supervisor, worker, director
):
    """A2: capacity is the one limit a program director may assign above, with a reason
    kept on the assignment and its event; a supervisor may not (A5 stays hard, A7 holds)."""
    full = full_worker(supervisor, unit)
    case = make_case(actor_staff=supervisor, complexity=Case.Complexity.VERY_HIGH,
                     members=[(PersonFactory(), "child")], unit=unit)  # fmt: skip
    rec = next(r for r in selectors.recommend(case).ranked if r.worker.id == full.pk)
    assert not rec.eligible and rec.overridable and [x.code for x in rec.limits] == ["capacity"]
    choose = dict(case=case, worker=full, reason="Needs a worker", override_reason="Knows them")
    with pytest.raises(DomainError) as sup_refused:
        services.case_assign(actor=supervisor.user, assigned_by=supervisor,
                             limit_override_reason="Please", **choose)  # fmt: skip
    assert set(sup_refused.value.errors) == {"worker"}
    assert "Only a program director can assign above capacity" in sup_refused.value.errors["worker"]
    assert "at capacity: 14 of 15 weighted cases" in sup_refused.value.errors["worker"]
    with pytest.raises(DomainError) as no_reason:
        services.case_assign(actor=director.user, assigned_by=director, **choose)
    assert set(no_reason.value.errors) == {"limit_override_reason"}
    assert "above capacity (A2)" in no_reason.value.errors["limit_override_reason"]
    assert not case.assignments.exists()
    done = services.case_assign(
        actor=director.user, assigned_by=director, limit_override_reason=" Court order today ",
        **choose,
    )  # fmt: skip
    done.refresh_from_db()
    assert done.limit_override_reason == "Court order today"
    assert done.worker_id == full.pk and done.assigned_by_id == director.pk
    event = case.events.get(type="assigned")
    assert event.payload["limit_override_reason"] == "Court order today"
    assert event.payload["override_reason"] == "Knows them"
    # A reason given for a worker below capacity is not kept: nothing was lifted.
    other = make_case(actor_staff=supervisor, members=[(PersonFactory(), "child")], unit=unit)
    below = services.case_assign(
        actor=director.user, assigned_by=director, case=other, worker=worker,
        reason="Initial assignment", limit_override_reason="Not needed",
    )  # fmt: skip
    assert below.limit_override_reason == ""


def test_a5_an_untrained_worker_is_refused_for_a_director_with_a_reason(
    agency, unit, supervisor, director
):
    """A5: a new worker without pre-service training takes no case; no reason lifts it."""
    untrained = StaffFactory(unit=unit, experience_level=1,
                             preservice_training_completed_on=None)  # fmt: skip
    case = make_case(actor_staff=supervisor, members=[(PersonFactory(), "child")], unit=unit)
    with pytest.raises(DomainError) as refused:
        services.case_assign(
            actor=director.user, assigned_by=director, case=case, worker=untrained,
            reason="Needs a worker", override_reason="Only one free",
            limit_override_reason="Emergency",
        )  # fmt: skip
    assert set(refused.value.errors) == {"worker"}
    assert "pre-service training" in refused.value.errors["worker"]
    assert "not even a program director" in refused.value.errors["worker"]
    assert not case.assignments.exists()


def test_a7_an_override_without_a_reason_is_refused(agency, unit, supervisor, worker):
    busy = StaffFactory(unit=unit)
    for _ in range(4):
        make_case(actor_staff=supervisor, worker=busy, members=[(PersonFactory(), "child")],
                  )  # fmt: skip
    case = make_case(actor_staff=supervisor, members=[(PersonFactory(), "child")], unit=unit)
    assert selectors.recommend(case).top.worker.id == worker.pk
    with pytest.raises(DomainError) as refused:
        services.case_assign(
            actor=supervisor.user, assigned_by=supervisor, case=case, worker=busy,
            reason="Initial assignment",
        )  # fmt: skip
    assert "A7" in refused.value.errors["override_reason"]
    assert not case.assignments.exists()
    done = services.case_assign(
        actor=supervisor.user, assigned_by=supervisor, case=case, worker=busy,
        reason="Initial assignment", override_reason="Knows the family from school visits",
    )  # fmt: skip
    assert done.override_reason == "Knows the family from school visits"
    # Taking the recommendation needs no override reason.
    other = make_case(actor_staff=supervisor, members=[(PersonFactory(), "child")], unit=unit)
    services.case_assign(
        actor=supervisor.user, assigned_by=supervisor, case=other, worker=worker,
        reason="Initial assignment",
    )  # fmt: skip


def test_a6_a_departing_workers_cases_are_proposed_and_moved_with_history(
    agency, unit, supervisor, worker
):
    light = StaffFactory(unit=unit)
    rookie = new_worker(unit, 10)
    held = [
        make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
        for _ in range(7)
    ]
    proposal = selectors.proposal_for(worker)
    chosen = {m.case.pk: m.worker_id for m in proposal.moves}
    assert set(chosen) == {c.pk for c in held}
    assert list(chosen.values()).count(rookie.pk) <= 5  # A5
    assert None not in chosen.values()
    by_id = {light.pk: light, rookie.pk: rookie}
    moves = [MoveIn(m.case, by_id[m.worker_id]) for m in proposal.moves]
    services.worker_cases_reassign(
        actor=supervisor.user, assigned_by=supervisor, worker=worker, moves=moves,
        reason="Worker leaving the agency",
    )  # fmt: skip
    assert not selectors.held_cases(worker).exists()
    ended = Assignment.objects.filter(worker=worker).exclude(ends_on=None)
    assert ended.count() == 7
    assert all(a.end_reason.startswith("Reassigned: Worker leaving") for a in ended)


def test_a6_changing_the_proposal_needs_a_reason_and_changes_nothing(
    agency, unit, supervisor, worker
):
    a, b = StaffFactory(unit=unit), StaffFactory(unit=unit)
    held = [
        make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
        for _ in range(2)
    ]
    proposal = {m.case.pk: m.worker_id for m in selectors.proposal_for(worker).moves}
    flipped = [MoveIn(c, b if proposal[c.pk] == a.pk else a) for c in held]
    with pytest.raises(DomainError) as refused:
        services.worker_cases_reassign(
            actor=supervisor.user, assigned_by=supervisor, worker=worker, moves=flipped,
            reason="Worker leaving",
        )  # fmt: skip
    assert "adjust_reason" in refused.value.errors
    assert selectors.held_cases(worker).count() == 2
    services.worker_cases_reassign(
        actor=supervisor.user, assigned_by=supervisor, worker=worker, moves=flipped,
        reason="Worker leaving", adjust_reason="Keeps siblings' cases with one worker",
    )  # fmt: skip
    assert selectors.held_cases(worker).count() == 0


def test_a2_recommendation_queries_do_not_grow_with_the_unit(
    agency, unit, supervisor, worker, django_assert_max_num_queries
):
    case = make_case(actor_staff=supervisor, members=[(PersonFactory(), "child")], unit=unit)
    for _ in range(12):
        StaffFactory(unit=unit)
    with django_assert_max_num_queries(10):
        ranked = selectors.recommend(case)
    assert len(ranked.ranked) == 13


def test_bad_referrals_change_nothing(agency, unit, intake_staff):
    before = (Case.objects.count(), Routing.objects.count())
    with pytest.raises(DomainError) as no_child:
        services.referral_create(
            actor=intake_staff.user, agency=agency, county=CountyFactory(),
            case_type=Case.Type.IN_HOME_NON_COURT,
            members=[NewMember(role="parent", person=PersonFactory())],
        )  # fmt: skip
    assert "members" in no_child.value.errors
    with pytest.raises(DomainError) as bad_person:
        services.referral_create(
            actor=intake_staff.user, agency=agency, county=CountyFactory(),
            case_type=Case.Type.IN_HOME_NON_COURT,
            members=[NewMember(role="child", person=PersonFactory()),
                     NewMember(role="parent", fields={"first_name": "", "last_name": "Lee"})],
        )  # fmt: skip
    assert any(k.startswith("members[1].") for k in bad_person.value.errors)
    assert (Case.objects.count(), Routing.objects.count()) == before
