"""Reads for intake and assignment: the facts the rules of hearth.policy.assignment need,
gathered set-based (a fixed number of queries whatever the number of workers or cases),
the intake queue, recommendations, unit balance and reassignment proposals."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)

from hearth.cases import access as case_access
from hearth.cases.models import Assignment, Case
from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.intake.models import Allegation, Report, Rotation, Routing
from hearth.placements.models import RemovalEpisode
from hearth.policy import assignment as rules
from hearth.policy.settings import PolicySettings
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember, Unit
from hearth.staff.permissions import roles_with

ROUTED_UNIT_KINDS = (Unit.Kind.CASE_MANAGEMENT, Unit.Kind.CASE_MANAGEMENT_SUPPORT)


def _weight_expr(prefix: str, s: PolicySettings):
    """SQL for A2(a)'s case weight, by the complexity at `prefix`complexity."""
    return SqlCase(
        *(
            When(**{f"{prefix}complexity": level}, then=Value(pct / 100))
            for level, pct in zip((1, 2, 3, 4), s.case_weight_percent, strict=True)
        ),
        default=Value(1.0),
        output_field=FloatField(),
    )


def _out_of_home_q(prefix: str) -> Q:
    """A2(h): an out-of-home case: its type says so, or a child of it is in care now."""
    in_care = RemovalEpisode.objects.filter(
        case_id=OuterRef(f"{prefix}id" if prefix else "pk"), exited_on__isnull=True
    )
    return Q(**{f"{prefix}case_type": Case.Type.OUT_OF_HOME}) | Q(Exists(in_care))


def case_managers(agency_id: int, *, unit_id: int | None = None) -> QuerySet:
    """The case managers of an agency (or one unit) who are still with the agency."""
    qs = StaffMember.objects.filter(
        agency_id=agency_id, roles__role__in=roles_with("case.hold")
    ).exclude(status=StaffMember.Status.DEPARTED)
    return qs.filter(unit_id=unit_id) if unit_id else qs.filter(unit__isnull=False)


STAFF_COLUMNS = (
    "pk",
    "first_name",
    "last_name",
    "unit_id",
    "status",
    "experience_level",
    "supervision_level",
    "preservice_training_completed_on",
    "departed_on",
    "culture",
    "gender",
    "office_latitude",
    "office_longitude",
)


def _codes(through, workers: QuerySet, code_field: str) -> dict[int, frozenset[str]]:
    """Staff id -> the codes of their skills or languages, read from the link table."""
    codes: dict[int, set[str]] = {}
    chosen = workers.order_by().values("pk")
    for staff_id, code in through.objects.filter(staffmember_id__in=chosen).values_list(
        "staffmember_id", code_field
    ):
        codes.setdefault(staff_id, set()).add(code)
    return {k: frozenset(v) for k, v in codes.items()}


def worker_facts(
    workers: QuerySet, s: PolicySettings, *, profile: bool = True
) -> list[rules.WorkerFacts]:
    """The facts of each worker in `workers`, with what they hold now, read as plain rows:
    the workers, their current primary cases aggregated, and (with `profile`, what the
    ranking needs beyond loads) their skills and languages. Four queries at most, however
    many workers."""
    staff = list(workers.order_by("last_name", "id").values_list(*STAFF_COLUMNS))
    chosen = workers.order_by().values("pk")
    held = (
        Assignment.objects.filter(
            worker_id__in=chosen, ends_on__isnull=True, kind=Assignment.Kind.PRIMARY
        )
        .exclude(case__status=Case.Status.CLOSED)
        .values("worker_id")
        .annotate(
            n=Count("id"),
            load=Sum(_weight_expr("case__", s)),
            ooh=Count("id", filter=_out_of_home_q("case__")),
            high=Count("id", filter=Q(case__complexity__gte=rules.HIGH_NEED)),
        )
    )
    by_worker = {row["worker_id"]: row for row in held}
    skills = _codes(StaffMember.skills.through, workers, "skill__code") if profile else {}
    languages = _codes(StaffMember.languages.through, workers, "language__code") if profile else {}
    none: frozenset[str] = frozenset()
    facts = []
    for (
        pk,
        first,
        last,
        unit_id,
        status,
        exp,
        sup,
        trained,
        departed,
        culture,
        gender,
        lat,
        lon,
    ) in staff:
        row = by_worker.get(pk, {})
        facts.append(
            rules.WorkerFacts(
                id=pk,
                name=f"{first} {last}",
                unit_id=unit_id,
                status=status,
                experience=exp,
                supervision=sup,
                trained_on=trained,
                departed_on=departed,
                skills=skills.get(pk, none),
                languages=languages.get(pk, none),
                culture=culture,
                gender=gender,
                office=(float(lat), float(lon)) if lat is not None and lon is not None else None,
                open_cases=row.get("n", 0),
                weighted_load=round(row.get("load") or 0.0, 2),
                out_of_home_cases=row.get("ooh", 0),
                high_need_cases=row.get("high", 0),
            )
        )
    return facts


