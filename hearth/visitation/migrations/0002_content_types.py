"""The moved models' content types (and so their permissions and admin log entries)
follow them from the placements app to this one, rather than being left stale beside new
ones. Rows of django_content_type change; no table does."""

from django.db import migrations

MOVED = [
    "visitationplan",
    "visitarrangement",
    "planparticipant",
    "familyvisit",
    "visitationreview",
    "historicalvisitationplan",
    "historicalplanparticipant",
    "historicalfamilyvisit",
    "historicalfamilyvisit_visitors",
    "historicalvisitationreview",
]


def _move(apps, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    present = set(
        content_type.objects.filter(app_label=target, model__in=MOVED).values_list(
            "model", flat=True
        )
    )
    content_type.objects.filter(app_label=source, model__in=set(MOVED) - present).update(
        app_label=target
    )


def forwards(apps, schema_editor):
    _move(apps, "placements", "visitation")


def backwards(apps, schema_editor):
    _move(apps, "visitation", "placements")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('visitation', '0001_initial'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
