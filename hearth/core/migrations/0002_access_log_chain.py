"""The access log becomes a tamper-evident record of every disclosure: the kind of
disclosure, the viewer's roles and client address, and a hash chain anchored in a one-row
chain table; existing rows are chained in id order. On PostgreSQL a trigger then refuses
UPDATE and DELETE on the log (an operator archiving old rows disables it, see
docs/operator-guide.md)."""

import django.utils.timezone
from django.db import migrations, models

from hearth.core.audit import row_hash

TRIGGER = """
CREATE OR REPLACE FUNCTION core_accesslog_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_accesslog_append_only
    BEFORE UPDATE OR DELETE ON core_accesslog
    FOR EACH ROW EXECUTE FUNCTION core_accesslog_refuse_change();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS core_accesslog_append_only ON core_accesslog;
DROP FUNCTION IF EXISTS core_accesslog_refuse_change();
"""


def chain_existing_rows(apps, schema_editor):
    AccessLog = apps.get_model("core", "AccessLog")
    AccessLogChain = apps.get_model("core", "AccessLogChain")
    previous, last_id = "0" * 64, 0
    for row in AccessLog.objects.order_by("pk").iterator(chunk_size=2000):
        row.row_hash = previous = row_hash(previous, row)
        row.save(update_fields=["row_hash"])
        last_id = row.pk
    AccessLogChain.objects.create(pk=1, head_id=last_id, head_hash=previous)


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessLogChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("anchor_id", models.BigIntegerField(default=0)),
                ("anchor_hash", models.CharField(default="0000000000000000000000000000000000000000000000000000000000000000", max_length=64)),
                ("head_id", models.BigIntegerField(default=0)),
                ("head_hash", models.CharField(default="0000000000000000000000000000000000000000000000000000000000000000", max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="accesslog",
            name="kind",
            field=models.CharField(choices=[("view", "Viewed"), ("list", "Listed"), ("search", "Found by a search"), ("export", "Exported"), ("refused", "Refused")], default="view", max_length=8),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="roles",
            field=models.CharField(blank=True, help_text="The viewer's roles at the time, comma-separated.", max_length=200),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="client_address",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="viewed_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["object_type", "object_id", "-viewed_at"], name="core_access_object__3966d8_idx"),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
