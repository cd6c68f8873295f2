from tests.api.conftest import api_as  # noqa: F401 (shared fixtures)
from tests.obligations.conftest import day  # noqa: F401
from tests.placements.conftest import family, removed  # noqa: F401
