"""Search keys on persons for intake matching (issue 5): the Metaphone keys of the first
(canonical given name) and last names, filled for the existing rows, and on PostgreSQL
the pg_trgm extension with trigram (GIN) indexes on the lowered first and last names."""

from django.db import migrations, models

from hearth.people import matching

TRIGRAM_INDEXES = {
    "person_last_name_trgm": "last_name",
    "person_first_name_trgm": "first_name",
}


def fill_keys(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    rows = Person.objects.using(schema_editor.connection.alias).only(
        "id", "first_name", "last_name"
    )
    for person in rows.order_by("pk").iterator(chunk_size=2000):
        person.first_name_key, person.last_name_key = matching.person_keys(
            person.first_name, person.last_name
        )
        batch.append(person)
        if len(batch) == 1000:
            Person.objects.bulk_update(batch, ["first_name_key", "last_name_key"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["first_name_key", "last_name_key"])


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite matches on the keys, a name prefix and the date of birth
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_person "
            f"USING gin (lower({column}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="first_name_key",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="person",
            name="last_name_key",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["last_name_key", "first_name_key"], name="person_name_keys"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["first_name_key"], name="person_first_name_key"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
