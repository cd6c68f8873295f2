"""F5 pages: the AFCARS-style extract (the period chooser, the downloads and the
data-quality summary) for the state and the program directors, and the data-quality
report (counts by check, then by worker, and the children of one check or worker)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hearth.core import audit
from hearth.core.services import today
from hearth.reports import afcars, quality, scope
from hearth.staff.models import Agency, StaffMember


def _recent_periods(count: int = 6) -> list[afcars.Period]:
    """The period under way and the ended ones before it, newest first."""
    day = today()
    fy, half = (day.year + (day.month >= 10), "A") if not 4 <= day.month <= 9 else (day.year, "B")
    out = []
    for _ in range(count):
        out.append(afcars.parse_period(f"{fy}{half}"))
        fy, half = (fy, "A") if half == "B" else (fy - 1, "B")
    return out


def _filters(request) -> tuple[afcars.Period, int | None]:
    try:
        period = afcars.parse_period(request.GET.get("period", ""))
    except ValueError:
        period = afcars.last_period(today())
    agency = request.GET.get("agency", "")
    return period, int(agency) if agency.isdigit() and len(agency) < 10 else None


def _labels(counts) -> tuple[dict, dict]:
    keys = {k for c in counts for k in c.by_worker}
    agencies = dict(
        Agency.objects.filter(pk__in={a for a, _ in keys if a}).values_list("pk", "name")
    )
    workers = {
        s.pk: s.full_name
        for s in StaffMember.objects.filter(pk__in={w for _, w in keys if w}).only(
            "first_name", "last_name"
        )
    }
    return agencies, workers


@login_required
@require_GET
def afcars_report(request):
    period, agency = _filters(request)
    episodes = afcars.extract_episodes(request.user, agency)
    counts = quality.counts(episodes, period)
    _, group = scope.scoped_episodes(request.user)
    query = f"period={period.code}" + (f"&agency={agency}" if agency else "")
    return render(
        request,
        "reports/afcars.html",
        {
            "period": period,
            "periods": _recent_periods(),
            "agency": agency,
            "agencies": Agency.objects.exclude(kind=Agency.Kind.STATE_OVERSIGHT).order_by("name")
            if group == "agency"
            else None,
            "query": query,
            "children": afcars.in_care(episodes, period).values("child_id").distinct().count(),
            "counts": counts,
        },
    )


@login_required
@require_GET
def data_quality_report(request):
    period, agency = _filters(request)
    episodes, group = scope.scoped_episodes(request.user)
    if agency is not None:
        episodes, group = scope.narrowed(episodes, group, {"agency": agency})
    check = request.GET.get("check", "")
    check = check if check in quality.BY_CODE else None
    worker = request.GET.get("worker", "")
    worker = int(worker) if worker.isdigit() and len(worker) < 10 else None
    named = scope.named_episodes(request.user, episodes)
    if request.GET.get("format") == "csv":
        rows = quality.findings(named, period, check=check, worker=worker)
        audit.log_access(request, audit.EXPORT, [f.episode.child for f in rows])
        return quality.findings_csv(rows, period)
    counts = quality.counts(episodes, period)
    agencies, workers = _labels(counts)
    by_worker = sorted(
        (
            (agencies.get(a, "(none)"), workers.get(w, "(unassigned)"), a, w, c.check, n)
            for c in counts
            for (a, w), n in c.by_worker.items()
        ),
        key=lambda r: (r[0], r[1], r[4].code),
    )
    found = None
    if check or worker:
        found = quality.findings(named, period, check=check, worker=worker, limit=500)
        audit.log_access(request, audit.LIST, [f.episode.child for f in found])
    base = f"period={period.code}" + (f"&agency={agency}" if agency else "")
    return render(
        request,
        "reports/data_quality.html",
        {
            "period": period,
            "periods": _recent_periods(),
            "agency": agency,
            "counts": counts,
            "by_worker": by_worker,
            "found": found,
            "check": check and quality.BY_CODE[check],
            "worker": worker,
            "base": base,
            "query": base
            + (f"&check={check}" if check else "")
            + (f"&worker={worker}" if worker else ""),
        },
    )
