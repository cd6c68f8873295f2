"""Routing decisions of referrals to units (A1, A3, A4) and the agency's rotation turn."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hearth.core.models import TimeStampedModel


class Routing(TimeStampedModel):
    """Which unit a referral was sent to, by which rule and why. The latest is current;
    earlier ones stay as the case's routing history."""

    class Rule(models.TextChoices):
        A1 = "A1", "A1: caseload size or rotation"
        A3 = "A3", "A3: re-opened case to its previous unit"
        A4 = "A4", "A4: out-of-county or ICPC to the support unit"
        MANUAL = "manual", "Sent by a program director"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="routings")
    unit = models.ForeignKey("staff.Unit", on_delete=models.PROTECT, related_name="routings")
    rule = models.CharField(max_length=8, choices=Rule.choices)
    strategy = models.CharField(max_length=12)
    explanation = models.TextField()
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self):
        return f"{self.case_id} -> {self.unit_id} ({self.rule})"


class Rotation(models.Model):
    """A1 by rotation: the unit that received the agency's last rotated referral."""

    agency = models.OneToOneField("staff.Agency", on_delete=models.PROTECT, related_name="rotation")
    last_unit = models.ForeignKey(
        "staff.Unit", null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.agency_id}: last {self.last_unit_id}"
