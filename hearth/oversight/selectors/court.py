"""O2: reading hearings and court reports, and the record a court report is written from.

Every read takes the viewer or a case the caller has already checked (hearth.cases.access);
a hearing or report of a case the viewer cannot see answers like a missing one. The
report's facts are read set-based: a fixed number of queries per section, whatever the
number of notes, visits, placements or referrals."""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from hearth.cases import access as case_access
from hearth.cases.models import CaseAccessGrant, CaseMember
from hearth.contacts.models import ContactNote
from hearth.core.errors import NotFound
from hearth.oversight.models import CourtReport, Hearing
from hearth.placements.models import Placement, RemovalEpisode
from hearth.planning.models import ProgressReport, ServiceReferral
from hearth.planning.selectors import assessments as assessment_selectors
from hearth.planning.selectors import plans as plan_selectors
from hearth.policy import court as rules
from hearth.staff.access import staff_for
from hearth.staff.models import StaffMember
from hearth.staff.permissions import is_state_staff
from hearth.visitation.models import FamilyVisit

CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)
TOP_NEEDS = 3


def _hearings() -> QuerySet:
    return Hearing.objects.select_related("case", "child", "state_attendee", "recorded_by")


def case_hearings(case) -> QuerySet:
    """O2: the case's hearings, by time."""
    return _hearings().filter(case=case).order_by("scheduled_at", "id")


def hearing(viewer, pk) -> Hearing:
    """A hearing of a case the viewer sees, else NotFound."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = _hearings().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    found.case = case_access.access_case(viewer, found.case_id)
    return found


def case_children(case) -> list:
    """The people the case's hearings can be about: its current child members."""
    return [
        m.person
        for m in CaseMember.objects.filter(case=case, role__in=CHILD_ROLES, ends_on__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    ]


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The agency's local midnight of `start` and of the day after `end`."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def hearings_between(*, viewer, start, end) -> list:
    """The scheduled hearings from `start` to `end` (dates, inclusive) of the cases the
    viewer oversees (a state specialist: their granted cases) or holds (a case manager),
    by time."""
    staff = staff_for(viewer)
    if staff is None:
        return []
    granted = CaseAccessGrant.objects.filter(
        staff=staff, purpose=CaseAccessGrant.Purpose.OVERSIGHT, ends_on__isnull=True
    ).values("case_id")
    held = case_access.held_cases(viewer).values("pk")
    since, until = _day_bounds(start, end)
    return list(
        _hearings()
        .filter(Q(case_id__in=granted) | Q(case_id__in=held))
        .filter(
            case__in=case_access.visible_cases(viewer),
            status=Hearing.Status.SCHEDULED,
            scheduled_at__gte=since,
            scheduled_at__lt=until,
        )
        .order_by("scheduled_at", "id")
    )


def oversight_staff_id(case) -> int | None:
    """The staff member of the case's current oversight grant (the specialist), if any."""
    return (
        CaseAccessGrant.objects.filter(
            case=case, purpose=CaseAccessGrant.Purpose.OVERSIGHT, ends_on__isnull=True
        )
        .order_by("-starts_on", "-id")
        .values_list("staff_id", flat=True)
        .first()
    )


# Court reports ------------------------------------------------------------------------------


def case_reports(case) -> QuerySet:
    return (
        CourtReport.objects.filter(case=case)
        .select_related("hearing", "prepared_by")
        .order_by("-period_end", "-id")
    )


def report(viewer, pk, *, for_edit: bool = False) -> CourtReport:
    """A court report of a case the viewer sees (and, `for_edit`, may change), else
    NotFound (Forbidden when seen but not changeable)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = CourtReport.objects.select_related("hearing", "prepared_by").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    found.case = case_access.access_case(viewer, found.case_id, for_edit=for_edit)
    return found


def sections_in_order(record: CourtReport) -> list[tuple[str, str, str]]:
    """(code, title, text) of each section, in the report's order."""
    return [(code, title, record.sections.get(code, "")) for code, title in rules.SECTIONS]


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def report_facts(case, start: date, end: date, *, today: date) -> rules.ReportFacts:
    """O2: what the record says of the family in the period, as plain facts for
    hearth.policy.court.report_sections. About a dozen queries, whatever the record's size."""
    facts = rules.ReportFacts(start=start, end=end)
    in_period = Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    facts.members = [
        rules.Member(m.person.full_name, m.get_role_display(), m.in_household)
        for m in CaseMember.objects.filter(in_period, case=case)
        .select_related("person")
        .order_by("role", "person__last_name", "person__first_name", "id")
    ]
    facts.removals = [
        rules.RemovalFact(e.child.full_name, e.removed_on, e.exited_on)
        for e in RemovalEpisode.objects.filter(case=case, removed_on__lte=end)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=start))
        .select_related("child")
        .order_by("removed_on", "id")
    ]
    facts.placements = [
        rules.PlacementFact(
            p.child.full_name,
            p.get_setting_display(),
            p.home.name if p.home_id else (p.provider_name or p.city),
            p.starts_on,
            p.ends_on,
            p.move_reason,
        )
        for p in Placement.objects.filter(in_period, episode__case=case)
        .select_related("child", "home")
        .order_by("child__last_name", "child__first_name", "child_id", "starts_on", "id")
    ]
    since, until = _day_bounds(start, end)
    notes = ContactNote.objects.filter(
        case=case,
        status=ContactNote.Status.FINAL,
        occurred_at__gte=since,
        occurred_at__lt=until,
    )
    methods = dict(ContactNote.Method.choices)
    Through = ContactNote.contact_with.through
    facts.contacts = [
        rules.ContactFact(
            note_id, f"{first} {last}".strip(), methods.get(method, method), _local_day(at)
        )
        for note_id, first, last, method, at in Through.objects.filter(
            contactnote__in=notes.filter(kind=ContactNote.Kind.CONTACT)
        )
        .order_by("person__last_name", "person__first_name", "contactnote__occurred_at")
        .values_list(
            "contactnote_id",
            "person__first_name",
            "person__last_name",
            "contactnote__method",
            "contactnote__occurred_at",
        )
    ]
    facts.locate_efforts = notes.filter(kind=ContactNote.Kind.LOCATE).count()
    facts.visits = [
        rules.VisitFact(v.child.full_name, v.status, v.visit_on)
        for v in FamilyVisit.objects.filter(case=case, visit_on__range=(start, end))
        .select_related("child")
        .order_by("child__last_name", "child__first_name", "child_id", "visit_on", "id")
    ]
    plan = plan_selectors.current_plan(case)
    if plan is not None:
        view = plan_selectors.plan_view(plan, today=today)
        facts.plan_number = plan.number
        facts.plan_status = plan.get_status_display()
        states = {r.step.pk: r.state for r in view.steps}
        facts.steps = [
            rules.StepFact(g.statement, s.what, s.due_on, states[s.pk])
            for g in view.goals
            for o in g.objectives.all()
            for s in o.steps.all()
        ]
    facts.services = _services(case, start, end)
    facts.assessments = _assessments(case)
    return facts


