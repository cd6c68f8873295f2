"""Trends of the federal measures (F1; F2 to F4 as they join hearth.reports.trends) and of
the contact compliance (V13), month by month, by agency, unit or worker: the figures of
the director's reports page (/reports/). Counts only, no child named: nothing to log."""

from ninja import Query, Schema

from hearth.core.errors import Forbidden
from hearth.reports import trends
from hearth.reports.api.router import router

MAX_ID = 2**63 - 1


class TrendPointOut(Schema):
    period: str  # YYYY-MM, the month
    key: int | None  # the agency, unit or worker; null: unassigned (in `rows`), all (in `totals`)
    label: str
    numerator: int
    denominator: int
    value: float | None  # a percent, or a rate per 1,000 days; null when the denominator is 0


class TrendOut(Schema):
    measure: str
    title: str
    unit: str
    standard: float | None
    standard_label: str
    group: str
    periods: list[str]
    rows: list[TrendPointOut]
    totals: list[TrendPointOut]


def _point(month, row) -> dict:
    return {
        "period": f"{month:%Y-%m}",
        "key": row.key,
        "label": row.label,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "value": row.value,
    }


@router.get(
    "/reports/trends",
    response=TrendOut,
    summary="A measure month by month, by agency, unit or worker (F1, V13)",
)
def get_trend(
    request,
    measure: str = Query(..., min_length=1, max_length=40, description=", ".join(trends.MEASURES)),
    months: int = Query(12, ge=1, le=trends.MAX_MONTHS),
    end: str | None = Query(None, max_length=7, description="YYYY-MM; default the last full month"),
    agency: int | None = Query(None, ge=1, le=MAX_ID),
    unit: int | None = Query(None, ge=1, le=MAX_ID),
):
    """The measure over `months` full months ending with `end`, in the caller's scope
    (the state by agency, a program director by unit, a supervisor by worker; `agency`
    and `unit` narrow it), with each month's total. A 403 for a caller without the
    reports (capability report.dashboard); a 422 naming the field for bad input."""
    if not trends.can_see(request.user):
        raise Forbidden()
    (found,) = trends.measures(measure)
    window = trends.months_window(months, trends.parse_month(end) if end else None)
    filters = {k: v for k, v in (("agency", agency), ("unit", unit)) if v is not None}
    t = trends.trend(found, trends.trend_scope(request.user, filters), window)
    return {
        "measure": found.name,
        "title": found.title,
        "unit": found.unit,
        "standard": found.standard,
        "standard_label": found.standard_label,
        "group": t.group,
        "periods": [f"{m:%Y-%m}" for m in window],
        "rows": [_point(m, r) for m, r in t.rows()],
        "totals": [_point(m, r) for m, r in zip(window, t.totals, strict=True)],
    }
