"""F1, the federal monthly caseworker visit measure (Social Security Act 424(f)), as
set-based SQL: one query for the months of the federal fiscal year on PostgreSQL (one
aggregate query per month elsewhere), over every child in the scope, never a loop over
children.

F1 (RULES.md): a child-month counts when the child was in foster care on the month's
first day, was not discharged during the month (the removal episode did not end on or
before its last day), and had not turned 18 by its last day (a child whose date of birth
is unknown is counted: the measure's denominator is never silently shrunk). It is
visited when a finalized in-person contact note names the child among those seen during
the month (local time); it is visited in the residence when one such note was at the
child's residence or placement, or at the parents' home while the child lived there on a
trial home visit (still in foster care: the parents' home is then the child's
residence). The share of visited months is measured against 95%; the share of visited
months with a visit in the residence against 50% (see docs/adr/0005 and
docs/reports/f1.md).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Case as When_
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from hearth.cases.models import Assignment
from hearth.contacts.models import ContactNote
from hearth.core.services import today
from hearth.placements.models import Placement

VISIT_STANDARD = 95
RESIDENCE_STANDARD = 50
RESIDENCE = ["child_residence", "placement"]
# F1: a visit at the parents' home is in the child's residence while the child lives there
# on a trial home visit.
PARENTS_HOME, TRIAL_HOME_VISIT = "parents_home", "trial_home_visit"
DEFINITION = (
    "F1 (Social Security Act 424(f)): a full month in foster care is a calendar month of the "
    "federal fiscal year (October to September) that a child spent in care from its first day, "
    "without being discharged during it, and before turning 18 (a child whose date of birth "
    "is unknown is counted). The month is visited when a final in-person contact note names "
    "the child as seen during it; visited in the residence when one such visit was at the "
    "child's residence or placement (the parents' home while the child lives there on a "
    "trial home visit). Standards: at least 95% of full months visited, and at least 50% of "
    "visited months with a visit in the residence. Months still in progress are not counted."
)


def fiscal_year_months(fy: int) -> list[date]:
    """The months of federal fiscal year `fy`: October of fy-1 to September of fy."""
    return [date(fy - 1, m, 1) for m in (10, 11, 12)] + [date(fy, m, 1) for m in range(1, 10)]


def fiscal_year_of(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def month_end(first: date) -> date:
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def eighteen_years_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 18)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 18, day=28)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def in_care_during(episodes: QuerySet, first: date) -> QuerySet:
    """The episodes in care on at least one day of `first`'s month, annotated with
    whether the month was visited, and visited in the residence (`best_visit`: NULL when
    not visited, 1 when one visit was in the residence, else 0) and with the worker (the
    primary case manager on the month's first day), agency and unit."""
    last = month_end(first)
    start, end = _aware(first), _aware(last + timedelta(days=1))
    visits = ContactNote.objects.filter(
        contact_with=OuterRef("child_id"),
        status=ContactNote.Status.FINAL,
        method=ContactNote.Method.IN_PERSON,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    # F1: the parents' home is the child's residence on a day of a trial home visit.
    home_then = Placement.objects.filter(
        child=OuterRef(OuterRef("child_id")),
        setting=TRIAL_HOME_VISIT,
        starts_on__lte=OuterRef("day"),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("day")))
    in_residence = Q(location__in=RESIDENCE) | Q(location=PARENTS_HOME) & Exists(home_then)
    # The primary case manager on the month's first day (the latest assignment starting
    # by then, as F1_WORKER_SQL).
    worker = (
        Assignment.objects.filter(case=OuterRef("case_id"), kind="primary", starts_on__lte=first)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .order_by("-starts_on", "-id")
    )
    return (
        episodes.filter(removed_on__lte=last)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=first))
        .annotate(
            # One lookup of the child's visits per child-month.
            best_visit=Subquery(
                visits.annotate(day=TruncDate("occurred_at"))
                .annotate(res=When_(When(in_residence, then=Value(1)), default=Value(0)))
                .order_by("-res")
                .values("res")[:1]
            ),
            worker_id=Subquery(worker.values("worker_id")[:1]),
            agency_id=F("case__agency_id"),
            unit_id=F("case__unit_id"),
        )
    )


def child_months(episodes: QuerySet, first: date) -> QuerySet:
    """F1: the episodes that make a full month in care for `first`'s month (in care on its
    first day, not discharged during it, under 18 on its last day), annotated as
    `in_care_during`."""
    last = month_end(first)
    return (
        in_care_during(episodes, first)
        .filter(removed_on__lte=first)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=last))
        .filter(
            Q(child__date_of_birth__isnull=True)
            | Q(child__date_of_birth__gt=eighteen_years_before(last))
        )
    )


