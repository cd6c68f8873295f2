"""Database-free tests of the pure rules in hearth.policy."""

from datetime import date

import pytest

from hearth.policy.assignment import AssignmentRequest, assignment_problems
from hearth.policy.case_status import TRANSITIONS, transition_problem
from hearth.policy.settings import DEFAULTS, PolicySettings, validate_overrides

TODAY = date(2026, 11, 22)


def _req(**kw):
    base = dict(
        case_status="referred",
        worker_active=True,
        worker_is_case_manager=True,
        starts_on=TODAY,
        reason="Initial assignment",
        case_opened_on=date(2026, 11, 1),
    )
    base.update(kw)
    return AssignmentRequest(**base)


def test_a6_assignment_needs_a_reason():
    assert assignment_problems(_req(reason="  "), today=TODAY) == {
        "reason": "Say why this case is being assigned (A6)."
    }


def test_a6_valid_assignment_has_no_problems():
    assert assignment_problems(_req(), today=TODAY) == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"case_status": "closed"}, "case"),
        ({"worker_active": False}, "worker"),
        ({"worker_is_case_manager": False}, "worker"),
        ({"starts_on": date(2026, 11, 23)}, "starts_on"),
        ({"starts_on": date(2026, 10, 31)}, "starts_on"),
    ],
)
def test_assignment_problems_name_the_field(change, field):
    assert field in assignment_problems(_req(**change), today=TODAY)


def test_a5_and_o4_defaults_come_from_the_policies():
    assert DEFAULTS.new_worker_case_cap == 5
    assert DEFAULTS.new_worker_cap_days == 30
    assert DEFAULTS.oversight_caseload == 80
    assert DEFAULTS.case_plan_review_days == 90
    assert DEFAULTS.tribe_contact_days == 3


def test_agency_overrides_replace_one_setting_and_keep_the_rest():
    merged = DEFAULTS.merged({"new_worker_case_cap": 4})
    assert merged.new_worker_case_cap == 4
    assert merged.new_worker_cap_days == 30
    assert isinstance(merged, PolicySettings)


def test_unknown_override_is_refused():
    with pytest.raises(ValueError, match="new_worker_cap_typo"):
        DEFAULTS.merged({"new_worker_cap_typo": 3})
    assert validate_overrides({"oversight_caseload": -1}) == [
        "oversight_caseload: must be a whole number, zero or more"
    ]
    assert validate_overrides({"oversight_caseload": 75}) == []


def test_p1_closed_case_is_never_reopened_in_place():
    assert "re-referral" in transition_problem("closed", "open")


@pytest.mark.parametrize(("current", "allowed"), sorted(TRANSITIONS.items()))
def test_every_listed_transition_is_allowed_and_others_refused(current, allowed):
    """Every listed move is allowed with the flags O1 gives it (a recommendation's
    submission or withdrawal, the state's approval of a closure); every other refused."""
    for new in TRANSITIONS:
        problem = transition_problem(current, new, closure_approved=True, by_recommendation=True)
        if new in allowed or new == current:
            assert problem is None
        else:
            assert problem


def test_o1_an_opened_case_closes_only_through_its_recommendation():
    assert "O1" in transition_problem("open", "closed")
    assert "O1" in transition_problem("closure_recommended", "closed")
    assert "O1" in transition_problem("open", "closure_recommended")
    assert "O1" in transition_problem("closure_recommended", "open")
    assert transition_problem("closure_recommended", "closed", closure_approved=True) is None
    assert transition_problem("open", "closed", review_required=False) is None
    # A referral screened out before it opened closes directly.
    assert transition_problem("assigned", "closed") is None


def test_unknown_status_is_refused():
    assert transition_problem("open", "archived") == "'archived' is not a case status."
