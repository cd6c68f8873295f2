"""Fixtures the core tests share with the placements tests."""

from tests.placements.conftest import family, removed  # noqa: F401 (shared fixtures)
