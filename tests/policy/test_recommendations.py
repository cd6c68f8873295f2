"""O1, O2, P1: the pure rules of recommendations and reviews (no database)."""

from datetime import date

from hearth.policy import recommendations as rules
from hearth.policy.recommendations import FindingIn, add_business_days, review_problems

FOUR = rules.O1_FINDINGS


def _findings(codes=FOUR, met=True, evidence=1, explanation=""):
    return [FindingIn(code=c, met=met, evidence=evidence, explanation=explanation) for c in codes]


def test_o1_o2_which_kinds_a_case_may_get():
    assert rules.kind_problem("closure", court_involved=False) is None
    assert rules.kind_problem("closure", court_involved=True) is None
    assert "O2" in rules.kind_problem("case_plan", court_involved=False)
    assert "O2" in rules.kind_problem("court_report", court_involved=False)
    assert rules.kind_problem("court_report", court_involved=True) is None
    assert rules.kind_problem("adoption", court_involved=True)


def test_o1_o2_the_findings_required():
    assert rules.required_findings("closure", court_involved=False) == FOUR
    assert rules.required_findings("closure", court_involved=True) == rules.O2_FINDINGS
    assert rules.required_findings("case_plan", court_involved=True) == rules.O2_FINDINGS
    assert rules.rule_of("closure", court_involved=False) == "O1"
    assert rules.rule_of("closure", court_involved=True) == "O2"


def test_o1_approval_needs_all_four_findings_yes():
    ok = review_problems(
        kind="closure", court_involved=False, decision="approved", findings=_findings(), reasons=""
    )
    assert ok.ok
    missing = review_problems(
        kind="closure",
        court_involved=False,
        decision="approved",
        findings=_findings(FOUR[:3]),
        reasons="",
    )
    assert set(missing.problems) == {"findings.best_interest"}
    one_no = _findings()
    one_no[1] = FindingIn(code=FOUR[1], met=False, evidence=1)
    refused = review_problems(
        kind="closure", court_involved=False, decision="approved", findings=one_no, reasons=""
    )
    assert "O1" in refused.problems["decision"] and "all four" in refused.problems["decision"]


def test_o1_each_finding_cites_evidence_or_explains():
    bare = review_problems(
        kind="closure",
        court_involved=False,
        decision="approved",
        findings=_findings(evidence=0),
        reasons="",
    )
    assert set(bare.problems) == {f"findings.{c}" for c in FOUR}
    explained = review_problems(
        kind="closure",
        court_involved=False,
        decision="approved",
        findings=_findings(evidence=0, explanation="Seen at the home visit of 3 June."),
        reasons="",
    )
    assert explained.ok


def test_o2_a_court_involved_review_has_two_findings():
    check = review_problems(
        kind="court_report",
        court_involved=True,
        decision="approved",
        findings=_findings(rules.O2_FINDINGS),
        reasons="",
    )
    assert check.ok
    extra = review_problems(
        kind="court_report",
        court_involved=True,
        decision="approved",
        findings=_findings(),
        reasons="",
    )
    assert "findings.aftercare" in extra.problems


def test_o1_a_return_needs_reasons_and_may_leave_findings_out():
    check = review_problems(
        kind="closure", court_involved=False, decision="returned", findings=[], reasons=""
    )
    assert "reasons" in check.problems
    check = review_problems(
        kind="closure",
        court_involved=False,
        decision="returned",
        findings=[],
        reasons="Aftercare is not arranged yet.",
    )
    assert check.ok


def test_p1_a_closure_says_why_the_family_no_longer_needs_protection():
    assert "P1" in rules.reasons_problem("closure", "")
    assert "P1" in rules.reasons_problem("closure", "Case is fine now.")
    long = "The parents completed the course and the children are safe and well cared for."
    assert rules.reasons_problem("closure", long) is None
    assert rules.reasons_problem("court_report", "Approve.") is None
    assert rules.reasons_problem("court_report", "  ")


def test_o1_the_review_is_due_in_business_days_over_weekends():
    friday = date(2026, 6, 12)
    assert add_business_days(friday, 5) == date(2026, 6, 19)
    monday = date(2026, 6, 15)
    assert add_business_days(monday, 5) == date(2026, 6, 22)
    wednesday = date(2026, 6, 17)
    assert add_business_days(wednesday, 5) == date(2026, 6, 24)
    saturday = date(2026, 6, 13)
    assert add_business_days(saturday, 1) == monday
    assert add_business_days(saturday, 5) == date(2026, 6, 19)
    assert add_business_days(friday, 0) == friday


def test_the_actions_each_status_allows():
    assert rules.action_problem("review", "submitted") is None
    assert rules.action_problem("review", "returned")
    assert rules.action_problem("resubmit", "returned") is None
    assert rules.action_problem("withdraw", "approved")
    assert rules.action_problem("present", "approved") is None
