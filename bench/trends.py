"""Issue 14's trend rows (the director's reports page, hearth.reports.trends): F1 (both
shares) and the V13 contact compliance for the state viewer by agency over the last 12
full months, in-process, each beside a hand-written SQL floor that computes every month
and agency in one query (the trends ask the sources once a month: F1 through
federal.f1_by_month in one query, V13 through the contacts dashboard); and the page itself, for
bench/run.py's loop over the state's pages (it also draws F2 to F4, which no one floor
covers: it is timed against its target only).
"""

from django.urls import reverse

from bench.floors import F1_CHILD_MONTHS_SQL, months_params, run_sql
from bench.timing import HEAVY_REQUESTS, HEAVY_WARMUP, REQUESTS, WARMUP, time_against_floor
from hearth.reports import trends

# The in-process targets (ms, p95): a year of months, statewide.
F1_TREND_MS, CONTACTS_TREND_MS = 3000, 1000
MONTHS = 12

# F1 per month and agency over the months: F1_SQL's child-months and visits, grouped by
# month as well.
F1_TREND_SQL = (
    F1_CHILD_MONTHS_SQL
    + """
    SELECT cm.first, cm.agency_id, count(*), count(v.child_id),
           count(*) FILTER (WHERE v.in_residence)
    FROM child_months cm
    LEFT JOIN visits v ON v.child_id = cm.child_id AND v.first = cm.first
    GROUP BY cm.first, cm.agency_id
    ORDER BY cm.first, cm.agency_id
"""
)

# V13 per month and agency: the month's contact requirements and those met.
CONTACTS_TREND_SQL = """
    SELECT o.month, o.agency_id, count(*), count(*) FILTER (WHERE o.met_on IS NOT NULL)
    FROM obligations_obligation o
    WHERE o.month = ANY(%(firsts)s::date[]) AND o.source = 'contacts'
    GROUP BY o.month, o.agency_id
    ORDER BY o.month, o.agency_id
"""


def f1_trends(viewer, months):
    """Both F1 trends, as the page computes them (one F1 query a month, shared)."""
    scope = trends.trend_scope(viewer, {})
    return [
        trends.trend(trends.MEASURES[name], scope, months) for name in ("f1_visits", "f1_residence")
    ]


def f1_trend_rows(found) -> list[tuple]:
    """(month, agency, full months, visited, visited in the residence), as the floor."""
    visits, residence = found
    return [
        (m, key, r.denominator, r.numerator, residence.points[(key, m)].numerator)
        for (key, m), r in sorted(visits.points.items(), key=lambda p: (p[0][1], p[0][0]))
    ]


def contacts_trend(viewer, months):
    return trends.trend(trends.MEASURES["contacts"], trends.trend_scope(viewer, {}), months)


def contacts_trend_rows(found) -> list[tuple]:
    """(month, agency, requirements, met), as the floor."""
    return [
        (m, key, r.denominator, r.numerator)
        for (key, m), r in sorted(found.points.items(), key=lambda p: (p[0][1], p[0][0]))
    ]


def check(viewer, months) -> None:
    """The floors return the trends' numbers (tests/reports/test_trends_bench.py)."""
    params = months_params(months)
    assert f1_trend_rows(f1_trends(viewer, months)) == [
        tuple(r) for r in run_sql(F1_TREND_SQL, params)
    ]
    assert contacts_trend_rows(contacts_trend(viewer, months)) == [
        tuple(r) for r in run_sql(CONTACTS_TREND_SQL, params)
    ]


def time_trends(viewer) -> tuple[list, list]:
    """The in-process rows for the state viewer (`viewer`, a StaffMember): both F1 trends
    and the V13 trend over the last 12 full months against their floors: (rows, lines)."""
    months = trends.months_window(MONTHS)
    params = months_params(months)
    checks, rows = [], []
    rows.append(
        time_against_floor(
            f"F1 trend, {MONTHS} months by agency, both shares",
            lambda: f1_trends(viewer.user, months),
            F1_TREND_SQL,
            params,
            f1_trend_rows,
            HEAVY_REQUESTS,
            HEAVY_WARMUP,
            F1_TREND_MS,
            checks,
        )
    )
    rows.append(
        time_against_floor(
            f"V13 trend, {MONTHS} months by agency",
            lambda: contacts_trend(viewer.user, months),
            CONTACTS_TREND_SQL,
            params,
            contacts_trend_rows,
            REQUESTS,
            WARMUP,
            CONTACTS_TREND_MS,
            checks,
        )
    )
    f1_rows, contact_rows = checks[0][1], checks[1][1]
    lines = [
        f"Trends: {months[0]:%Y-%m} to {months[-1]:%Y-%m} statewide; the floors return the "
        f"trends' numbers ({len(f1_rows)} agency-months of F1, "
        f"{sum(r[2] for r in f1_rows):,} child-months; {len(contact_rows)} agency-months "
        f"of V13, {sum(r[2] for r in contact_rows):,} requirements)."
    ]
    return rows, lines


def page_entry() -> tuple:
    """The reports page for the state `pages` loop of bench/run.py: (name, path, floor,
    requests, warm-ups)."""
    return ("reports page, state", reverse("reports_home"), None, HEAVY_REQUESTS, HEAVY_WARMUP)
