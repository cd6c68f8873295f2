"""The month's edges on explicitly frozen dates, through the real services (issue 11,
item 7): the last day of a month (30 November, 31 January), 28 February of a common
year, 29 February of a leap year, 31 December, and a child placed on the 30th whose
first family contact (P5) falls due on the 2nd.

Each test travels (time-machine, nested over the session's clock) to 10:00 in the
agency's time zone on its day and builds its own agency, staff and case there, so it
passes whatever HEARTH_TEST_TODAY the session runs on. It asserts the obligations, the
case's list, "my contacts" and the V13 dashboard rows of the month and of the next.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from hearth.cases.models import Case
from hearth.contacts.services import contact_note_create
from hearth.core.services import today
from hearth.obligations import selectors
from hearth.obligations.models import Obligation
from hearth.placements.services import child_place, child_remove
from hearth.staff.models import Role
from hearth.visitation.services import family_visit_record
from tests.factories import PersonFactory, StaffFactory, UnitFactory, make_case

pytestmark = pytest.mark.django_db


@contextmanager
def on(day: date, at: time = time(10, 0)):
    """Today is `day` (the clock stands still at `at`, the agency's time)."""
    with time_machine.travel(datetime.combine(day, at, ZoneInfo(settings.TIME_ZONE)), tick=False):
        assert today() == day
        yield


def first(day: date) -> date:
    return day.replace(day=1)


def month_start_job():
    """The job scheduled at each month's start (docs/operator-guide.md)."""
    call_command("refresh_obligations", stdout=StringIO())


def states(case, month, rule):
    """{person id: (state, due_on, met_on)} of the case's `rule` rows for `month`, as
    the case page lists them."""
    return {
        o.person_id: (o.state, o.due_on, o.met_on)
        for o in selectors.for_case(case, month=month)
        if o.rule == rule
    }


def dashboard_row(viewer, month):
    """The V13 dashboard's row for the worker: (total, met, due, overdue)."""
    rows = selectors.dashboard(viewer=viewer, month=month, group="worker", filters={})
    assert len(rows) == 1, rows
    r = rows[0]
    return r["total"], r["met"], r["due"], r["overdue"]


def family_in_care(*, removed_on: date, children: int = 2, parent: bool = False):
    """A court case with `children` children removed and placed on `removed_on` (and
    their parent), built through the services on today's clock. Without the parent the
    case owes only the children's V2, so the dashboard counts those alone."""
    unit = UnitFactory()
    supervisor = StaffFactory(unit=unit, roles=[Role.SUPERVISOR])
    worker = StaffFactory(unit=unit, roles=[Role.CASE_MANAGER])
    kids = [PersonFactory(date_of_birth=date(2016, 3, 1)) for _ in range(children)]
    adults = [(PersonFactory(date_of_birth=date(1990, 1, 1)), "parent")] if parent else []
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type=Case.Type.OUT_OF_HOME,
        court_involved=True,
        opened_on=removed_on,
        members=[*[(k, "child") for k in kids], *adults],
    )
    for kid in kids:
        episode = child_remove(
            actor=worker.user,
            case=case,
            child=kid,
            removed_on=removed_on,
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )
        child_place(
            actor=worker.user,
            episode=episode,
            starts_on=removed_on,
            setting="resource_family_home",
            provider_name="The Hill family",
        )
    return {
        "case": case,
        "kids": kids,
        "adults": [a for a, _ in adults],
        "worker": worker,
        "sup": supervisor,
    }


# (the last day of a month, the last day of the next)
MONTH_ENDS = [
    pytest.param(date(2026, 11, 30), date(2026, 12, 31), id="30-november"),
    pytest.param(date(2027, 1, 31), date(2027, 2, 28), id="31-january"),
    pytest.param(date(2027, 2, 28), date(2027, 3, 31), id="28-february-common-year"),
    pytest.param(date(2028, 2, 29), date(2028, 3, 31), id="29-february-leap-year"),
    pytest.param(date(2026, 12, 31), date(2027, 1, 31), id="31-december"),
]


