"""An agency's policy settings through the API: read by its staff, set by its program
director, validated (A1's routing strategy, A5's ramp)."""

import pytest
from django.core.exceptions import ValidationError

from hearth.staff.models import Role
from tests.factories import StaffFactory

API = "/api/v1"


@pytest.fixture
def director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


def test_a1_a_director_sets_rotation_and_bad_settings_change_nothing(
    agency, worker, director, api_as
):
    api = api_as(director.user)
    r = api.put(
        f"{API}/agencies/{agency.code}/policy",
        {"overrides": {"unit_routing": "random"}, "version": agency.version},
    )
    assert r.status_code == 422
    assert "unit_routing: must be one of caseload, rotation" in r.json()["errors"]["overrides"]
    r = api.put(
        f"{API}/agencies/{agency.code}/policy",
        {
            "overrides": {"unit_routing": "rotation", "new_worker_cap_ramp": [[31, 7], [61, 15]]},
            "version": agency.version,
        },
    )
    assert r.status_code == 200
    assert r.json()["effective"]["unit_routing"] == "rotation"
    agency.refresh_from_db()
    assert agency.policy.new_worker_cap_ramp == ((31, 7), (61, 15))
    # Any staff member of the agency reads them; a case manager cannot set them.
    mine = api_as(worker.user)
    assert mine.get(f"{API}/agencies/{agency.code}/policy").json()["overrides"] == {
        "unit_routing": "rotation",
        "new_worker_cap_ramp": [[31, 7], [61, 15]],
    }
    assert mine.put(f"{API}/agencies/{agency.code}/policy", {"overrides": {}}).status_code == 403


@pytest.mark.parametrize(
    ("ramp", "reason"),
    [
        ([[31, 9], [61, 8], [91, 15]], "caps must not fall"),
        ([[45, 8], [91, 15]], "leaving a gap after the first 30 days"),
        ([[31, 8], [61, 12]], "must reach the full caseload (15 cases)"),
    ],
)
def test_a5_a_ramp_that_falls_or_leaves_a_gap_is_refused_naming_the_setting(
    agency, director, api_as, ramp, reason
):
    """A5: the API and the admin (the model's validation) refuse a bad ramp, naming it."""
    r = api_as(director.user).put(
        f"{API}/agencies/{agency.code}/policy",
        {"overrides": {"new_worker_cap_ramp": ramp}, "version": agency.version},
    )
    assert r.status_code == 422
    problem = r.json()["errors"]["overrides"]
    assert problem.startswith("new_worker_cap_ramp: ") and reason in problem
    agency.refresh_from_db()
    assert agency.policy_overrides == {}
    agency.policy_overrides = {"new_worker_cap_ramp": ramp}
    with pytest.raises(ValidationError) as refused:
        agency.full_clean()
    (message,) = refused.value.message_dict["policy_overrides"]
    assert message.startswith("new_worker_cap_ramp: ") and reason in message
