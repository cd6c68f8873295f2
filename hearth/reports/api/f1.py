"""F1 as data (issue 14): the monthly caseworker visit figures, the same as the page's, and
the per-child-month detail behind them, a page at a time.

The state's staff see every agency's figures, the others their scope
(hearth.reports.scope); a filter outside the viewer's scope counts nothing. The detail
names only the children of cases the viewer may see, and each page of it is in the
access log. Bad input is a 422 naming the field."""

from ninja import Field, Query, Schema

from hearth.core import audit
from hearth.core.api_common import CaseRef, NamedRef
from hearth.reports import f1 as data
from hearth.reports import federal
from hearth.reports.api.router import router

MAX_ID = 2**63 - 1
MAX_LIMIT, DEFAULT_LIMIT, MAX_OFFSET = 1000, 100, 100_000_000


class F1Query(Schema):
    fy: int | None = Field(
        None, ge=2000, le=2100, description="Federal fiscal year (FY2026: Oct 2025 to Sep 2026)"
    )
    agency: int | None = Field(None, ge=1, le=MAX_ID, description="One agency (by unit)")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="One unit (by worker)")
    worker: int | None = Field(
        None, ge=1, le=MAX_ID, description="One worker: the months they held on the first day"
    )

    def year(self) -> int:
        return self.fy or data.default_year()

    def filters(self) -> dict:
        return {k: getattr(self, k) for k in data.FILTERS if getattr(self, k) is not None}


class F1RowOut(Schema):
    key: int | None = Field(..., description="The agency, unit or worker id; null: none")
    label: str
    months: int = Field(..., description="Full months in care (F1's denominator)")
    visited: int = Field(..., description="Of them, with an in-person visit")
    in_residence: int = Field(..., description="Of the visited, one visit in the residence")
    visited_percent: float | None
    residence_percent: float | None
    meets_visit_standard: bool
    meets_residence_standard: bool


class F1ReportOut(Schema):
    fy: int
    months: list[str] = Field(..., description="The months counted (YYYY-MM): those ended")
    grouping: str = Field(..., description="state, agency, unit or worker")
    filters: dict[str, int]
    rows: list[F1RowOut]
    total: F1RowOut | None = Field(..., description="null when no month is counted")
    visit_standard_percent: int
    residence_standard_percent: int
    definition: str


class F1ChildMonthOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    case: CaseRef
    child: NamedRef
    removal: int = Field(..., description="The removal episode's id")
    full_month: bool = Field(..., description="Counts in F1's denominator")
    not_full_because: list[str] = Field(
        ..., description="entered, discharged, age_18 (see `reasons`); empty for a full month"
    )
    visited: bool = Field(..., description="A final in-person contact note names the child")
    visited_in_residence: bool
    worker: NamedRef | None = Field(..., description="Primary case manager on the first day")


class F1ChildMonthsOut(Schema):
    fy: int
    limit: int
    offset: int
    next_offset: int | None = Field(..., description="The next page's offset; null: the last")
    reasons: dict[str, str] = Field(..., description="What each not_full_because code means")
    items: list[F1ChildMonthOut]


def _row(r: federal.F1Row) -> dict:
    return {
        "key": r.key,
        "label": r.label,
        "months": r.months,
        "visited": r.visited,
        "in_residence": r.in_residence,
        "visited_percent": r.visited_pct,
        "residence_percent": r.residence_pct,
        "meets_visit_standard": r.meets_visits,
        "meets_residence_standard": r.meets_residence,
    }


@router.get("/reports/f1", response=F1ReportOut, summary="F1: monthly caseworker visits")
def f1_figures(request, query: Query[F1Query]):
    """F1 for a federal fiscal year (default: the current one) over its months that have
    ended, by agency (state staff), unit (a program director, or an agency filter) or
    worker (a supervisor or case manager, or a unit or worker filter)."""
    report = data.figures(request.user, query.year(), query.filters())
    return {
        "fy": report.fy,
        "months": [f"{m:%Y-%m}" for m in report.months],
        "grouping": report.group,
        "filters": report.filters,
        "rows": [_row(r) for r in report.rows],
        "total": _row(report.total) if report.total else None,
        "visit_standard_percent": federal.VISIT_STANDARD,
        "residence_standard_percent": federal.RESIDENCE_STANDARD,
        "definition": federal.DEFINITION,
    }


@router.get(
    "/reports/f1/child-months",
    response=F1ChildMonthsOut,
    summary="F1: the child-months behind the figures",
)
def f1_child_months(
    request,
    query: Query[F1Query],
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Every month of the year (up to the last full month) that a child of a case the
    viewer may see spent at least a day in care, ordered by case number, child and month:
    whether it is a full month for F1 and, if not, why; visited; in the residence; the
    worker. Children of cases the viewer may not see count in the figures but are not
    listed."""
    fy = query.year()
    found = list(data.detail(request.user, fy, query.filters(), limit=limit + 1, offset=offset))
    more, found = len(found) > limit, found[:limit]
    audit.log_access(request, audit.LIST, data.episodes_of(found))
    return {
        "fy": fy,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
        "reasons": data.NOT_FULL,
        "items": [
            {
                "month": f"{m.month:%Y-%m}",
                "case": {"id": m.case_id, "case_number": m.case_number},
                "child": {"id": m.child_id, "name": m.child_name},
                "removal": m.episode_id,
                "full_month": m.full,
                "not_full_because": list(m.not_full),
                "visited": m.visited,
                "visited_in_residence": m.in_residence,
                "worker": {"id": m.worker_id, "name": m.worker_name} if m.worker_id else None,
            }
            for m in found
        ],
    }