@pytest.mark.parametrize(("last_day", "next_last_day"), MONTH_ENDS)
def test_v2_on_a_months_last_day_and_the_next_morning(last_day, next_last_day):
    """V2, V13: children in care since the 1st of last month. On the month's last day
    this month's visit is still due (not overdue); a visit that day meets it. The next
    morning, after the month-start job, the new month owes a visit due on its own last
    day, and the child not seen is overdue for the month just ended."""
    month, previous = first(last_day), first(first(last_day) - timedelta(days=1))
    next_day = last_day + timedelta(days=1)
    with on(last_day):
        f = family_in_care(removed_on=previous)
        case, (seen, unseen), worker = f["case"], f["kids"], f["worker"]
        assert states(case, previous, "V2") == {
            seen.pk: ("overdue", month - timedelta(days=1), None),
            unseen.pk: ("overdue", month - timedelta(days=1), None),
        }
        assert states(case, month, "V2") == {
            seen.pk: ("due", last_day, None),
            unseen.pk: ("due", last_day, None),
        }
        contact_note_create(
            actor=worker.user,
            author=worker,
            case=case,
            occurred_at=datetime.combine(last_day, time(9, 0), ZoneInfo(settings.TIME_ZONE)),
            method="in_person",
            location="placement",
            contact_with=[seen],
            narrative="Monthly visit on the month's last day.",
            finalize=True,
        )
        assert states(case, month, "V2") == {
            seen.pk: ("met", last_day, last_day),
            unseen.pk: ("due", last_day, None),
        }
        assert dashboard_row(f["sup"].user, month) == (2, 1, 1, 0)

    with on(next_day):
        assert next_day == first(next_day) and first(next_day) == first(next_last_day)
        month_start_job()
        assert states(case, month, "V2") == {
            seen.pk: ("met", last_day, last_day),
            unseen.pk: ("overdue", last_day, None),
        }
        assert dashboard_row(f["sup"].user, month) == (2, 1, 0, 1)
        assert states(case, next_day, "V2") == {
            seen.pk: ("due", next_last_day, None),
            unseen.pk: ("due", next_last_day, None),
        }
        assert dashboard_row(f["sup"].user, next_day) == (2, 0, 2, 0)
        mine = selectors.my_obligations(viewer=worker.user, month=next_day)
        assert {(o.rule, o.person_id, o.state) for o in mine if o.rule == "V2"} == {
            ("V2", seen.pk, "due"),
            ("V2", unseen.pk, "due"),
        }


def test_28_february_of_a_leap_year_is_not_the_months_last_day():
    with on(date(2028, 2, 28)):
        f = family_in_care(removed_on=date(2028, 1, 1), children=1)
        (child,) = f["kids"]
        assert states(f["case"], date(2028, 2, 1), "V2") == {
            child.pk: ("due", date(2028, 2, 29), None)
        }
    with on(date(2028, 2, 29)):
        assert states(f["case"], date(2028, 2, 1), "V2") == {
            child.pk: ("due", date(2028, 2, 29), None)
        }
    with on(date(2028, 3, 1)):
        assert states(f["case"], date(2028, 2, 1), "V2") == {
            child.pk: ("overdue", date(2028, 2, 29), None)
        }


@pytest.mark.parametrize("visited", [True, False], ids=["visit-on-the-2nd", "no-visit"])
def test_p5_a_child_placed_on_the_30th_owes_the_first_family_contact_on_the_2nd(visited):
    """P5: placed on 30 January, the first contact with the parents is due within 3
    days, on 2 February: next month's row, written when the child is placed (not at
    February's month-start job), on the worker's list for February and not January's.
    A visit held on the 2nd meets it; without one it is overdue on the 3rd. V2 (the
    partial-month rule, 2 days in care) owes no visit in January."""
    placed, due = date(2027, 1, 30), date(2027, 2, 2)
    with on(placed):
        f = family_in_care(removed_on=placed, children=1, parent=True)
        case, (child,), worker = f["case"], f["kids"], f["worker"]
        p5 = Obligation.objects.get(case=case, rule="P5")
        assert (p5.person_id, p5.month, p5.starts_on, p5.due_on) == (
            child.pk,
            date(2027, 2, 1),
            placed,
            due,
        )
        assert states(case, date(2027, 1, 1), "P5") == {}
        assert states(case, date(2027, 1, 1), "V2") == {}
        mine = selectors.my_obligations(viewer=worker.user, month=date(2027, 2, 1))
        assert [(o.rule, o.person_id, o.state) for o in mine if o.rule == "P5"] == [
            ("P5", child.pk, "due")
        ]

    with on(date(2027, 2, 1)):
        month_start_job()
        assert states(case, date(2027, 2, 1), "P5") == {child.pk: ("due", due, None)}
        assert states(case, date(2027, 2, 1), "V2") == {child.pk: ("due", date(2027, 2, 28), None)}

    with on(due):
        if visited:
            family_visit_record(
                actor=worker.user,
                case=case,
                child=child,
                visit_on=due,
                status="held",
                visitors=f["adults"],
            )
            assert states(case, date(2027, 2, 1), "P5") == {child.pk: ("met", due, due)}
        else:
            assert states(case, date(2027, 2, 1), "P5") == {child.pk: ("due", due, None)}

    with on(due + timedelta(days=1)):
        expected = ("met", due, due) if visited else ("overdue", due, None)
        assert states(case, date(2027, 2, 1), "P5") == {child.pk: expected}
