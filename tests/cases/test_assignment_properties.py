"""Property test: whatever sequence of (re)assignments a supervisor makes, a case has at
most one current primary case manager and its primary assignments never overlap (A6)."""

import contextlib
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.cases.models import Assignment
from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.intake import services as intake_services
from tests.factories import StaffFactory, make_case

OPENED = today() - timedelta(days=400)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    moves=st.lists(
        st.tuples(st.integers(min_value=0, max_value=2), st.integers(min_value=-10, max_value=420)),
        min_size=1,
        max_size=6,
    )
)
def test_a6_primary_assignments_never_overlap(supervisor, unit, moves):
    workers = [StaffFactory(unit=unit) for _ in range(3)]
    case = make_case(actor_staff=supervisor, opened_on=OPENED)
    for who, offset in moves:
        # refused moves (future, before opening, same worker) change nothing
        with contextlib.suppress(DomainError):
            intake_services.case_assign(
                actor=supervisor.user,
                assigned_by=supervisor,
                case=case,
                worker=workers[who],
                reason="Rebalancing",
                starts_on=OPENED + timedelta(days=offset),
            )
    rows = list(Assignment.objects.filter(case=case, kind="primary").order_by("starts_on", "id"))
    assert sum(r.ends_on is None for r in rows) <= 1
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert earlier.ends_on is not None and earlier.ends_on <= later.starts_on
    for r in rows:
        assert r.starts_on >= OPENED and r.starts_on <= today()
        assert r.ends_on is None or r.ends_on >= r.starts_on
