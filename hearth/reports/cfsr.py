"""The CFSR round 4 measures F2 (permanency in 12 months for children entering care), F3
(placement moves per 1,000 days in care) and F4 (re-entry within 12 months of a discharge
to permanency), as set-based SQL: one query per measure for any number of periods (a
trend is one query), over the episodes of a scope (`e.id IN (subquery)`), never a loop
over children. The definitions (thresholds, exits, the trial home visit adjustment) are
hearth.policy.cfsr's; its per-child evaluator checks this SQL in the tests.

The same SQL runs on PostgreSQL and SQLite; only the date arithmetic differs."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from hearth.core.errors import DomainError
from hearth.core.services import parse_month, today
from hearth.placements.models import RemovalEpisode
from hearth.policy import cfsr as rules
from hearth.reports import scope
from hearth.staff.models import Agency, Unit

MEASURES = ("f2", "f3", "f4")
GROUPS = ("state", "agency", "unit")
GROUP_SQL = {"state": "CAST(NULL AS bigint)", "agency": "c.agency_id", "unit": "c.unit_id"}
LABELS = {"agency": Agency, "unit": Unit}


@dataclass
class MeasureRow:
    key: int | None
    label: str
    numerator: int
    denominator: int  # F3: days in care
    value: float | None  # F2, F4: percent; F3: moves per 1,000 days


@dataclass
class ChildRow:
    """A drill-down row: an episode in the measure's denominator."""

    episode: RemovalEpisode
    entry: date
    exit: date | None  # F2, F4: after the trial home visit adjustment
    exit_reason: str
    counted: bool  # in the numerator (F3: moved at least once)
    days: int | None  # F3: days in care in the period
    moves: int | None  # F3
    reentered_on: date | None  # F4


def _days(a: str, b: str) -> str:
    """SQL for the days from b to a."""
    if connection.vendor == "postgresql":
        return f"({a} - {b})"
    return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"


def _plus_days(d: str, n: int) -> str:
    if connection.vendor == "postgresql":
        return f"({d} + {int(n)})"
    return f"date({d}, '{int(n):+d} days')"


def _adult(dob: str, day: str) -> str:
    """F2, F4: 18 or older on `day` (NULL birth dates are not)."""
    if connection.vendor == "postgresql":
        return f"({dob} + interval '{rules.ADULT_AGE} years')::date <= {day}"
    years = f"'+{rules.ADULT_AGE} years'"
    return (  # SQLite moves 29 February + n years to 1 March; PostgreSQL (and we) to 28 February
        f"(CASE WHEN strftime('%%m-%%d', {dob}) = '02-29' THEN date({dob}, '-1 day', {years}) "
        f"ELSE date({dob}, {years}) END) <= {day}"
    )


def _least(a: str, b: str) -> str:
    return f"LEAST({a}, {b})" if connection.vendor == "postgresql" else f"MIN({a}, {b})"


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _head(periods: list[date]) -> tuple[str, list]:
    """The periods as a CTE (ps, pe, pe1: the day after the end) and its parameters."""
    rows = ", ".join(["(%s, %s, %s)"] * len(periods))
    params = []
    for ps in periods:
        pe = rules.period_end(ps)
        params += [ps, pe, pe + timedelta(days=1)]
    return f"periods (ps, pe, pe1) AS (VALUES {rows})", params


