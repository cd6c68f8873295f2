"""An agency's policy settings through the API: read by its staff, set by its program
director, validated (A1's routing strategy, A5's ramp)."""

import pytest

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
            "overrides": {"unit_routing": "rotation", "new_worker_cap_ramp": [[45, 7]]},
            "version": agency.version,
        },
    )
    assert r.status_code == 200
    assert r.json()["effective"]["unit_routing"] == "rotation"
    agency.refresh_from_db()
    assert agency.policy.new_worker_cap_ramp == ((45, 7),)
    # Any staff member of the agency reads them; a case manager cannot set them.
    mine = api_as(worker.user)
    assert mine.get(f"{API}/agencies/{agency.code}/policy").json()["overrides"] == {
        "unit_routing": "rotation",
        "new_worker_cap_ramp": [[45, 7]],
    }
    assert mine.put(f"{API}/agencies/{agency.code}/policy", {"overrides": {}}).status_code == 403
