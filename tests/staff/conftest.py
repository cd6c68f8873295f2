import pytest

from hearth.staff.models import Role
from tests.api.conftest import ApiClient
from tests.factories import StaffFactory


@pytest.fixture
def director(agency):
    """The program director of the contractor `agency`: grants its contractor roles."""
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


@pytest.fixture
def api_as():
    return ApiClient