def _cohort(measure: str, group: str, scope: str) -> str:
    """The measure's cohort CTEs ending in `cohort` (ps, key, episode_id, entry, exit_on,
    exit_reason, num, days, moves, reentered_on): one row per episode in a period's
    denominator. `scope` is the condition on the episode `e` (the viewer's). Parameters:
    the periods', then the first period's start and the last's end, then the scope's."""
    key = GROUP_SQL[group]
    stay = _days("e.exited_on", "e.removed_on")
    short = f"(e.exited_on IS NOT NULL AND {stay} < {rules.SHORT_STAY_DAYS})"
    adult = f"(p.date_of_birth IS NOT NULL AND {_adult('p.date_of_birth', 'e.removed_on')})"
    if measure == "f3":
        # F3: the real placements (not a trial home visit, runaway or whereabouts unknown)
        # in order; a move is one in another place than the one before it.
        return f"""
        ep AS (
            SELECT e.id, e.removed_on, e.exited_on, e.exit_reason, {key} AS key
            FROM placements_removalepisode e
            JOIN cases_case c ON c.id = e.case_id
            WHERE e.removed_on >= %s AND e.removed_on <= %s AND NOT {short}
              AND {scope}
        ),
        real AS (
            SELECT pl.episode_id, pl.starts_on,
                   LAG(pl.id) OVER w AS previous_id,
                   LAG(pl.setting || '|' || COALESCE(CAST(pl.home_id AS TEXT), '') || '|'
                       || COALESCE(CAST(pl.caregiver_id AS TEXT), '') || '|'
                       || pl.provider_name) OVER w AS previous_place,
                   pl.setting || '|' || COALESCE(CAST(pl.home_id AS TEXT), '') || '|'
                       || COALESCE(CAST(pl.caregiver_id AS TEXT), '') || '|'
                       || pl.provider_name AS place
            FROM placements_placement pl
            WHERE pl.episode_id IN (SELECT id FROM ep)
              AND pl.setting NOT IN {_in(rules.NOT_PLACEMENTS)}
            WINDOW w AS (PARTITION BY pl.episode_id ORDER BY pl.starts_on)
        ),
        moves AS (
            SELECT episode_id, starts_on FROM real
            WHERE previous_id IS NOT NULL AND place <> previous_place
        ),
        cohort AS (
            SELECT pr.ps, ep.key, ep.id AS episode_id, ep.removed_on AS entry,
                   ep.exited_on AS exit_on, ep.exit_reason, CAST(NULL AS integer) AS num,
                   COUNT(m.episode_id) AS moves,
                   {_days(_least("COALESCE(ep.exited_on, pr.pe1)", "pr.pe1"), "ep.removed_on")}
                       AS days,
                   CAST(NULL AS date) AS reentered_on
            FROM periods pr
            JOIN ep ON ep.removed_on >= pr.ps AND ep.removed_on <= pr.pe
            LEFT JOIN moves m ON m.episode_id = ep.id AND m.starts_on <= pr.pe
            GROUP BY pr.ps, pr.pe1, ep.key, ep.id, ep.removed_on, ep.exited_on, ep.exit_reason
        )"""
    # F2, F4: the exit after the trial home visit adjustment.
    thv = rules.TRIAL_HOME_VISIT_DAYS
    exit_on = f"""CASE WHEN e.exit_reason = 'reunification' AND thv.starts_on IS NOT NULL
                   AND {_days("e.exited_on", "thv.starts_on")} > {thv}
              THEN {_plus_days("thv.starts_on", thv)} ELSE e.exited_on END"""
    base = f"""
        ep AS (
            SELECT e.id, e.child_id, e.removed_on, e.exited_on, e.exit_reason, {key} AS key,
                   {exit_on} AS exit_on
            FROM placements_removalepisode e
            JOIN cases_case c ON c.id = e.case_id
            JOIN people_person p ON p.id = e.child_id
            LEFT JOIN placements_placement thv
              ON thv.episode_id = e.id AND thv.setting = 'trial_home_visit'
             AND thv.starts_on < e.exited_on
             AND (thv.ends_on IS NULL OR thv.ends_on >= e.exited_on)
            WHERE <window> AND NOT {short} AND NOT {adult} AND {scope}
        )"""
    within = rules.FOLLOW_UP_DAYS
    if measure == "f2":
        return (
            base.replace("<window>", "e.removed_on >= %s AND e.removed_on <= %s")
            + f""",
        ranked AS (
            SELECT pr.ps, ep.*, ROW_NUMBER() OVER (
                PARTITION BY pr.ps, ep.child_id ORDER BY ep.removed_on, ep.id) AS n
            FROM periods pr JOIN ep ON ep.removed_on >= pr.ps AND ep.removed_on <= pr.pe
        ),
        cohort AS (
            SELECT ps, key, id AS episode_id, removed_on AS entry, exit_on, exit_reason,
                   CASE WHEN exit_reason IN {_in(rules.PERMANENCY_EXITS)}
                         AND {_days("exit_on", "removed_on")} <= {within}
                        THEN 1 ELSE 0 END AS num,
                   CAST(NULL AS integer) AS days, CAST(NULL AS integer) AS moves,
                   CAST(NULL AS date) AS reentered_on
            FROM ranked WHERE n = 1
        )"""
        )
    # F4: the first discharge to permanency of each child in the period; a re-entry is
    # any later removal of the child, whichever agency's (counts only: no name is shown).
    return (
        base.replace(
            # (the adjusted exit is on or before the exit, on or after the removal)
            "<window>",
            f"e.exited_on >= %s AND e.removed_on <= %s "
            f"AND e.exit_reason IN {_in(rules.REENTRY_EXITS)}",
        )
        + f""",
        ranked AS (
            SELECT pr.ps, ep.*, ROW_NUMBER() OVER (
                PARTITION BY pr.ps, ep.child_id ORDER BY ep.exit_on, ep.id) AS n
            FROM periods pr JOIN ep ON ep.exit_on >= pr.ps AND ep.exit_on <= pr.pe
        ),
        followed AS (
            SELECT r.*, (
                SELECT MIN(b.removed_on) FROM placements_removalepisode b
                WHERE b.child_id = r.child_id AND b.id <> r.id
                  AND b.removed_on >= r.exited_on
                  AND {_days("b.removed_on", "r.exit_on")} <= {within}) AS back
            FROM ranked r WHERE r.n = 1
        ),
        cohort AS (
            SELECT ps, key, id AS episode_id, removed_on AS entry, exit_on, exit_reason,
                   CASE WHEN back IS NOT NULL THEN 1 ELSE 0 END AS num,
                   CAST(NULL AS integer) AS days, CAST(NULL AS integer) AS moves,
                   back AS reentered_on
            FROM followed
        )"""
    )