def previous_assignment(case: Case) -> Assignment | None:
    """A3: the last primary assignment of the closed case this one re-opens."""
    if case.prior_case_id is None:
        return None
    return (
        Assignment.objects.filter(case_id=case.prior_case_id, kind=Assignment.Kind.PRIMARY)
        .select_related("worker", "worker__unit", "unit")
        .order_by("-starts_on", "-id")
        .first()
    )


def closed_cases_of(agency_id: int, person_ids) -> QuerySet:
    """P1: the agency's closed cases of which any of these people was a member (a
    re-referral of the family may re-open one), the most recently closed first."""
    return (
        Case.objects.filter(
            agency_id=agency_id,
            status=Case.Status.CLOSED,
            members__person_id__in=list(person_ids),
        )
        .distinct()
        .order_by("-closed_on", "-id")
    )


def case_facts(case: Case, *, previous: Assignment | None = None) -> rules.CaseFacts:
    """The ranking's facts about one case (a few small queries); `previous`: the last
    assignment of the case it re-opens, when the caller has it already."""
    previous = previous or previous_assignment(case)
    in_care = case.pk is not None and case.episodes.filter(exited_on__isnull=True).exists()
    return _facts(
        case, in_care=in_care, previous_worker_id=previous.worker_id if previous else None
    )


def _facts(case: Case, *, in_care: bool, previous_worker_id: int | None = None):
    langs = sorted(case.languages.all(), key=lambda lang: lang.code)
    location = None
    if case.latitude is not None and case.longitude is not None:
        location = (float(case.latitude), float(case.longitude))
    elif case.county.latitude is not None and case.county.longitude is not None:
        location = (float(case.county.latitude), float(case.county.longitude))
    return rules.CaseFacts(
        id=case.pk,
        complexity=case.complexity,
        needs=frozenset(need for need in rules.NEED_SKILLS if getattr(case, need)),
        languages=frozenset(lang.code for lang in langs),
        language_names=tuple((lang.code, lang.name) for lang in langs),
        culture=case.culture,
        gender_preference=case.gender_preference,
        location=location,
        out_of_home=in_care or case.case_type == Case.Type.OUT_OF_HOME,
        previous_worker_id=previous_worker_id,
    )


@dataclass
class Recommendations:
    case: Case
    unit: Unit | None  # None: across the agency
    ranked: list[rules.Recommendation]
    top: rules.Recommendation | None
    weight: float


def recommend(case: Case, *, unit: Unit | None = None, agency_wide: bool = False):
    """A2, A3, A5: the case managers of `unit` (default: the case's unit), or of every unit
    of the agency, ranked for this case with their explanations. The worker who holds the
    case now is left out (a reassignment looks for someone else)."""
    s = case.agency.policy
    unit = None if agency_wide else (unit or case.unit)
    if unit is None and not agency_wide:
        return Recommendations(case, None, [], None, rules.case_weight(case.complexity, s))
    holder = case.assignments.filter(ends_on__isnull=True, kind=Assignment.Kind.PRIMARY)
    workers = case_managers(case.agency_id, unit_id=unit.pk if unit else None)
    previous = previous_assignment(case)
    if previous is not None:  # A3: listed even when they left, ineligible with the reason
        workers = StaffMember.objects.filter(
            Q(pk__in=workers.values("pk")) | Q(pk=previous.worker_id)
        )
    workers = workers.exclude(pk__in=holder.values("worker_id"))
    ranked = rules.rank_workers(
        case_facts(case, previous=previous), worker_facts(workers, s), today=today(), settings=s
    )
    return Recommendations(
        case, unit, ranked, rules.top_recommendation(ranked), rules.case_weight(case.complexity, s)
    )


