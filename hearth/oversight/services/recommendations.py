"""Every write of the recommendations area (O1, O2, P1): the contractor submits a
recommendation (closure of any case; a case plan or a court report of a court-involved
case), its supervisor approves it first where the agency's settings say so, it is sent to
the state specialist overseeing the case, who records findings and approves or returns
it; a returned one is revised and submitted again as a new round; the contractor may
withdraw it; an approved case plan or court report is marked presented to the court.

One function per user action, in a transaction; a refusal raises DomainError naming the
field and stores nothing. Callers pass a recommendation (or a case) they have already
checked the actor may see (hearth.oversight.access); who may take each action is checked
here (the recommendation's reviewer, the capabilities of hearth.staff.permissions).
"""

from datetime import date

from django.db import transaction

from hearth.cases import events
from hearth.cases import services as case_services
from hearth.cases.models import Case, CaseAccessGrant
from hearth.contacts.models import ContactNote
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import lock, now, today, validated_save
from hearth.oversight import access
from hearth.oversight.models import (
    CourtReport,
    Finding,
    Hearing,
    Recommendation,
    RecommendationRound,
)
from hearth.oversight.services import caseloads
from hearth.planning.models import Assessment, CasePlan, SafetyPlan, ServiceReferral
from hearth.policy import recommendations as rules
from hearth.staff import access as staff_access

Status = Recommendation.Status

# The records a finding cites as its evidence (O1: notes, services, the safety plan,
# assessments; and the case plans), by the type named in Finding.evidence.
EVIDENCE_MODELS = {
    "contact_note": ContactNote,
    "service_referral": ServiceReferral,
    "safety_plan": SafetyPlan,
    "assessment": Assessment,
    "case_plan": CasePlan,
}


def _staff(actor):
    staff = staff_access.staff_for(actor)
    if staff is None:
        raise Forbidden()
    return staff


def _locked(recommendation: Recommendation, version: int | None) -> Recommendation:
    rec = lock(Recommendation, recommendation.pk)
    rec.check_version(version)
    return rec


def _allowed(rec: Recommendation, action: str) -> None:
    problem = rules.action_problem(action, rec.status)
    if problem:
        raise DomainError({"status": problem})


def _current_round(rec: Recommendation) -> RecommendationRound:
    return rec.rounds.select_for_update().order_by("-number").first()


def _save(rec: Recommendation, *, actor) -> None:
    rec.bump_version()
    validated_save(rec, actor=actor)


def _report_status(rec: Recommendation, status: str, *, actor) -> None:
    """O2: the court report follows its recommendation: submitted, back to a draft when
    returned or withdrawn, approved (with the day) when approved."""
    if rec.court_report_id is None:
        return
    report = lock(CourtReport, rec.court_report_id)
    report.status = status
    report.approved_on = today() if status == CourtReport.Status.APPROVED else None
    report.bump_version()
    validated_save(report, actor=actor)


def oversight_reviewer(case: Case, *, actor):
    """O4: the state specialist who reviews the case's recommendations: the staff of its
    current oversight grant, routed by the caseloads area when it has none."""
    grant = (
        CaseAccessGrant.objects.filter(
            case=case, purpose=CaseAccessGrant.Purpose.OVERSIGHT, ends_on__isnull=True
        )
        .select_related("staff")
        .order_by("-starts_on", "-id")
        .first()
    )
    if grant is None:
        grant = caseloads.ensure_routed(case, actor=actor)
    return grant.staff if grant is not None else None


