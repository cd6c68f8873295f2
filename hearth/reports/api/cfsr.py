"""The CFSR round 4 measures through the API (F2, F3, F4): the page's figures for a
12-month period by state, agency or unit, and the children behind them (the cases the
viewer may see, access-logged). Bad input answers 422 naming the field."""

from datetime import date

from ninja import Field, Query, Schema

from hearth.core import audit
from hearth.policy import cfsr as rules
from hearth.reports import cfsr, scope
from hearth.reports.api.router import router


class CfsrRowOut(Schema):
    key: int | None
    label: str
    numerator: int
    denominator: int
    value: float | None


class CfsrMeasureOut(Schema):
    measure: str
    title: str
    definition: str
    period_start: date
    period_end: date
    group: str
    national: float
    unit: str
    rows: list[CfsrRowOut]
    total: CfsrRowOut | None


class CfsrChildOut(Schema):
    episode: int
    case: int
    case_number: str
    child: int
    child_name: str
    entry: date
    exit: date | None
    exit_reason: str
    in_numerator: bool
    days_in_care: int | None
    moves: int | None
    reentered_on: date | None


class CfsrQuery(Schema):
    period: str | None = Field(None, max_length=7, description="YYYY-MM, the first month")
    agency: str | None = Field(None, max_length=20, description="An agency's id")
    unit: str | None = Field(None, max_length=20, description="A unit's id")


def measure_json(measure: str, viewer, params: dict) -> dict:
    episodes, group, period, _ = cfsr.query(viewer, measure, params)
    rows = getattr(cfsr, measure)(episodes, period, group=group)
    title, definition = cfsr.DEFINITIONS[measure]
    return {
        "measure": measure.upper(),
        "title": title,
        "definition": definition,
        "period_start": period,
        "period_end": rules.period_end(period),
        "group": group,
        "national": rules.NATIONAL[measure],
        "unit": "moves per 1,000 days in care" if measure == "f3" else "percent",
        "rows": rows,
        "total": cfsr.total(rows, measure),
    }


def children_json(request, measure: str, params: dict) -> list[dict]:
    episodes, _, period, _ = cfsr.query(request.user, measure, params)
    found = cfsr.children(measure, scope.named_episodes(request.user, episodes), period)
    audit.log_access(request, audit.LIST, [k.episode for k in found])
    return [
        {
            "episode": k.episode.pk,
            "case": k.episode.case_id,
            "case_number": k.episode.case.case_number,
            "child": k.episode.child_id,
            "child_name": k.episode.child.full_name,
            "entry": k.entry,
            "exit": k.exit,
            "exit_reason": k.exit_reason,
            "in_numerator": k.counted,
            "days_in_care": k.days,
            "moves": k.moves,
            "reentered_on": k.reentered_on,
        }
        for k in found
    ]


def _register(measure: str) -> None:
    title = cfsr.DEFINITIONS[measure][0]

    @router.get(
        f"/reports/{measure}",
        response=CfsrMeasureOut,
        summary=f"{measure.upper()}: {title} (CFSR round 4)",
        operation_id=f"reports_{measure}",
    )
    def measure_get(request, q: Query[CfsrQuery]):
        """`period`: the period's first month (YYYY-MM; default as on the page); `agency`,
        `unit`: narrow to one (ids)."""
        return measure_json(measure, request.user, q.dict())

    @router.get(
        f"/reports/{measure}/children",
        response=list[CfsrChildOut],
        summary=f"{measure.upper()}: the children behind the figures",
        operation_id=f"reports_{measure}_children",
    )
    def children_get(request, q: Query[CfsrQuery]):
        """The episodes in the denominator whose cases the viewer may see."""
        return children_json(request, measure, q.dict())


for _measure in cfsr.MEASURES:
    _register(_measure)
