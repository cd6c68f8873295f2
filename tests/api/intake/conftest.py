"""Shared fixtures of the intake and assignment API tests: a county and an agency (`shop`)
with two case management units, a support unit and their staff."""

import pytest

from hearth.staff.models import Role, Unit
from tests.api.intake.helpers import _director, _intake, _worker
from tests.factories import AgencyFactory, CountyFactory, StaffFactory, UnitFactory

SUPPORT = Unit.Kind.CASE_MANAGEMENT_SUPPORT


@pytest.fixture
def county(db):
    return CountyFactory(code="riv", name="Riverside", latitude=39.1, longitude=-94.6)


@pytest.fixture
def shop(db, county):
    """An agency with two case management units and a support unit, its program
    director and intake coordinator, and a supervisor and two workers in Unit A."""
    agency = AgencyFactory(name="Prairie Family Services", code="pfs")
    unit_a = UnitFactory(agency=agency, name="Unit A")
    unit_b = UnitFactory(agency=agency, name="Unit B")
    support = UnitFactory(agency=agency, name="Support", kind=SUPPORT)
    return {
        "agency": agency,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "support": support,
        "director": _director(agency),
        "intake": _intake(agency),
        "sup_a": StaffFactory(unit=unit_a, roles=[Role.SUPERVISOR]),
        "ana": _worker(unit_a, "Ana"),
        "ben": _worker(unit_a, "Ben"),
    }
