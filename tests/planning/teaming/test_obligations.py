"""C5 and C7 as obligations: written by the engine from the teaming records' events,
met by a family team meeting or a tribe contact, and incremental equals rebuilt."""

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hearth.cases import services as case_services
from hearth.core.errors import DomainError
from hearth.obligations import engine
from hearth.obligations.models import Obligation
from hearth.placements import services as placement_services
from hearth.placements.models import RemovalEpisode
from hearth.planning.services import teaming as services
from tests.factories import PersonFactory, TribeFactory, make_case
from tests.obligations.conftest import at_ten
from tests.obligations.test_incremental_equals_rebuilt import TODAYS, _month_end

FIELDS = [f.name for f in Obligation._meta.fields if f.name not in ("id", "refreshed_at")]


def rows(case, rule):
    return list(Obligation.objects.filter(case=case, rule=rule).order_by("due_on", "id"))


def meet(worker, case, held_on, person=None, reviews=()):
    return services.team_meeting_record(
        actor=worker.user,
        case=case,
        held_on=held_on,
        type="initial",
        facilitator=worker,
        participants=[
            {"name": "A parent", "role": "parent", "person": person, "input": "We agree."}
        ],
        decisions="Plan made together.",
        reviews=list(reviews),
    )


@pytest.mark.parametrize("day", [date(2026, 1, 31), date(2028, 2, 29)], indirect=True)
def test_c5_first_meeting_due_after_a_removal_and_met_by_a_meeting(day, supervisor, worker):
    child = PersonFactory()
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="out_of_home",
        opened_on=day - timedelta(days=5),
        members=[(child, "child")],
    )
    (first,) = rows(case, "C5")  # an in-home start: 30 days after the opening
    assert first.due_on == day + timedelta(days=25) and first.met_on is None
    placement_services.child_remove(
        actor=worker.user,
        case=case,
        child=child,
        removed_on=day - timedelta(days=1),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    (first,) = rows(case, "C5")  # the removal asks for it within 30 days of the removal
    assert first.due_on == day + timedelta(days=25)  # sooner of the two: the opening's
    team = meet(worker, case, day, reviews=[{"child": child, "decision": "continue"}])
    met, nxt = rows(case, "C5")
    assert met.evidence_type == "team_meeting" and met.evidence_id == team.pk
    assert met.met_on == day
    assert nxt.starts_on == day and nxt.due_on == day + timedelta(days=90)
    assert nxt.met_on is None and nxt.source == "planning"


@pytest.mark.parametrize("day", [date(2026, 11, 30), date(2028, 2, 29)], indirect=True)
def test_c5_a_late_meeting_meets_the_meeting_due_in_an_earlier_month(day, supervisor, worker):
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        opened_on=day - timedelta(days=70),
        members=[(PersonFactory(), "child")],
    )
    (overdue,) = rows(case, "C5")
    assert overdue.due_on == day - timedelta(days=40)
    meet(worker, case, day)
    late, nxt = rows(case, "C5")
    assert late.due_on == day - timedelta(days=40) and late.met_on == day
    assert nxt.due_on == day + timedelta(days=90)


def indian_child(**fields):
    tribe = TribeFactory()
    child = PersonFactory(icwa_inquiry_made=True, icwa_applies="reason_to_know", **fields)
    child.tribes.add(tribe)
    return child, tribe


@pytest.mark.parametrize("day", [date(2026, 1, 31), date(2028, 2, 29)], indirect=True)
def test_c7_tribe_contact_due_three_days_after_assignment_and_met(day, supervisor, worker):
    child, tribe = indian_child()
    other = PersonFactory()  # not an American Indian child: nothing owed
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        opened_on=day - timedelta(days=1),
        members=[(child, "child"), (other, "child")],
    )
    (owed,) = rows(case, "C7")
    assert owed.person_id == child.pk and owed.due_on == day + timedelta(days=2)
    assert tribe.name in owed.description and owed.responsible == worker
    contact = services.tribe_contact_record(
        actor=worker.user, case=case, child=child, tribe=tribe, contacted_on=day, method="phone"
    )
    (met,) = rows(case, "C7")
    assert met.evidence_type == "tribe_contact" and met.evidence_id == contact.pk


