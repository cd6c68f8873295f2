"""Reads of the state's quality assurance reviews (O3, C8, P9): who sees which samples,
reviews and corrective actions, a review with its instrument's items grouped by domain,
and the compliance report: ONE grouped SQL aggregate (`compliance`), whose result for
the contractors and items of a period equals the hand-written floor
`COMPLIANCE_FLOOR_SQL` (tests/oversight/qa/test_compliance.py; the bench times both).

Scopes: the state oversight supervisor (qa.sample) sees every sample, review and
corrective action; a QA reviewer (qa.review) the samples and reviews given to them; a
contractor's program director (qa.respond with case.read_agency) its agency's finalized
reviews and corrective actions, a contractor supervisor (qa.respond) its unit's reviews
and its agency's actions. Compliance: every contractor for state staff (report.state),
the viewer's agency for qa.respond holders."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from hearth.core.errors import Forbidden
from hearth.oversight.models import CorrectiveAction, QaAnswer, QaReview, QaSample, QaSampleCase
from hearth.oversight.services.qa import contractor_reviews_q, state_settings
from hearth.planning.models import InstrumentDomain, InstrumentItem
from hearth.policy import qa as rules
from hearth.staff.access import staff_for
from hearth.staff.models import Agency, Unit
from hearth.staff.permissions import can

# P9: compliance by contractor and item over a period, written by hand: the floor the
# ORM's query (`compliance(by=("agency", "item"))`) is held to (same rows, and within 2x
# of its time on the state's data: bench). Parameters: the period's first and last day.
COMPLIANCE_FLOOR_SQL = """
SELECT sc.agency_id, a.item_id,
       COUNT(*) FILTER (WHERE a.answer = 'yes') AS yes,
       COUNT(*) FILTER (WHERE a.answer = 'no') AS no,
       COUNT(*) FILTER (WHERE a.answer = 'na') AS na
FROM oversight_qaanswer a
JOIN oversight_qareview r ON r.id = a.review_id
JOIN oversight_qasamplecase sc ON sc.id = r.sample_case_id
WHERE r.status = 'finalized' AND r.finalized_on >= %s AND r.finalized_on <= %s
GROUP BY sc.agency_id, a.item_id
ORDER BY sc.agency_id, a.item_id
"""

GROUPS = {
    "agency": F("review__sample_case__agency_id"),
    "unit": F("review__sample_case__unit_id"),
    "item": F("item_id"),
    "month": TruncMonth("review__finalized_on"),
}


def _staff(viewer):
    return staff_for(viewer)


def _state(staff) -> bool:
    return can(staff, "qa.sample") or can(staff, "qa.corrective_action")


# Samples and reviews ------------------------------------------------------------------------


def visible_samples(viewer):
    """O3: every sample for the state oversight supervisor; the ones with a case given to
    them for a QA reviewer; none for anyone else."""
    staff = _staff(viewer)
    if _state(staff):
        return QaSample.objects.all()
    if can(staff, "qa.review"):
        return QaSample.objects.filter(
            pk__in=QaSampleCase.objects.filter(reviewer=staff).values("sample_id")
        )
    return QaSample.objects.none()


def visible_reviews(viewer):
    """O3: every review for the state oversight supervisor; their own for a QA reviewer;
    the finalized reviews of their agency (unit, for a supervisor) for a contractor's
    qa.respond holder; none for anyone else."""
    staff = _staff(viewer)
    reviews = QaReview.objects.select_related(
        "sample_case__case",
        "sample_case__agency",
        "sample_case__unit",
        "sample_case__sample",
        "reviewer",
        "responded_by",
    )
    if _state(staff):
        return reviews
    if can(staff, "qa.review"):
        return reviews.filter(reviewer=staff)
    scope = contractor_reviews_q(staff)
    return reviews.filter(scope) if scope is not None else reviews.none()


def reviews_due(viewer):
    """O3: the QA reviewer's draft reviews, the soonest due first (their QA home)."""
    staff = _staff(viewer)
    if not can(staff, "qa.review"):
        return QaReview.objects.none()
    return visible_reviews(viewer).filter(status=QaReview.Status.DRAFT).order_by("due_on", "pk")


def sample_cases(sample: QaSample, viewer):
    """O3: the cases of a sample with their stratum, reviewer and review (one query):
    every one for the state oversight supervisor, a QA reviewer's own for them."""
    staff = _staff(viewer)
    cases = QaSampleCase.objects.filter(sample=sample)
    if not _state(staff):
        cases = cases.filter(reviewer=staff) if staff is not None else cases.none()
    return cases.select_related("case", "agency", "unit", "reviewer", "review").order_by(
        "agency__name", "unit__name", "case_id"
    )


def strata(sample: QaSample) -> list[dict]:
    """O3: the sample's strata (contractor, unit) with how many cases each gave (one
    grouped query)."""
    return list(
        QaSampleCase.objects.filter(sample=sample)
        .values("agency__name", "unit__name")
        .annotate(cases=Count("pk"))
        .order_by("agency__name", "unit__name")
    )


@dataclass
class ReviewItem:
    item: InstrumentItem
    answer: str = ""
    comment: str = ""