def _send_to_state(rec: Recommendation, rnd: RecommendationRound, *, actor) -> None:
    """O1, O2: the round goes to the state: a closure moves the case to "closure
    recommended" (from then the state sees a non-court case's content, O1), the reviewer
    is the specialist overseeing the case (unchanged on a resubmission), due in the
    setting's business days."""
    case = rec.case
    if rec.kind == rules.CLOSURE and case.status == Case.Status.OPEN:
        case = case_services.case_change_status(
            actor=actor, case=case, status=Case.Status.CLOSURE_RECOMMENDED, by_recommendation=True
        )
        rec.case = case
    reviewer = rec.reviewer or oversight_reviewer(case, actor=actor)
    if reviewer is None:
        raise DomainError(
            {
                "reviewer": "No state oversight specialist is available to review it: ask the "
                "state oversight supervisor to assign the case."
            }
        )
    day = today()
    rec.reviewer = reviewer
    rec.status = Status.SUBMITTED
    rec.due_on = rules.add_business_days(
        day, case.agency.policy.recommendation_review_business_days
    )
    rnd.reviewer = reviewer
    rnd.sent_to_state_at = now()
    validated_save(rnd, actor=actor)
    _save(rec, actor=actor)
    events.recommendation_sent_to_state(rec, rnd, actor=actor, on=day)


def _submit_round(rec: Recommendation, rnd: RecommendationRound, *, actor) -> None:
    """The round goes to the contractor's supervisor first when the agency's setting says
    so (recommendation_supervisor_approval), else straight to the state."""
    events.recommendation_submitted(rec, rnd, actor=actor)
    if rec.kind == rules.COURT_REPORT:
        _report_status(rec, CourtReport.Status.SUBMITTED, actor=actor)
    if rec.case.agency.policy.recommendation_supervisor_approval:
        rec.status = Status.AWAITING_SUPERVISOR
        _save(rec, actor=actor)
        return
    _send_to_state(rec, rnd, actor=actor)


@transaction.atomic
def recommendation_submit(
    *,
    actor,
    case: Case,
    kind: str,
    reasons: str,
    plan: CasePlan | None = None,
    court_report: CourtReport | None = None,
) -> Recommendation:
    """O1, O2, P1: the contractor recommends a closure (any open case), a case plan or a
    court report (a court-involved case). A closure's reasons say why the family no
    longer needs protection and the parents can care for the child (P1). One pending
    recommendation of a kind per case. The caller checked the actor may edit the case."""
    staff = _staff(actor)
    case = lock(Case, case.pk)
    problems: dict[str, str] = {}
    problem = rules.kind_problem(kind, court_involved=case.court_involved)
    if problem:
        problems["kind"] = problem
    if case.is_closed:
        problems["case"] = "This case is closed."
    elif kind == rules.CLOSURE and case.status != Case.Status.OPEN:
        problems["case"] = "O1: a closure is recommended for an open case."
    problem = rules.reasons_problem(kind, reasons)
    if problem:
        problems["reasons"] = problem
    if kind == rules.CASE_PLAN:
        if plan is None or plan.case_id != case.pk:
            problems["plan"] = "Choose a case plan of this case."
    elif plan is not None:
        problems["plan"] = "Only a case plan recommendation names a plan."
    if kind == rules.COURT_REPORT:
        if court_report is None or court_report.case_id != case.pk:
            problems["court_report"] = "Choose a court report of this case."
        elif court_report.status != CourtReport.Status.DRAFT:
            problems["court_report"] = "Only a draft court report is submitted for review."
    elif court_report is not None:
        problems["court_report"] = "Only a court report recommendation names a report."
    if (
        "kind" not in problems
        and Recommendation.objects.filter(
            case=case, kind=kind, status__in=list(rules.PENDING)
        ).exists()
    ):
        problems["kind"] = "This case already has a pending recommendation of this kind."
    if problems:
        raise DomainError(problems)
    reasons = reasons.strip()
    rec = Recommendation(
        case=case,
        kind=kind,
        status=Status.AWAITING_SUPERVISOR,
        reasons=reasons,
        plan=plan,
        court_report=court_report,
        submitted_by=staff,
    )
    validated_save(rec, actor=actor)
    rnd = RecommendationRound(
        recommendation=rec,
        number=1,
        reasons=reasons,
        submitted_by=staff,
        submitted_at=now(),
    )
    validated_save(rnd, actor=actor)
    _submit_round(rec, rnd, actor=actor)
    return rec


