"""Trends: a measure month by month, by agency, unit or worker, for the director's
reports page, its exports and the API (GET /api/v1/reports/trends).

A measure is an entry of MEASURES: its name, title, unit, standard (the federal standard
or the national performance, drawn as a dashed line) and a function
`(TrendScope, months) -> [(month, rows)]` whose rows have `key`, `label`, `numerator` and
`denominator` (federal.F1Row turned into TrendRow here; hearth.reports.cfsr's MeasureRow
as it is). Adding one is a `register(Measure(...))`, with `per` 100 for a percent or 1,000 for F3's
moves per 1,000 days in care.

The figures follow the viewer's scope (hearth.reports.scope, as on F1's page): the state
by agency, a program director by unit, a supervisor by worker; the `agency` and `unit`
filters narrow it. Each point is the source's own set-based query for that month: F1
(Social Security Act 424(f)) is `federal.f1_by_month(episodes, months, group)`, one query
for all the months; contact
compliance (V13) is `obligations.selectors.dashboard`, the share of the month's contact
requirements met; F2 to F4 (CFSR round 4) are `cfsr.trend`, one query for every month's
12-month period. So a trend costs a few queries per month, whatever the caseload.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.obligations import selectors as obligations
from hearth.policy import cfsr as cfsr_rules
from hearth.reports import cfsr, federal, scope
from hearth.staff import access as staff_access
from hearth.staff.models import Agency, StaffMember, Unit
from hearth.staff.permissions import can

MAX_MONTHS = 36
UNASSIGNED = "(unassigned)"


@dataclass
class TrendRow:
    """One group's figure for one month: value = per * numerator / denominator."""

    key: int | None
    label: str
    numerator: int
    denominator: int
    value: float | None = None


@dataclass
class TrendScope:
    """Whose figures a trend counts (the viewer's reach, narrowed by the filters), and
    what the measures computed for it already (F1's two shares share one query)."""

    viewer: object
    episodes: object
    group: str
    filters: dict
    computed: dict = field(default_factory=dict)


def can_see(viewer) -> bool:
    """Who reads the trends: the staff who read the dashboards (report.dashboard:
    supervisors, program directors, the state's oversight staff and QA reviewers)."""
    return can(staff_access.staff_for(viewer), "report.dashboard")


def trend_scope(viewer, filters: dict) -> TrendScope:
    """The viewer's scope (a 403 without reporting capability) after `agency`/`unit`."""
    episodes, group = scope.scoped_episodes(viewer)
    episodes, group = scope.narrowed(episodes, group, filters)
    return TrendScope(viewer, episodes, group, filters)


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    unit: str  # "%" or a rate's unit ("per 1,000 days")
    standard: float | None
    standard_label: str
    series: Callable[[TrendScope, list[date]], list[tuple[date, list]]]
    definition: str = ""
    page: str | None = None  # URL name of the measure's own page
    per: int = 100  # 100: a percent; 1,000: a rate per 1,000 days
    digits: int = 1

    def value(self, numerator: int, denominator: int) -> float | None:
        return round(self.per * numerator / denominator, self.digits) if denominator else None


MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    MEASURES[measure.name] = measure
    return measure


def measures(name: str | None = None) -> list[Measure]:
    """The measure named, or all of them; a DomainError naming `measure` if unknown."""
    if not name:
        return list(MEASURES.values())
    if name not in MEASURES:
        raise DomainError({"measure": "One of " + ", ".join(MEASURES) + "."})
    return [MEASURES[name]]


def months_window(months: int = 12, end: date | None = None) -> list[date]:
    """The first days of `months` full months ending with `end`'s month (default: the last
    full month). A month not over yet has no trend point."""
    last_full = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    if not 1 <= months <= MAX_MONTHS:
        raise DomainError({"months": f"From 1 to {MAX_MONTHS} months."})
    end = end.replace(day=1) if end else last_full
    if end > last_full:
        raise DomainError({"end": f"A month that is over: {last_full:%Y-%m} or before."})
    index = end.year * 12 + end.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def parse_month(raw: str) -> date:
    """`YYYY-MM` -> its first day; a DomainError naming `end` otherwise."""
    try:
        year, month = (int(p) for p in raw.split("-"))
        if len(raw) != 7 or year < 2000:
            raise ValueError
        return date(year, month, 1)
    except ValueError:
        raise DomainError({"end": "A month as YYYY-MM, 2000 or later."}) from None


