"""The skills that meet the family needs recorded at intake (A2 d) exist in every agency:
hearth.policy.assignment.NEED_SKILLS names them by code."""

from django.db import migrations

NEED_SKILLS = [
    ("substance-abuse", "Substance-abusing families"),
    ("domestic-violence", "Domestic violence"),
    ("dd-parents", "Developmentally delayed parents"),
    ("teenagers", "Teenagers"),
]


def add(apps, schema_editor):
    Skill = apps.get_model("reference", "Skill")
    for code, name in NEED_SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("reference", "0002_tribe_placement_order")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
