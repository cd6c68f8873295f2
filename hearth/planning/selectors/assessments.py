"""Reads of assessments and instruments (C3, C9): the latest assessment of each kind on a
case and its actionable needs, an assessment with what changed since the previous one,
the instruments a viewer sees. Set-based: a fixed number of queries whatever the number
of assessments, ratings or items."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from hearth.planning.models import (
    Assessment,
    Instrument,
    InstrumentDomain,
    InstrumentItem,
    Rating,
    ServiceReferral,
)
from hearth.policy.assessments import ACTIONABLE_SCORE, SCORE_LABELS, changes
from hearth.staff.access import staff_for
from hearth.staff.permissions import can

# C9, P8: a referral in one of these states is a service meeting the needs it names (one
# ended early leaves its needs without a service).
SERVING = ["sent", "accepted", "started", "completed"]


def latest_assessments(case) -> QuerySet:
    """C3: the latest assessment of each instrument and subject on the case (the one a
    plan answers; earlier ones are its history): latest by date, then by id."""
    newer = Assessment.objects.filter(
        case=case, instrument=OuterRef("instrument"), subject=OuterRef("subject")
    ).order_by("-assessed_on", "-id")
    family = Assessment.objects.filter(
        case=case, instrument=OuterRef("instrument"), subject__isnull=True
    ).order_by("-assessed_on", "-id")
    return (
        Assessment.objects.filter(case=case)
        .filter(
            Q(subject__isnull=False, pk=Subquery(newer.values("pk")[:1]))
            | Q(subject__isnull=True, pk=Subquery(family.values("pk")[:1]))
        )
        .select_related("instrument", "subject")
    )


def actionable_needs(case) -> QuerySet:
    """C3, C9: the needs rated 2 (act) or 3 (act now) in the case's latest assessments,
    with their item, domain, assessment and subject (trauma needs are `item.trauma`), and
    `served`: whether a service referral still open or completed is meant to meet it.
    C8: never a fidelity (quality assurance) instrument's item, whatever its kind."""
    return (
        Rating.objects.filter(
            assessment__in=latest_assessments(case).values("pk"),
            item__kind=InstrumentItem.Kind.NEED,
            score__gte=ACTIONABLE_SCORE,
        )
        .exclude(assessment__instrument__kind=Instrument.Kind.FIDELITY)
        .annotate(
            served=Exists(ServiceReferral.objects.filter(needs=OuterRef("pk"), status__in=SERVING))
        )
        .select_related("item__domain", "assessment__instrument", "assessment__subject")
        .order_by(
            "assessment__subject_id",
            "assessment__instrument__name",
            "item__domain__order",
            "item__order",
            "id",
        )
    )


def needs_without_service(case) -> QuerySet:
    """C9, P8: the case's actionable needs that no service referral still open or completed
    is meant to meet (a referral ended early leaves its needs without a service)."""
    return actionable_needs(case).filter(served=False)


# A case's assessments ----------------------------------------------------------------------


def case_assessments(case) -> QuerySet:
    """C3: the case's assessments, newest first, with instrument, subject, assessor and
    how many actionable needs each holds (one query; C8: none in a fidelity one)."""
    return (
        Assessment.objects.filter(case=case)
        .select_related("instrument", "subject", "assessed_by")
        .annotate(
            needs=Count(
                "ratings",
                filter=Q(
                    ratings__item__kind=InstrumentItem.Kind.NEED,
                    ratings__score__gte=ACTIONABLE_SCORE,
                )
                & ~Q(instrument__kind=Instrument.Kind.FIDELITY),
            )
        )
        .order_by("-assessed_on", "-id")
    )


@dataclass
class RatingRow:
    rating: Rating
    label: str
    actionable: bool
    before: int | None = None  # the previous assessment's score, when it had the item


@dataclass
class DomainRows:
    domain: InstrumentDomain
    rows: list[RatingRow] = field(default_factory=list)


@dataclass
class Change:
    code: str
    text: str
    domain: str
    before: int | None
    after: int | None

    @property
    def direction(self) -> str:
        if self.before is None:
            return "new"
        if self.after is None:
            return "not rated"
        return "worse" if self.after > self.before else "better"


