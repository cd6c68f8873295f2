"""F1 as data (issue 14): the viewer's figures with their labels (the page, its CSV and the
API show the same), and the per-child-month detail behind them (the CSV and the API).

The detail lists, for each child in care on at least one day of a month of the fiscal year
(up to the last full month), whether the month counts as a full month in care for F1 and,
if not, why (entered care during it, discharged during it, 18 or older by its last day);
whether it was visited in person, and in the residence; and the worker (the primary case
manager on the month's first day). It names only the children of cases the viewer may
see (`scope.named_episodes`): the others' months count in the figures but are not
listed. On PostgreSQL the detail is one query (for the year, or a page of it); the
export reads it through a server-side cursor, so memory does not grow with the state's
child-months. Elsewhere (SQLite, the tests) one query per month."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet

from hearth.core.services import today
from hearth.placements.models import RemovalEpisode
from hearth.reports import federal, scope
from hearth.staff.models import Agency, StaffMember, Unit

LABELS = {"agency": Agency, "unit": Unit, "worker": StaffMember}
FILTERS = ("agency", "unit", "worker")

# Why a month in care is not a full month for F1 (code -> words), in this order.
NOT_FULL = {
    "entered": "Entered care during the month",
    "discharged": "Discharged during the month",
    "age_18": "18 or older by the month's last day",
}


@dataclass
class F1Figures:
    """F1 for a fiscal year as the viewer may see it: a row per group, and the total."""

    fy: int
    group: str
    filters: dict
    months: list[date]
    rows: list[federal.F1Row]
    total: federal.F1Row | None


def default_year() -> int:
    return federal.fiscal_year_of(today())


def viewer_episodes(viewer, filters: dict) -> tuple[QuerySet, str]:
    """The episodes whose months the viewer's figures count, after the `agency` and `unit`
    filters, and their grouping (by worker when a worker is asked for)."""
    episodes, group = scope.scoped_episodes(viewer)
    episodes, group = scope.narrowed(episodes, group, filters)
    return episodes, "worker" if "worker" in filters else group


def figures(viewer, fy: int, filters: dict) -> F1Figures:
    """F1 for `fy` over the viewer's scope narrowed by `filters` (agency, unit, worker:
    ids). A filter outside the viewer's scope leaves nothing to count."""
    episodes, group = viewer_episodes(viewer, filters)
    months = federal.full_months(fy)
    rows = federal.f1_months(episodes, months, group, worker=filters.get("worker"))
    total = federal.F1Row(None, label="All")  # each child-month is in exactly one group
    for r in rows:
        total.months += r.months
        total.visited += r.visited
        total.in_residence += r.in_residence
    model = LABELS.get(group)
    names = {}
    if model is not None:
        fields = ("first_name", "last_name") if group == "worker" else ("name",)
        names = {
            pk: " ".join(parts)
            for pk, *parts in model.objects.filter(
                pk__in=[r.key for r in rows if r.key]
            ).values_list("pk", *fields)
        }
    for r in rows:
        r.label = names.get(r.key, "(unassigned)" if group == "worker" else "(none)")
    return F1Figures(fy, group, filters, months, rows, total if total.months else None)


# --- The detail --------------------------------------------------------------------------


@dataclass
class ChildMonth:
    """One month of one child's removal episode."""

    month: date
    episode_id: int
    case_id: int
    case_number: str
    child_id: int
    child_name: str
    not_full: tuple[str, ...]  # NOT_FULL codes; empty: a full month in care (F1)
    visited: bool
    in_residence: bool
    worker_id: int | None
    worker_name: str

    @property
    def full(self) -> bool:
        return not self.not_full


def _name(*parts) -> str:
    return " ".join(p for p in parts if p)


def _not_full(entered: bool, discharged: bool, adult: bool) -> tuple[str, ...]:
    return tuple(
        code for code, yes in zip(NOT_FULL, (entered, discharged, adult), strict=True) if yes
    )


# Every month a child of the named episodes spent at least a day in care, ordered by case
# number, child, episode and month; `{page}` limits the months (and so the visits read).
DETAIL_SQL = (
    "WITH"
    + federal.F1_MONTHS_SQL
    + """,
    cm AS (
        SELECT mo.first, e.id AS episode_id, e.case_id, c.case_number, e.child_id,
               p.first_name, p.middle_name, p.last_name, p.suffix,
               e.removed_on > mo.first AS entered,
               e.exited_on IS NOT NULL AND e.exited_on <= mo.last AS discharged,
               p.date_of_birth IS NOT NULL AND p.date_of_birth <= mo.born_after AS adult,
               wk.worker_id
        FROM placements_removalepisode e
        JOIN months mo
          ON e.removed_on <= mo.last AND (e.exited_on IS NULL OR e.exited_on >= mo.first)
        JOIN people_person p ON p.id = e.child_id
        JOIN cases_case c ON c.id = e.case_id
        """
    + federal.F1_WORKER_SQL
    + """
        WHERE true{scope}{only}
        ORDER BY c.case_number, e.child_id, e.id, mo.first
        {page}
    ),"""
    + federal.F1_VISITS_SQL.format(children="cm")
    + """
    SELECT cm.first, cm.episode_id, cm.case_id, cm.case_number, cm.child_id,
           cm.first_name, cm.middle_name, cm.last_name, cm.suffix,
           cm.entered, cm.discharged, cm.adult,
           v.child_id IS NOT NULL, coalesce(v.in_residence, false),
           cm.worker_id, s.first_name, s.last_name
    FROM cm
    LEFT JOIN visits v ON v.child_id = cm.child_id AND v.first = cm.first
    LEFT JOIN staff_staffmember s ON s.id = cm.worker_id
    ORDER BY cm.case_number, cm.child_id, cm.episode_id, cm.first
"""
)


