"""C1 as obligations: the first plan within 30 days of the first placement (of the opening
for an in-home case), reviews every 90 days after the case opened, and the signatures
awaited on an adopted plan; updated by the events equal to rebuilt (P9: the due list)."""

from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.core.errors import DomainError
from hearth.obligations import engine
from hearth.obligations.models import Obligation
from hearth.placements import services as placement_services
from hearth.planning.models import CasePlan
from hearth.planning.services import plans as services
from tests.factories import PersonFactory, make_case
from tests.obligations.conftest import at_ten
from tests.planning.plans.conftest import goal, make_meeting

FIELDS = [f.name for f in Obligation._meta.fields if f.name not in ("id", "refreshed_at")]


def _rows(case, need):
    return list(
        Obligation.objects.filter(case=case, need=need)
        .order_by("due_on")
        .values_list("rule", "starts_on", "due_on", "met_on")
    )


def _case(supervisor, worker, opened_on, case_type="in_home_non_court"):
    kid = PersonFactory(date_of_birth=date(2011, 1, 1))
    mum = PersonFactory(date_of_birth=date(1985, 1, 1))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type=case_type,
        opened_on=opened_on,
        members=[(kid, "child"), (mum, "parent")],
    )
    return case, kid, mum


def _adopt(case, worker, mum, on: date) -> CasePlan:
    """A version made at a meeting held on `on` (its draft begun that day)."""
    plan = services.case_plan_create(actor=worker.user, case=case)
    CasePlan.objects.filter(pk=plan.pk).update(created_at=at_ten(on))
    plan = services.case_plan_update(
        actor=worker.user,
        plan=plan,
        version=plan.version,
        goals=[goal()],
        parenting_time=[{"parent": mum, "arrangements": "At home", "behaviours_assessed": "x"}],
    )
    return services.case_plan_adopt(
        actor=worker.user, plan=plan, meeting=make_meeting(case, held_on=on)
    )


def test_c1_in_home_first_plan_and_reviews_on_month_ends(supervisor, worker):
    """Opened on 31 January: the first plan is due 2 March (30 days), the reviews 1 May and
    30 July (every 90 days after the opening); a version adopted 20 February meets the
    first plan but is no review; one adopted 15 April meets the first review."""
    with time_machine.travel(at_ten(date(2026, 6, 30)), tick=False):
        case, kid, mum = _case(supervisor, worker, date(2026, 1, 31))
        assert _rows(case, "case_plan_first") == [("C1", date(2026, 1, 31), date(2026, 3, 2), None)]
        assert [r[2] for r in _rows(case, "case_plan_review")] == [
            date(2026, 5, 1),
            date(2026, 7, 30),
        ]
        _adopt(case, worker, mum, date(2026, 2, 20))
        assert _rows(case, "case_plan_first")[0][3] == date(2026, 2, 20)
        assert _rows(case, "case_plan_review")[0][3] is None
        signatures = _rows(case, "plan_signature")
        assert len(signatures) == 3  # the mother, the youth (15), the worker
        assert {r[2] for r in signatures} == {date(2026, 2, 27)}
        _adopt(case, worker, mum, date(2026, 4, 15))
        assert [r[3] for r in _rows(case, "case_plan_review")] == [date(2026, 4, 15), None]


def test_c1_first_plan_runs_from_the_first_placement(supervisor, worker):
    """An out-of-home case owes its first plan 30 days after its first placement (a child
    placed on 31 March: due 30 April), and nothing before a child is placed."""
    with time_machine.travel(at_ten(date(2026, 5, 31)), tick=False):
        case, kid, mum = _case(supervisor, worker, date(2026, 3, 1), case_type="out_of_home")
        assert _rows(case, "case_plan_first") == []
        episode = placement_services.child_remove(
            actor=worker.user,
            case=case,
            child=kid,
            removed_on=date(2026, 3, 31),
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )
        placement_services.child_place(
            actor=worker.user, episode=episode, starts_on=date(2026, 3, 31), setting="runaway"
        )
        assert _rows(case, "case_plan_first") == [
            ("C1", date(2026, 3, 31), date(2026, 4, 30), None)
        ]
        _adopt(case, worker, mum, date(2026, 5, 12))  # late, still met
        assert _rows(case, "case_plan_first")[0][3] == date(2026, 5, 12)


def test_signatures_awaited_met_by_signature_or_decline(supervisor, worker):
    with time_machine.travel(at_ten(date(2026, 2, 28)), tick=False):
        case, kid, mum = _case(supervisor, worker, date(2026, 1, 15))
        plan = _adopt(case, worker, mum, date(2026, 2, 28))
        sig = plan.signatures.get(role="parent")
        services.case_plan_signature_decline(
            actor=worker.user, signature=sig, declined_on=date(2026, 2, 28), reason="Disagrees"
        )
        rows = Obligation.objects.filter(case=case, need="plan_signature")
        assert {r.due_on for r in rows} == {date(2026, 3, 7)}
        assert rows.get(person=mum).met_on == date(2026, 2, 28)


