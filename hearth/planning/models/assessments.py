"""C3: a dated assessment of a child, a caregiver or the family with one instrument,
repeated when the situation changes. A need rated 2 (act) or 3 (act now) is one of the
case's actionable needs (hearth.planning.selectors.actionable_needs)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class Assessment(TimeStampedModel):
    class Reason(models.TextChoices):
        INITIAL = "initial", "Initial assessment"
        MOVE = "move", "The child moved"
        NEW_MEMBER = "new_member", "A new household member"
        RETURN_HOME = "return_home", "Return home"
        REVIEW = "review", "Case plan review"
        OTHER_CHANGE = "other_change", "Another change in the family's situation"
        CLOSING = "closing", "Before closing"

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"
        VERY_HIGH = "very_high", "Very high"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(
        "planning.Instrument", on_delete=models.PROTECT, related_name="assessments"
    )
    subject = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The child or caregiver assessed; empty for a family assessment.",
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        "staff.StaffMember", on_delete=models.PROTECT, related_name="assessments"
    )
    reason = models.CharField(max_length=14, choices=Reason.choices)
    situation = models.TextField(blank=True, help_text="What changed, in the worker's words.")
    risk_level = models.CharField(
        max_length=10, choices=Risk.choices, blank=True, help_text="Safety and risk only."
    )
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "instrument", "subject", "-assessed_on"])]

    def __str__(self):
        return f"{self.instrument} on {self.assessed_on}"


class Rating(models.Model):
    """One item's rating in an assessment: 0 no need, 1 watch, 2 act, 3 act now (for a
    strength: 0 a strength to build on ... 3 no strength yet), with the worker's note."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey("planning.InstrumentItem", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "item__domain__order", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="rating_once"),
            models.CheckConstraint(condition=Q(score__lte=3), name="rating_score_range"),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.score}"


register_constraint_messages(
    {
        "rating_once": ("item", "An item is rated once in an assessment."),
        "rating_score_range": ("score", "A rating is 0, 1, 2 or 3."),
    }
)
