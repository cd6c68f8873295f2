"""Rebuild every obligation from nothing: each case's rows for every month from its
opening to the latest due date any source can produce, replaced a batch of cases per
transaction (one DELETE and one bulk INSERT each). Run it after a change of policy
settings, after a new obligation source is added, or to repair; the events keep the rows
up to date between runs, and refresh_obligations writes each new month's."""

from django.core.management.base import BaseCommand

from hearth.cases.models import Case
from hearth.obligations.engine import rebuild


class Command(BaseCommand):
    help = "Recompute every case's obligations for every month, from nothing."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="cases per transaction")
        parser.add_argument("--case", type=int, action="append", help="only this case id")

    def handle(self, *args, batch_size=200, case=None, **options):
        cases = Case.objects.select_related("agency").order_by("pk")
        if case:
            cases = cases.filter(pk__in=case)
        total = cases.count()

        def progress(done, rows):
            self.stdout.write(f"{done}/{total} cases, {rows} obligations")

        done, rows = rebuild(
            cases.iterator(chunk_size=batch_size), batch_size=batch_size, progress=progress
        )
        self.stdout.write(f"Rebuilt {rows} obligations for {done} cases.")
