"""P9: the one scheduler (docs/adr/0012-scheduler.md): `manage.py run_scheduler` runs
send_digests daily at 06:00 and refresh_obligations on the first of each month, in the
agency's time zone, each job once at a time; `--list` shows them, `--once` runs one."""

from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from hearth.core.services import now
from hearth.planning.management.commands import run_scheduler
from hearth.planning.models import DigestSent


def test_p9_the_schedule_has_the_digest_daily_and_the_months_obligations_monthly():
    scheduler = run_scheduler.build_scheduler(BackgroundScheduler)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"send_digests", "refresh_obligations"}
    zone = ZoneInfo(settings.TIME_ZONE)
    moment = now().astimezone(zone)
    digest = jobs["send_digests"].trigger.get_next_fire_time(None, moment)
    assert (digest.hour, digest.minute, str(digest.tzinfo)) == (6, 0, settings.TIME_ZONE)
    assert digest > moment and (digest - moment).days < 1
    monthly = jobs["refresh_obligations"].trigger.get_next_fire_time(None, moment)
    assert (monthly.day, monthly.hour) == (1, 1) and monthly > moment
    for job in jobs.values():
        assert job.max_instances == 1 and job.coalesce
        assert job.args == (job.id,)


def test_p9_run_scheduler_lists_its_jobs_without_running():
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["send_digests", "refresh_obligations"]
    assert "hour='6'" in lines[0] and "day='1'" in lines[1]


@override_settings(HEARTH_DIGEST_TIME="07:30")
def test_p9_the_digest_time_comes_from_the_settings():
    trigger = run_scheduler.jobs()["send_digests"][1]
    assert "hour='7'" in str(trigger) and "minute='30'" in str(trigger)


@override_settings(HEARTH_DIGEST_TIME="6am")
def test_p9_a_bad_time_is_refused():
    with pytest.raises(CommandError, match="HEARTH_DIGEST_TIME"):
        run_scheduler.jobs()


@pytest.mark.django_db(transaction=True)
def test_p9_run_scheduler_once_runs_a_job_and_the_jobs_are_idempotent():
    """--once runs the job now, on fresh connections as the scheduler does (so outside a
    test's transaction); twice changes nothing more."""
    out = StringIO()
    call_command("run_scheduler", "--once", "refresh_obligations", stdout=out)
    call_command("run_scheduler", "--once", "send_digests", stdout=out)
    call_command("run_scheduler", "--once", "send_digests", stdout=out)
    assert not DigestSent.objects.exists()  # nobody has anything due
    with pytest.raises(CommandError):
        call_command("run_scheduler", "--once", "nothing")
