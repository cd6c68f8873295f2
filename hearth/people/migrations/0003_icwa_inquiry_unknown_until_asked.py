"""C7, F5: whether the ICWA inquiry was made is unknown until asked, never a default "no".
The field becomes nullable (None: not yet asked). Every False stored so far was the old
default, not an answer (an inquiry date always came with True, by constraint): without an
inquiry date it becomes None; True stays True."""

from django.db import migrations, models


def false_to_unknown(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Person.objects.filter(icwa_inquiry_made=False, icwa_inquiry_date__isnull=True).update(
        icwa_inquiry_made=None
    )


def unknown_to_false(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Person.objects.filter(icwa_inquiry_made__isnull=True).update(icwa_inquiry_made=False)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_name_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalperson",
            name="icwa_inquiry_made",
            field=models.BooleanField(blank=True, default=None, null=True),
        ),
        migrations.AlterField(
            model_name="person",
            name="icwa_inquiry_made",
            field=models.BooleanField(blank=True, default=None, null=True),
        ),
        migrations.RunPython(false_to_unknown, unknown_to_false),
    ]
