"""O1, O2, P1: the contractor's recommendations to the state and the state's review.

Plain data in, decisions out (no Django). The services (hearth.oversight.services.
recommendations) call these and raise the problems they return, naming the field.

- O1: a closure may be recommended for any case; the state's review of a non-court
  case's closure records four findings (reasonable efforts were made for the child to
  remain with the family; the safety threats are eliminated or mitigated; aftercare
  services are available; closing is in the child's best interest), each yes or no with
  the evidence cited from the record (at least one record, or an explanation); approval
  needs all four yes.
- O2: a case plan or a court report is recommended only for a court-involved case; the
  review of any recommendation of a court-involved case (its closure included) records
  reasonable efforts and best interest, both yes to approve.
- P1: a closure recommendation says why the family no longer needs protection and the
  parents can care for the child, in words of substance (at least CLOSURE_REASONS_MIN
  characters); a recommendation is returned with its reasons.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

CLOSURE, CASE_PLAN, COURT_REPORT = "closure", "case_plan", "court_report"
KINDS = (CLOSURE, CASE_PLAN, COURT_REPORT)
# O2: the recommendations only a court-involved case gets (the state presents them).
COURT_KINDS = frozenset({CASE_PLAN, COURT_REPORT})

REASONABLE_EFFORTS = "reasonable_efforts"
THREATS_MITIGATED = "threats_mitigated"
AFTERCARE = "aftercare"
BEST_INTEREST = "best_interest"
O1_FINDINGS = (REASONABLE_EFFORTS, THREATS_MITIGATED, AFTERCARE, BEST_INTEREST)
O2_FINDINGS = (REASONABLE_EFFORTS, BEST_INTEREST)

APPROVE, RETURN = "approved", "returned"
DECISIONS = (APPROVE, RETURN)

# P1: a closure's reasons are a statement of substance, not a word or two.
CLOSURE_REASONS_MIN = 60
RETURN_REASONS_MIN = 10

# What each action needs the recommendation's status to be.
AWAITING_SUPERVISOR, SUBMITTED, RETURNED, APPROVED, WITHDRAWN = (
    "awaiting_supervisor",
    "submitted",
    "returned",
    "approved",
    "withdrawn",
)
PENDING = frozenset({AWAITING_SUPERVISOR, SUBMITTED, RETURNED})
ACTION_STATUSES: dict[str, frozenset[str]] = {
    "supervisor_approve": frozenset({AWAITING_SUPERVISOR}),
    "review": frozenset({SUBMITTED}),
    "resubmit": frozenset({RETURNED}),
    "withdraw": PENDING,
    "present": frozenset({APPROVED}),
}
ACTION_PROBLEMS = {
    "supervisor_approve": "Only a recommendation awaiting the supervisor's approval is approved.",
    "review": "Only a recommendation submitted to the state is reviewed.",
    "resubmit": "Only a returned recommendation is revised and submitted again.",
    "withdraw": "Only a pending recommendation is withdrawn.",
    "present": "Only an approved case plan or court report is presented to the court (O2).",
}


@dataclass(frozen=True)
class FindingIn:
    """One finding as the reviewer recorded it: `evidence` counts the records cited."""

    code: str
    met: bool | None
    evidence: int = 0
    explanation: str = ""


@dataclass
class ReviewCheck:
    """The problems of a review, by field (empty: the review may be recorded)."""

    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def kind_problem(kind: str, *, court_involved: bool) -> str | None:
    """O1, O2: a closure for any case; a case plan or a court report for a court-involved
    case only."""
    if kind not in KINDS:
        return "Choose closure, case plan or court report."
    if kind in COURT_KINDS and not court_involved:
        return "O2: a case plan or court report is recommended only for a court-involved case."
    return None


def required_findings(kind: str, *, court_involved: bool) -> tuple[str, ...]:
    """O1: the four findings of a non-court case's closure; O2: reasonable efforts and
    best interest for every recommendation of a court-involved case."""
    if court_involved:
        return O2_FINDINGS
    if kind == CLOSURE:
        return O1_FINDINGS
    return ()


def rule_of(kind: str, *, court_involved: bool) -> str:
    """The rule a review answers to: O1 for a non-court closure, O2 otherwise."""
    return "O2" if court_involved or kind != CLOSURE else "O1"


def reasons_problem(kind: str, reasons: str) -> str | None:
    """P1: a closure recommendation says why the family no longer needs protection and the
    parents can care for the child, in CLOSURE_REASONS_MIN characters at least; O2: a
    plan's or report's recommendation says what is recommended."""
    text = " ".join((reasons or "").split())
    if not text:
        if kind == CLOSURE:
            return (
                "P1: say why the family no longer needs protection and the parents can care "
                "for the child."
            )
        return "Say what you recommend to the court."
    if kind == CLOSURE and len(text) < CLOSURE_REASONS_MIN:
        return (
            f"P1: explain in at least {CLOSURE_REASONS_MIN} characters why the family no "
            "longer needs protection and the parents can care for the child."
        )
    return None


def return_reasons_problem(reasons: str) -> str | None:
    """O1: the reviewer returns a recommendation with its reasons."""
    text = " ".join((reasons or "").split())
    if len(text) < RETURN_REASONS_MIN:
        return "O1: say why the recommendation is returned and what to revise."
    return None


def action_problem(action: str, status: str) -> str | None:
    """Why the recommendation, in `status`, may not take `action` (None: it may)."""
    if status not in ACTION_STATUSES[action]:
        return ACTION_PROBLEMS[action]
    return None


def review_problems(
    *,
    kind: str,
    court_involved: bool,
    decision: str,
    findings: list[FindingIn],
    reasons: str,
) -> ReviewCheck:
    """O1, O2: the review's findings and decision. Each required finding is recorded yes or
    no, with evidence (a record cited, or an explanation); approval needs every required
    finding yes (O1: all four; O2: both); a return needs its reasons. A finding not
    required for this recommendation is refused. On a return the findings may be partial
    (each one given is still checked)."""
    check = ReviewCheck()
    p = check.problems
    if decision not in DECISIONS:
        p["decision"] = "Choose approve or return."
        return check
    required = required_findings(kind, court_involved=court_involved)
    seen: set[str] = set()
    for f in findings:
        key = f"findings.{f.code}"
        if f.code not in required:
            p[key] = "This finding is not one of this review's findings."
            continue
        if f.code in seen:
            p[key] = "Record each finding once."
            continue
        seen.add(f.code)
        if f.met is None:
            p[key] = "Answer yes or no."
        elif f.evidence < 1 and not " ".join((f.explanation or "").split()):
            p[key] = "Cite the evidence: a record of the case, or an explanation."
    if decision == APPROVE:
        rule = rule_of(kind, court_involved=court_involved)
        for code in required:
            key = f"findings.{code}"
            if key in p:
                continue
            if code not in seen:
                p[key] = f"{rule}: record this finding before approving."
        by_code = {f.code: f for f in findings if f.code in seen}
        if not p and any(by_code[c].met is not True for c in required):
            p["decision"] = (
                f"{rule}: approval needs every finding to be yes"
                f"{' (all four)' if rule == 'O1' else ''}; return the recommendation instead."
            )
    else:
        problem = return_reasons_problem(reasons)
        if problem:
            p["reasons"] = problem
    return check


def add_business_days(day: date, n: int) -> date:
    """O1, O2: the day `n` business days after `day` (Saturdays and Sundays skipped): a
    review's due date (the setting recommendation_review_business_days). A weekend
    submission counts from the next Monday."""
    current = day
    left = n
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