def _snapshot(case):
    return Counter(Obligation.objects.filter(case=case).values_list(*FIELDS))


@pytest.mark.parametrize(
    "today", [date(2026, 1, 31), date(2026, 2, 28), date(2026, 6, 15), date(2026, 11, 30)]
)
def test_c1_incremental_equals_rebuilt(supervisor, worker, today):
    """Backdated placements, adoptions on months' last days and signatures, applied through
    the services: the rows the events left equal the rebuilt ones."""
    with time_machine.travel(at_ten(today), tick=False), transaction.atomic():
        case, kid, mum = _case(
            supervisor, worker, today - timedelta(days=200), case_type="out_of_home"
        )
        last_month_end = today.replace(day=1) - timedelta(days=1)
        episode = placement_services.child_remove(
            actor=worker.user,
            case=case,
            child=kid,
            removed_on=today - timedelta(days=150),
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )
        placement_services.child_place(
            actor=worker.user,
            episode=episode,
            starts_on=today - timedelta(days=150),
            setting="runaway",
        )
        first = _adopt(case, worker, mum, today - timedelta(days=100))
        for sig in first.signatures.all()[:2]:
            services.case_plan_sign(
                actor=worker.user, signature=sig, signed_on=last_month_end, method="paper"
            )
        _adopt(case, worker, mum, last_month_end)
        incremental = _snapshot(case)
        assert any(r[FIELDS.index("need")] == "case_plan_review" for r in incremental)
        engine.rebuild([case])
        assert _snapshot(case) == incremental
        transaction.set_rollback(True)


# A random history: (kind, day) with a day n days ago or a month's last day k months back.
_days = st.one_of(
    st.tuples(st.just(False), st.integers(0, 150)), st.tuples(st.just(True), st.integers(0, 4))
)
_steps = st.one_of(
    st.tuples(st.just("place"), _days),
    st.tuples(st.just("adopt"), _days),
    st.tuples(st.just("sign"), st.integers(0, 3), _days),
    st.tuples(st.just("decline"), st.integers(0, 3), _days),
)


def _day(today, drawn):
    month_end, n = drawn
    if not month_end:
        return today - timedelta(days=n)
    first = today.replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return min(today, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    today=st.sampled_from([date(2026, 1, 31), date(2026, 2, 28), date(2026, 11, 30)]),
    kind=st.sampled_from(["in_home_non_court", "out_of_home"]),
    history=st.lists(_steps, min_size=1, max_size=6),
)
def test_c1_random_histories_incremental_equals_rebuilt(supervisor, worker, today, kind, history):
    """C1 and the signatures awaited: random placements, adoptions and signatures, backdated
    and on months' last days, leave the rows `rebuild` makes."""
    with time_machine.travel(at_ten(today), tick=False), transaction.atomic():
        case, kid, mum = _case(supervisor, worker, today - timedelta(days=160), case_type=kind)
        for step in history:
            try:
                with transaction.atomic():
                    if step[0] == "place":
                        on = _day(today, step[1])
                        episode = case.episodes.filter(exited_on__isnull=True).first()
                        if episode is None:
                            episode = placement_services.child_remove(
                                actor=worker.user,
                                case=case,
                                child=kid,
                                removed_on=on,
                                legal_basis="court_ordered",
                                removal_reasons=["neglect"],
                            )
                        placement_services.child_place(
                            actor=worker.user, episode=episode, starts_on=on, setting="runaway"
                        )
                    elif step[0] == "adopt":
                        _adopt(case, worker, mum, _day(today, step[1]))
                    else:
                        plan = CasePlan.objects.filter(adopted_on__isnull=False, case=case).last()
                        sigs = list(plan.signatures.order_by("id")) if plan else []
                        if step[1] >= len(sigs):
                            continue
                        on = _day(today, step[2])
                        if step[0] == "sign":
                            services.case_plan_sign(
                                actor=worker.user,
                                signature=sigs[step[1]],
                                signed_on=on,
                                method="paper",
                            )
                        else:
                            services.case_plan_signature_decline(
                                actor=worker.user,
                                signature=sigs[step[1]],
                                declined_on=on,
                                reason="No",
                            )
            except DomainError:
                continue
        incremental = _snapshot(case)
        engine.rebuild([case])
        assert _snapshot(case) == incremental
        transaction.set_rollback(True)