GROUP_FIELDS = {"state": None, "agency": "agency_id", "unit": "unit_id", "worker": "worker_id"}


@dataclass
class F1Row:
    key: int | None
    months: int = 0
    visited: int = 0
    in_residence: int = 0
    label: str = ""

    @property
    def visited_pct(self) -> float | None:
        return round(100 * self.visited / self.months, 1) if self.months else None

    @property
    def residence_pct(self) -> float | None:
        return round(100 * self.in_residence / self.visited, 1) if self.visited else None

    @property
    def meets_visits(self) -> bool:
        return self.visited_pct is not None and self.visited_pct >= VISIT_STANDARD

    @property
    def meets_residence(self) -> bool:
        return self.residence_pct is not None and self.residence_pct >= RESIDENCE_STANDARD


def f1(
    episodes: QuerySet,
    fy: int,
    *,
    group: str = "state",
    upto: date | None = None,
    worker: int | None = None,
):
    """F1 for fiscal year `fy` over `episodes`, grouped by state, agency, unit or worker
    (the primary case manager on each month's first day); with `worker`, only that
    worker's child-months. Months after `upto` (default: the last full month) are left
    out. On PostgreSQL one query for the year, reading each child's notes once; elsewhere
    one aggregate query per month."""
    return f1_months(episodes, full_months(fy, upto), group, worker=worker)


def full_months(fy: int, upto: date | None = None) -> list[date]:
    """The months of fiscal year `fy` that ended by `upto` (default: the last full month)."""
    upto = upto or (today().replace(day=1) - timedelta(days=1))
    return [m for m in fiscal_year_months(fy) if month_end(m) <= upto]


def f1_months(
    episodes: QuerySet, months: list[date], group: str = "state", *, worker: int | None = None
) -> list["F1Row"]:
    """F1 over the given months (their first days) taken together, grouped as `f1`: one
    query on PostgreSQL."""
    if not months:
        return []
    return _rows(key_n_v_r for _, *key_n_v_r in _counts(episodes, months, group, worker))


def f1_by_month(
    episodes: QuerySet, months: list[date], group: str = "state"
) -> list[tuple[date, list["F1Row"]]]:
    """F1 month by month (a trend's points), grouped as `f1`: one query on PostgreSQL for
    all the months, one a month elsewhere."""
    if not months:
        return []
    found: dict[date, list] = {m: [] for m in months}
    for first, *key_n_v_r in _counts(episodes, months, group, None, by_month=True):
        found[first].append(key_n_v_r)
    return [(m, _rows(found[m])) for m in months]


def _rows(found) -> list["F1Row"]:
    rows: dict = {}
    for key, n, v, r in found:
        row = rows.setdefault(key, F1Row(key))
        row.months += n
        row.visited += v or 0
        row.in_residence += r or 0
    return sorted(rows.values(), key=lambda r: (r.key is None, r.key or 0))


def _counts(episodes, months, group, worker, *, by_month=False):
    """(month's first day or None, key, child-months, visited, in the residence)."""
    if connection.vendor == "postgresql":
        return _f1_postgresql(episodes, months, group, worker, by_month)
    return _f1_by_month(episodes, months, GROUP_FIELDS[group], worker)


def _f1_by_month(episodes, months, field, worker):
    for first in months:
        qs = child_months(episodes, first)
        if worker is not None:
            qs = qs.filter(worker_id=worker)
        counts = dict(n=Count("id"), v=Count("best_visit"), r=Count("id", filter=Q(best_visit=1)))
        if field:
            for a in qs.values(field).annotate(**counts):
                yield first, a[field], a["n"], a["v"], a["r"]
        else:
            a = qs.aggregate(**counts)
            yield first, None, a["n"], a["v"], a["r"]


F1_GROUP_SQL = {
    "state": "NULL::bigint",
    "agency": "c.agency_id",
    "unit": "c.unit_id",
    "worker": "wk.worker_id",
}

# F1's months: their first and last days, and the latest date of birth of a child who is
# 18 by the last day.
F1_MONTHS_SQL = """
    months (first, last, born_after) AS (
        SELECT * FROM unnest(%s::date[], %s::date[], %s::date[])
    )"""

# The primary case manager of episode `e`'s case on month `mo`'s first day (F1's worker).
F1_WORKER_SQL = """
        LEFT JOIN LATERAL (
            SELECT a.worker_id FROM cases_assignment a
            WHERE a.case_id = e.case_id AND a.kind = 'primary' AND a.starts_on <= mo.first
              AND (a.ends_on IS NULL OR a.ends_on >= mo.first)
            ORDER BY a.starts_on DESC, a.id DESC LIMIT 1
        ) wk ON true"""

