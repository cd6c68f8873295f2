"""The C5 and C7 rules as pure functions: no database."""

from datetime import date

from hearth.policy import teaming as rules


def schedule(**kw):
    base = dict(
        opened_on=date(2026, 1, 31),
        removals=[],
        meetings=[],
        closed_on=None,
        first_days=30,
        interval_days=90,
    )
    base.update(kw)
    return rules.meeting_schedule(**base)


def test_c5_first_meeting_due_30_days_after_opening_across_a_month_end():
    (only,) = schedule()
    assert only.starts_on == date(2026, 1, 31) and only.due_on == date(2026, 3, 2)
    assert only.first and only.met_on is None


def test_c5_first_meeting_after_a_removal_on_29_february():
    (only,) = schedule(opened_on=date(2028, 2, 29), removals=[date(2028, 2, 29)])
    assert only.due_on == date(2028, 3, 30) and only.after_removal


def test_c5_next_meeting_due_interval_after_the_meeting_held_and_one_overdue_waits():
    dues = schedule(meetings=[(date(2026, 2, 20), 7)])
    assert [(d.starts_on, d.due_on, d.meeting_id) for d in dues] == [
        (date(2026, 1, 31), date(2026, 3, 2), 7),
        (date(2026, 2, 20), date(2026, 5, 21), None),
    ]
    # a late meeting still meets the overdue one; the next counts from it
    dues = schedule(meetings=[(date(2026, 6, 30), 8)])
    assert dues[0].met_on == date(2026, 6, 30) and dues[1].due_on == date(2026, 9, 28)


def test_c5_two_meetings_on_one_day_are_one_meetings_worth():
    dues = schedule(meetings=[(date(2026, 2, 20), 1), (date(2026, 2, 20), 2)])
    assert [d.meeting_id for d in dues] == [1, None]


def test_c5_a_later_removal_brings_the_next_meeting_forward_never_back():
    dues = schedule(meetings=[(date(2026, 2, 20), 1)], removals=[date(2026, 3, 10)])
    assert dues[1].due_on == date(2026, 4, 9) and dues[1].after_removal
    dues = schedule(meetings=[(date(2026, 2, 20), 1)], removals=[date(2026, 5, 10)])
    assert dues[1].due_on == date(2026, 5, 21) and not dues[1].after_removal


def test_c5_closing_drops_a_meeting_not_yet_due_and_keeps_an_overdue_one():
    assert schedule(closed_on=date(2026, 2, 10)) == []
    (overdue,) = schedule(closed_on=date(2026, 4, 1))
    assert overdue.due_on == date(2026, 3, 2) and overdue.met_on is None


def test_c5_reaches_back_to_an_overdue_meetings_due_date():
    dues = schedule()
    assert rules.schedule_reaches_back(dues, date(2026, 6, 1)) == date(2026, 3, 2)
    met = schedule(meetings=[(date(2026, 2, 1), 1)])
    assert rules.schedule_reaches_back(met, date(2026, 2, 10)) == date(2026, 2, 10)


def test_c7_who_is_an_american_indian_child():
    yes = dict(icwa_applies="unknown", membership="unknown", has_tribe=True)
    assert rules.american_indian_child(**yes)
    assert rules.american_indian_child(
        icwa_applies="reason_to_know", membership="", has_tribe=False
    )
    assert rules.american_indian_child(
        icwa_applies="unknown", membership="eligible", has_tribe=False
    )
    assert not rules.american_indian_child(**{**yes, "icwa_applies": "no"})
    assert not rules.american_indian_child(
        icwa_applies="unknown", membership="unknown", has_tribe=False
    )


def test_c7_contact_due_three_days_after_the_later_of_assignment_and_opening():
    anchor = rules.tribe_contact_anchor(
        opened_on=date(2026, 1, 28), first_assigned_on=date(2026, 1, 30), joined_on=date(2026, 1, 1)
    )
    assert rules.tribe_contact_due(anchor, days=3) == date(2026, 2, 2)
    leap = rules.tribe_contact_anchor(
        opened_on=date(2028, 2, 27), first_assigned_on=date(2028, 2, 26), joined_on=date(2028, 2, 1)
    )
    assert rules.tribe_contact_due(leap, days=3) == date(2028, 3, 1)
    assert (
        rules.tribe_contact_anchor(
            opened_on=date(2026, 1, 1), first_assigned_on=None, joined_on=date(2026, 1, 1)
        )
        is None
    )
