"""F1, the federal monthly caseworker visit measure (Social Security Act 424(f)), as
set-based SQL: one aggregate query per month of the federal fiscal year, over every
child in the scope, never a loop over children.

A child-month counts when the child was in foster care on the month's first day, was
not discharged during the month (the removal episode did not end on or before its last
day), and had not turned 18 by its last day (a child whose date of birth is unknown is
counted: the measure's denominator is never silently shrunk). It is visited when a
finalized in-person contact note names the child among those seen during the month; it
is visited in the residence when one such note was at the child's residence or
placement. The share of visited months is measured against 95%; the share of visited
months with a visit in the residence against 50% (see docs/adr/0005).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Case as When_
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from hearth.cases.models import Assignment
from hearth.contacts.models import ContactNote
from hearth.core.services import today

VISIT_STANDARD = 95
RESIDENCE_STANDARD = 50
RESIDENCE = ["child_residence", "placement"]


def fiscal_year_months(fy: int) -> list[date]:
    """The months of federal fiscal year `fy`: October of fy-1 to September of fy."""
    return [date(fy - 1, m, 1) for m in (10, 11, 12)] + [date(fy, m, 1) for m in range(1, 10)]


def fiscal_year_of(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def _month_end(first: date) -> date:
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _eighteen_years_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 18)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 18, day=28)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def child_months(episodes: QuerySet, first: date) -> QuerySet:
    """The episodes that make a full month in care for `first`'s month, annotated with
    whether the month was visited, and visited in the residence."""
    last = _month_end(first)
    start, end = _aware(first), _aware(last + timedelta(days=1))
    visits = ContactNote.objects.filter(
        contact_with=OuterRef("child_id"),
        status=ContactNote.Status.FINAL,
        method=ContactNote.Method.IN_PERSON,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    worker = Assignment.objects.filter(
        case=OuterRef("case_id"), kind="primary", starts_on__lte=first
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    return (
        episodes.filter(removed_on__lte=first)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=last))
        .filter(
            Q(child__date_of_birth__isnull=True)
            | Q(child__date_of_birth__gt=_eighteen_years_before(last))
        )
        .annotate(
            # One lookup of the child's visits per child-month: NULL when none, 1 when
            # one was in the residence, else 0.
            best_visit=Subquery(
                visits.annotate(
                    res=When_(When(location__in=RESIDENCE, then=Value(1)), default=Value(0))
                )
                .order_by("-res")
                .values("res")[:1]
            ),
            worker_id=Subquery(worker.values("worker_id")[:1]),
            agency_id=F("case__agency_id"),
            unit_id=F("case__unit_id"),
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


def f1(episodes: QuerySet, fy: int, *, group: str = "state", upto: date | None = None):
    """F1 for fiscal year `fy` over `episodes`, grouped by state, agency, unit or worker
    (the primary case manager on each month's first day). Months after `upto` (default:
    the last full month) are left out. On PostgreSQL one query for the year, reading each
    child's notes once; elsewhere one aggregate query per month."""
    upto = upto or (today().replace(day=1) - timedelta(days=1))
    months = [m for m in fiscal_year_months(fy) if _month_end(m) <= upto]
    if not months:
        return []
    if connection.vendor == "postgresql":
        found = _f1_postgresql(episodes, months, group)
    else:
        found = _f1_by_month(episodes, months, GROUP_FIELDS[group])
    rows: dict = {}
    for key, n, v, r in found:
        row = rows.setdefault(key, F1Row(key))
        row.months += n
        row.visited += v or 0
        row.in_residence += r or 0
    return sorted(rows.values(), key=lambda r: (r.key is None, r.key or 0))


def _f1_by_month(episodes, months, field):
    for first in months:
        qs = child_months(episodes, first)
        counts = dict(n=Count("id"), v=Count("best_visit"), r=Count("id", filter=Q(best_visit=1)))
        if field:
            for a in qs.values(field).annotate(**counts):
                yield a[field], a["n"], a["v"], a["r"]
        else:
            a = qs.aggregate(**counts)
            yield None, a["n"], a["v"], a["r"]


F1_GROUP_SQL = {
    "state": "NULL::bigint",
    "agency": "c.agency_id",
    "unit": "c.unit_id",
    "worker": "wk.worker_id",
}

F1_SQL = """
    WITH months (first, last, born_after) AS (
        SELECT * FROM unnest(%s::date[], %s::date[], %s::date[])
    ),
    child_months AS (
        SELECT mo.first, e.child_id, {group} AS key
        FROM placements_removalepisode e
        JOIN months mo
          ON e.removed_on <= mo.first AND (e.exited_on IS NULL OR e.exited_on > mo.last)
        JOIN people_person p ON p.id = e.child_id
        JOIN cases_case c ON c.id = e.case_id
        LEFT JOIN LATERAL (
            SELECT a.worker_id FROM cases_assignment a
            WHERE a.case_id = e.case_id AND a.kind = 'primary' AND a.starts_on <= mo.first
              AND (a.ends_on IS NULL OR a.ends_on >= mo.first)
            ORDER BY a.starts_on DESC, a.id DESC LIMIT 1
        ) wk ON true
        WHERE (p.date_of_birth IS NULL OR p.date_of_birth > mo.born_after)
          AND e.id IN ({scope})
    ),
    visits AS (
        SELECT w.person_id AS child_id,
               date_trunc('month', n.occurred_at AT TIME ZONE %s)::date AS first,
               bool_or(n.location IN ('child_residence', 'placement')) AS in_residence
        FROM (SELECT DISTINCT child_id FROM child_months) ch
        JOIN contacts_contactnote_contact_with w ON w.person_id = ch.child_id
        JOIN contacts_contactnote n ON n.id = w.contactnote_id
        WHERE n.status = 'final' AND n.method = 'in_person'
          AND n.occurred_at >= %s AND n.occurred_at < %s
        GROUP BY 1, 2
    )
    SELECT cm.key, count(*), count(v.child_id), count(*) FILTER (WHERE v.in_residence)
    FROM child_months cm
    LEFT JOIN visits v ON v.child_id = cm.child_id AND v.first = cm.first
    GROUP BY cm.key
"""


def _f1_postgresql(episodes, months, group):
    lasts = [_month_end(m) for m in months]
    scope, scope_params = episodes.values("id").query.sql_with_params()
    sql = F1_SQL.format(group=F1_GROUP_SQL[group], scope=scope)
    params = [
        months,
        lasts,
        [_eighteen_years_before(last) for last in lasts],
        *scope_params,
        settings.TIME_ZONE,
        _aware(months[0]),
        _aware(lasts[-1] + timedelta(days=1)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def unvisited(episodes: QuerySet, fy: int, *, upto: date | None = None, limit: int = 500):
    """F1 drill-down: the child-months without an in-person visit."""
    upto = upto or (today().replace(day=1) - timedelta(days=1))
    out = []
    for first in fiscal_year_months(fy):
        if _month_end(first) > upto or len(out) >= limit:
            break
        for e in (
            child_months(episodes, first)
            .filter(best_visit__isnull=True)
            .select_related("child", "case")
            .order_by("case__case_number", "child_id")[: limit - len(out)]
        ):
            out.append((first, e))
    return out
