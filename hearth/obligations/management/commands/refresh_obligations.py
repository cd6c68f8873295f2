"""Recompute every case's obligations for a month: the job to schedule at the start of
each month, which writes the new month's contact requirements (no event announces a
month's start). Idempotent: each case's rows for the month are replaced in one
transaction. After a change of policy settings, or to repair, run rebuild_obligations."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from hearth.cases.models import Case
from hearth.core.services import parse_month, today
from hearth.obligations.engine import recompute


class Command(BaseCommand):
    help = "Recompute the obligations of every case open in a month."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: this month)")

    def handle(self, *args, month=None, **options):
        first = today().replace(day=1)
        if month:
            try:
                first = parse_month(month)
            except ValueError:
                raise CommandError("--month is YYYY-MM, for example 2026-11.") from None
        cases = Case.objects.filter(
            opened_on__lt=date(first.year + first.month // 12, first.month % 12 + 1, 1)
        )
        cases = cases.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        count = rows = 0
        for case in cases.select_related("agency").order_by("pk").iterator(chunk_size=500):
            rows += recompute(case, months=[first])
            count += 1
        self.stdout.write(f"{rows} obligations for {count} cases in {first:%Y-%m}.")
