"""C3: the three default assessment instruments (family, child, safety and risk), loaded
from hearth/planning/instruments/{family,child,safety}.json (the files it knew; later
files have their own migrations); `manage.py load_instruments` updates them."""

from django.db import migrations


def add(apps, schema_editor):
    from hearth.planning.instruments import default_instruments, load

    load(
        default_instruments("family", "child", "safety"),
        Instrument=apps.get_model("planning", "Instrument"),
        Domain=apps.get_model("planning", "InstrumentDomain"),
        Item=apps.get_model("planning", "InstrumentItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_services_service_types")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