def recommendations(*, viewer, case_id, unit_id=None, agency_wide=False) -> Recommendations:
    case = case_access.access_case(viewer, case_id)
    unit = staff_access.access_unit(viewer, unit_id) if unit_id else None
    if unit is not None and unit.agency_id != case.agency_id:
        raise DomainError({"unit": "This unit belongs to another agency."})
    return recommend(case, unit=unit, agency_wide=agency_wide)


# A1, A3, A4: routing -----------------------------------------------------------------


def unit_facts(agency, s: PolicySettings, *, leave_out=None) -> list[rules.UnitFacts]:
    """Each active case-management unit with its weighted load (open cases routed to it,
    but `leave_out`, the referral being routed) and its capacity (the capacities of its
    eligible case managers)."""
    units = list(
        Unit.objects.filter(agency=agency, active=True, kind__in=ROUTED_UNIT_KINDS).order_by(
            "name", "id"
        )
    )
    loads = dict(
        Case.objects.filter(agency=agency, unit__in=units)
        .exclude(status=Case.Status.CLOSED)
        .exclude(pk=leave_out)
        .values("unit_id")
        .annotate(load=Sum(_weight_expr("", s)))
        .values_list("unit_id", "load")
    )
    capacities: dict[int, float] = {}
    for w in worker_facts(case_managers(agency.pk), s, profile=False):
        if w.status == StaffMember.Status.ACTIVE:
            capacities[w.unit_id] = capacities.get(w.unit_id, 0.0) + rules.capacity(w, s)
    return [
        rules.UnitFacts(
            id=u.pk,
            name=u.name,
            kind=u.kind,
            weighted_load=round(loads.get(u.pk) or 0.0, 2),
            capacity=round(capacities.get(u.pk, 0.0), 1),
        )
        for u in units
    ]


def routing_facts(case: Case) -> rules.RoutingFacts:
    """A3: the unit a re-opened case goes back to: its previous case manager's unit when
    they are still here, else the unit that held the case before."""
    previous = previous_assignment(case)
    unit_id, name = None, ""
    if previous is not None:
        worker = previous.worker
        name = worker.full_name
        if worker.status != StaffMember.Status.DEPARTED and worker.unit_id:
            unit_id = worker.unit_id
        else:
            unit_id = previous.unit_id
    return rules.RoutingFacts(
        out_of_county=case.out_of_county,
        icpc=case.icpc,
        previous_unit_id=unit_id,
        previous_worker_name=name,
    )


def decide_routing(case: Case) -> rules.Routing:
    s = case.agency.policy
    rotation = Rotation.objects.filter(agency_id=case.agency_id).first()
    return rules.route(
        routing_facts(case),
        unit_facts(case.agency, s, leave_out=case.pk),
        strategy=s.unit_routing,
        last_unit_id=rotation.last_unit_id if rotation else None,
    )


def current_routing(case: Case) -> Routing | None:
    return case.routings.select_related("unit", "routed_by").first()


# The intake queue --------------------------------------------------------------------


def intake_queue(*, viewer) -> QuerySet:
    """Referrals without a case manager yet, oldest first, with their age in days and the
    unit and rule that routed them (two queries for any number of referrals)."""
    latest = Routing.objects.filter(case_id=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        case_access.visible_cases(viewer)
        .filter(status=Case.Status.REFERRED)
        .select_related("unit", "county", "prior_case")
        .annotate(
            routed_rule=Subquery(latest.values("rule")[:1]),
            routed_explanation=Subquery(latest.values("explanation")[:1]),
            children=Count("members", filter=Q(members__role="child", members__ends_on=None)),
        )
        .order_by("opened_on", "id")
    )


def age_days(case: Case, on: date | None = None) -> int:
    return ((on or today()) - case.opened_on).days


# Unit balance (A2 a, h; A5) ----------------------------------------------------------


@dataclass
class BalanceRow:
    worker: rules.WorkerFacts
    capacity: float
    share: int  # percent out-of-home
    cap: rules.Cap
    load_percent: int
    limits: tuple[rules.Limit, ...]


def unit_balance(*, viewer, unit_id) -> tuple[Unit, list[BalanceRow]]:
    unit = staff_access.access_unit(viewer, unit_id)
    s = unit.agency.policy
    on = today()
    rows = []
    for w in worker_facts(case_managers(unit.agency_id, unit_id=unit.pk), s):
        room = rules.capacity(w, s)
        rows.append(
            BalanceRow(
                worker=w,
                capacity=room,
                share=round(rules.out_of_home_share(w) * 100),
                cap=rules.new_worker_cap(w.trained_on, w.experience, on, s),
                load_percent=round(100 * w.weighted_load / room) if room else 0,
                limits=rules.hard_limits(w, rules.case_weight(2, s), on, s),
            )
        )
    return unit, rows


