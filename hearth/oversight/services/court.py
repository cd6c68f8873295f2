"""Every write of the court area (O2): hearings scheduled, moved, continued, cancelled and
held (outcome, orders, the reasonable-efforts and best-interest findings, who attended
for the state, the next hearing), and court reports generated from the record as drafts
and edited. One function per user action, in a transaction; a refusal raises DomainError
naming the field and stores nothing. The rules are hearth.policy.court's.

Callers pass a case they have already checked the actor may change
(hearth.oversight.access.hearing_case for hearings, hearth.cases.access for reports).
Approval of a report is the recommendations area's (a Recommendation of kind
court_report); the PDF of an approved report is hearth.oversight.documents'.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from hearth.cases import events
from hearth.cases.models import Case
from hearth.core.errors import DomainError
from hearth.core.services import apply_changes, lock, now, today, validated_save
from hearth.oversight.models import CourtReport, Hearing
from hearth.oversight.selectors import court as selectors
from hearth.policy import court as rules
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember
from hearth.staff.permissions import is_state_staff

HEARING_FIELDS = {
    "child",
    "type",
    "scheduled_at",
    "court",
    "judge",
    "state_attendee",
    "state_testifies",
}


def _check_hearing(case: Case, *, child, type: str) -> None:
    """O2: court-involved case, a child of the case, a known type."""
    problems = rules.hearing_problems(
        court_involved=case.court_involved,
        child_id=child.pk if child is not None else None,
        children=[c.pk for c in selectors.case_children(case)],
    )
    if type not in Hearing.Type.values:
        problems["type"] = "Choose the hearing's type."
    if problems:
        raise DomainError(problems)


def _check_attendee(attendee: StaffMember | None) -> None:
    """O2: who attends for the state is a state staff member."""
    if attendee is not None and not is_state_staff(attendee):
        raise DomainError({"state_attendee": "Name a member of the state's oversight staff."})


def _staff(actor) -> StaffMember:
    staff = staff_access.staff_for(actor)
    if staff is None:
        raise DomainError({"__all__": "Only staff record hearings."})
    return staff


def _open_case(case: Case) -> Case:
    case = lock(Case, case.pk)
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    return case


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@transaction.atomic
def hearing_schedule(
    *,
    actor,
    case: Case,
    type: str,
    scheduled_at: datetime,
    court: str,
    child=None,
    judge: str = "",
    state_attendee: StaffMember | None = None,
    state_testifies: bool = False,
    next_of: int | None = None,
) -> Hearing:
    """O2: schedule a hearing of a court-involved case (about one of its children, or all
    of them); it falls due in the worker's and the specialist's due lists on its day."""
    case = _open_case(case)
    _check_hearing(case, child=child, type=type)
    _check_attendee(state_attendee)
    if scheduled_at is None:
        raise DomainError({"scheduled_at": "Enter the hearing's date and time."})
    hearing = Hearing(
        case=case,
        child=child,
        type=type,
        scheduled_at=scheduled_at,
        court=(court or "").strip(),
        judge=(judge or "").strip(),
        state_attendee=state_attendee,
        state_testifies=bool(state_testifies),
        recorded_by=_staff(actor),
    )
    validated_save(hearing, actor=actor)
    events.hearing_scheduled(hearing, actor=actor, next_of=next_of)
    return hearing


@transaction.atomic
def hearing_update(
    *, actor, hearing: Hearing, version: int | None, change: str = "edit", **changes
) -> Hearing:
    """O2: a scheduled hearing edited or moved (`change` "edit"), continued to a new date
    and time ("continue": this one is kept as continued and a hearing of the same type is
    scheduled at `scheduled_at`), or cancelled ("cancel"). Only a scheduled hearing
    changes; `version` is the one the caller read."""
    hearing = lock(Hearing, hearing.pk)
    hearing.check_version(version)
    case = _open_case(hearing.case)
    hearing.case = case
    problems = rules.can_change_schedule(hearing.status)
    if change not in ("edit", "continue", "cancel"):
        problems["change"] = "Choose edit, continue or cancel."
    if problems:
        raise DomainError(problems)
    old_day = _day(hearing.scheduled_at)
    if change == "cancel":
        if changes:
            raise DomainError(dict.fromkeys(changes, "A cancelled hearing keeps its details."))
        hearing.status = Hearing.Status.CANCELLED
        diff = {"status": [Hearing.Status.SCHEDULED, Hearing.Status.CANCELLED]}
    elif change == "continue":
        moved_to = changes.pop("scheduled_at", None)
        if moved_to is None:
            raise DomainError({"scheduled_at": "Enter the date and time it is continued to."})
        if moved_to <= hearing.scheduled_at:
            raise DomainError({"scheduled_at": "A continued hearing moves to a later time."})
        unknown = sorted(set(changes) - {"court", "judge"})
        if unknown:
            raise DomainError(dict.fromkeys(unknown, "Edit the new hearing once it is scheduled."))
        hearing.status = Hearing.Status.CONTINUED
        diff = {"status": [Hearing.Status.SCHEDULED, Hearing.Status.CONTINUED]}
    else:
        diff = apply_changes(hearing, changes, editable=HEARING_FIELDS)
        _check_hearing(case, child=hearing.child, type=hearing.type)
        _check_attendee(hearing.state_attendee)
        hearing.court = (hearing.court or "").strip()
        hearing.judge = (hearing.judge or "").strip()
    if not diff:
        return hearing
    hearing.bump_version()
    validated_save(hearing, actor=actor)
    events.hearing_changed(hearing, actor=actor, change=change, since=old_day, changes=_plain(diff))
    if change == "continue":
        hearing.continued_to = hearing_schedule(
            actor=actor,
            case=case,
            type=hearing.type,
            scheduled_at=moved_to,
            court=changes.get("court", hearing.court),
            child=hearing.child,
            judge=changes.get("judge", hearing.judge),
            state_attendee=hearing.state_attendee,
            state_testifies=hearing.state_testifies,
            next_of=hearing.pk,
        )
    return hearing


def _plain(diff: dict) -> dict:
    return {
        k: [v.isoformat() if isinstance(v, datetime) else v for v in pair]
        for k, pair in diff.items()
    }


@transaction.atomic
def hearing_record_outcome(
    *,
    actor,
    hearing: Hearing,
    version: int | None,
    outcome: str,
    orders: str = "",
    reasonable_efforts_finding: str = "",
    best_interest_finding: str = "",
    state_attendee: StaffMember | None = None,
    state_testifies: bool = False,
    next_hearing_at: datetime | None = None,
    next_hearing_type: str | None = None,
) -> Hearing:
    """O2: once the hearing's time has passed, record what the court decided: the outcome,
    its orders, its reasonable-efforts and best-interest findings, who attended for the
    state and whether they testified. The hearing is then held (once). A next hearing
    date schedules that hearing (of `next_hearing_type`, else the next step of the
    court's process: hearth.policy.court.next_hearing_type)."""
    hearing = lock(Hearing, hearing.pk)
    hearing.check_version(version)
    case = _open_case(hearing.case)
    hearing.case = case
    problems = rules.outcome_problems(
        status=hearing.status,
        scheduled_at=hearing.scheduled_at,
        now=now(),
        outcome=outcome,
        reasonable_efforts=reasonable_efforts_finding,
        best_interest=best_interest_finding,
        next_hearing_at=next_hearing_at,
    )
    if next_hearing_type is not None and next_hearing_type not in Hearing.Type.values:
        problems["next_hearing_type"] = "Choose the next hearing's type."
    if problems:
        raise DomainError(problems)
    _check_attendee(state_attendee)
    hearing.status = Hearing.Status.HELD
    hearing.outcome = outcome.strip()
    hearing.orders = (orders or "").strip()
    hearing.reasonable_efforts_finding = reasonable_efforts_finding
    hearing.best_interest_finding = best_interest_finding
    hearing.state_attendee = state_attendee
    hearing.state_testifies = bool(state_testifies) and state_attendee is not None
    hearing.next_hearing_at = next_hearing_at
    hearing.bump_version()
    validated_save(hearing, actor=actor)
    following = None
    if next_hearing_at is not None:
        following = hearing_schedule(
            actor=actor,
            case=case,
            type=rules.next_hearing_type(hearing.type, next_hearing_type),
            scheduled_at=next_hearing_at,
            court=hearing.court,
            child=hearing.child,
            judge=hearing.judge,
            next_of=hearing.pk,
        )
    events.hearing_held(hearing, actor=actor, next_hearing=following)
    hearing.next_hearing = following
    return hearing


# Court reports ------------------------------------------------------------------------------


@transaction.atomic
def court_report_generate(
    *,
    actor,
    case: Case,
    period_start: date,
    period_end: date,
    hearing: Hearing | None = None,
) -> CourtReport:
    """O2: a court report of a court-involved case for the period (ended, in order),
    written from the record as an editable draft: the family, placements and moves,
    contacts, family visits, case plan progress, services, assessment results, and a
    recommendation for the worker to write. `hearing`: the case's hearing it is for."""
    case = _open_case(case)
    problems = {}
    if not case.court_involved:
        problems["case"] = "O2: court reports are prepared only for court-involved cases."
    if hearing is not None and hearing.case_id != case.pk:
        problems["hearing"] = "This hearing is not one of this case's."
    problems |= rules.period_problems(period_start, period_end, today())
    if problems:
        raise DomainError(problems)
    facts = selectors.report_facts(case, period_start, period_end, today=today())
    report = CourtReport(
        case=case,
        hearing=hearing,
        period_start=period_start,
        period_end=period_end,
        sections=rules.report_sections(facts),
        prepared_by=_staff(actor),
    )
    validated_save(report, actor=actor)
    events.court_report_generated(report, actor=actor)
    return report


def _editable(report: CourtReport, version: int | None) -> CourtReport:
    report = lock(CourtReport, report.pk)
    report.check_version(version)
    problems = rules.report_editable(report.status)
    if problems:
        raise DomainError(problems)
    return report


@transaction.atomic
def court_report_update(
    *, actor, report: CourtReport, version: int | None, sections: dict[str, str]
) -> CourtReport:
    """O2: edit a draft's sections (those given; the others are kept). A report submitted
    for review or approved is not edited."""
    report = _editable(report, version)
    problems = rules.sections_problems(sections)
    if problems:
        raise DomainError(problems)
    changed = sorted(k for k, v in sections.items() if report.sections.get(k) != v)
    if not changed:
        return report
    report.sections = {**report.sections, **{k: sections[k] for k in changed}}
    report.bump_version()
    validated_save(report, actor=actor)
    events.court_report_edited(report, actor=actor, sections=changed)
    return report


@transaction.atomic
def court_report_regenerate(*, actor, report: CourtReport, version: int | None) -> CourtReport:
    """O2: write a draft's generated sections again from the record as it is now (the
    worker's recommendation is kept)."""
    report = _editable(report, version)
    facts = selectors.report_facts(
        report.case, report.period_start, report.period_end, today=today()
    )
    fresh = rules.report_sections(facts)
    fresh["recommendation"] = report.sections.get("recommendation", fresh["recommendation"])
    report.sections = fresh
    report.bump_version()
    validated_save(report, actor=actor)
    events.court_report_generated(report, actor=actor, regenerated=True)
    return report
