"""F5: the data-quality report of the AFCARS-style extract, so that an agency fixes its
data before the filing deadline (the federal CCWIS rule, 45 CFR 1355.52(d), asks a
child welfare information system for such automated data-quality checks).

Each check is a set-based query over the removal episodes in care during the report
period (hearth.reports.afcars.in_care) in the viewer's scope, annotated with the case's
agency and its primary case manager on the period's last day (or today, for the period
under way): the counts are one aggregate query per check (the monthly-visit check one
per month), never a loop over children. A check counts children; the monthly-visit check
counts child-months. Names (the drill-down, the CSV) are only for the cases the viewer
may see (hearth.reports.scope.named_episodes).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.http import HttpResponse

from hearth.cases.models import Assignment
from hearth.core.exports import csv_writer
from hearth.core.services import today
from hearth.placements.models import PermanencyGoal, Placement
from hearth.reports.afcars import Period, in_care
from hearth.reports.federal import child_months

ICWA_POSITIVE = ["yes", "reason_to_know"]


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    kind: str  # "missing" or "invalid"
    find: Callable[[QuerySet, Period], list[QuerySet]]


def _no_entry_date(eps, period):
    return [eps.filter(entered_care_on__isnull=True)]


def _entry_after_exit(eps, period):
    return [eps.filter(exited_on__isnull=False, entered_care_on__gt=F("exited_on"))]


def _no_placement(eps, period):
    return [eps.exclude(Exists(Placement.objects.filter(episode=OuterRef("pk"))))]


def _placement_gap(eps, period):
    """A placement ends while the child is still in care and no placement starts that
    day (the child's whereabouts for the days after are not recorded)."""
    ended = Placement.objects.filter(
        episode=OuterRef("pk"), ends_on__isnull=False, ends_on__lte=period.end
    ).filter(Q(episode__exited_on__isnull=True) | Q(ends_on__lt=F("episode__exited_on")))
    gap = ended.exclude(
        Exists(Placement.objects.filter(episode=OuterRef("episode"), starts_on=OuterRef("ends_on")))
    )
    return [
        eps.filter(Exists(gap)).annotate(
            detail=Cast(Subquery(gap.order_by("ends_on").values("ends_on")[:1]), CharField())
        )
    ]


def _no_plan(eps, period):
    plans = PermanencyGoal.objects.filter(
        case=OuterRef("case_id"), child=OuterRef("child_id"), starts_on__lte=period.end
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
    return [eps.exclude(Exists(plans.exclude(goal="not_established")))]


def _dob_unknown(eps, period):
    return [eps.filter(child__date_of_birth__isnull=True)]


def _sex_unknown(eps, period):
    return [eps.filter(child__sex="unknown")]


def _icwa_inquiry_unknown(eps, period):
    return [eps.filter(child__icwa_inquiry_made__isnull=True)]


def _icwa_undetermined(eps, period):
    return [eps.filter(child__icwa_inquiry_made=True, child__icwa_applies="unknown")]


def _icwa_no_tribe(eps, period):
    return [eps.filter(child__icwa_applies__in=ICWA_POSITIVE, child__tribes__isnull=True)]


def _icwa_not_notified(eps, period):
    return [
        eps.filter(child__icwa_applies__in=ICWA_POSITIVE, child__tribe_notified_on__isnull=True)
    ]


def _visit_months(eps, period):
    """F1's full months in care (under 18) in the period, up to the last ended month,
    without an in-person caseworker visit: one query per month."""
    last_ended = today().replace(day=1)
    out = []
    first = period.start
    while first <= period.end and first < last_ended:
        out.append(
            child_months(eps, first)
            .filter(best_visit__isnull=True)
            .annotate(detail=Value(first.strftime("%Y-%m")))
        )
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return out


CHECKS = [
    Check("no_entry_date", "No date the child entered care", "missing", _no_entry_date),
    Check("entry_after_exit", "Date entered care after the exit", "invalid", _entry_after_exit),
    Check("no_placement", "Removal with no placement", "missing", _no_placement),
    Check("placement_gap", "Gap between placements", "missing", _placement_gap),
    Check("no_permanency_plan", "No permanency plan in the period", "missing", _no_plan),
    Check("dob_unknown", "Date of birth unknown", "missing", _dob_unknown),
    Check("sex_unknown", "Sex not recorded", "missing", _sex_unknown),
    Check("icwa_inquiry_unknown", "ICWA inquiry not recorded", "missing", _icwa_inquiry_unknown),
    Check(
        "icwa_undetermined",
        "ICWA inquiry made, applicability not determined",
        "missing",
        _icwa_undetermined,
    ),
    Check("icwa_no_tribe", "ICWA applies but no tribe named", "invalid", _icwa_no_tribe),
    Check(
        "icwa_not_notified",
        "ICWA applies but no tribe notification date",
        "missing",
        _icwa_not_notified,
    ),
    Check("visit_month_missed", "Full month in care with no visit", "missing", _visit_months),
]
BY_CODE = {c.code: c for c in CHECKS}


def _with_worker(qs: QuerySet, period: Period) -> QuerySet:
    day = min(period.end, today())
    worker = Assignment.objects.filter(
        case=OuterRef("case_id"), kind="primary", starts_on__lte=day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    return qs.annotate(
        dq_worker=Subquery(worker.order_by("-starts_on").values("worker_id")[:1]),
        dq_agency=F("case__agency_id"),
    )


def _queries(check: Check, episodes: QuerySet, period: Period) -> list[QuerySet]:
    return [_with_worker(q, period) for q in check.find(in_care(episodes, period), period)]


@dataclass
class CheckCount:
    check: Check
    count: int = 0
    by_worker: dict = field(default_factory=dict)  # (agency id, worker id) -> count


def counts(episodes: QuerySet, period: Period) -> list[CheckCount]:
    """Per check, the children it finds (child-months for the monthly visits), in total
    and by agency and worker: one aggregate query per check (per month for visits)."""
    out = []
    for check in CHECKS:
        row = CheckCount(check)
        tally = defaultdict(int)
        for q in _queries(check, episodes, period):
            for r in (
                q.order_by()
                .values("dq_agency", "dq_worker")
                .annotate(n=Count("child_id", distinct=True))
            ):
                tally[(r["dq_agency"], r["dq_worker"])] += r["n"]
        row.by_worker = dict(tally)
        row.count = sum(tally.values())
        out.append(row)
    return out


@dataclass
class Finding:
    check: Check
    agency_id: int
    worker_id: int | None
    episode: object  # a RemovalEpisode with its child and case
    detail: str


def findings(
    episodes: QuerySet,
    period: Period,
    *,
    check: str | None = None,
    worker: int | None = None,
    limit: int | None = None,
) -> list[Finding]:
    """The findings among `episodes` (pass the viewer's named episodes), of one check or
    all, of one worker or all, with the child and the case: one query per check."""
    out = []
    for c in [BY_CODE[check]] if check else CHECKS:
        seen = set()  # a child with two episodes in the period is listed once a check
        for q in _queries(c, episodes, period):
            if worker is not None:
                q = q.filter(dq_worker=worker)
            if "detail" not in q.query.annotations:
                q = q.annotate(detail=Value(""))
            q = q.select_related("child", "case").order_by("case__case_number", "child_id", "pk")
            for e in q[:limit] if limit else q:
                if (e.child_id, e.detail) not in seen:
                    seen.add((e.child_id, e.detail))
                    out.append(Finding(c, e.dq_agency, e.dq_worker, e, e.detail or ""))
    return out


FINDING_COLUMNS = [
    "period",
    "check",
    "kind",
    "agency_id",
    "worker_id",
    "child_id",
    "child",
    "case_number",
    "detail",
]


def findings_csv(rows: list[Finding], period: Period) -> HttpResponse:
    """The findings as a CSV download (cells neutralised against formula injection)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-quality-{period.code}.csv"'
    writer = csv_writer(response)
    writer.writerow(FINDING_COLUMNS)
    for f in rows:
        writer.writerow(
            [
                period.code,
                f.check.code,
                f.check.kind,
                f.agency_id,
                f.worker_id,
                f.episode.child_id,
                f.episode.child.full_name,
                f.episode.case.case_number,
                f.detail,
            ]
        )
    return response
