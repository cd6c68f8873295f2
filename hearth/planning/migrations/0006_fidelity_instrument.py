"""C8: the practice fidelity instrument of quality assurance reviews (O3), loaded from
hearth/planning/instruments/fidelity.json by the loader 0003 uses (idempotent, by code);
`manage.py load_instruments` updates it."""

from django.db import migrations


def add(apps, schema_editor):
    from hearth.planning.instruments import fidelity_instruments, load

    load(
        fidelity_instruments(),
        Instrument=apps.get_model("planning", "Instrument"),
        Domain=apps.get_model("planning", "InstrumentDomain"),
        Item=apps.get_model("planning", "InstrumentItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("planning", "0005_fidelity_kind")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
