"""Issue 14's CFSR rows: F2, F3 and F4 statewide for a 12-month period (the pages'
default periods: for F2 and F4 the latest period whose 12-month follow-up has ended, for
F3 the last 12 full months), each in-process against a hand-written SQL floor returning
the same (numerator, denominator). Targets: each under 2 s and within 2x its floor.

The floors are written apart from hearth.reports.cfsr (PostgreSQL only, no scope, no
grouping, DISTINCT ON for a child's first entry or discharge), so that a mistake in one
shows as a disagreement (time_against_floor checks the numbers first).
tests/reports/test_cfsr_bench.py runs them on the hand-worked example."""

from datetime import timedelta

from bench.timing import HEAVY_REQUESTS, HEAVY_WARMUP, time_against_floor
from hearth.core.services import today
from hearth.placements.models import RemovalEpisode
from hearth.policy import cfsr as rules
from hearth.reports import cfsr

TARGET_MS = 2000

# The exit after the trial home visit adjustment (F2, F4): a reunification after a trial
# home visit of more than 30 days is dated 30 days after the visit began.
_EXIT_ON = """
    CASE WHEN e.exit_reason = 'reunification' AND t.starts_on IS NOT NULL
              AND e.exited_on - t.starts_on > 30
         THEN t.starts_on + 30 ELSE e.exited_on END"""
_THV = """
    LEFT JOIN placements_placement t
      ON t.episode_id = e.id AND t.setting = 'trial_home_visit' AND t.starts_on < e.exited_on
     AND (t.ends_on IS NULL OR t.ends_on >= e.exited_on)"""
_KEPT = """
    (e.exited_on IS NULL OR e.exited_on - e.removed_on >= 8)
    AND (p.date_of_birth IS NULL OR (p.date_of_birth + interval '18 years')::date > e.removed_on)"""

# F2: the children entering care in the period (first entry, after the exclusions);
# discharged to permanency within 365 days of the entry.
F2_SQL = f"""
    WITH entries AS (
        SELECT DISTINCT ON (e.child_id) e.removed_on, e.exit_reason, {_EXIT_ON} AS exit_on
        FROM placements_removalepisode e
        JOIN people_person p ON p.id = e.child_id
        {_THV}
        WHERE e.removed_on BETWEEN %(start)s AND %(end)s AND {_KEPT}
        ORDER BY e.child_id, e.removed_on, e.id
    )
    SELECT count(*) FILTER (
               WHERE exit_reason IN ('reunification', 'living_with_relatives', 'adoption',
                                     'guardianship')
                 AND exit_on - removed_on <= 365),
           count(*)
    FROM entries
"""

# F3: every entry of the period (stays under 8 days out); days in care up to the exit or
# the period's end; a move is a real placement (not a trial home visit, runaway or
# whereabouts unknown) after the first, somewhere else than the one before, started by
# the period's end.
F3_SQL = """
    WITH entries AS (
        SELECT e.id, LEAST(COALESCE(e.exited_on, %(after)s), %(after)s) - e.removed_on AS days
        FROM placements_removalepisode e
        WHERE e.removed_on BETWEEN %(start)s AND %(end)s
          AND (e.exited_on IS NULL OR e.exited_on - e.removed_on >= 8)
    ),
    real AS (
        SELECT p.starts_on, p.setting, p.home_id, p.caregiver_id, p.provider_name,
               lag(p.id) OVER w AS prev_id, lag(p.setting) OVER w AS prev_setting,
               lag(p.home_id) OVER w AS prev_home, lag(p.caregiver_id) OVER w AS prev_carer,
               lag(p.provider_name) OVER w AS prev_provider
        FROM placements_placement p
        JOIN entries en ON en.id = p.episode_id
        WHERE p.setting NOT IN ('trial_home_visit', 'runaway', 'whereabouts_unknown')
        WINDOW w AS (PARTITION BY p.episode_id ORDER BY p.starts_on)
    )
    SELECT (SELECT count(*) FROM real
            WHERE prev_id IS NOT NULL AND starts_on <= %(end)s
              AND (setting, home_id, caregiver_id, provider_name)
                  IS DISTINCT FROM (prev_setting, prev_home, prev_carer, prev_provider)),
           (SELECT COALESCE(sum(days), 0) FROM entries)
"""

# F4: each child's first discharge in the period to permanency (reunification, relatives,
# adoption, guardianship; after the exclusions); re-entered when removed again within
# 365 days of it.
F4_SQL = f"""
    WITH exits AS (
        SELECT e.id, e.child_id, e.exited_on, {_EXIT_ON} AS exit_on
        FROM placements_removalepisode e
        JOIN people_person p ON p.id = e.child_id
        {_THV}
        WHERE e.exit_reason IN ('reunification', 'living_with_relatives', 'adoption',
                                'guardianship')
          AND e.exited_on >= %(start)s AND e.removed_on <= %(end)s AND {_KEPT}
    ),
    firsts AS (
        SELECT DISTINCT ON (child_id) * FROM exits
        WHERE exit_on BETWEEN %(start)s AND %(end)s
        ORDER BY child_id, exit_on, id
    )
    SELECT count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM placements_removalepisode b
               WHERE b.child_id = f.child_id AND b.id <> f.id AND b.removed_on >= f.exited_on
                 AND b.removed_on - f.exit_on <= 365)),
           count(*)
    FROM firsts f
"""

FLOORS = {"f2": F2_SQL, "f3": F3_SQL, "f4": F4_SQL}


def cfsr_params(period_start) -> dict:
    end = rules.period_end(period_start)
    return {"start": period_start, "end": end, "after": end + timedelta(days=1)}


def cfsr_rows(rows) -> list[tuple]:
    """A measure's statewide row as the floor returns it: (numerator, denominator)."""
    return [(r.numerator, r.denominator) for r in rows] or [(0, 0)]


def time_cfsr(checks) -> list[dict]:
    """F2, F3, F4 statewide, each for its page's default period, against its floor:
    result rows for bench/run.py (the names say the period)."""
    rows = []
    for measure in cfsr.MEASURES:
        start = cfsr.default_period(measure, today())
        fn = getattr(cfsr, measure)
        rows.append(
            time_against_floor(
                f"{measure.upper()} statewide, {start:%Y-%m} + 12 mo, cfsr.{measure}()",
                lambda fn=fn, start=start: fn(RemovalEpisode.objects.all(), start),
                FLOORS[measure],
                cfsr_params(start),
                cfsr_rows,
                HEAVY_REQUESTS,
                HEAVY_WARMUP,
                TARGET_MS,
                checks,
            )
        )
    return rows