@transaction.atomic
def recommendation_supervisor_approve(
    *, actor, recommendation: Recommendation, version: int | None
) -> Recommendation:
    """O1, O2: the contractor's supervisor (or program director) approves the round, which
    then goes to the state. The caller checked the actor may edit the case."""
    staff = _staff(actor)
    rec = _locked(recommendation, version)
    if not access.can_approve_recommendation(actor, rec.case):
        raise Forbidden()
    _allowed(rec, "supervisor_approve")
    rnd = _current_round(rec)
    rnd.supervisor_approved_by = staff
    rnd.supervisor_approved_at = now()
    validated_save(rnd, actor=actor)
    events.recommendation_supervisor_approved(rec, rnd, actor=actor)
    _send_to_state(rec, rnd, actor=actor)
    return rec


def _evidence(case: Case, refs: list[dict], field: str) -> list[dict]:
    """The cited records, each a {"type", "id"} of a record of this case; one query per
    type cited."""
    wanted: dict[str, set[int]] = {}
    for i, ref in enumerate(refs):
        kind, pk = ref.get("type"), ref.get("id")
        if kind not in EVIDENCE_MODELS:
            raise DomainError({f"{field}.{i}.type": f"Choose one of {', '.join(EVIDENCE_MODELS)}."})
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise DomainError({f"{field}.{i}.id": "Give the record's id."})
        wanted.setdefault(kind, set()).add(pk)
    found = {
        kind: set(
            EVIDENCE_MODELS[kind].objects.filter(case=case, pk__in=ids).values_list("pk", flat=True)
        )
        for kind, ids in wanted.items()
    }
    clean, seen = [], set()
    for i, ref in enumerate(refs):
        key = (ref["type"], ref["id"])
        if ref["id"] not in found[ref["type"]]:
            raise DomainError({f"{field}.{i}": "Not a record of this case."})
        if key not in seen:
            seen.add(key)
            clean.append({"type": ref["type"], "id": ref["id"]})
    return clean


@transaction.atomic
def recommendation_review(
    *,
    actor,
    recommendation: Recommendation,
    decision: str,
    findings: list[dict],
    reasons: str = "",
    version: int | None,
) -> Recommendation:
    """O1, O2: the reviewer records the round's findings (each yes or no with the evidence
    cited from the case's record: `evidence`, a list of {"type", "id"}, and an
    `explanation`) and approves it or returns it with reasons. Approving a closure closes
    the case (refused while a child's removal episode is open); approving a court report
    approves the report; returning sends it back to the contractor (a closure case stays
    "closure recommended")."""
    staff = _staff(actor)
    rec = _locked(recommendation, version)
    if not access.can_review_recommendation(actor, rec):
        raise Forbidden()
    _allowed(rec, "review")
    case = rec.case
    clean = []
    for f in findings:
        code = f.get("code")
        clean.append(
            {
                "code": code,
                "met": f.get("met"),
                "explanation": (f.get("explanation") or "").strip(),
                "evidence": _evidence(
                    case, list(f.get("evidence") or ()), f"findings.{code}.evidence"
                ),
            }
        )
    check = rules.review_problems(
        kind=rec.kind,
        court_involved=case.court_involved,
        decision=decision,
        findings=[
            rules.FindingIn(
                code=f["code"],
                met=f["met"],
                evidence=len(f["evidence"]),
                explanation=f["explanation"],
            )
            for f in clean
        ],
        reasons=reasons,
    )
    if not check.ok:
        raise DomainError(check.problems)
    rnd = _current_round(rec)
    for f in clean:
        validated_save(Finding(round=rnd, **f), actor=actor)
    rnd.decision = decision
    rnd.decided_by = staff
    rnd.decided_at = now()
    rnd.decision_reasons = (reasons or "").strip()
    validated_save(rnd, actor=actor)
    since = min(rec.due_on or today(), today())
    if decision == rules.APPROVE:
        rec.status = Status.APPROVED
        rec.decided_on = today()
        if rec.kind == rules.CLOSURE:
            # O1: the state's approval closes the case (the apps above refuse a closing
            # their facts forbid: a child still in care).
            case_services.case_change_status(
                actor=actor, case=case, status=Case.Status.CLOSED, closure_approved=True
            )
        elif rec.kind == rules.COURT_REPORT:
            _report_status(rec, CourtReport.Status.APPROVED, actor=actor)
    else:
        rec.status = Status.RETURNED
        if rec.kind == rules.COURT_REPORT:
            _report_status(rec, CourtReport.Status.DRAFT, actor=actor)
    _save(rec, actor=actor)
    events.recommendation_decided(rec, rnd, actor=actor, since=since)
    return rec


