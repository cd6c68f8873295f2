"""The director's reports page: the federal measures (F1; F2 to F4 as they are added to
hearth.reports.trends) and the contact compliance (V13) month by month, by agency, unit
or worker, each as a chart drawn on the server (hearth.core.charts) with its data table,
links to each measure's own page, and the trend data as CSV or as an XLSX workbook (a
sheet per measure).

For the staff who read the dashboards (capability `report.dashboard`: supervisors by
worker, program directors by unit, the state by agency); a case manager gets a 403 (their
own figures are on "My contacts" and F1's page). The figures are counts: no child is
named, so nothing here is written to the access log."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from hearth.core.charts import MAX_LINES, Series, line_chart, month_labels
from hearth.core.errors import DomainError, Forbidden
from hearth.core.exports import XLSX_CONTENT_TYPE, csv_writer, xlsx_workbook
from hearth.reports import trends

HEADER = [
    "measure",
    "month",
    "group",
    "key",
    "label",
    "numerator",
    "denominator",
    "value",
    "unit",
    "standard",
]
FILTERS = ("agency", "unit")


def parse(get) -> tuple[list, dict, list]:
    """The page's query: months (1 to 36, default 12), end (YYYY-MM,
    default the last full month), agency and unit (ids), measure (default all). A
    DomainError names the field that is wrong."""
    raw = get.get("months") or "12"
    if not (raw.isascii() and raw.isdigit()):
        raise DomainError({"months": f"A number of months from 1 to {trends.MAX_MONTHS}."})
    end = trends.parse_month(get["end"]) if get.get("end") else None
    months = trends.months_window(int(raw) if len(raw) < 4 else trends.MAX_MONTHS + 1, end)
    filters = {}
    for key in FILTERS:
        value = get.get(key) or ""
        if value and not (value.isascii() and value.isdigit() and len(value) < 19):
            raise DomainError({key: f"An {key} id." if key == "agency" else f"A {key} id."})
        if value:
            filters[key] = int(value)
    return months, filters, trends.measures(get.get("measure"))


def _row(t, month, r, group):
    return [
        t.measure.name,
        f"{month:%Y-%m}",
        group,
        r.key,
        r.label,
        r.numerator,
        r.denominator,
        r.value,
        t.measure.unit,
        t.measure.standard,
    ]


def _export(fmt: str, found: list[trends.Trend], months: list) -> HttpResponse:
    stem = f"trends-{months[0]:%Y-%m}-to-{months[-1]:%Y-%m}"
    sheets = [
        (
            t.measure.name,
            [
                HEADER,
                *(_row(t, m, r, t.group) for m, r in t.rows()),
                *(_row(t, m, r, "all") for m, r in zip(t.months, t.totals, strict=True)),
            ],
        )
        for t in found
    ]
    if fmt == "xlsx":
        response = HttpResponse(xlsx_workbook(sheets), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    out = csv_writer(response)
    out.writerow(HEADER)
    for _, rows in sheets:
        out.writerows(rows[1:])
    return response


def chart(t: trends.Trend, table_lines: list[trends.Line]):
    """The trend's SVG chart: a line per group (at most MAX_LINES), the total, the
    standard."""
    m = t.measure
    labels = month_labels(t.months)
    desc = (
        f"{m.title}, {labels[0]} to {t.months[-1]:%b %Y}, by {t.group}: a line for each "
        f"{t.group} and one, thicker, for all."
        + (f" The dashed line is the {m.standard_label.lower()}." if m.standard else "")
        + " The table below gives the same figures."
    )
    return line_chart(
        chart_id=f"chart-{m.name}",
        title=m.title,
        description=desc,
        x_labels=labels,
        series=[
            Series(ln.label, [c.value if c else None for c in ln.cells], total=ln.total)
            for ln in table_lines
        ],
        unit=m.unit,
        threshold=m.standard,
        threshold_label=m.standard_label,
    )


@login_required
@require_GET
def reports_home(request):
    if not trends.can_see(request.user):
        raise Forbidden()
    try:
        months, filters, measures = parse(request.GET)
        fmt = request.GET.get("format") or "html"
        if fmt not in ("html", "csv", "xlsx"):
            raise DomainError({"format": "csv or xlsx (or none for the page)."})
    except DomainError as e:
        return render(request, "reports/home.html", {"errors": e.errors}, status=400)
    ts = trends.trend_scope(request.user, filters)
    found = [trends.trend(m, ts, months) for m in measures]
    if fmt != "html":
        return _export(fmt, found, months)
    query = {"months": len(months), "end": f"{months[-1]:%Y-%m}", **filters}
    sections = []
    for t in found:
        table_lines = trends.lines(t, MAX_LINES)
        one = urlencode({**query, "measure": t.measure.name})
        sections.append(
            {
                "trend": t,
                "lines": table_lines,
                "svg": chart(t, table_lines),
                "page": reverse(t.measure.page) if t.measure.page else None,
                "csv": f"?{one}&format=csv",
                "xlsx": f"?{one}&format=xlsx",
            }
        )
    names = []
    for key in FILTERS:
        if key in filters:
            names.append(trends.group_labels(key, [filters[key]]).get(filters[key], ""))
    return render(
        request,
        "reports/home.html",
        {
            "sections": sections,
            "months": months,
            "group": ts.group,
            "filters": filters,
            "filter_names": [n for n in names if n],
            "query": urlencode(query),
            "drill": ts.group if ts.group in FILTERS else None,
            "month_count": len(months),
            "end": f"{months[-1]:%Y-%m}",
        },
    )
