"""Issue 13's rows (state oversight): the oversight home of the demo specialist (page and
API), a statewide QA sample of 1,000 cases drawn in-process (in a transaction rolled back
each time, so every run draws the same), and QA compliance by contractor and item for a
year beside its SQL floor (`QA_COMPLIANCE_SQL`).

The home page is found by its URL name (oversight_home), the API operation by its path,
the sample and the compliance by their import paths
(hearth.oversight.services.qa.sample_draw, hearth.oversight.selectors.qa.compliance). A
scenario that is not available (no URL, the page answering other than 200, the import
failing) is skipped with a loud message, never silently."""

from datetime import timedelta

from django.db import transaction

from bench.floors import QA_COMPLIANCE_SQL, compliance_rows, qa_year_params
from bench.planning import api, page, skip
from bench.timing import (
    HEAVY_REQUESTS,
    HEAVY_WARMUP,
    REQUESTS,
    WARMUP,
    queries_of,
    result,
    time_against_floor,
    timed,
)
from hearth.core.services import today
from hearth.staff.models import Role, StaffMember

# The targets (ms): the home's p95; the sample and the compliance (p95 too).
HOME_MS, SAMPLE_MS, COMPLIANCE_MS = 80, 2000, 1000
SAMPLE_SIZE = 1000


def home_scenarios(specialist_client, session, bearer, skipped) -> list:
    """The oversight home, page and API, for the server loop of bench/run.py: (name,
    path, headers, target, floor, requests, client)."""
    out = []
    for name, path, missing, head in (
        (
            "oversight home page (specialist)",
            page("oversight_home"),
            "the oversight home page (no URL named oversight_home: not available)",
            session,
        ),
        (
            "API oversight home (specialist)",
            api("/api/v1/oversight/home"),
            "the API oversight home (GET /api/v1/oversight/home not available)",
            bearer,
        ),
    ):
        if path is None:
            skip(skipped, missing)
            continue
        status = specialist_client.get(path, headers=head).status_code
        if status != 200:
            skip(skipped, f"{name}: {path} answered {status} (not available)")
            continue
        out.append((name, path, head, HOME_MS, None, REQUESTS, specialist_client))
    return out


def home_line(specialist) -> str:
    """What the specialist's home holds: their families, the reviews due, the hearings."""
    from hearth.cases.models import CaseAccessGrant
    from hearth.oversight.models import Hearing, Recommendation

    day0 = today()
    families = CaseAccessGrant.objects.filter(
        staff=specialist, purpose="oversight", ends_on__isnull=True
    ).count()
    reviews = Recommendation.objects.filter(reviewer=specialist, status="submitted")
    week = Hearing.objects.filter(
        case__access_grants__staff=specialist,
        case__access_grants__purpose="oversight",
        case__access_grants__ends_on__isnull=True,
        scheduled_at__date__gte=day0,
        scheduled_at__date__lt=day0 + timedelta(days=7),
    ).count()
    overdue = reviews.filter(due_on__lt=day0).count()
    return (
        f"Oversight home: the specialist ({specialist.user.username}) holds {families} "
        f"families, {reviews.count()} closure reviews pending ({overdue} overdue), {week} "
        "hearings in the next 7 days."
    )


def _previous_month():
    end = today().replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def time_oversight(skipped) -> tuple[list, list]:
    """The in-process rows: the sample draw and the compliance report against its floor.
    Returns (rows, lines)."""
    rows, lines = [], []
    supervisor = (
        StaffMember.objects.filter(roles__role=Role.STATE_SUPERVISOR, status="active")
        .select_related("user")
        .order_by("id")
        .first()
    )
    reviewers = list(StaffMember.objects.filter(roles__role=Role.QA_REVIEWER).order_by("id"))
    try:
        from hearth.oversight.services.qa import sample_draw
    except ImportError as exc:
        skip(
            skipped,
            "the statewide QA sample (hearth.oversight.services.qa.sample_draw does not "
            f"import: {exc}; not available)",
        )
    else:
        if supervisor is None or not reviewers:
            skip(skipped, "the statewide QA sample (no state supervisor or QA reviewer seeded)")
        else:
            start, end = _previous_month()
            drawn = []

            def draw():
                with transaction.atomic():
                    sample = sample_draw(
                        actor=supervisor.user,
                        period_start=start,
                        period_end=end,
                        size=SAMPLE_SIZE,
                        seed=1,
                        agency=None,
                        reviewers=reviewers,
                    )
                    drawn.append(sample.cases.count())
                    transaction.set_rollback(True)

            samples, _ = timed(draw, HEAVY_REQUESTS, HEAVY_WARMUP)
            rows.append(
                result(
                    f"QA sample, {SAMPLE_SIZE:,} cases statewide",
                    samples,
                    queries_of(draw) - 1,  # the count of the cases drawn is the bench's
                    SAMPLE_MS,
                )
            )
            lines.append(
                f"QA sample: {drawn[-1]:,} cases drawn for {start:%Y-%m} from every "
                f"contractor for {len(reviewers)} reviewers, in a transaction rolled back "
                f"after each of {len(samples)} draws (seed 1)."
            )
    try:
        from hearth.oversight.selectors.qa import compliance
    except ImportError as exc:
        skip(
            skipped,
            f"QA compliance (hearth.oversight.selectors.qa.compliance: {exc}; not available)",
        )
        return rows, lines
    viewer = supervisor.user if supervisor else None
    params = qa_year_params()
    checks = []
    row = time_against_floor(
        "QA compliance, a year, by agency+item",
        lambda: compliance(
            viewer=viewer, start=params["start"], end=params["end"], by=("agency", "item")
        ),
        QA_COMPLIANCE_SQL,
        params,
        compliance_rows,
        REQUESTS,
        WARMUP,
        COMPLIANCE_MS,
        checks,
    )
    rows.append(row)
    selector = checks[-1][1]
    lines.append(
        f"QA compliance: the SQL floor returns the selector's rows ({len(selector)} "
        f"contractor-items, {sum(r[3] for r in selector):,} yes or no answers, "
        f"{sum(r[2] for r in selector):,} yes) for {params['start']} to {params['end']}."
    )
    return rows, lines