# --- The measures -------------------------------------------------------------------


def _f1(ts: TrendScope, months: list[date]) -> list[tuple[date, list[federal.F1Row]]]:
    """F1 per month (one query for all the months), computed once for both F1 measures."""
    key = ("f1", tuple(months))
    if key not in ts.computed:
        ts.computed[key] = federal.f1_by_month(ts.episodes, months, ts.group)
    return ts.computed[key]


def f1_visits(ts: TrendScope, months: list[date]):
    """F1: full months in care (denominator) visited in person (numerator)."""
    return [
        (m, [TrendRow(r.key, "", r.visited, r.months) for r in rows]) for m, rows in _f1(ts, months)
    ]


def f1_residence(ts: TrendScope, months: list[date]):
    """F1: visited months (denominator) with a visit in the child's residence."""
    return [
        (m, [TrendRow(r.key, "", r.in_residence, r.visited) for r in rows])
        for m, rows in _f1(ts, months)
    ]


def contact_compliance(ts: TrendScope, months: list[date]):
    """V13: the month's contact requirements (denominator) met (numerator), as on the
    contacts dashboard: `dashboard(viewer=, month=, group=, filters=)`, one query a
    month."""
    filters = {k: v for k, v in ts.filters.items() if k in obligations.GROUPS}
    out = []
    for m in months:
        rows = obligations.dashboard(viewer=ts.viewer, month=m, group=ts.group, filters=filters)
        out.append((m, [TrendRow(r["key"], "", r["met"], r["total"]) for r in rows]))
    return out


register(
    Measure(
        "f1_visits",
        "Full months in care with a caseworker visit (F1)",
        "%",
        federal.VISIT_STANDARD,
        f"Federal standard {federal.VISIT_STANDARD}%",
        f1_visits,
        definition="Of the full calendar months a child under 18 spent in foster care, the "
        "share with at least one in-person caseworker visit.",
        page="f1_report",
    )
)
register(
    Measure(
        "f1_residence",
        "Visited months with a visit in the residence (F1)",
        "%",
        federal.RESIDENCE_STANDARD,
        f"Federal standard {federal.RESIDENCE_STANDARD}%",
        f1_residence,
        definition="Of the visited full months, the share with a visit in the child's "
        "residence (the placement).",
        page="f1_report",
    )
)
register(
    Measure(
        "contacts",
        "Contact requirements met (V13)",
        "%",
        None,
        "",
        contact_compliance,
        definition="Of the month's contact requirements (V1 to V12: who must be seen or "
        "contacted), the share met. A requirement not met with a documented reason still "
        "counts as not met.",
        page="contacts_dashboard",
    )
)


# F2 to F4: each month's point is a whole 12-month period whose figure is final. F3's
# period ends with the month (days in care are counted up to the period's end); F2's and
# F4's ended 12 months before it, so that its follow-up (12 months after each entry or
# discharge) has ended too: the month is when the period's figure became final.
CFSR_LAG_MONTHS = {"f2": 23, "f3": 11, "f4": 23}


def cfsr_series(measure: str):
    """F2, F3 or F4 month by month: cfsr.trend over each month's period, one query. The
    measures group by agency or unit; a unit's viewer (grouped by worker) sees the unit's
    one line."""

    def series(ts: TrendScope, months: list[date]):
        starts = {cfsr_rules.add_months(m, -CFSR_LAG_MONTHS[measure]): m for m in months}
        if ts.group in cfsr.GROUPS:
            found = cfsr.trend(measure, ts.episodes, list(starts), group=ts.group)
        else:
            found = cfsr.trend(measure, ts.episodes, list(starts), group="state")
            for _, rows in found:
                for row in rows:
                    row.label = "This unit"
        return [(starts[start], rows) for start, rows in found]

    return series


