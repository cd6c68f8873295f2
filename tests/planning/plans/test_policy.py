"""The pure rules of case plans (hearth.policy.case_plans): C1, C2, C4, C5, C9, P9."""

from datetime import date, timedelta

from hearth.policy import case_plans as r

OPENED = date(2026, 1, 10)


def _step(**over):
    base = dict(
        who="parent",
        who_name="Iris",
        what="Attend the parenting class",
        due_on=date(2026, 3, 1),
        outcome="Uses time-outs, seen at visits",
    )
    base.update(over)
    return r.StepIn(**base)


def _plan(*steps, target=date(2026, 4, 1)):
    return [r.GoalIn("safety", "Safe care", (r.ObjectiveIn("Schedule", target, tuple(steps)),))]


def test_c2_a_step_missing_who_what_when_or_outcome_is_refused_by_field():
    errors = r.content_problems(
        _plan(_step(who="", who_name="", what="", due_on=None, outcome="")), opened_on=OPENED
    )
    p = "goals.0.objectives.0.steps.0"
    assert {f"{p}.who", f"{p}.who_name", f"{p}.what", f"{p}.due_on", f"{p}.outcome"} <= set(errors)


def test_c2_goal_needs_objective_and_objective_needs_step_and_target():
    errors = r.content_problems(
        [r.GoalIn("safety", "x", ()), r.GoalIn("safety", "y", (r.ObjectiveIn("o", None, ()),))],
        opened_on=OPENED,
    )
    assert "goals.0.objectives" in errors
    assert "goals.1.objectives.0.steps" in errors
    assert "goals.1.objectives.0.target_on" in errors


def test_c2_step_due_before_the_case_opened_is_refused():
    errors = r.content_problems(_plan(_step(due_on=date(2026, 1, 9))), opened_on=OPENED)
    assert "goals.0.objectives.0.steps.0.due_on" in errors


def test_c2_vague_words_refused_in_steps_warned_in_goals():
    assert r.vague_words("Will Cooperate with services as needed") == ["cooperate", "as needed"]
    assert r.vague_words("Try  to understand") == ["try to", "understand"]
    assert r.vague_words("Attends class weekly") == []
    errors = r.content_problems(_plan(_step(outcome="Understands the risks")), opened_on=OPENED)
    assert "understand" in errors["goals.0.objectives.0.steps.0.outcome"]
    warnings = r.content_warnings([r.GoalIn("safety", "Be aware of risks", ())])
    assert "goals.0.statement" in warnings


def test_c9_need_responses_answer_actionable_needs_once_with_goal_or_reason():
    goals = _plan(_step())
    errors = r.need_response_problems(
        [
            r.NeedResponseIn(1, goal=0),
            r.NeedResponseIn(1, goal=0),
            r.NeedResponseIn(9, goal=0),
            r.NeedResponseIn(2),
            r.NeedResponseIn(3, goal=0, objective=5),
        ],
        actionable={1, 2, 3},
        goals=goals,
    )
    assert set(errors) == {
        "need_responses.1.rating",
        "need_responses.2.rating",
        "need_responses.3.not_addressed_reason",
        "need_responses.4.objective",
    }
    assert r.unanswered({1, 2, 3}, {1}) == {2, 3}


def test_c2_parenting_time_only_for_parents_once():
    errors = r.parenting_time_problems([1, 1, 7], parents={1, 2})
    assert set(errors) == {"parenting_time.1.parent", "parenting_time.2.parent"}


def test_c5_adoption_refused_when_the_family_did_not_attend():
    meeting = r.MeetingFacts(True, True, True, date(2026, 2, 1), family_attended=False)
    errors = r.adoption_problems(
        status="draft",
        created_on=date(2026, 2, 1),
        meeting=meeting,
        goal_count=1,
        parents_without_time=[],
        unanswered_needs=0,
        today=date(2026, 2, 2),
    )
    assert "family" in errors["meeting"]


