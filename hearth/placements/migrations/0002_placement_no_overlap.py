"""On PostgreSQL, no two placements of a child overlap: an exclusion constraint over the
half-open date range [starts_on, ends_on). SQLite has no such constraint; there the
service's check (hearth.placements.services) is the guard, as it is on both for a clear
error message."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE placements_placement ADD CONSTRAINT placement_no_overlap
EXCLUDE USING gist (child_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&);
ALTER TABLE placements_removalepisode ADD CONSTRAINT episode_no_overlap
EXCLUDE USING gist (child_id WITH =, daterange(removed_on, exited_on, '[)') WITH &&);
"""
DROP = """
ALTER TABLE placements_placement DROP CONSTRAINT placement_no_overlap;
ALTER TABLE placements_removalepisode DROP CONSTRAINT episode_no_overlap;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