# F1 visits: per child (of `{children}`) and month (local time), whether one final
# in-person contact note names the child as seen, and whether one was in the residence
# (the parents' home counting as the residence on a day of a trial home visit).
F1_VISITS_SQL = """
    visits AS (
        SELECT w.person_id AS child_id,
               date_trunc('month', n.occurred_at AT TIME ZONE %s)::date AS first,
               bool_or(n.location IN ('child_residence', 'placement')
                       OR n.location = 'parents_home' AND EXISTS (
                           SELECT 1 FROM placements_placement pl
                           WHERE pl.child_id = w.person_id
                             AND pl.setting = 'trial_home_visit'
                             AND pl.starts_on <= (n.occurred_at AT TIME ZONE %s)::date
                             AND (pl.ends_on IS NULL
                                  OR pl.ends_on > (n.occurred_at AT TIME ZONE %s)::date)
                       )) AS in_residence
        FROM (SELECT DISTINCT child_id FROM {children}) ch
        JOIN contacts_contactnote_contact_with w ON w.person_id = ch.child_id
        JOIN contacts_contactnote n ON n.id = w.contactnote_id
        WHERE n.status = 'final' AND n.method = 'in_person'
          AND n.occurred_at >= %s AND n.occurred_at < %s
        GROUP BY 1, 2
    )"""

# F1 over the months, one row per group. The case is joined only to group by agency or
# unit, the worker looked up only to group or filter by worker, and the scope applied only
# when it narrows anything (the state's scope is every episode).
F1_SQL = (
    "WITH"
    + F1_MONTHS_SQL
    + """,
    child_months AS (
        SELECT mo.first, e.child_id, {group} AS key
        FROM placements_removalepisode e
        JOIN months mo
          ON e.removed_on <= mo.first AND (e.exited_on IS NULL OR e.exited_on > mo.last)
        JOIN people_person p ON p.id = e.child_id
        {case}{worker}
        WHERE (p.date_of_birth IS NULL OR p.date_of_birth > mo.born_after){scope}{only}
    ),"""
    + F1_VISITS_SQL.format(children="child_months")
    + """
    SELECT {month} AS first, cm.key, count(*), count(v.child_id),
           count(*) FILTER (WHERE v.in_residence)
    FROM child_months cm
    LEFT JOIN visits v ON v.child_id = cm.child_id AND v.first = cm.first
    GROUP BY 1, cm.key
"""
)


def scope_sql(episodes: QuerySet) -> tuple[str, tuple]:
    """` AND e.id IN (<the episodes' query>)` and its parameters, or nothing when
    `episodes` is every episode (the state's scope)."""
    if not episodes.query.where:
        return "", ()
    sql, params = episodes.order_by().values("id").query.sql_with_params()
    return f" AND e.id IN ({sql})", params


def months_params(months: list[date]) -> list:
    lasts = [month_end(m) for m in months]
    return [months, lasts, [eighteen_years_before(last) for last in lasts]]


def visits_params(months: list[date]) -> list:
    return [
        settings.TIME_ZONE,
        settings.TIME_ZONE,
        settings.TIME_ZONE,
        _aware(months[0]),
        _aware(month_end(months[-1]) + timedelta(days=1)),
    ]


def _f1_postgresql(episodes, months, group, worker, by_month=False):
    scope, scope_params = scope_sql(episodes)
    by_worker = group == "worker" or worker is not None
    sql = F1_SQL.format(
        month="cm.first" if by_month else "NULL::date",
        group=F1_GROUP_SQL[group],
        case="JOIN cases_case c ON c.id = e.case_id" if group in ("agency", "unit") else "",
        worker=F1_WORKER_SQL if by_worker else "",
        scope=scope,
        only="" if worker is None else " AND wk.worker_id = %s",
    )
    params = [
        *months_params(months),
        *scope_params,
        *([] if worker is None else [worker]),
        *visits_params(months),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def unvisited(
    episodes: QuerySet,
    fy: int,
    *,
    upto: date | None = None,
    limit: int = 500,
    worker: int | None = None,
):
    """F1 drill-down: the full child-months without an in-person visit (with `worker`,
    that worker's)."""
    out = []
    for first in full_months(fy, upto):
        if len(out) >= limit:
            break
        months = child_months(episodes, first).filter(best_visit__isnull=True)
        if worker is not None:
            months = months.filter(worker_id=worker)
        for e in months.select_related("child", "case").order_by("case__case_number", "child_id")[
            : limit - len(out)
        ]:
            out.append((first, e))
    return out
