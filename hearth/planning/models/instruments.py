"""C3: assessment instruments are configured, not coded. An instrument has domains, each
domain items; an item is a need or a strength, rated 0 (no need), 1 (watch), 2 (act) or
3 (act now). The defaults ship as data (hearth/planning/instruments/*.json, loaded by the
migration and by `manage.py load_instruments`); an agency may add its own.

C8: the practice fidelity instrument (kind fidelity, subject the case's practice) holds the
fidelity measures of the practice guide as items: it is the instrument of the state's
quality assurance reviews (O3), never one a family is assessed with."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class Instrument(TimeStampedModel):
    class Subject(models.TextChoices):
        CHILD = "child", "A child"
        CAREGIVER = "caregiver", "A parent or caregiver"
        FAMILY = "family", "The family"
        CASE = "case", "The case's practice"

    class Kind(models.TextChoices):
        NEEDS = "needs", "Strengths and needs"
        SAFETY = "safety", "Safety and risk"
        FIDELITY = "fidelity", "Practice fidelity (quality assurance)"

    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=10, choices=Subject.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(blank=True)
    agency = models.ForeignKey(
        "staff.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments",
        help_text="Empty for an instrument every agency uses.",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(agency__isnull=True), name="instrument_shared_code"
            ),
            models.UniqueConstraint(fields=["agency", "code"], name="instrument_agency_code"),
        ]

    def __str__(self):
        return self.name


class InstrumentDomain(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="domains")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    min_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Rated only for a subject of at least this age."
    )

    class Meta:
        ordering = ["instrument", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="domain_code_unique")
        ]

    def __str__(self):
        return self.name


class InstrumentItem(models.Model):
    class Kind(models.TextChoices):
        NEED = "need", "Need"
        STRENGTH = "strength", "Strength"

    domain = models.ForeignKey(InstrumentDomain, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=40)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NEED)
    trauma = models.BooleanField(
        default=False, help_text="A trauma need: the plan names how trauma is addressed."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["domain", "code"], name="item_code_unique")]

    def __str__(self):
        return self.text


register_constraint_messages(
    {
        "instrument_shared_code": ("code", "An instrument with this code already exists."),
        "instrument_agency_code": ("code", "The agency already has an instrument with this code."),
        "domain_code_unique": ("code", "The instrument already has a domain with this code."),
        "item_code_unique": ("code", "The domain already has an item with this code."),
    }
)