for _name, _title, _unit, _per, _digits, _text in (
    (
        "f2",
        "Permanency in 12 months for children entering care (F2)",
        "%",
        100,
        1,
        "Of the children who entered care in the 12-month period that ended 12 months before "
        "the month, the share discharged to permanency within 12 months of entry.",
    ),
    (
        "f3",
        "Placement moves per 1,000 days in care (F3)",
        "per 1,000 days",
        1000,
        2,
        "For the children who entered care in the 12-month period ending with the month, "
        "placement moves per 1,000 days in care (lower is better).",
    ),
    (
        "f4",
        "Re-entry to care within 12 months (F4)",
        "%",
        100,
        1,
        "Of the children discharged to permanency in the 12-month period that ended 12 "
        "months before the month, the share who re-entered care within 12 months (lower is "
        "better).",
    ),
):
    register(
        Measure(
            _name,
            _title,
            _unit,
            cfsr_rules.NATIONAL[_name],
            f"National performance {cfsr_rules.NATIONAL[_name]}",
            cfsr_series(_name),
            definition=_text,
            page=f"cfsr_{_name}_report",
            per=_per,
            digits=_digits,
        )
    )


# --- A trend ---------------------------------------------------------------------


@dataclass
class Trend:
    """A measure's points by group and month, the groups' labels, and the total of the
    whole scope per month (each counted item belongs to exactly one group)."""

    measure: Measure
    group: str
    months: list[date]
    groups: list[tuple[int | None, str]]  # (key, label), by label
    points: dict[tuple[int | None, date], TrendRow]
    totals: list[TrendRow]

    def rows(self):
        """(month, row) for every group and month with something counted, month by month
        (the exports and the API)."""
        for m in self.months:
            for key, _ in self.groups:
                if (key, m) in self.points:
                    yield m, self.points[(key, m)]


LABELS = {"agency": (Agency, "name"), "unit": (Unit, "name")}


def group_labels(group: str, keys) -> dict:
    """Each key's name (an agency's, a unit's, a worker's full name), in one query."""
    keys = [k for k in set(keys) if k is not None]
    if not keys:
        return {}
    if group == "worker":
        staff = StaffMember.objects.filter(pk__in=keys).values_list("pk", "first_name", "last_name")
        return {pk: f"{first} {last}".strip() for pk, first, last in staff}
    model, name = LABELS[group]
    return dict(model.objects.filter(pk__in=keys).values_list("pk", name))


def trend(measure: Measure, ts: TrendScope, months: list[date]) -> Trend:
    """The measure over `months` for the scope, labelled, with the month's totals."""
    points: dict = {}
    for m, rows in measure.series(ts, months):
        for r in rows:
            # A source may name a group the scope's grouping does not (cfsr_series).
            row = TrendRow(r.key, r.label, r.numerator, r.denominator)
            row.value = measure.value(row.numerator, row.denominator)
            points[(r.key, m)] = row
    names = group_labels(ts.group, [k for k, _ in points])
    for (key, _), row in points.items():
        row.label = names.get(key) or row.label or UNASSIGNED
    groups = sorted({(k, r.label) for (k, _), r in points.items()}, key=lambda g: g[1])
    totals = []
    for m in months:
        month_rows = [r for (_, month), r in points.items() if month == m]
        n, d = sum(r.numerator for r in month_rows), sum(r.denominator for r in month_rows)
        totals.append(TrendRow(None, "All", n, d, measure.value(n, d)))
    return Trend(measure, ts.group, months, groups, points, totals)


@dataclass
class Line:
    """A line of a chart and its row of the data table: a group, or the groups folded
    into "Other", or the total."""

    key: int | None
    label: str
    cells: list[TrendRow | None]
    total: bool = False


def lines(t: Trend, limit: int) -> list[Line]:
    """The chart's lines: the `limit` largest groups (by their denominators over the
    months), the others summed into one "Other" line when there are more than `limit`,
    then the total."""
    size = {key: 0 for key, _ in t.groups}
    for (key, _), row in t.points.items():
        size[key] += row.denominator
    ranked = sorted(t.groups, key=lambda g: -size[g[0]])
    kept = ranked if len(ranked) <= limit else ranked[: limit - 1]
    out = [
        Line(key, label, [t.points.get((key, m)) for m in t.months])
        for key, label in sorted(kept, key=lambda g: g[1])
    ]
    folded = [key for key, _ in ranked[len(kept) :]]
    if folded:
        cells = []
        for m in t.months:
            rows = [t.points[(k, m)] for k in folded if (k, m) in t.points]
            n, d = sum(r.numerator for r in rows), sum(r.denominator for r in rows)
            cells.append(TrendRow(None, "Other", n, d, t.measure.value(n, d)) if rows else None)
        out.append(Line(None, f"{len(folded)} other {t.group}s", cells))
    out.append(Line(None, "All", list(t.totals), total=True))
    return out