def _services(case, start: date, end: date) -> list[rules.ServiceFact]:
    """The referrals open at some time in the period, with the latest progress report
    made in it (two queries)."""
    referrals = (
        ServiceReferral.objects.filter(case=case, referred_on__lte=end)
        .exclude(status__in=["completed", "ended_early"], status_on__lt=start)
        .select_related("person", "provider", "service")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(reported_on__range=(start, end)).order_by(
                    "-reported_on", "-id"
                ),
                to_attr="period_reports",
            )
        )
        .order_by("referred_on", "id")
    )
    out = []
    for r in referrals:
        latest = r.period_reports[0] if r.period_reports else None
        out.append(
            rules.ServiceFact(
                person=r.person.full_name,
                service=r.service.name,
                provider=r.provider.name,
                status=r.get_status_display(),
                referred_on=r.referred_on,
                progress=latest.get_progress_display() if latest else "",
                reported_on=latest.reported_on if latest else None,
            )
        )
    return out


def _assessments(case) -> list[rules.AssessmentFact]:
    """The latest assessment per instrument and subject, with its top needs (the highest
    rated actionable ones): two queries."""
    needs: dict[int, list] = {}
    for rating in assessment_selectors.actionable_needs(case).order_by(
        "-score", "item__order", "id"
    ):
        needs.setdefault(rating.assessment_id, []).append(rating.item.text)
    return [
        rules.AssessmentFact(
            instrument=a.instrument.name,
            subject=a.subject.full_name if a.subject_id else "the family",
            assessed_on=a.assessed_on,
            risk=a.get_risk_level_display() if a.risk_level else "",
            top_needs=tuple(needs.get(a.pk, [])[:TOP_NEEDS]),
        )
        for a in assessment_selectors.latest_assessments(case)
        .exclude(instrument__kind="fidelity")
        .order_by("-assessed_on", "instrument__name", "id")
    ]


def state_attendees(case, viewer) -> list:
    """Who may be named as attending for the state on the pages: the staff overseeing the
    case, and the viewer when they are state staff (the API takes any state staff id)."""
    granted = CaseAccessGrant.objects.filter(
        case=case, purpose=CaseAccessGrant.Purpose.OVERSIGHT, ends_on__isnull=True
    ).values("staff_id")
    staff = staff_for(viewer)
    q = Q(pk__in=granted)
    if is_state_staff(staff):
        q |= Q(pk=staff.pk)
    return list(StaffMember.objects.filter(q).order_by("last_name", "first_name", "id"))
