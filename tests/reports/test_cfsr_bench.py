"""The bench's SQL floors for F2, F3 and F4 (bench/cfsr.py) return the measures' numbers
on the hand-worked example (tests/reports/conftest.py), for its period and the periods
around it: the floors are written apart, in PostgreSQL's dialect."""

from datetime import date

import pytest
from django.db import connection

from bench.cfsr import FLOORS, cfsr_params, cfsr_rows
from bench.floors import run_sql
from hearth.placements.models import RemovalEpisode
from hearth.policy import cfsr as rules
from hearth.reports import cfsr

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the floors are PostgreSQL's SQL"
)


@pytest.mark.parametrize("measure", cfsr.MEASURES)
def test_cfsr_floor_returns_the_measure(example, measure):
    """F2, F3, F4: floor == function, statewide, for each period around the example."""
    for n in range(0, 30, 2):
        start = rules.add_months(date(2022, 1, 1), n)
        rows = getattr(cfsr, measure)(RemovalEpisode.objects.all(), start)
        assert cfsr_rows(rows) == run_sql(FLOORS[measure], cfsr_params(start)), start
    assert (
        cfsr_rows(getattr(cfsr, measure)(RemovalEpisode.objects.all(), date(2023, 1, 1)))[0][1] > 0
    )
