"""O4: reading oversight caseloads: the state's specialists with the families each
carries (one aggregate query), the ranking of the specialists for a case, a specialist's
families with their next hearing, and a case's oversight and QA grants. Set-based: the
number of queries does not grow with the number of specialists or families."""

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from hearth.cases.models import Case, CaseAccessGrant, CaseMember
from hearth.cases.selectors import ROLE_ORDER
from hearth.core.services import now
from hearth.oversight.models import Hearing
from hearth.policy import oversight_caseloads as rules
from hearth.policy.settings import DEFAULTS
from hearth.staff.models import Agency, StaffMember
from hearth.staff.permissions import can, roles_with

OVERSIGHT = CaseAccessGrant.Purpose.OVERSIGHT
MANUAL_PURPOSES = (CaseAccessGrant.Purpose.OVERSIGHT, CaseAccessGrant.Purpose.QA_REVIEW)
# O4: a specialist carries families by grant (case.read_oversight_grant) and does not see
# every overseen case as the state oversight supervisor does (case.read_oversight_all).
SPECIALIST_ROLES = roles_with("case.read_oversight_grant") - roles_with("case.read_oversight_all")
QA_ROLES = roles_with("case.read_qa_grant")


def is_specialist(staff) -> bool:
    """A state oversight specialist (O4): oversees by grant, not every case."""
    return can(staff, "case.read_oversight_grant") and not can(staff, "case.read_oversight_all")


def capacity() -> int:
    """O4: families per specialist: the `oversight_caseload` setting of the state's
    agency (the Agency of kind state_oversight), else the default."""
    state = Agency.objects.filter(kind=Agency.Kind.STATE_OVERSIGHT).order_by("pk").first()
    return (state.policy if state else DEFAULTS).oversight_caseload


def _carried_q(prefix: str = "") -> Q:
    """A current oversight grant on a case that is not closed: a family carried (O4)."""
    return Q(
        **{
            f"{prefix}purpose": OVERSIGHT,
            f"{prefix}ends_on__isnull": True,
        }
    ) & ~Q(**{f"{prefix}case__status": Case.Status.CLOSED})


def specialists(*, include_departed: bool = False) -> QuerySet:
    """The state oversight specialists (SPECIALIST_ROLES), each annotated with
    `families`: the distinct open cases they hold a current oversight grant on (O4)."""
    qs = StaffMember.objects.filter(roles__role__in=SPECIALIST_ROLES)
    if not include_departed:
        qs = qs.exclude(status=StaffMember.Status.DEPARTED)
    return (
        qs.select_related("office_county__region")
        .annotate(
            families=Count(
                "case_grants__case",
                filter=_carried_q("case_grants__"),
                distinct=True,
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def specialist_facts(staff: StaffMember) -> rules.SpecialistFacts:
    region = staff.office_county.region if staff.office_county else None
    return rules.SpecialistFacts(
        id=staff.pk,
        name=staff.full_name,
        status=staff.status,
        region_id=region.pk if region else None,
        region_name=region.name if region else "",
        families=staff.families,
    )


def case_facts(case: Case) -> rules.OversightCaseFacts:
    county = case.county
    region = county.region if county else None
    return rules.OversightCaseFacts(
        id=case.pk,
        county_name=county.name if county else "",
        region_id=region.pk if region else None,
        region_name=region.name if region else "",
    )


def current_oversight(case: Case) -> CaseAccessGrant | None:
    """O4: the case's current oversight grant (one specialist carries a family)."""
    return (
        CaseAccessGrant.objects.filter(case=case, purpose=OVERSIGHT, ends_on__isnull=True)
        .select_related("staff", "case")
        .order_by("pk")
        .first()
    )


def ranking_for(case: Case, *, leave_out=()) -> rules.OversightRanking:
    """O4: the active specialists ranked for `case`, each explained. The specialist who
    carries it now, and those in `leave_out` (ids), are left out: a reassignment looks
    for someone else."""
    qs = specialists()
    held = CaseAccessGrant.objects.filter(case=case, purpose=OVERSIGHT, ends_on__isnull=True)
    qs = qs.exclude(pk__in=held.values("staff_id")).exclude(pk__in=list(leave_out))
    case = Case.objects.select_related("county__region").get(pk=case.pk)
    return rules.rank_specialists(
        case_facts(case), [specialist_facts(s) for s in qs], capacity=capacity()
    )


def ranking_json(ranking: rules.OversightRanking) -> list[dict]:
    """The ranking as kept on a grant (CaseAccessGrant.ranking): plain JSON."""
    return [
        {
            "rank": r.rank,
            "staff": r.specialist.id,
            "name": r.specialist.name,
            "families": r.specialist.families,
            "capacity": r.capacity,
            "region": r.specialist.region_name,
            "same_region": r.same_region,
            "over_capacity": r.over_capacity,
            "explanation": r.explanation,
            **({"note": ranking.note} if ranking.note and r.rank == 1 else {}),
        }
        for r in ranking.ranked
    ]


def next_hearing_q():
    """The date and time of the case's next scheduled hearing, if any (SQL)."""
    upcoming = Hearing.objects.filter(
        case=OuterRef("pk"), status=Hearing.Status.SCHEDULED, scheduled_at__gte=now()
    ).order_by()
    return Subquery(upcoming.values("case").annotate(first=Min("scheduled_at")).values("first")[:1])


def families(specialist: StaffMember) -> QuerySet:
    """O4: the families `specialist` carries: the open cases of their current oversight
    grants, with the county, the current members (`current_members`, for the family
    name), the day the grant started (`granted_on`) and the next hearing
    (`next_hearing_at`). Two queries whatever their number."""
    grants = CaseAccessGrant.objects.filter(
        case=OuterRef("pk"), staff=specialist, purpose=OVERSIGHT, ends_on__isnull=True
    )
    members = Prefetch(
        "members",
        queryset=CaseMember.objects.filter(ends_on__isnull=True)
        .select_related("person")
        .only("case_id", "role", "person__first_name", "person__last_name")
        .order_by(ROLE_ORDER, "person__last_name", "person__first_name"),
        to_attr="current_members",
    )
    return (
        Case.objects.filter(Exists(grants))
        .exclude(status=Case.Status.CLOSED)
        .select_related("county", "agency")
        .prefetch_related(members)
        .annotate(
            next_hearing_at=next_hearing_q(),
            granted_on=Subquery(grants.values("starts_on")[:1]),
        )
        .order_by("case_number")
    )


def family_name(case: Case) -> str:
    """The family's name: its current members' last names (from `current_members`)."""
    names = dict.fromkeys(m.person.last_name for m in getattr(case, "current_members", []))
    return " / ".join(names) or case.case_number


def case_grants(case: Case) -> QuerySet:
    """O3, O4: the case's oversight and QA grants, current ones first, then by start."""
    return (
        CaseAccessGrant.objects.filter(case=case, purpose__in=MANUAL_PURPOSES)
        .select_related("staff", "granted_by")
        .order_by(F("ends_on").desc(nulls_first=True), "-starts_on", "-pk")
    )
