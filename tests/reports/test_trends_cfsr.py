"""F2, F3, F4 on the reports page's trends: each month's point is a whole 12-month period
(F3's ends with the month; F2's and F4's ended 12 months before it, its follow-up over),
equal to the measure's own figure for that period (the worked example of
tests/reports/test_cfsr.py, calendar 2023)."""

from datetime import date

from hearth.reports import cfsr, trends
from hearth.staff.models import Role
from tests.factories import StaffFactory


def point(measure, ts, month):
    t = trends.trend(trends.MEASURES[measure], ts, trends.months_window(13, date(2024, 12, 1)))
    return {r.label: (r.numerator, r.denominator, r.value) for m, r in t.rows() if m == month}


def test_f2_f3_f4_trend_points_are_the_measures_periods(example, supervisor):
    """F2 and F4 for 2023 are final in December 2024, F3's in December 2023: the trend's
    points there are cfsr's figures for the period (2 of 5, 2 moves in 865 days, 1 of 3)."""
    director = StaffFactory(unit=None, agency=supervisor.agency, roles=[Role.PROGRAM_DIRECTOR])
    ts = trends.trend_scope(director.user, {})
    unit = supervisor.unit.name
    assert point("f2", ts, date(2024, 12, 1)) == {unit: (2, 5, 40.0)}
    assert point("f3", ts, date(2023, 12, 1)) == {unit: (2, 865, 2.31)}
    assert point("f4", ts, date(2024, 12, 1)) == {unit: (1, 3, 33.3)}
    (row,) = cfsr.f2(ts.episodes, date(2023, 1, 1), group="unit")
    assert (row.numerator, row.denominator) == (2, 5)


def test_a_supervisor_reads_f2_to_f4_as_the_units_one_line(example, supervisor):
    """F2 to F4 group by agency or unit: a supervisor's trend (by worker) is the unit's."""
    ts = trends.trend_scope(supervisor.user, {})
    assert ts.group == "worker"
    assert point("f2", ts, date(2024, 12, 1)) == {"This unit": (2, 5, 40.0)}