@dataclass
class ReviewDomain:
    domain: InstrumentDomain
    items: list[ReviewItem] = field(default_factory=list)


def review_domains(review: QaReview) -> list[ReviewDomain]:
    """C8: the review's instrument, domain by domain, each item with its answer and
    comment (two queries)."""
    answers = {a.item_id: a for a in QaAnswer.objects.filter(review=review)}
    domains = InstrumentDomain.objects.filter(
        instrument_id=review.sample_case.sample.instrument_id
    ).prefetch_related("items")
    out = []
    for d in domains:
        rows = []
        for item in d.items.all():
            a = answers.get(item.pk)
            rows.append(ReviewItem(item, a.answer if a else "", a.comment if a else ""))
        out.append(ReviewDomain(d, rows))
    return out


def visible_actions(viewer):
    """P9: every corrective action for state staff (qa.corrective_action, report.state);
    their agency's for a contractor's qa.respond holder; none for anyone else."""
    staff = _staff(viewer)
    actions = CorrectiveAction.objects.select_related(
        "agency", "unit", "item__domain", "owner", "opened_by"
    )
    if _state(staff) or can(staff, "report.state"):
        return actions
    if can(staff, "qa.respond") and staff.agency.kind != Agency.Kind.STATE_OVERSIGHT:
        return actions.filter(agency_id=staff.agency_id)
    return actions.none()


# Compliance (P9) ---------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    agency: int | None
    unit: int | None
    item: int | None
    month: date | None
    yes: int
    no: int
    na: int

    @property
    def percent(self) -> int | None:
        return rules.compliance_percent(self.yes, self.no)


@dataclass
class ComplianceReport:
    start: date
    end: date
    by: tuple[str, ...]
    rows: list[ComplianceRow]
    agencies: dict[int, Agency]
    units: dict[int, Unit]
    items: dict[int, InstrumentItem]
    threshold: int

    def label(self, row: ComplianceRow, part: str) -> str:
        if part == "agency":
            return self.agencies[row.agency].name if row.agency in self.agencies else "—"
        if part == "unit":
            return self.units[row.unit].name if row.unit in self.units else "No unit"
        if part == "item":
            item = self.items.get(row.item)
            return f"{item.domain.name}: {item.text}" if item else "—"
        return f"{row.month:%Y-%m}" if row.month else "—"


def compliance_scope(viewer) -> int | None:
    """P9: whose compliance the viewer reads: None for every contractor (state staff,
    report.state), the agency id for a contractor's qa.respond holder; Forbidden else."""
    staff = _staff(viewer)
    if can(staff, "report.state") or _state(staff):
        return None
    if can(staff, "qa.respond") and staff.agency.kind != Agency.Kind.STATE_OVERSIGHT:
        return staff.agency_id
    raise Forbidden()


def compliance_rows(*, start: date, end: date, by, agency_id: int | None = None):
    """P9: yes, no and not applicable answers of the reviews finalized from `start` to
    `end`, grouped by `by` (of agency, unit, item, month): one grouped SQL query."""
    names = [f"g_{part}" for part in by]
    answers = QaAnswer.objects.filter(
        review__status=QaReview.Status.FINALIZED,
        review__finalized_on__gte=start,
        review__finalized_on__lte=end,
    )
    if agency_id is not None:
        answers = answers.filter(review__sample_case__agency_id=agency_id)
    rows = (
        answers.annotate(**{f"g_{part}": GROUPS[part] for part in by})
        .values(*names)
        .annotate(
            yes=Count("pk", filter=Q(answer="yes")),
            no=Count("pk", filter=Q(answer="no")),
            na=Count("pk", filter=Q(answer="na")),
        )
        .order_by(*names)
    )
    return [
        ComplianceRow(
            agency=r.get("g_agency"),
            unit=r.get("g_unit"),
            item=r.get("g_item"),
            month=r.get("g_month"),
            yes=r["yes"],
            no=r["no"],
            na=r["na"],
        )
        for r in rows
    ]


def compliance(viewer, start: date, end: date, by=("agency", "item")) -> ComplianceReport:
    """P9: the compliance report of the viewer's scope (`compliance_scope`): the grouped
    aggregate, then the names of the contractors, units and items it holds (at most three
    more queries, whatever the number of rows). Compliance = yes / (yes + no): not
    applicable answers are counted but excluded."""
    agency_id = compliance_scope(viewer)
    by = tuple(part for part in GROUPS if part in by) or ("agency", "item")
    rows = compliance_rows(start=start, end=end, by=by, agency_id=agency_id)
    ids = defaultdict(set)
    for r in rows:
        for part in ("agency", "unit", "item"):
            if getattr(r, part) is not None:
                ids[part].add(getattr(r, part))
    return ComplianceReport(
        start=start,
        end=end,
        by=by,
        rows=rows,
        agencies=Agency.objects.in_bulk(ids["agency"]) if ids["agency"] else {},
        units=Unit.objects.in_bulk(ids["unit"]) if ids["unit"] else {},
        items=InstrumentItem.objects.select_related("domain").in_bulk(ids["item"])
        if ids["item"]
        else {},
        threshold=state_settings().qa_item_threshold_percent,
    )
