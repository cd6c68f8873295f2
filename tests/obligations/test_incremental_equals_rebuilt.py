"""Incremental equals rebuilt: random histories of a small case, applied through the real
services (each emits its event, so the obligations engine updates the rows as it goes),
leave exactly the Obligation rows that `rebuild` makes from nothing. Days are drawn in
the past (backdated changes) and on months' last days; today is drawn among month ends
and a mid-month day."""

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hearth.cases import services as case_services
from hearth.cases.models import CaseMember
from hearth.contacts import services as contact_services
from hearth.core.errors import DomainError
from hearth.obligations import engine
from hearth.obligations.models import Obligation
from hearth.people.models import Relationship
from hearth.placements import services as placement_services
from hearth.placements.models import RemovalEpisode
from hearth.visitation import services as visitation_services
from tests.factories import PersonFactory, make_case
from tests.obligations.conftest import at_ten

TODAYS = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 6, 15), date(2026, 11, 30)]
FIELDS = [f.name for f in Obligation._meta.fields if f.name not in ("id", "refreshed_at")]


def _month_end(today: date, back: int) -> date:
    """The last day of the month `back` months before today's (today at the latest)."""
    first = today.replace(day=1)
    for _ in range(back):
        first = (first - timedelta(days=1)).replace(day=1)
    return min(today, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))


# A day: (False, n) is n days ago, (True, k) the last day of the month k months back.
days = st.one_of(
    st.tuples(st.just(False), st.integers(0, 100)), st.tuples(st.just(True), st.integers(0, 3))
)
child = st.integers(0, 1)
steps = st.one_of(
    st.tuples(st.just("remove"), child, days),
    st.tuples(st.just("place"), child, days, st.sampled_from(["relative", "runaway"])),
    st.tuples(st.just("exit"), child, days),
    st.tuples(st.just("visit"), child, days, st.sampled_from(["held", "missed"])),
    st.tuples(st.just("note"), days, st.sets(st.integers(0, 2), min_size=1)),
    st.tuples(st.just("exception"), days, st.sampled_from(["exception", "far_away"])),
    st.tuples(st.just("add_member"), days, st.sampled_from(["child", "parent"])),
    st.tuples(st.just("end_member"), st.integers(0, 4), days),
)


def snapshot(case) -> Counter:
    return Counter(Obligation.objects.filter(case=case).values_list(*FIELDS))


class History:
    """A case of the out-of-home kind opened 120 days ago: two children, a parent, and an
    aunt (not a member) who can take a child in; the case's worker applies each step."""

    def __init__(self, supervisor, worker, today):
        self.sup, self.worker, self.today = supervisor, worker, today
        self.children = [PersonFactory(), PersonFactory()]
        self.parent = PersonFactory()
        self.aunt = PersonFactory(recorded_by_agency=supervisor.agency)
        for kid in self.children:
            Relationship.objects.create(
                person=self.parent,
                other=kid,
                kind="parent",
                parent_type="legal",
                parental_rights="intact",
            )
            Relationship.objects.create(
                person=self.aunt, other=kid, kind="relative", relative_kind="aunt"
            )
        self.case = make_case(
            actor_staff=supervisor,
            worker=worker,
            case_type="out_of_home",
            court_involved=True,
            opened_on=today - timedelta(days=120),
            members=[
                (self.children[0], "child"),
                (self.children[1], "child"),
                (self.parent, "parent"),
            ],
        )

    def day(self, drawn) -> date:
        month_end, n = drawn
        return _month_end(self.today, n) if month_end else self.today - timedelta(days=n)

    def apply(self, step) -> None:
        try:
            getattr(self, step[0])(*step[1:])
        except DomainError:  # refused, nothing half-written: the history goes on
            event(f"{step[0]} refused")
        else:
            event(f"{step[0]} applied")

    def episode(self, i):
        return RemovalEpisode.objects.filter(child=self.children[i], exited_on__isnull=True).last()

    def remove(self, i, day):
        placement_services.child_remove(
            actor=self.worker.user,
            case=self.case,
            child=self.children[i],
            removed_on=self.day(day),
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )

    def place(self, i, day, kind):
        """A child not in care is removed and placed on the same day."""
        if self.episode(i) is None:
            self.remove(i, day)
        episode = self.episode(i)
        where = (
            {"choice": f"relative:{self.aunt.pk}"} if kind == "relative" else {"setting": "runaway"}
        )
        placement_services.child_place(
            actor=self.worker.user, episode=episode, starts_on=self.day(day), **where
        )

    def exit(self, i, day):
        episode = self.episode(i)
        if episode is None:
            raise DomainError({"episode": "The child is not in care."})
        placement_services.episode_exit(
            actor=self.worker.user,
            episode=episode,
            exited_on=self.day(day),
            exit_reason="reunification",
        )

    def visit(self, i, day, status):
        visitation_services.family_visit_record(
            actor=self.worker.user,
            case=self.case,
            child=self.children[i],
            visit_on=self.day(day),
            status=status,
            reason="" if status == "held" else "The parent was ill.",
            visitors=[self.parent] if status == "held" else [],
        )

    def note(self, day, whom):
        people = [*self.children, self.parent]
        contact_services.contact_note_create(
            actor=self.worker.user,
            author=self.worker,
            case=self.case,
            occurred_at=at_ten(self.day(day)) - timedelta(hours=1),
            method="in_person",
            location="placement",
            contact_with=[people[w] for w in sorted(whom)],
            narrative="Monthly visit.",
            finalize=True,
        )

    def exception(self, day, kind):
        contact_services.contact_exception_approve(
            actor=self.sup.user,
            approver=self.sup,
            case=self.case,
            person=self.parent,
            kind=kind,
            reason="Incarcerated out of state.",
            starts_on=self.day(day),
        )

    def add_member(self, day, role):
        case_services.case_member_add(
            actor=self.sup.user,
            case=self.case,
            person=PersonFactory(),
            role=role,
            starts_on=self.day(day),
        )

    def end_member(self, i, day):
        members = list(CaseMember.objects.filter(case=self.case).order_by("pk"))
        member = members[i % len(members)]
        case_services.case_member_update(actor=self.sup.user, member=member, ends_on=self.day(day))


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(today=st.sampled_from(TODAYS), history=st.lists(steps, min_size=1, max_size=8))
def test_obligations_updated_by_events_equal_the_rebuilt_ones(supervisor, worker, today, history):
    with time_machine.travel(at_ten(today), tick=False), transaction.atomic():
        h = History(supervisor, worker, today)
        for step in history:
            h.apply(step)
        incremental = snapshot(h.case)
        engine.rebuild([h.case])
        assert snapshot(h.case) == incremental
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_deferred_notes_the_cases_and_rebuilds_each_once_on_leaving(supervisor, worker):
    """engine.deferred (the demo seed's): inside it, the events write no obligation and
    note their case; on leaving, each case noted has the rows the engine rebuilds (which
    the events would have left, as above); afterwards the events recompute again."""
    today = TODAYS[-1]
    with time_machine.travel(at_ten(today), tick=False):
        with engine.deferred() as noted:
            h = History(supervisor, worker, today)
            h.place(0, (False, 30), "relative")
            h.note((False, 2), {0, 2})
            assert noted == {h.case.pk}
            assert not Obligation.objects.filter(case=h.case).exists()
        left = snapshot(h.case)
        assert left
        engine.rebuild([h.case])
        assert snapshot(h.case) == left
        Obligation.objects.filter(case=h.case).delete()
        h.add_member((False, 1), "parent")  # not deferred any more: recomputed at once
        assert Obligation.objects.filter(case=h.case).exists()