@dataclass
class AssessmentDetail:
    assessment: Assessment
    domains: list[DomainRows]
    previous: Assessment | None
    changes: list[Change]
    needs: list[Rating]


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """C3: the assessment before this one of the same case, instrument and subject
    (earlier by date; on the same day, earlier by id)."""
    qs = Assessment.objects.filter(
        case_id=assessment.case_id, instrument_id=assessment.instrument_id
    ).filter(
        Q(assessed_on__lt=assessment.assessed_on)
        | Q(assessed_on=assessment.assessed_on, pk__lt=assessment.pk)
    )
    if assessment.subject_id is None:
        qs = qs.filter(subject__isnull=True)
    else:
        qs = qs.filter(subject_id=assessment.subject_id)
    return qs.select_related("assessed_by").order_by("-assessed_on", "-id").first()


def _ratings(assessment_ids) -> QuerySet:
    return (
        Rating.objects.filter(assessment_id__in=assessment_ids)
        .select_related("item__domain")
        .annotate(
            served=Exists(ServiceReferral.objects.filter(needs=OuterRef("pk"), status__in=SERVING))
        )
        .order_by("item__domain__order", "item__order", "id")
    )


def assessment_detail(assessment: Assessment) -> AssessmentDetail:
    """C3: an assessment's ratings by domain, the previous assessment of the same case,
    instrument and subject, what changed since it (hearth.policy.assessments.changes),
    and its actionable needs (C9; C8: none in a fidelity instrument). Three queries."""
    previous = previous_assessment(assessment)
    ids = [assessment.pk] + ([previous.pk] if previous else [])
    ratings = list(_ratings(ids))
    mine = [r for r in ratings if r.assessment_id == assessment.pk]
    before = [r for r in ratings if previous and r.assessment_id == previous.pk]
    before_scores = {r.item.code: r.score for r in before}
    domains: dict[int, DomainRows] = {}
    for r in mine:
        row = RatingRow(
            r,
            SCORE_LABELS.get(r.score, ""),
            r.item.kind == InstrumentItem.Kind.NEED
            and r.score >= ACTIONABLE_SCORE
            and assessment.instrument.kind != Instrument.Kind.FIDELITY,
            before_scores.get(r.item.code),
        )
        domains.setdefault(r.item.domain_id, DomainRows(r.item.domain)).rows.append(row)
    found = []
    if previous is not None:
        items = {r.item.code: r.item for r in [*before, *mine]}
        diff = changes(before_scores, {r.item.code: r.score for r in mine})
        found = [
            Change(code, items[code].text, items[code].domain.name, old, new)
            for code, (old, new) in diff.items()
        ]
        order = {r.item.code: (r.item.domain.order, r.item.order) for r in [*before, *mine]}
        found.sort(key=lambda c: order[c.code])
    return AssessmentDetail(
        assessment=assessment,
        domains=list(domains.values()),
        previous=previous,
        changes=found,
        needs=[row.rating for d in domains.values() for row in d.rows if row.actionable],
    )


def assessment_for_detail(pk) -> Assessment | None:
    """The assessment with what its page and the API show (one query)."""
    return (
        Assessment.objects.filter(pk=pk)
        .select_related("case", "instrument", "subject", "assessed_by")
        .first()
    )


# Instruments -------------------------------------------------------------------------------


def visible_instruments(user) -> QuerySet:
    """C3: the instruments a staff member sees: the shared ones and their agency's (the
    administrator, who makes the shared ones, sees every agency's too)."""
    staff = staff_for(user)
    if staff is None:
        return Instrument.objects.none()
    qs = Instrument.objects.select_related("agency")
    if can(staff, "agency.manage_all"):
        return qs
    return qs.filter(Q(agency__isnull=True) | Q(agency_id=staff.agency_id))


def instruments_with_items(queryset: QuerySet) -> QuerySet:
    """Instruments with their domains and items prefetched (three queries)."""
    return queryset.prefetch_related(
        Prefetch(
            "domains",
            queryset=InstrumentDomain.objects.order_by("order", "id").prefetch_related(
                Prefetch("items", queryset=InstrumentItem.objects.order_by("order", "id"))
            ),
        )
    )
