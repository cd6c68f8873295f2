"""Shared fixtures. The whole session runs on a frozen clock (time-machine, ticking from
10:00 in the agency's time zone on HEARTH_TEST_TODAY, default 2026-06-15), so that no
test depends on the date the suite runs: CI also runs it on a month's last day and on
29 February (`.ci/run`)."""

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import transaction

from hearth.cases import services as case_services
from hearth.cases.models import Case
from hearth.staff.models import Agency, Role
from tests.factories import AgencyFactory, PersonFactory, StaffFactory, UnitFactory, make_case

TEST_TODAY = date.fromisoformat(os.environ.get("HEARTH_TEST_TODAY") or "2026-06-15")
_clock = time_machine.travel(
    datetime.combine(TEST_TODAY, time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=True
)


def pytest_configure(config):
    _clock.start()


def pytest_unconfigure(config):
    _clock.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the access log's chain head too
    (a row its migration makes). Put the head back, so that the tests after it on the same
    worker, in whatever order xdist hands them out, write their first log row with the
    same queries as a migrated database does."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return  # (after the last test the test database is gone)
    from pytest_django.plugin import blocking_manager_key

    from hearth.core.models import AccessLogChain

    with item.config.stash[blocking_manager_key].unblock():
        AccessLogChain.objects.get_or_create(pk=1)


def pytest_report_header(config):
    return f"frozen clock: {TEST_TODAY.isoformat()} 10:00 {settings.TIME_ZONE} (HEARTH_TEST_TODAY)"


@pytest.fixture
def as_user(client):
    """The test client signed in as a staff member."""

    def login(staff):
        client.force_login(staff.user)
        return client

    return login


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


@pytest.fixture
def world(agency, unit, other_unit, supervisor, worker):
    """Two units of one contractor, a second contractor, the state agency (its staff
    include the `worker` and `supervisor` fixtures)."""
    return build_world(agency, unit, other_unit, supervisor, worker)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The same world, built once for a module (a build takes seconds) inside a
    transaction rolled back at the module's end. A module's tests take it as `world`
    through `world_once`."""
    with django_db_blocker.unblock(), transaction.atomic():
        agency = AgencyFactory(name="North Star Family Services", code="nsf")
        unit = UnitFactory(agency=agency, name="Unit A")
        yield build_world(
            agency,
            unit,
            UnitFactory(agency=agency, name="Unit B"),
            StaffFactory(unit=unit, roles=[Role.SUPERVISOR], user__username="sup"),
            StaffFactory(unit=unit, roles=[Role.CASE_MANAGER], user__username="cm"),
        )
        transaction.set_rollback(True)


@pytest.fixture
def world_once(module_world, db):
    """The module's world for one test: the test runs in a savepoint of the module's
    transaction (`db`), rolled back after it, and the world's cases and staff are read
    again first, so what an earlier test changed (a version, a status, a cached staff
    record on a user) does not reach this one. A module opts in by defining its own
    `world` fixture that returns `world_once`."""
    for record in [*module_world["cases"].values(), *module_world["staff"].values()]:
        record.refresh_from_db()
    return module_world


def build_world(agency, unit, other_unit, supervisor, worker):
    colleague = StaffFactory(unit=unit)
    far_worker = StaffFactory(unit=other_unit)
    far_sup = StaffFactory(unit=other_unit, roles=[Role.SUPERVISOR])
    mine = make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    colleagues = make_case(
        actor_staff=supervisor, worker=colleague, members=[(PersonFactory(), "child")]
    )
    other_units = make_case(
        actor_staff=far_sup, worker=far_worker, members=[(PersonFactory(), "child")]
    )
    rival_unit = UnitFactory()
    rival_sup = StaffFactory(unit=rival_unit, roles=[Role.SUPERVISOR])
    rival_case = make_case(
        actor_staff=rival_sup,
        worker=StaffFactory(unit=rival_unit),
        members=[(PersonFactory(), "child")],
    )
    state = AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT)
    state_unit = UnitFactory(agency=state)
    oversight = StaffFactory(unit=state_unit, roles=[Role.STATE_OVERSIGHT])
    qa = StaffFactory(unit=state_unit, roles=[Role.QA_REVIEWER])
    case_services.case_grant_access(
        actor=oversight.user,
        granted_by=None,
        case=other_units,
        staff=oversight,
        purpose="oversight",
    )
    case_services.case_grant_access(
        actor=qa.user, granted_by=None, case=rival_case, staff=qa, purpose="qa_review"
    )
    # A restricted case of unit A held by the colleague, a unit B case manager named on it,
    # and state oversight granted it (docs/adr/0010-restricted-cases.md).
    restricted = make_case(
        actor_staff=supervisor, worker=colleague, members=[(PersonFactory(), "child")]
    )
    restricted = case_services.case_set_restricted(
        actor=supervisor.user, case=restricted, restricted=True, reason="A colleague's family"
    )
    named = StaffFactory(unit=other_unit)
    case_services.case_name_staff(
        actor=supervisor.user, named_by=supervisor, case=restricted, staff=named, reason="Cover"
    )
    case_services.case_grant_access(
        actor=oversight.user, granted_by=None, case=restricted, staff=oversight, purpose="oversight"
    )
    # O1, O2: the state sees the cases it oversees from the start when they are
    # court-involved (a non-court case only from its closure recommendation:
    # tests/api/test_access_matrix.py::test_o1_*). Set without events: no specialist is
    # routed beyond the world's own.
    Case.objects.filter(pk__in=[other_units.pk, restricted.pk]).update(court_involved=True)
    other_units.refresh_from_db()
    restricted.refresh_from_db()
    return {
        "cases": {
            "mine": mine,
            "colleagues": colleagues,
            "other_units": other_units,
            "rival": rival_case,
            "restricted": restricted,
        },
        "staff": {
            "worker": worker,
            "supervisor": supervisor,
            "director": StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR]),
            "intake": StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR]),
            "oversight": oversight,
            "qa": qa,
            "admin": StaffFactory(unit=state_unit, roles=[Role.ADMINISTRATOR]),
            "rival_sup": rival_sup,
            "holder": colleague,
            "named": named,
            "far_sup": far_sup,
        },
    }


EXPECTED_READ = {
    "worker": {"mine", "colleagues"},
    "supervisor": {"mine", "colleagues", "restricted"},
    "director": {"mine", "colleagues", "other_units", "restricted"},
    "intake": {"mine", "colleagues", "other_units"},
    "oversight": {"other_units", "restricted"},
    "qa": {"rival"},
    "admin": set(),
    "rival_sup": {"rival"},
    "holder": {"mine", "colleagues", "restricted"},
    "named": {"other_units", "restricted"},
    "far_sup": {"other_units"},
}
EXPECTED_WRITE = {
    "worker": {"mine"},
    "supervisor": {"mine", "colleagues", "restricted"},
    "director": {"mine", "colleagues", "other_units", "restricted"},
    "intake": set(),  # only referred cases; these are all assigned
    "oversight": set(),
    "qa": set(),
    "admin": set(),
    "rival_sup": {"rival"},
    "holder": {"colleagues", "restricted"},
    "named": set(),  # named staff read a restricted case, never change it
    "far_sup": {"other_units"},
}
# Who may restrict each case, lift the restriction and name staff on it: the agency's
# program director and the supervisor of the case's unit.
EXPECTED_RESTRICT = {
    "supervisor": {"mine", "colleagues", "restricted"},
    "director": {"mine", "colleagues", "other_units", "restricted"},
    "rival_sup": {"rival"},
    "far_sup": {"other_units"},
}


def pytest_terminal_summary(terminalreporter):
    from tests.browser.conftest import AVAILABLE, SKIP_NOTE

    if not AVAILABLE:
        terminalreporter.write_line(SKIP_NOTE, yellow=True)
