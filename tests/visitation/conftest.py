from tests.placements.conftest import family, removed  # noqa: F401 (shared fixtures)
