"""O2: upcoming hearings in the worker's and the specialist's due lists and calendar feed."""

from hearth.core.services import now
from hearth.obligations.models import Obligation
from hearth.oversight.services import court as services
from hearth.planning.selectors.due import due_list
from hearth.planning.views.due import calendar_ics
from tests.oversight.court.conftest import at


def test_o2_hearing_appears_in_the_worker_and_the_specialist_due_lists(hearing, worker, specialist):
    mine = [o for o in due_list(viewer=worker.user).items if o.need == "court_hearing"]
    assert len(mine) == 1
    row = mine[0]
    assert row.source == "court" and row.rule == "O2" and row.due_on == at(10).date()
    assert row.responsible_id == worker.pk and row.person_id == hearing.child_id
    assert "09:30" in row.description and "Review hearing" in row.description
    theirs = [o for o in due_list(viewer=specialist.user).items if o.need == "court_hearing"]
    assert len(theirs) == 1 and theirs[0].source == "oversight"
    assert theirs[0].responsible_id == specialist.pk and theirs[0].unit_id is None


def test_o2_calendar_feed_shows_the_hearing_with_its_time(hearing, worker):
    items = due_list(viewer=worker.user, horizon_days=90).items
    ics = calendar_ics(items, stamp=now()).decode()
    assert "O2 Review hearing at 09:30" in ics
    assert "Noah" not in ics  # no names in a calendar


def test_o2_hearing_met_when_held(past_hearing, worker, specialist):
    services.hearing_record_outcome(
        actor=worker.user, hearing=past_hearing, version=past_hearing.version, outcome="Held."
    )
    rows = Obligation.objects.filter(need="court_hearing")
    assert rows.count() == 2
    assert all(o.met_on == at(-1).date() and o.evidence_type == "hearing" for o in rows)
    assert all(o.evidence_id == past_hearing.pk for o in rows)


def test_o2_cancelled_or_moved_hearing_leaves_no_row(hearing, worker):
    """Moved to a later month, then back (the month it left is recomputed), then cancelled."""
    for days in (50, 3):
        hearing = services.hearing_update(
            actor=worker.user, hearing=hearing, version=hearing.version, scheduled_at=at(days)
        )
    assert list(Obligation.objects.filter(source="court").values_list("due_on", flat=True)) == [
        at(3).date()
    ]
    services.hearing_update(
        actor=worker.user, hearing=hearing, version=hearing.version, change="cancel"
    )
    assert not Obligation.objects.filter(need="court_hearing").exists()


def test_o2_far_hearing_reaches_the_due_list_horizon(family, worker, specialist):
    services.hearing_schedule(
        actor=worker.user, case=family["case"], type="permanency", scheduled_at=at(75), court="C"
    )
    assert Obligation.objects.filter(need="court_hearing", due_on=at(75).date()).count() == 2
    assert not [o for o in due_list(viewer=worker.user).items if o.need == "court_hearing"]
    assert [o for o in due_list(viewer=worker.user, horizon_days=90).items if o.rule == "O2"]
