"""Generated placement histories against the real database: whatever is tried, what is
stored never overlaps, never starts before the removal and never runs past the exit."""

import contextlib
from datetime import timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.core.errors import DomainError
from hearth.placements import services
from hearth.placements.models import Placement
from tests.placements.conftest import days_ago

attempt = st.tuples(
    st.integers(-5, 100),  # start: days after the removal (negative: before it)
    st.one_of(st.none(), st.integers(-2, 40)),  # length in days; None: open-ended
    st.sampled_from(["group_home", "shelter", "runaway"]),
)


def _check(episode):
    rows = list(Placement.objects.filter(child=episode.child).order_by("starts_on"))
    for p in rows:
        assert p.starts_on >= episode.removed_on
        assert p.ends_on is None or p.ends_on > p.starts_on
        if episode.exited_on:
            assert p.ends_on is not None and p.ends_on <= episode.exited_on
    for a, b in zip(rows, rows[1:], strict=False):
        assert a.ends_on is not None and a.ends_on <= b.starts_on
    assert sum(p.ends_on is None for p in rows) <= 1


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(attempts=st.lists(attempt, min_size=1, max_size=8), exit_after=st.integers(1, 110))
def test_placements_never_overlap_whatever_is_tried(family, worker, attempts, exit_after):
    removed_on = days_ago(120)
    with transaction.atomic():
        episode = services.child_remove(
            actor=worker.user,
            case=family["case"],
            child=family["child"],
            removed_on=removed_on,
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )
        for start, length, setting in attempts:
            starts_on = removed_on + timedelta(days=start)
            ends_on = None if length is None else starts_on + timedelta(days=length)
            with contextlib.suppress(DomainError):
                services.child_place(
                    actor=worker.user,
                    episode=episode,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    setting=setting,
                    provider_name="Generated place",
                    move_reason="Generated move",
                    departure_reason="Generated",
                )
            _check(episode)
        with contextlib.suppress(DomainError):
            services.episode_exit(
                actor=worker.user,
                episode=episode,
                exited_on=removed_on + timedelta(days=exit_after),
                exit_reason="reunification",
            )
        episode.refresh_from_db()
        _check(episode)
        transaction.set_rollback(True)
