"""O4 fixtures: two regions (North: Alder, Birch; South: Cedar) and a county without
one (Maple); the state agency with two North specialists, one South, a state oversight
supervisor and a QA reviewer; a contractor's case manager to hold the cases."""

import pytest

from hearth.cases import services as case_services
from hearth.reference.models import Region
from hearth.staff.models import Agency, Role, Unit
from tests.api.conftest import api_as  # noqa: F401 (shared fixtures)
from tests.factories import (
    AgencyFactory,
    CountyFactory,
    PersonFactory,
    StaffFactory,
    UnitFactory,
    make_case,
)


@pytest.fixture
def counties(db):
    north = Region.objects.create(code="north", name="North")
    south = Region.objects.create(code="south", name="South")
    return {
        "alder": CountyFactory(code="alder", name="Alder", region=north),
        "birch": CountyFactory(code="birch", name="Birch", region=north),
        "cedar": CountyFactory(code="cedar", name="Cedar", region=south),
        "maple": CountyFactory(code="maple", name="Maple"),
    }


@pytest.fixture
def state(db):
    return AgencyFactory(name="State DCF", code="dcf", kind=Agency.Kind.STATE_OVERSIGHT)


@pytest.fixture
def team(state, counties, supervisor, worker):
    """The state's staff (by key) and the contractor's `supervisor` and `worker`."""
    unit = UnitFactory(agency=state, name="Oversight", kind=Unit.Kind.OVERSIGHT)

    def specialist(first, last, county, **kw):
        return StaffFactory(
            unit=unit,
            roles=[Role.STATE_OVERSIGHT],
            first_name=first,
            last_name=last,
            office_county=county,
            **kw,
        )

    return {
        "ann": specialist("Ann", "Abbot", counties["alder"]),
        "ben": specialist("Ben", "Baker", counties["birch"]),
        "sue": specialist("Sue", "South", counties["cedar"]),
        "boss": StaffFactory(
            unit=unit, roles=[Role.STATE_SUPERVISOR], first_name="Sam", last_name="Boss"
        ),
        "qa": StaffFactory(unit=unit, roles=[Role.QA_REVIEWER], first_name="Quinn", last_name="Q"),
        "supervisor": supervisor,
        "worker": worker,
    }


def new_case(team, county, *, court=True, last_name="Rivera"):
    """A case of the contractor in `county`; court-involved by default (so it is routed)."""
    return make_case(
        actor_staff=team["supervisor"],
        worker=team["worker"],
        county=county,
        court_involved=court,
        members=[(PersonFactory(last_name=last_name), "child")],
    )


def load(team, who, n, county):
    """Give specialist `who` n families (non-court cases granted directly)."""
    for _ in range(n):
        case = new_case(team, county, court=False)
        case_services.case_grant_access(
            actor=None, granted_by=None, case=case, staff=team[who], purpose="oversight"
        )