def test_c5_adoption_refused_at_a_meeting_before_the_draft():
    meeting = r.MeetingFacts(True, True, True, date(2026, 1, 31), family_attended=True)
    errors = r.adoption_problems(
        status="draft",
        created_on=date(2026, 2, 1),
        meeting=meeting,
        goal_count=1,
        parents_without_time=["Owen"],
        unanswered_needs=2,
        today=date(2026, 2, 2),
    )
    assert "in advance" in errors["meeting"]
    assert "Owen" in errors["parenting_time"]
    assert "need_responses" in errors


def test_youth_signs_from_the_settings_age_on_the_adoption_day():
    assert r.youth_signs(date(2012, 3, 1), date(2026, 3, 1), youth_signs_age=14)
    assert not r.youth_signs(date(2012, 3, 2), date(2026, 3, 1), youth_signs_age=14)
    assert not r.youth_signs(None, date(2026, 3, 1), youth_signs_age=14)


def test_approval_needs_the_worker_and_an_answer_from_each_parent():
    worker = r.SignatureFacts("worker", True, False)
    waiting = r.SignatureFacts("parent", False, False)
    declined = r.SignatureFacts("parent", False, True)
    assert r.approval_problems(status="adopted", signatures=[worker, declined]) == {}
    assert "signatures" in r.approval_problems(status="adopted", signatures=[worker, waiting])
    assert "signatures" in r.approval_problems(status="adopted", signatures=[declined])
    assert "status" in r.approval_problems(status="draft", signatures=[worker])


def test_p9_step_states_and_next():
    today = date(2026, 5, 10)
    assert r.step_state(date(2026, 5, 1), "done", today) == r.DONE
    assert r.step_state(date(2026, 5, 1), "in_progress", today) == r.LATE
    assert r.step_state(date(2026, 5, 10), None, today) == r.OPEN
    steps = [
        (1, date(2026, 5, 20), r.OPEN),
        (2, date(2026, 5, 12), r.OPEN),
        (3, date(2026, 5, 12), r.OPEN),
        (4, date(2026, 5, 1), r.LATE),
    ]
    assert r.next_steps(steps) == [2, 3]


def test_c4_safety_plan_needs_proactive_and_reactive_with_who_and_when():
    ok = [r.MeasureIn("proactive", "a", "b", "c"), r.MeasureIn("reactive", "a", "b", "c")]
    assert r.safety_plan_problems("threat", ok) == {}
    errors = r.safety_plan_problems("threat", [r.MeasureIn("proactive", "a", "", "")])
    assert {"measures.0.who", "measures.0.when", "measures"} <= set(errors)


def test_c1_reviews_every_90_days_after_opening_and_first_plan_30_days():
    assert r.first_plan_due(date(2026, 1, 31), due_days=30) == date(2026, 3, 2)
    windows = r.review_windows(OPENED, review_days=90, until=date(2026, 8, 1))
    assert [w.due_on for w in windows] == [date(2026, 4, 10), date(2026, 7, 9)]
    assert windows[1].starts_on == date(2026, 4, 11)
    assert r.next_review_due(OPENED, review_days=90, on=date(2026, 4, 11)) == date(2026, 7, 9)
    assert r.next_review_due(OPENED, review_days=90, on=date(2026, 4, 10)) == date(2026, 4, 10)
    first = r.Adoption(1, date(2026, 2, 1))
    second = r.Adoption(2, date(2026, 5, 1))
    assert r.first_plan_met([second, first], OPENED) == first
    assert r.review_met([first], windows[0]) is None  # the first plan is not a review
    assert r.review_met([first, second], windows[1]) == second


def test_c1_a_first_plan_made_after_a_review_fell_due_answers_that_review():
    """C1: with no plan to review when review 1 fell due (day 90), the first plan adopted
    on day 100 meets it, late; review 2 still needs a new version."""
    opened = date(2026, 1, 31)
    windows = r.review_windows(opened, review_days=90, until=opened + timedelta(days=200))
    first = r.Adoption(1, opened + timedelta(days=100))
    assert r.review_met([first], windows[0]) == first
    assert r.review_met([first], windows[1]) is None
