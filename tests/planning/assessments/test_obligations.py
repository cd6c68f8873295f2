"""C3 as an obligation: a change in the family's situation (a child placed or moved, a
new member of the household, a return home) prompts a reassessment due within the
agency's reassessment_days, met by the case's first assessment dated on or after the
change. What the events leave equals what rebuild_obligations makes."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.cases import services as case_services
from hearth.core.services import today
from hearth.obligations import engine
from hearth.obligations.models import Obligation
from hearth.placements import services as placement_services
from tests.factories import PersonFactory
from tests.obligations.conftest import at_ten
from tests.obligations.test_incremental_equals_rebuilt import TODAYS, History, days, snapshot
from tests.obligations.test_incremental_equals_rebuilt import steps as case_steps
from tests.planning.assessments.conftest import load_defaults, record


class AssessedHistory(History):
    """The obligations test's history, with assessments of the family (C3)."""

    def __init__(self, supervisor, worker, today):
        super().__init__(supervisor, worker, today)
        self.safety = load_defaults()["safety-risk"]

    def assess(self, day):
        record(self.worker.user, self.case, self.safety, on=self.day(day), reason="other_change")


def c3(case):
    return list(
        Obligation.objects.filter(case=case, rule="C3")
        .order_by("starts_on", "person_id")
        .values_list("person_id", "starts_on", "due_on", "evidence_type", "met_on")
    )


def ago(n: int) -> tuple[bool, int]:
    return (False, n)


@pytest.fixture
def h(supervisor, worker):
    return AssessedHistory(supervisor, worker, today())


def test_c3_a_placement_prompts_a_reassessment_met_by_a_later_assessment(h):
    h.place(0, ago(50), "relative")
    child, placed = h.children[0].pk, today() - timedelta(days=50)
    due = placed + timedelta(days=30)
    assert c3(h.case) == [(child, placed, due, "", None)]
    row = Obligation.objects.get(case=h.case, rule="C3")
    assert (row.source, row.need) == ("planning", "reassessment")
    # An assessment before the change does not meet it; one after, however late, does.
    h.assess(ago(60))
    assert c3(h.case) == [(child, placed, due, "", None)]
    h.assess(ago(5))
    assert c3(h.case) == [(child, placed, due, "assessment", today() - timedelta(days=5))]


def test_c3_a_move_prompts_another_reassessment(h):
    h.place(0, ago(50), "relative")
    placement_services.child_place(
        actor=h.worker.user,
        episode=h.episode(0),
        starts_on=today() - timedelta(days=20),
        setting="runaway",
        move_reason="Left the relative's home.",
    )
    starts = [today() - timedelta(days=50), today() - timedelta(days=20)]
    assert [r[1] for r in c3(h.case)] == starts


def test_c3_a_new_household_member_prompts_one_the_first_members_do_not(h, supervisor):
    assert c3(h.case) == []  # the family the case opened with
    parent = case_services.case_member_add(
        actor=supervisor.user,
        case=h.case,
        person=PersonFactory(),
        role="caregiver",
        starts_on=today() - timedelta(days=3),
    )
    case_services.case_member_add(
        actor=supervisor.user,
        case=h.case,
        person=PersonFactory(),
        role="household_member",
        in_household=False,
        starts_on=today() - timedelta(days=3),
    )
    assert [r[0] for r in c3(h.case)] == [parent.person_id]
    assert c3(h.case)[0][2] == today() + timedelta(days=27)


def test_c3_a_return_home_prompts_one_other_exits_do_not(h):
    h.remove(0, ago(80))
    h.remove(1, ago(80))
    h.exit(0, ago(10))  # reunification
    placement_services.episode_exit(
        actor=h.worker.user,
        episode=h.episode(1),
        exited_on=today() - timedelta(days=10),
        exit_reason="adoption",
    )
    assert [(r[0], r[1]) for r in c3(h.case)] == [(h.children[0].pk, today() - timedelta(days=10))]


def test_c3_the_agencys_reassessment_days_set_the_due_date(h):
    agency = h.case.agency
    agency.policy_overrides = {"reassessment_days": 14}
    agency.save()
    h.case.refresh_from_db()
    h.place(0, ago(5), "relative")
    assert c3(h.case)[0][2] == today() + timedelta(days=9)


def test_c3_not_owed_when_the_case_closes_before_it_falls_due(h, supervisor):
    h.place(0, ago(10), "relative")
    h.exit(0, ago(2))
    case_services.case_change_status(actor=supervisor.user, case=h.case, status="closed")
    assert c3(h.case) == []
    h.case.refresh_from_db()
    before = snapshot(h.case)
    engine.rebuild([h.case])
    assert snapshot(h.case) == before


def test_c3_rebuild_obligations_leaves_the_rows_the_events_left(h):
    h.place(0, (True, 2), "relative")
    h.assess((True, 1))
    h.place(1, ago(3), "runaway")
    h.exit(0, ago(1))
    incremental = snapshot(h.case)
    assert len(c3(h.case)) == 3
    engine.rebuild([h.case])
    assert snapshot(h.case) == incremental


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    today=st.sampled_from(TODAYS),
    history=st.lists(st.one_of(case_steps, st.tuples(st.just("assess"), days)), max_size=8),
)
def test_c3_reassessments_updated_by_events_equal_the_rebuilt_ones(
    supervisor, worker, today, history
):
    """Random histories with assessments: incremental equals rebuilt (C3)."""
    with time_machine.travel(at_ten(today), tick=False), transaction.atomic():
        h = AssessedHistory(supervisor, worker, today)
        for step in history:
            h.apply(step)
        incremental = snapshot(h.case)
        engine.rebuild([h.case])
        assert snapshot(h.case) == incremental
        transaction.set_rollback(True)


def test_c3_horizon_is_a_change_today(h):
    from hearth.planning.obligations.assessments import SOURCE

    assert SOURCE.horizon(h.case, now=date(2026, 1, 31)) == date(2026, 3, 2)