def test_c7_a_tribe_named_later_on_the_child_falls_due_at_once(supervisor, worker, api_as):
    child = PersonFactory()
    case = make_case(actor_staff=supervisor, worker=worker, members=[(child, "child")])
    assert rows(case, "C7") == []
    tribe = TribeFactory()
    api = api_as(worker.user)
    response = api.patch(
        f"/api/v1/people/{child.pk}", {"tribes": [tribe.code], "version": child.version}
    )
    assert response.status_code == 200, response.json()
    (owed,) = rows(case, "C7")
    assert owed.due_on == case.opened_on + timedelta(days=3)  # overdue: named late


# --- Incremental equals rebuilt (C5, C7) -------------------------------------------------

days = st.one_of(
    st.tuples(st.just(False), st.integers(0, 130)), st.tuples(st.just(True), st.integers(0, 4))
)
steps = st.one_of(
    st.tuples(st.just("remove"), st.integers(0, 1), days),
    st.tuples(st.just("meeting"), days),
    st.tuples(st.just("tribe"), days),
    st.tuples(st.just("close"), days),
)


class TeamHistory:
    """An in-home case opened 120 days ago with an American Indian child and a sibling;
    meetings, removals, tribe contacts and a closing, each through its service."""

    def __init__(self, supervisor, worker, today):
        self.sup, self.worker, self.today = supervisor, worker, today
        self.indian, self.the_tribe = indian_child()
        self.children = [self.indian, PersonFactory()]
        self.parent = PersonFactory()
        self.case = make_case(
            actor_staff=supervisor,
            worker=worker,
            opened_on=today - timedelta(days=120),
            members=[(self.children[0], "child"), (self.children[1], "child")],
        )

    def day(self, drawn) -> date:
        month_end, n = drawn
        return _month_end(self.today, n) if month_end else self.today - timedelta(days=n)

    def apply(self, step) -> None:
        self.case.refresh_from_db()
        try:
            getattr(self, step[0])(*step[1:])
        except DomainError:
            event(f"{step[0]} refused")
        else:
            event(f"{step[0]} applied")

    def remove(self, i, day):
        placement_services.child_remove(
            actor=self.worker.user,
            case=self.case,
            child=self.children[i],
            removed_on=self.day(day),
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )

    def meeting(self, day):
        held_on = self.day(day)
        away = RemovalEpisode.objects.filter(case=self.case, removed_on__lte=held_on).exclude(
            exited_on__lte=held_on
        )
        reviews = [{"child": e.child, "decision": "continue"} for e in away]
        meet(self.worker, self.case, held_on, reviews=reviews)

    def tribe(self, day):
        services.tribe_contact_record(
            actor=self.worker.user,
            case=self.case,
            child=self.indian,
            tribe=self.the_tribe,
            contacted_on=self.day(day),
            method="letter",
        )

    def close(self, day):
        case_services.case_change_status(
            actor=self.sup.user, case=self.case, status="closed", on=self.day(day)
        )


def snapshot(case) -> Counter:
    return Counter(Obligation.objects.filter(case=case).values_list(*FIELDS))


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(today=st.sampled_from(TODAYS), history=st.lists(steps, min_size=1, max_size=8))
def test_c5_c7_obligations_updated_by_events_equal_the_rebuilt_ones(
    supervisor, worker, today, history
):
    with time_machine.travel(at_ten(today), tick=False), transaction.atomic():
        h = TeamHistory(supervisor, worker, today)
        for step in history:
            h.apply(step)
        incremental = snapshot(h.case)
        h.case.refresh_from_db()  # as rebuild_obligations reads it
        engine.rebuild([h.case])
        assert snapshot(h.case) == incremental, (today, history)
        transaction.set_rollback(True)


def test_c5_an_investigation_owes_no_family_team_meeting(supervisor, worker):
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="investigation",
        members=[(PersonFactory(), "child")],
    )
    assert rows(case, "C5") == []
