"""Fixtures of the contacts API tests (the others come from tests/api/conftest.py)."""

import pytest

from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, UnitFactory, make_case


@pytest.fixture
def hidden():
    """A person in another agency's case: no one at the family's agency may see them."""
    rival_sup = StaffFactory(unit=UnitFactory(), roles=[Role.SUPERVISOR])
    person = PersonFactory(first_name="Hugo", last_name="Hidden")
    make_case(actor_staff=rival_sup, members=[(person, "parent")])
    return person
