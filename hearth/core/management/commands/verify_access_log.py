"""Verify the access log's hash chain: `manage.py verify_access_log`.

Recomputes every row's hash from the chain's anchor in id order. Prints that the chain is
intact with the number of rows, or names the first broken link and exits non-zero."""

from django.core.management.base import BaseCommand, CommandError

from hearth.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the access log's hash chain; exit non-zero at the first broken link."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Access log chain BROKEN after {report.rows} intact rows: {report.problem}."
            )
        span = f" (rows {report.first_id} to {report.last_id})" if report.rows else ""
        self.stdout.write(f"Access log chain intact: {report.rows} rows{span}.")
