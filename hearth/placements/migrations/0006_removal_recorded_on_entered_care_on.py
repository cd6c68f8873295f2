"""F5: `entered_on` was the day the removal was recorded; it is renamed `recorded_on`,
and `entered_care_on`, the date the child entered foster care (AFCARS), is its own
field: filled from the episode's first placement where there is one, else left empty
(unknown), never defaulted."""

import hearth.core.services
from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Q, Subquery


def backfill_entered_care(apps, schema_editor):
    """The date the child entered care is the first placement's start, where the episode
    has a placement (on or after the removal); the others stay unknown."""
    RemovalEpisode = apps.get_model("placements", "RemovalEpisode")
    Placement = apps.get_model("placements", "Placement")
    placements = Placement.objects.filter(episode=OuterRef("pk"))
    first = placements.order_by("starts_on", "id").values("starts_on")[:1]
    RemovalEpisode.objects.filter(entered_care_on__isnull=True).filter(
        Exists(placements), removed_on__lte=Subquery(first)
    ).update(entered_care_on=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0005_removal_entered_on_clock"),
    ]

    operations = [
        migrations.RenameField(
            model_name="removalepisode", old_name="entered_on", new_name="recorded_on"
        ),
        migrations.RenameField(
            model_name="historicalremovalepisode", old_name="entered_on", new_name="recorded_on"
        ),
        migrations.AlterField(
            model_name="removalepisode",
            name="recorded_on",
            field=models.DateField(
                default=hearth.core.services.today,
                editable=False,
                help_text="The day this removal was recorded (never edited).",
            ),
        ),
        migrations.AlterField(
            model_name="historicalremovalepisode",
            name="recorded_on",
            field=models.DateField(
                default=hearth.core.services.today,
                editable=False,
                help_text="The day this removal was recorded (never edited).",
            ),
        ),
        migrations.AddField(
            model_name="removalepisode",
            name="entered_care_on",
            field=models.DateField(
                blank=True,
                null=True,
                help_text="The date the child entered foster care (AFCARS); empty when unknown.",
            ),
        ),
        migrations.AddField(
            model_name="historicalremovalepisode",
            name="entered_care_on",
            field=models.DateField(
                blank=True,
                null=True,
                help_text="The date the child entered foster care (AFCARS); empty when unknown.",
            ),
        ),
        migrations.RunPython(backfill_entered_care, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="removalepisode",
            constraint=models.CheckConstraint(
                condition=Q(entered_care_on__isnull=True) | Q(entered_care_on__gte=F("removed_on")),
                name="episode_entered_care_after_removal",
            ),
        ),
    ]
