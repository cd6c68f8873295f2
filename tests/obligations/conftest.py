"""The placements tests' family (a child, a sibling, a parent, an aunt) and its removal,
and a clock set to a given day for a test (a month's last days)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from tests.placements.conftest import family, removed  # noqa: F401


def at_ten(day):
    return datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def day(request):
    """Today is `request.param` (list it first among a test's fixtures)."""
    with time_machine.travel(at_ten(request.param), tick=False):
        yield request.param
