"""O2: the court rules, without a database."""

from datetime import UTC, date, datetime, timedelta

from hearth.policy import court as rules

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
DAY = date(2026, 6, 15)


def test_o2_hearing_only_for_a_court_involved_case():
    assert rules.hearing_problems(court_involved=True, child_id=None, children=[1]) == {}
    assert "case" in rules.hearing_problems(court_involved=False, child_id=None, children=[])


def test_o2_hearing_child_is_a_child_of_the_case():
    assert rules.hearing_problems(court_involved=True, child_id=1, children=[1, 2]) == {}
    assert set(rules.hearing_problems(court_involved=True, child_id=3, children=[1])) == {"child"}


def _outcome(**kw):
    args = dict(
        status="scheduled",
        scheduled_at=NOW - timedelta(hours=1),
        now=NOW,
        outcome="Held",
        reasonable_efforts="made",
        best_interest="made",
        next_hearing_at=None,
    )
    return rules.outcome_problems(**(args | kw))


def test_o2_outcome_only_once_the_hearing_time_has_passed():
    assert _outcome() == {}
    assert set(_outcome(scheduled_at=NOW + timedelta(minutes=5))) == {"scheduled_at"}
    assert set(_outcome(status="held")) == {"status"}
    assert set(_outcome(status="cancelled")) == {"status"}
    assert set(_outcome(outcome="  ")) == {"outcome"}


def test_o2_findings_are_found_not_found_or_not_addressed():
    assert _outcome(reasonable_efforts="", best_interest="not_made") == {}
    assert set(_outcome(reasonable_efforts="maybe")) == {"reasonable_efforts_finding"}
    assert rules.findings_gaps("made", "made") == []
    assert rules.findings_gaps("not_made", "") == [
        "The court did not find reasonable efforts.",
        "The court did not address best interest.",
    ]


def test_o2_next_hearing_after_this_one():
    assert set(_outcome(next_hearing_at=NOW - timedelta(hours=2))) == {"next_hearing_at"}
    assert _outcome(next_hearing_at=NOW + timedelta(days=90)) == {}
    assert rules.next_hearing_type("shelter") == "adjudication"
    assert rules.next_hearing_type("adjudication") == "disposition"
    assert rules.next_hearing_type("disposition") == "review"
    assert rules.next_hearing_type("review", "permanency") == "permanency"


def test_o2_only_a_scheduled_hearing_changes():
    assert rules.can_change_schedule("scheduled") == {}
    for status in ("held", "continued", "cancelled"):
        assert set(rules.can_change_schedule(status)) == {"status"}


def test_o2_report_period_in_order_and_not_in_the_future():
    assert rules.period_problems(DAY - timedelta(days=30), DAY, DAY) == {}
    assert set(rules.period_problems(DAY, DAY - timedelta(days=1), DAY)) == {"period_end"}
    assert set(rules.period_problems(DAY, DAY + timedelta(days=1), DAY)) == {"period_end"}
    assert set(rules.period_problems(None, None, DAY)) == {"period_start", "period_end"}


def test_o2_report_editable_only_as_a_draft():
    assert rules.report_editable("draft") == {}
    assert set(rules.report_editable("submitted")) == {"status"}
    assert set(rules.report_editable("approved")) == {"status"}


def test_o2_report_sections_known_and_bounded():
    assert rules.sections_problems({"family": "x", "recommendation": "y"}) == {}
    assert set(rules.sections_problems({"other": "x"})) == {"sections.other"}
    too_long = "x" * (rules.SECTION_MAX + 1)
    assert set(rules.sections_problems({"family": too_long})) == {"sections.family"}


def test_o2_report_sections_written_from_the_facts():
    start, end = DAY - timedelta(days=30), DAY
    facts = rules.ReportFacts(
        start=start,
        end=end,
        members=[rules.Member("Ann Doe", "Parent", True)],
        removals=[rules.RemovalFact("Kim Doe", DAY - timedelta(days=60), None)],
        placements=[
            rules.PlacementFact(
                "Kim Doe",
                "Resource family home",
                "Oak home",
                DAY - timedelta(days=60),
                DAY - timedelta(days=10),
                "",
            ),
            rules.PlacementFact(
                "Kim Doe", "Relative home", "", DAY - timedelta(days=10), None, "Aunt ready."
            ),
        ],
        contacts=[
            rules.ContactFact(1, "Kim Doe", "In person", DAY - timedelta(days=3)),
            rules.ContactFact(1, "Ann Doe", "In person", DAY - timedelta(days=3)),
            rules.ContactFact(2, "Ann Doe", "Phone call", DAY - timedelta(days=1)),
        ],
        visits=[
            rules.VisitFact("Kim Doe", "held", DAY - timedelta(days=5)),
            rules.VisitFact("Kim Doe", "missed", DAY - timedelta(days=12)),
        ],
        plan_number=2,
        plan_status="Approved, in effect",
        steps=[rules.StepFact("Safe home", "Parenting class", DAY, "late")],
        services=[
            rules.ServiceFact(
                "Ann Doe", "Parenting", "Hope Center", "Started", start, "Improving", DAY
            )
        ],
        assessments=[
            rules.AssessmentFact("Safety", "the family", DAY, "Moderate", ("Supervision",))
        ],
    )
    s = rules.report_sections(facts)
    assert list(s) == list(rules.SECTION_CODES)
    assert "Ann Doe, parent, in the household." in s["family"]
    assert "Kim Doe was removed from the home on 2026-04-16 and remains in care." in s["placements"]
    assert "2 placements in the period, 1 move." in s["placements"]
    assert "Reason for the move: Aunt ready." in s["placements"]
    assert s["contacts"].startswith("2 contacts")
    assert "- Ann Doe: in person: 1 (2026-06-12); phone call: 1 (2026-06-14)." in s["contacts"]
    assert "1 family visit held (2026-06-10); 1 visit missed or cancelled" in s["visitation"]
    assert "Case plan version 2" in s["plan_progress"] and "1 late" in s["plan_progress"]
    assert "Hope Center" in s["services"] and "improving" in s["services"]
    assert "risk moderate" in s["assessments"] and "Supervision" in s["assessments"]
    assert s["recommendation"] == rules.RECOMMENDATION_PLACEHOLDER


def test_o2_report_sections_say_when_nothing_is_recorded():
    s = rules.report_sections(rules.ReportFacts(start=DAY, end=DAY))
    assert s["contacts"] == "No contact was recorded in the period."
    assert s["plan_progress"] == "The case has no adopted case plan."