def _run(measure: str, episodes: QuerySet, periods: list[date], group: str, tail: str):
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    if episodes.query.where:
        try:
            inner, scope_params = episodes.values("id").query.sql_with_params()
        except EmptyResultSet:  # .none(): nothing to count
            return []
        scope = f"e.id IN ({inner})"
    else:  # every episode (the state): no subquery to join
        scope, scope_params = "TRUE", ()
    head, params = _head(periods)
    sql = f"WITH {head},{_cohort(measure, group, scope)}\n{tail}"
    bounds = [min(periods), rules.period_end(max(periods))]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *bounds, *scope_params])
        return cursor.fetchall()


def _as_date(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def trend(
    measure: str, episodes: QuerySet, period_starts: list[date], *, group: str = "state"
) -> list[tuple[date, list[MeasureRow]]]:
    """F2, F3 or F4 for each period (its first day), grouped by state, agency or unit
    (the case's): one query for all the periods."""
    if not period_starts:
        return []
    denominator = "SUM(days)" if measure == "f3" else "COUNT(*)"
    numerator = "SUM(moves)" if measure == "f3" else "SUM(num)"
    found = _run(
        measure,
        episodes,
        period_starts,
        group,
        f"SELECT ps, key, {numerator}, {denominator} FROM cohort GROUP BY ps, key",
    )
    labels = {}
    if group in LABELS:
        keys = {k for _, k, _, _ in found if k is not None}
        labels = dict(LABELS[group].objects.filter(pk__in=keys).values_list("pk", "name"))
    by_period: dict[date, list[MeasureRow]] = {ps: [] for ps in period_starts}
    for ps, key, num, den in found:
        label = "State" if group == "state" else labels.get(key, "(none)")
        row = MeasureRow(key, label, int(num or 0), int(den or 0), None)
        row.value = rules.rate(row.numerator, row.denominator, measure)
        by_period[_as_date(ps)].append(row)
    return [
        (ps, sorted(rows, key=lambda r: (r.label, r.key or 0))) for ps, rows in by_period.items()
    ]


def f2(episodes: QuerySet, period_start: date, *, group: str = "state") -> list[MeasureRow]:
    """F2 for the 12-month period starting on `period_start`."""
    return trend("f2", episodes, [period_start], group=group)[0][1]


def f3(episodes: QuerySet, period_start: date, *, group: str = "state") -> list[MeasureRow]:
    """F3 for the 12-month period starting on `period_start`."""
    return trend("f3", episodes, [period_start], group=group)[0][1]


def f4(episodes: QuerySet, period_start: date, *, group: str = "state") -> list[MeasureRow]:
    """F4 for the 12-month period starting on `period_start`."""
    return trend("f4", episodes, [period_start], group=group)[0][1]


def total(rows: list[MeasureRow], measure: str) -> MeasureRow | None:
    """The rows summed (each child or day is in exactly one group)."""
    if not rows:
        return None
    num, den = sum(r.numerator for r in rows), sum(r.denominator for r in rows)
    return MeasureRow(None, "All", num, den, rules.rate(num, den, measure))


def children(measure: str, episodes: QuerySet, period_start: date) -> list[ChildRow]:
    """The drill-down: each episode in the measure's denominator for the period, whether
    it is in the numerator, and (F3) its days and moves. Two queries."""
    found = _run(
        measure,
        episodes,
        [period_start],
        "state",
        "SELECT episode_id, entry, exit_on, exit_reason, num, days, moves, reentered_on "
        "FROM cohort",
    )
    by_id = RemovalEpisode.objects.select_related("child", "case").in_bulk([r[0] for r in found])
    rows = [
        ChildRow(
            episode=by_id[eid],
            entry=_as_date(entry),
            exit=_as_date(exit_on),
            exit_reason=reason,
            counted=bool(moves) if measure == "f3" else bool(num),
            days=days,
            moves=moves,
            reentered_on=_as_date(back),
        )
        for eid, entry, exit_on, reason, num, days, moves, back in found
    ]
    return sorted(rows, key=lambda r: (r.episode.case.case_number, r.entry, r.episode.pk))


DEFINITIONS = {
    "f2": (
        "Permanency in 12 months for children entering care",
        "Of the children who entered foster care in the 12-month period, the share "
        "discharged to permanency (reunification, living with relatives, adoption, "
        "guardianship) within 12 months of entry (on or before 365 days after the "
        "removal). A child counts once, by the first entry in the period. Stays under 8 "
        "days and entries at 18 or older are excluded; a child whose date of birth is "
        "unknown is counted. A child who returns home after a trial home visit of more "
        "than 30 days is taken to have left care 30 days after the visit began.",
    ),
    "f3": (
        "Placement stability",
        "Placement moves per 1,000 days in foster care, for the children who entered care "
        "in the 12-month period (every entry; stays under 8 days excluded). Days in care "
        "run from the removal to the exit or the period's end, whichever is first; moves "
        "in that window are counted. The initial placement is not a move; trial home "
        "visits, runaway and whereabouts-unknown spells are not placements, and a return "
        "to the same home after one is not a move.",
    ),
    "f4": (
        "Re-entry to foster care in 12 months",
        "Of the children discharged in the 12-month period to permanency (reunification, "
        "living with relatives, adoption, guardianship), the share "
        "removed into care again within 12 months of the discharge (on or before 365 "
        "days after it), whichever agency's the new removal. A child counts once, by "
        "the first such discharge in the period. Stays under 8 days and entries at 18 or "
        "older are excluded; the trial home visit adjustment of F2 applies.",
    ),
}


def default_period(measure: str, day: date) -> date:
    """F2, F4: the latest period whose 12-month follow-up has ended; F3: the last 12 full
    months."""
    if measure == "f3":
        return rules.last_full_year(day)
    return rules.latest_followed_period(day)


def parse_period(raw: str | None, measure: str, day: date) -> date:
    """The `period` input (YYYY-MM, the period's first month) or the measure's default;
    DomainError naming `period` when it is not a month that has begun."""
    if not raw:
        return default_period(measure, day)
    try:
        start = parse_month(raw)
    except ValueError:
        raise DomainError({"period": "Give the period's first month as YYYY-MM."}) from None
    if start.year < 2000 or start > day:
        raise DomainError({"period": "The period must start between 2000 and this month."})
    return start


def query(viewer, measure: str, params) -> tuple[QuerySet, str, date, dict]:
    """The viewer's episodes, grouping and period for `measure` from the query's `period`,
    `agency` and `unit` (strings, as a page or the API receives them): DomainError naming
    the field on bad input. A unit's figures (a supervisor's, a case manager's) are that
    unit's row."""
    episodes, group = scope.scoped_episodes(viewer)
    filters = {}
    for key in ("agency", "unit"):
        raw = params.get(key) or ""
        if raw:
            if not raw.isdigit() or not 0 < int(raw) < 2**63:
                raise DomainError({key: f"Give the {key}'s id, a whole number."})
            filters[key] = int(raw)
    episodes, group = scope.narrowed(episodes, group, filters)
    period = parse_period(params.get("period"), measure, today())
    return episodes, "unit" if group == "worker" else group, period, filters