def named_episodes(viewer, filters: dict) -> QuerySet:
    """The episodes of the viewer's figures whose children the viewer may name."""
    episodes, _ = viewer_episodes(viewer, filters)
    return scope.named_episodes(viewer, episodes)


def detail(
    viewer, fy: int, filters: dict, *, limit: int | None = None, offset: int = 0
) -> Iterator[ChildMonth]:
    """F1's child-months for `fy` that the viewer may name, in a stable order (case
    number, child, episode, month); `limit` and `offset` page through them. With a
    `worker` filter, the months whose worker on the first day was that worker."""
    months = federal.full_months(fy)
    if not months:
        return iter(())
    episodes = named_episodes(viewer, filters)
    worker = filters.get("worker")
    if connection.vendor == "postgresql":
        return _detail_postgresql(episodes, months, worker, limit, offset)
    found = sorted(
        _detail_by_month(episodes, months, worker),
        key=lambda m: (m.case_number, m.child_id, m.episode_id, m.month),
    )
    return iter(found[offset:] if limit is None else found[offset : offset + limit])


def _detail_postgresql(episodes, months, worker, limit, offset):
    where, scope_params = federal.scope_sql(episodes)
    sql = DETAIL_SQL.format(
        scope=where,
        only="" if worker is None else " AND wk.worker_id = %s",
        page="" if limit is None else "LIMIT %s OFFSET %s",
    )
    params = [
        *federal.months_params(months),
        *scope_params,
        *([] if worker is None else [worker]),
        *([] if limit is None else [limit, offset]),
        *federal.visits_params(months),
    ]
    # A server-side cursor: the whole state's year streams without being held in memory.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            for r in chunk:
                yield ChildMonth(
                    month=r[0],
                    episode_id=r[1],
                    case_id=r[2],
                    case_number=r[3],
                    child_id=r[4],
                    child_name=_name(*r[5:9]),
                    not_full=_not_full(*r[9:12]),
                    visited=r[12],
                    in_residence=r[13],
                    worker_id=r[14],
                    worker_name=_name(r[15], r[16]),
                )


def _detail_by_month(episodes, months, worker):
    fields = (
        "pk",
        "case_id",
        "case__case_number",
        "child_id",
        "child__first_name",
        "child__middle_name",
        "child__last_name",
        "child__suffix",
        "child__date_of_birth",
        "removed_on",
        "exited_on",
        "best_visit",
        "worker_id",
    )
    found = []
    for first in months:
        last = federal.month_end(first)
        born_after = federal.eighteen_years_before(last)
        qs = federal.in_care_during(episodes, first)
        if worker is not None:
            qs = qs.filter(worker_id=worker)
        for r in qs.values(*fields):
            born = r["child__date_of_birth"]
            found.append(
                ChildMonth(
                    month=first,
                    episode_id=r["pk"],
                    case_id=r["case_id"],
                    case_number=r["case__case_number"],
                    child_id=r["child_id"],
                    child_name=_name(
                        r["child__first_name"],
                        r["child__middle_name"],
                        r["child__last_name"],
                        r["child__suffix"],
                    ),
                    not_full=_not_full(
                        r["removed_on"] > first,
                        r["exited_on"] is not None and r["exited_on"] <= last,
                        born is not None and born <= born_after,
                    ),
                    visited=r["best_visit"] is not None,
                    in_residence=r["best_visit"] == 1,
                    worker_id=r["worker_id"],
                    worker_name="",
                )
            )
    names = {
        pk: _name(first_name, last_name)
        for pk, first_name, last_name in StaffMember.objects.filter(
            pk__in={m.worker_id for m in found if m.worker_id}
        ).values_list("pk", "first_name", "last_name")
    }
    for m in found:
        m.worker_name = names.get(m.worker_id, "")
    return found


def listed_episodes(viewer, fy: int, filters: dict) -> list[RemovalEpisode]:
    """The episodes the year's detail may name (in care during one of its months), as
    records for the access log: one query, their ids and cases only."""
    months = federal.full_months(fy)
    if not months:
        return []
    rows = (
        named_episodes(viewer, filters)
        .filter(removed_on__lte=federal.month_end(months[-1]))
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=months[0]))
        .values_list("pk", "case_id")
    )
    return [RemovalEpisode(pk=pk, case_id=case_id) for pk, case_id in rows]


def episodes_of(months: list[ChildMonth]) -> list[RemovalEpisode]:
    """The episodes of the listed months, once each, as records for the access log."""
    found = {m.episode_id: m.case_id for m in months}
    return [RemovalEpisode(pk=pk, case_id=case_id) for pk, case_id in found.items()]
