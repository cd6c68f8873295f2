import pytest

from hearth.staff.models import Role
from tests.factories import AgencyFactory, PersonFactory, StaffFactory, UnitFactory, make_case


@pytest.fixture
def agency(db):
    return AgencyFactory(name="North Star Family Services", code="nsf")


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, name="Unit A")


@pytest.fixture
def other_unit(agency):
    return UnitFactory(agency=agency, name="Unit B")


@pytest.fixture
def supervisor(unit):
    return StaffFactory(unit=unit, roles=[Role.SUPERVISOR], user__username="sup")


@pytest.fixture
def worker(unit):
    return StaffFactory(unit=unit, roles=[Role.CASE_MANAGER], user__username="cm")


@pytest.fixture
def case(supervisor, worker):
    child = PersonFactory(first_name="Ava", last_name="Rivera")
    parent = PersonFactory(
        first_name="Maria", last_name="Rivera", date_of_birth=None, dob_precision="unknown"
    )
    return make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[(child, "child"), (parent, "parent")],
    )
