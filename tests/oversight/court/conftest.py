"""A court-involved family (tests/placements/conftest.py: a child removed 60 days ago),
the state specialist overseeing it (an oversight grant: routing is the caseloads area's)
and hearings through the services."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from hearth.cases import services as case_services
from hearth.core.services import today
from hearth.oversight.services import court as services
from hearth.staff.models import Agency, Role
from tests.api.conftest import api_as  # noqa: F401 (shared fixtures)
from tests.factories import AgencyFactory, StaffFactory, UnitFactory
from tests.placements.conftest import family, removed  # noqa: F401


def at(days: int, hour: int = 9, minute: int = 30) -> datetime:
    """A local time `days` from today (negative: past)."""
    return timezone.make_aware(datetime.combine(today() + timedelta(days=days), time(hour, minute)))


@pytest.fixture
def state_unit(db):
    return UnitFactory(agency=AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT))


@pytest.fixture
def specialist(state_unit, family):  # noqa: F811
    staff = StaffFactory(unit=state_unit, roles=[Role.STATE_OVERSIGHT], user__username="spec")
    case_services.case_grant_access(
        actor=staff.user, granted_by=None, case=family["case"], staff=staff, purpose="oversight"
    )
    return staff


@pytest.fixture
def idle_specialist(state_unit):
    """A specialist without a grant to the family's case."""
    return StaffFactory(unit=state_unit, roles=[Role.STATE_OVERSIGHT])


@pytest.fixture
def hearing(family, worker, specialist):  # noqa: F811
    return services.hearing_schedule(
        actor=worker.user,
        case=family["case"],
        type="review",
        scheduled_at=at(10),
        court="Juvenile Court, Dept 3",
        judge="Judge Lane",
        child=family["child"],
    )


@pytest.fixture
def past_hearing(family, worker, specialist):  # noqa: F811
    """A hearing scheduled for yesterday (as if scheduled earlier), not yet recorded."""
    return services.hearing_schedule(
        actor=worker.user,
        case=family["case"],
        type="disposition",
        scheduled_at=at(-1),
        court="Juvenile Court, Dept 3",
        child=family["child"],
    )