# A6: reassignment proposals ----------------------------------------------------------


@dataclass
class ProposedMove:
    case: Case
    worker_id: int | None
    score: float
    note: str


@dataclass
class Proposal:
    worker: StaffMember
    unit: Unit
    moves: list[ProposedMove]
    workers: list[rules.WorkerFacts]


def held_cases(worker: StaffMember) -> QuerySet:
    return (
        Case.objects.filter(
            assignments__worker=worker,
            assignments__ends_on__isnull=True,
            assignments__kind=Assignment.Kind.PRIMARY,
        )
        .exclude(status=Case.Status.CLOSED)
        .select_related("county", "agency")
        .prefetch_related("languages")
        .order_by("case_number")
    )


def propose_reassignment(*, viewer, worker_id, case_ids=None) -> Proposal:
    """A6: a distribution of a departing worker's cases (or the chosen ones) across the
    other case managers of their unit, for a viewer who may see that worker."""
    return proposal_for(staff_access.access_staff(viewer, worker_id), case_ids=case_ids)


def proposal_for(worker: StaffMember, *, case_ids=None) -> Proposal:
    """A6: the distribution SciPy's assignment solver finds (hearth.policy.assignment)."""
    if worker.unit_id is None:
        raise DomainError({"worker": "This worker has no unit to share the cases."})
    s = worker.agency.policy
    cases = list(held_cases(worker))
    if case_ids is not None:
        wanted = set(case_ids)
        cases = [c for c in cases if c.pk in wanted]
    in_care = set(
        RemovalEpisode.objects.filter(
            case__in=[c.pk for c in cases], exited_on__isnull=True
        ).values_list("case_id", flat=True)
    )
    facts = [_facts(c, in_care=c.pk in in_care) for c in cases]
    others = case_managers(worker.agency_id, unit_id=worker.unit_id).exclude(pk=worker.pk)
    workers = worker_facts(others, s)
    moves = rules.propose_distribution(facts, workers, today=today(), settings=s)
    by_id = {c.pk: c for c in cases}
    return Proposal(
        worker=worker,
        unit=worker.unit,
        moves=[ProposedMove(by_id[m.case_id], m.worker_id, m.score, m.note) for m in moves],
        workers=workers,
    )


@dataclass
class CaseReport:
    """A referral's report as pages and the API show it (issue 15)."""

    report: Report
    respond_by: datetime
    threats: list[tuple[str, str]]  # (code, label)
    allegations: list[Allegation]


def priority_hours(policy) -> dict[str, int]:
    """The hours within which a report of each response priority is answered (settings)."""
    return {
        Report.Priority.IMMEDIATE: policy.response_immediate_hours,
        Report.Priority.URGENT: policy.response_urgent_hours,
        Report.Priority.ROUTINE: policy.response_routine_hours,
    }


def respond_by(report: Report, policy) -> datetime:
    """When a report of its priority is answered: its time and the agency's hours."""
    hours = priority_hours(policy)[report.response_priority]
    return report.created_at + timedelta(hours=hours)


def case_report(case) -> CaseReport | None:
    """The report of a case the caller may see (checked by the caller), with its
    allegations, or None: two queries."""
    report = Report.objects.filter(case_id=case.pk).select_related("case__agency").first()
    if report is None:
        return None
    allegations = list(
        Allegation.objects.filter(case_id=case.pk).select_related("child", "alleged_perpetrator")
    )
    return CaseReport(
        report=report,
        respond_by=respond_by(report, report.case.agency.policy),
        threats=[(code, Report.Threat(code).label) for code in report.safety_threats],
        allegations=allegations,
    )


def report_history_sources(case) -> list[tuple]:
    """The report's and the allegations' history, for the case's history
    (hearth.cases.selectors.case_history's `more`)."""
    return [
        (Report.history.filter(case_id=case.pk), (), lambda r: "Report of the referral"),
        (
            Allegation.history.filter(case_id=case.pk),
            ("child",),
            lambda r: (
                f"Allegation of {r.get_maltreatment_type_display().lower()} ({r.child.full_name})"
            ),
        ),
    ]
