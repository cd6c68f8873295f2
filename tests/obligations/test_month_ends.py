"""P5 across a month's end: the engine recomputes up to the latest due date a source can
produce, not up to today, so a child placed in a month's last days owes the first family
contact next month (issue 11: found failing on 29 November)."""

from datetime import date, timedelta

import pytest

from hearth.obligations.models import Obligation
from hearth.placements.services import child_place
from hearth.visitation.services import family_visit_record
from tests.placements.conftest import days_ago


def place(worker, removed, family, on):
    return child_place(
        actor=worker.user, episode=removed, starts_on=on, choice=f"relative:{family['aunt'].pk}"
    )


@pytest.mark.parametrize(
    "day",
    [date(2026, 1, 30), date(2026, 1, 31), date(2026, 4, 30), date(2026, 11, 29)]
    + [date(2026, 12, 31), date(2028, 2, 28), date(2028, 2, 29)],
    indirect=True,
)
def test_p5_a_child_placed_in_a_months_last_days_owes_the_first_contact_next_month(
    day, worker, removed, family
):
    place(worker, removed, family, day)
    due = day + timedelta(days=3)
    p5 = Obligation.objects.get(case=family["case"], rule="P5")
    assert (p5.due_on, p5.month, p5.met_on) == (due, due.replace(day=1), None)
    assert p5.month > day  # next month's, written today
    # Contact requirements are not written ahead: none for next month yet.
    assert not Obligation.objects.filter(case=family["case"], month=p5.month, source="contacts")


@pytest.mark.parametrize("day", [date(2026, 3, 31)], indirect=True)
def test_p5_a_visit_held_on_the_2nd_meets_the_first_contact_of_a_child_placed_on_the_30th(
    day, worker, removed, family
):
    """Placed on 30 March, the first contact due on 2 April; a visit held on the 31st
    meets it."""
    place(worker, removed, family, day - timedelta(days=1))
    family_visit_record(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        visit_on=day,
        status="held",
        visitors=[family["parent"]],
    )
    p5 = Obligation.objects.get(case=family["case"], rule="P5")
    assert (p5.due_on, p5.met_on) == (date(2026, 4, 2), day)


def test_p5_a_late_visit_meets_a_first_contact_that_fell_due_months_ago(worker, removed, family):
    """The family visit's event reaches back to the P5 row of an earlier month."""
    place(worker, removed, family, days_ago(50))
    p5 = Obligation.objects.get(case=family["case"], rule="P5")
    assert p5.due_on == days_ago(47) and p5.met_on is None
    family_visit_record(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        visit_on=days_ago(0),
        status="held",
        visitors=[family["parent"]],
    )
    assert Obligation.objects.get(case=family["case"], rule="P5").met_on == days_ago(0)
