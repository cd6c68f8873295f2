"""The one scheduler the operator starts (docs/adr/0012-scheduler.md): APScheduler's
BlockingScheduler in its own process, with cron triggers in the agency's time zone
(TIME_ZONE):

- send_digests every day at HEARTH_DIGEST_TIME (default 06:00): P9's daily digest;
- refresh_obligations on the first of each month at HEARTH_MONTHLY_TIME (default 01:00):
  the new month's obligations.

Both jobs are idempotent (a second run sends or writes nothing more), so a restart, a
missed run caught up, or a second scheduler started by mistake does no harm. `--list`
prints the jobs and their next runs and exits; `--once JOB` runs one job now and exits."""

from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from hearth.core.services import now

# A run missed (the scheduler was down) is still made if it is this late, once.
MISFIRE_GRACE_SECONDS = 6 * 3600


def _at(raw: str, name: str) -> tuple[int, int]:
    try:
        hour, minute = (int(x) for x in raw.split(":"))
    except ValueError:
        raise CommandError(f"{name} is HH:MM, for example 06:00.") from None
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise CommandError(f"{name} is HH:MM, for example 06:00.")
    return hour, minute


def run_job(command: str) -> None:
    """Run one management command as a job, on fresh database connections."""
    close_old_connections()
    try:
        call_command(command)
    finally:
        close_old_connections()


def jobs() -> dict[str, tuple[str, CronTrigger]]:
    """The schedule: job id -> (what it does, its trigger)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    dh, dm = _at(settings.HEARTH_DIGEST_TIME, "HEARTH_DIGEST_TIME")
    mh, mm = _at(settings.HEARTH_MONTHLY_TIME, "HEARTH_MONTHLY_TIME")
    return {
        "send_digests": (
            "The daily due-list digest by email (P9)",
            CronTrigger(hour=dh, minute=dm, timezone=zone),
        ),
        "refresh_obligations": (
            "The new month's obligations",
            CronTrigger(day=1, hour=mh, minute=mm, timezone=zone),
        ),
    }


def build_scheduler(scheduler_class=BlockingScheduler):
    scheduler = scheduler_class(timezone=ZoneInfo(settings.TIME_ZONE))
    for job_id, (label, trigger) in jobs().items():
        scheduler.add_job(
            run_job,
            trigger,
            args=[job_id],
            id=job_id,
            name=label,
            coalesce=True,  # several missed runs are made once
            max_instances=1,  # never two of the same job at once
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            replace_existing=True,
        )
    return scheduler


class Command(BaseCommand):
    help = "Run the scheduled jobs (the daily digest, the month's obligations) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Print the jobs and exit.")
        parser.add_argument("--once", metavar="JOB", help="Run one job now and exit.")

    def handle(self, *args, list=False, once=None, **options):
        schedule = jobs()
        if once:
            if once not in schedule:
                raise CommandError(f"--once: one of {', '.join(schedule)}.")
            run_job(once)
            return
        if list:
            moment = now()
            for job_id, (label, trigger) in schedule.items():
                upcoming = trigger.get_next_fire_time(None, moment)
                self.stdout.write(f"{job_id}: {label}; {trigger}; next {upcoming.isoformat()}")
            return
        scheduler = build_scheduler()
        self.stdout.write(f"Scheduler started ({settings.TIME_ZONE}): {', '.join(schedule)}.")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            self.stdout.write("Scheduler stopped.")
