"""manage.py load_instruments: make or update the default assessment instruments (C3)
from hearth/planning/instruments/*.json, by code. Idempotent: run it again after
changing a file; nothing is duplicated."""

from django.core.management.base import BaseCommand
from django.db import transaction

from hearth.planning.instruments import default_instruments, load
from hearth.planning.models import Instrument, InstrumentDomain, InstrumentItem


class Command(BaseCommand):
    help = "Load the default assessment instruments (C3) from their JSON files, by code."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = load(
                default_instruments(),
                Instrument=Instrument,
                Domain=InstrumentDomain,
                Item=InstrumentItem,
            )
        line = f"Instruments: {counts['created']} created, {counts['updated']} updated"
        if counts["kept"]:
            line += f"; {counts['kept']} retired items or domains kept (rated)"
        self.stdout.write(line)
