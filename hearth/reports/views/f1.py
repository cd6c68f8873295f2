"""Federal measures pages: F1, the monthly caseworker visits, by state, agency, unit and
worker, with the definition shown and a drill-down to the child-months not visited.

`?format=csv` answers the figures table as CSV; `?format=csv&detail=child-months` the
year's per-child-month detail (streamed; it names children, so it is in the access log).
The filters (fy, agency, unit, worker) apply to both."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hearth.core import audit
from hearth.core.exports import csv_writer
from hearth.reports import f1 as data
from hearth.reports import federal, scope


def _whole(value: str) -> bool:
    """ASCII digits only ("²" is a digit to str.isdigit, not to int)."""
    return value.isascii() and value.isdigit()


def _params(request) -> tuple[int, dict]:
    """The year and the filters of the query string; the page ignores what is not a
    number (the API refuses it)."""
    fy = request.GET.get("fy", "")
    fy = int(fy) if _whole(fy) and 2000 <= int(fy) <= 2100 else data.default_year()
    filters = {}
    for key in data.FILTERS:
        value = request.GET.get(key, "")
        if _whole(value) and len(value) < 19:
            filters[key] = int(value)
    return fy, filters


@login_required
@require_GET
def f1_report(request):
    fy, filters = _params(request)
    if request.GET.get("format") == "csv":
        if request.GET.get("detail") == "child-months":
            return _detail_csv(request, fy, filters)
        return _figures_csv(data.figures(request.user, fy, filters))
    report = data.figures(request.user, fy, filters)
    missing = None
    if "worker" in filters:
        episodes, _ = data.viewer_episodes(request.user, filters)
        mine = scope.named_episodes(request.user, episodes)
        missing = federal.unvisited(mine, fy, worker=filters["worker"])
        audit.log_access(request, audit.LIST, list({e.pk: e for _, e in missing}.values()))
    query = "&".join(f"{k}={v}" for k, v in {"fy": fy, **filters}.items())
    return render(
        request,
        "reports/f1.html",
        {
            "fy": fy,
            "group": report.group,
            "rows": report.rows,
            "total": report.total,
            "missing": missing,
            "filters": filters,
            "query": query,
            "definition": federal.DEFINITION,
            "visit_standard": federal.VISIT_STANDARD,
            "residence_standard": federal.RESIDENCE_STANDARD,
        },
    )


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _figures_csv(report: data.F1Figures) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="f1-fy{report.fy}.csv"'
    out = csv_writer(response)
    out.writerow(
        [
            report.group,
            "id",
            "full months in care",
            "visited",
            "percent visited",
            f"meets {federal.VISIT_STANDARD}%",
            "visited in the residence",
            "percent in the residence",
            f"meets {federal.RESIDENCE_STANDARD}%",
        ]
    )
    for r in [*report.rows, *([report.total] if report.total else [])]:
        out.writerow(
            [
                r.label,
                r.key,
                r.months,
                r.visited,
                r.visited_pct,
                _yes(r.meets_visits),
                r.in_residence,
                r.residence_pct,
                _yes(r.meets_residence),
            ]
        )
    return response


DETAIL_HEADER = [
    "month",
    "case number",
    "child id",
    "child",
    "full month in care",
    "not a full month because",
    "visited in person",
    "visited in the residence",
    "worker id",
    "worker",
]


def detail_row(m: data.ChildMonth) -> list:
    return [
        f"{m.month:%Y-%m}",
        m.case_number,
        m.child_id,
        m.child_name,
        _yes(m.full),
        "; ".join(data.NOT_FULL[code] for code in m.not_full),
        _yes(m.visited),
        _yes(m.in_residence),
        m.worker_id,
        m.worker_name,
    ]


class _Lines:
    """A file-like object whose write returns the line, for a streamed CSV."""

    def write(self, line: str) -> str:
        return line


def _detail_csv(request, fy: int, filters: dict) -> StreamingHttpResponse:
    # Every child the export may name is in the access log before a line is sent.
    audit.log_access(request, audit.EXPORT, data.listed_episodes(request.user, fy, filters))
    out = csv_writer(_Lines())

    def lines():
        batch = [out.writerow(DETAIL_HEADER)]
        for m in data.detail(request.user, fy, filters):
            batch.append(out.writerow(detail_row(m)))
            if len(batch) >= 500:  # a chunk of lines at a time, not one write a line
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="f1-fy{fy}-child-months.csv"'
    return response
