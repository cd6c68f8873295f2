"""The CFSR round 4 pages: F2 (permanency in 12 months), F3 (placement stability) and F4
(re-entry in 12 months), one view each over a shared template: by state, agency or unit
and 12-month period, the definition and the national performance beside the figures,
the children behind them (`?children=1`, the cases the viewer may see, access-logged),
and `?format=csv`."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.exports import csv_writer
from hearth.policy import cfsr as rules
from hearth.reports import cfsr, scope


def _page(request, measure: str):
    try:
        episodes, group, period, filters = cfsr.query(request.user, measure, request.GET)
    except DomainError as exc:
        return render(request, "reports/cfsr.html", {"errors": exc.errors}, status=422)
    rows = getattr(cfsr, measure)(episodes, period, group=group)
    total = cfsr.total(rows, measure)
    kids = None
    wants_csv = request.GET.get("format") == "csv"
    if request.GET.get("children"):
        kids = cfsr.children(measure, scope.named_episodes(request.user, episodes), period)
        kind = audit.EXPORT if wants_csv else audit.LIST
        audit.log_access(request, kind, [k.episode for k in kids])
    if wants_csv:
        return _csv(measure, period, group, rows, total, kids)
    title, definition = cfsr.DEFINITIONS[measure]
    return render(
        request,
        "reports/cfsr.html",
        {
            "measure": measure,
            "rule": measure.upper(),
            "title": title,
            "definition": definition,
            "national": rules.NATIONAL[measure],
            "higher_is_better": rules.HIGHER_IS_BETTER[measure],
            "unit_label": "moves per 1,000 days" if measure == "f3" else "%",
            "period": period,
            "period_end": rules.period_end(period),
            "is_default": not request.GET.get("period"),
            "group": group,
            "rows": rows,
            "total": total,
            "children": kids,
            "filters": filters,
            "query": request.GET.urlencode(),
        },
    )


def _csv(measure, period, group, rows, total, kids) -> HttpResponse:
    response = HttpResponse(content_type="text/csv")
    name = f"{measure}-{period:%Y-%m}{'-children' if kids is not None else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    out = csv_writer(response)
    if kids is not None:
        out.writerow(
            [
                "case",
                "child",
                "entry",
                "exit",
                "exit_reason",
                "in_numerator",
                "days_in_care",
                "moves",
                "reentered_on",
            ]
        )
        for k in kids:
            out.writerow(
                [
                    k.episode.case.case_number,
                    k.episode.child.full_name,
                    k.entry,
                    k.exit or "",
                    k.exit_reason,
                    "yes" if k.counted else "no",
                    "" if k.days is None else k.days,
                    "" if k.moves is None else k.moves,
                    k.reentered_on or "",
                ]
            )
        return response
    den = "days_in_care" if measure == "f3" else "denominator"
    out.writerow(["measure", "period_start", group, "numerator", den, "value", "national"])
    for r in rows + ([total] if total and group != "state" else []):
        out.writerow(
            [
                measure.upper(),
                period,
                r.label,
                r.numerator,
                r.denominator,
                "" if r.value is None else r.value,
                rules.NATIONAL[measure],
            ]
        )
    return response


@login_required
@require_GET
def f2_report(request):
    """F2: permanency in 12 months for children entering care."""
    return _page(request, "f2")


@login_required
@require_GET
def f3_report(request):
    """F3: placement moves per 1,000 days in care."""
    return _page(request, "f3")


@login_required
@require_GET
def f4_report(request):
    """F4: re-entry within 12 months of a discharge to permanency."""
    return _page(request, "f4")
