"""P9: send the day's due-list digest to every active worker with items (overdue, or due
within the agency's digest_horizon_days). Idempotent: one email per worker per day
(DigestSent), so a second run the same day sends nothing. Scheduled daily by
run_scheduler (docs/adr/0012-scheduler.md)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from hearth.planning.services.due import digests_send


class Command(BaseCommand):
    help = "Send the daily due-list digest by email (once per worker per day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, date=None, **options):
        on = None
        if date:
            try:
                on = _parse(date)
            except ValueError:
                raise CommandError("--date is YYYY-MM-DD, for example 2026-11-30.") from None
        result = digests_send(on=on)
        self.stdout.write(
            f"Digests: {result.sent} sent, {result.already} already sent, "
            f"{result.empty} with nothing due, {result.failed} failed."
        )
        if result.failed:
            raise CommandError(f"{result.failed} digests were not sent; run again to retry.")


def _parse(raw: str):
    return date.fromisoformat(raw.strip())
