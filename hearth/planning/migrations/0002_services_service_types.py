"""P8: the kinds of service community providers offer exist in every installation (an
administrator adds more in the admin). Codes are stable: the API and the demo use them."""

from django.db import migrations

SERVICE_TYPES = [
    ("parenting-education", "Parenting education"),
    ("individual-counselling", "Individual counselling"),
    ("family-therapy", "Family therapy"),
    ("trauma-therapy", "Trauma-focused therapy"),
    ("substance-use", "Substance use assessment and treatment"),
    ("dv-survivor", "Domestic violence services (survivor)"),
    ("batterer-intervention", "Batterer intervention"),
    ("housing", "Housing assistance"),
    ("mental-health-assessment", "Mental health assessment"),
    ("independent-living", "Independent-living skills"),
    ("tutoring", "Tutoring and educational support"),
    ("in-home-support", "In-home family support"),
    ("medical-dental", "Medical and dental care"),
    ("child-care", "Child care"),
]


def add(apps, schema_editor):
    ServiceType = apps.get_model("planning", "ServiceType")
    for code, name in SERVICE_TYPES:
        ServiceType.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
