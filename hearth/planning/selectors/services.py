"""Reads of the provider directory and of service referrals (P8, C9). Set-based: a fixed
number of queries whatever the number of referrals, needs or reports."""

from django.db.models import Prefetch, QuerySet

from hearth.planning.models import ProgressReport, Provider, Rating, ServiceReferral, ServiceType
from hearth.planning.selectors.assessments import actionable_needs, needs_without_service
from hearth.policy.service_referrals import MEETING_STATUSES
from hearth.staff.access import viewer_can


def can_read_providers(viewer) -> bool:
    """P8: the directory is read by everyone who uses case records, and kept by those who
    hold provider.manage (an administrator among them)."""
    return viewer_can(viewer, "records.use") or viewer_can(viewer, "provider.manage")


def provider_search(
    *,
    viewer,
    service: ServiceType | None = None,
    language=None,
    county=None,
    q: str = "",
    active: bool | None = True,
) -> QuerySet:
    """P8: providers by a service they offer, a language spoken, their county and a part
    of their name (`active` None: active or not). Empty for a viewer who may not read the
    directory."""
    if not can_read_providers(viewer):
        return Provider.objects.none()
    qs = Provider.objects.all()
    if active is not None:
        qs = qs.filter(active=active)
    if service is not None:
        qs = qs.filter(services=service)
    if language is not None:
        qs = qs.filter(languages=language)
    if county is not None:
        qs = qs.filter(county=county)
    if q.strip():
        qs = qs.filter(name__icontains=q.strip())
    return with_lists(qs.distinct().order_by("name", "id"))


def with_lists(qs: QuerySet) -> QuerySet:
    """Providers with their county, services and languages (three queries in all)."""
    return qs.select_related("county").prefetch_related(
        Prefetch("services", queryset=ServiceType.objects.order_by("name")),
        "languages",
    )


def active_service_types() -> QuerySet:
    return ServiceType.objects.filter(active=True).order_by("name")


_NEEDS = Rating.objects.select_related(
    "item__domain", "assessment__instrument", "assessment__subject"
).order_by("assessment__subject_id", "item__domain__order", "item__order", "id")


def referrals(qs: QuerySet) -> QuerySet:
    """Referrals with what a page or an answer shows: the person, provider, service, the
    needs linked (with item and assessment) and the reports, newest first (report lists
    are `reports.all()`; the latest is the first)."""
    return qs.select_related(
        "person", "provider", "service", "referred_by", "plan"
    ).prefetch_related(
        Prefetch("needs", queryset=_NEEDS),
        Prefetch("reports", queryset=ProgressReport.objects.order_by("-reported_on", "-id")),
    )


def case_referrals(case) -> QuerySet:
    """C9: the case's service referrals, newest first, with their needs and reports."""
    return referrals(ServiceReferral.objects.filter(case=case).order_by("-referred_on", "-id"))


def needs_with_service(case) -> QuerySet:
    """C9: the case's actionable needs that a referral still open or completed is meant
    to meet (the complement of needs_without_service)."""
    return actionable_needs(case).filter(
        pk__in=Rating.objects.filter(service_referrals__status__in=MEETING_STATUSES).values("pk")
    )


def need_coverage(case) -> tuple[list, list]:
    """C9, P8: (needs with a service, needs without one) among the case's actionable needs:
    two queries."""
    without = list(needs_without_service(case))
    missing = {n.pk for n in without}
    covered = [n for n in actionable_needs(case) if n.pk not in missing]
    return covered, without
