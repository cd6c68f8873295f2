"""P9, the private calendar feed: a revocable token (only its SHA-256 kept, shown once),
the worker's open obligations as all-day events read back by icalendar's parser, UIDs
stable when the engine rewrites the rows, no person's name in the feed, 404 for an
unknown or revoked token, the feed's read in the access log (without the token)."""

from datetime import timedelta

from django.urls import reverse
from icalendar import Calendar

from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.planning.models import CalendarToken
from hearth.planning.services import due as services
from tests.planning.due.conftest import add


def _feed(client, token):
    return client.get(reverse("calendar_feed", args=[token]))


def test_p9_the_feed_parses_as_all_day_events_without_names(case, worker, client, as_user, clean):
    clean()
    child = case.members.get(role="child").person
    add(case, rule="C1", days=-2, description="First case plan")
    add(case, rule="P5", days=3, source="placements", person=child, description="First contact")
    add(case, rule="C3", days=200)  # beyond the feed's horizon
    add(case, rule="C7", days=1, met_on=today(), evidence_type="tribe_contact", evidence_id=1)
    page = as_user(worker).post(reverse("due_calendar"))
    assert page.status_code == 200
    url = page.context["created"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert token in page.content.decode()  # shown this once
    assert token not in as_user(worker).get(reverse("due_calendar")).content.decode()
    client.logout()

    r = _feed(client, token)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/calendar")
    assert "no-store" in r["Cache-Control"]
    cal = Calendar.from_ical(r.content)
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        f"Overdue: C1 First case plan (case {case.case_number})",
        f"P5 First contact (case {case.case_number})",
    ]
    first = events[0]
    assert first.decoded("DTSTART") == today() - timedelta(days=2)  # a date: all day
    assert first.decoded("DTEND") == today() - timedelta(days=1)
    text = r.content.decode()
    for name in (child.first_name, child.last_name, worker.last_name):
        assert name not in text
    # The read is logged, the token is not.
    rows = AccessLog.objects.filter(user=worker.user, object_type="obligation")
    assert rows.count() == 2 and token not in rows.first().path
    assert CalendarToken.objects.get(staff=worker).last_used_at is not None


def test_p9_event_uids_stay_when_the_engine_rewrites_the_rows(case, worker, client, clean):
    clean()
    add(case, rule="C1", days=4)
    _, token = services.calendar_token_create(actor=worker.user, staff=worker)
    before = [
        str(e["UID"]) for e in Calendar.from_ical(_feed(client, token).content).walk("VEVENT")
    ]
    Obligation.objects.all().delete()
    add(case, rule="C1", days=4)  # the same obligation, a new row
    after = [str(e["UID"]) for e in Calendar.from_ical(_feed(client, token).content).walk("VEVENT")]
    assert before == after and len(before) == 1


def test_p9_an_unknown_or_revoked_token_is_a_404(worker, client, as_user):
    _, old = services.calendar_token_create(actor=worker.user, staff=worker)
    assert _feed(client, old).status_code == 200
    _, new = services.calendar_token_create(actor=worker.user, staff=worker)  # revokes old
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    assert _feed(client, "cal_not-a-token").status_code == 404
    as_user(worker).post(reverse("due_calendar_revoke"))
    client.logout()
    assert _feed(client, new).status_code == 404
    assert CalendarToken.objects.filter(staff=worker, revoked_at__isnull=True).count() == 0


def test_p9_a_departed_workers_feed_is_a_404(worker, client):
    _, token = services.calendar_token_create(actor=worker.user, staff=worker)
    worker.user.is_active = False
    worker.user.save()
    assert _feed(client, token).status_code == 404