@transaction.atomic
def recommendation_resubmit(
    *, actor, recommendation: Recommendation, reasons: str, version: int | None
) -> Recommendation:
    """O1, O2, P1: a returned recommendation, revised, submitted again as a new round
    (through the supervisor when the setting says so); the reviewer stays the same. The
    caller checked the actor may edit the case."""
    staff = _staff(actor)
    rec = _locked(recommendation, version)
    _allowed(rec, "resubmit")
    problem = rules.reasons_problem(rec.kind, reasons)
    if problem:
        raise DomainError({"reasons": problem})
    previous = _current_round(rec)
    rec.reasons = reasons.strip()
    rnd = RecommendationRound(
        recommendation=rec,
        number=previous.number + 1,
        reasons=rec.reasons,
        submitted_by=staff,
        submitted_at=now(),
    )
    validated_save(rnd, actor=actor)
    _submit_round(rec, rnd, actor=actor)
    return rec


@transaction.atomic
def recommendation_withdraw(
    *, actor, recommendation: Recommendation, version: int | None
) -> Recommendation:
    """The contractor withdraws a pending recommendation: a closure's case goes back to
    open (O1), a court report back to a draft; a review still owed is no longer owed. The
    caller checked the actor may edit the case."""
    _staff(actor)
    rec = _locked(recommendation, version)
    _allowed(rec, "withdraw")
    rec.status = Status.WITHDRAWN
    if rec.kind == rules.CLOSURE and rec.case.status == Case.Status.CLOSURE_RECOMMENDED:
        case_services.case_change_status(
            actor=actor, case=rec.case, status=Case.Status.OPEN, by_recommendation=True
        )
    if rec.kind == rules.COURT_REPORT:
        _report_status(rec, CourtReport.Status.DRAFT, actor=actor)
    _save(rec, actor=actor)
    since = min(rec.due_on or today(), today())
    events.recommendation_withdrawn(rec, _current_round(rec), actor=actor, since=since)
    return rec


@transaction.atomic
def recommendation_mark_presented(
    *,
    actor,
    recommendation: Recommendation,
    hearing: Hearing,
    on: date,
    version: int | None,
) -> Recommendation:
    """O2: the state presents an approved case plan or court report to the court at a
    hearing of the case, on a day not in the future and not before its approval. By its
    reviewer or a holder of recommendation.review_any."""
    rec = _locked(recommendation, version)
    if not access.can_review_recommendation(actor, rec):
        raise Forbidden()
    problems: dict[str, str] = {}
    problem = rules.action_problem("present", rec.status)
    if problem or rec.kind not in rules.COURT_KINDS:
        problems["status"] = rules.ACTION_PROBLEMS["present"]
    if hearing is None or hearing.case_id != rec.case_id:
        problems["hearing"] = "Choose a hearing of this case."
    if on is None:
        problems["on"] = "Enter the date."
    elif on > today():
        problems["on"] = "A presentation cannot be in the future."
    elif rec.decided_on and on < rec.decided_on:
        problems["on"] = "It was presented after its approval."
    if problems:
        raise DomainError(problems)
    rec.presented_at = hearing
    rec.presented_on = on
    _save(rec, actor=actor)
    events.recommendation_presented(rec, actor=actor)
    return rec
