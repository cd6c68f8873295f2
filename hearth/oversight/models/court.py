"""O2: court hearings of court-involved cases and the court reports prepared for them."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class Hearing(TimeStampedModel):
    class Type(models.TextChoices):
        SHELTER = "shelter", "Shelter"
        ADJUDICATION = "adjudication", "Adjudication"
        DISPOSITION = "disposition", "Disposition"
        REVIEW = "review", "Review"
        PERMANENCY = "permanency", "Permanency"
        TPR = "tpr", "Termination of parental rights"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CONTINUED = "continued", "Continued"
        CANCELLED = "cancelled", "Cancelled"

    class Finding(models.TextChoices):
        NOT_ADDRESSED = "", "Not addressed"
        MADE = "made", "Found"
        NOT_MADE = "not_made", "Not found"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="hearings")
    # The child the hearing is about (none: every child of the case).
    child = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(max_length=14, choices=Type.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_at = models.DateTimeField()
    court = models.CharField(max_length=200)
    judge = models.CharField(max_length=200, blank=True)
    state_attendee = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state_testifies = models.BooleanField(default=False)
    outcome = models.TextField(blank=True)
    orders = models.TextField(blank=True)
    reasonable_efforts_finding = models.CharField(max_length=8, choices=Finding.choices, blank=True)
    best_interest_finding = models.CharField(max_length=8, choices=Finding.choices, blank=True)
    next_hearing_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [
            models.Index(fields=["case", "scheduled_at"]),
            models.Index(fields=["scheduled_at"]),
        ]

    def __str__(self):
        return f"{self.get_type_display()} hearing {self.scheduled_at:%Y-%m-%d}"


class CourtReport(TimeStampedModel):
    """A report to the court, generated from the record as an editable draft (its
    sections), approved through a court report recommendation (O2), then a PDF."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="court_reports")
    hearing = models.ForeignKey(
        Hearing, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # {section code: text}: family, placements, contacts, visitation, plan progress,
    # services, assessments, recommendation; generated, then edited.
    sections = models.JSONField(default=dict)
    prepared_by = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="court_report_period_in_order",
            ),
        ]

    def __str__(self):
        return f"Court report {self.pk} ({self.period_start} to {self.period_end})"


register_constraint_messages(
    {
        "court_report_period_in_order": (
            "period_end",
            "The period ends on or after its first day.",
        ),
    }
)
