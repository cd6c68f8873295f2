"""O3, C8, P9: quality assurance reviews of the contractor's practice. A sample of cases
is drawn per period (random, stratified by contractor and unit, reproducible from its
seed); a QA reviewer answers each item of the fidelity instrument (planning.Instrument of
kind fidelity) yes, no or not applicable with a comment; the finalized review is shown to
the contractor, who may respond. An item whose compliance falls below its threshold opens
a corrective action with an owner, a due date and follow-up reviews."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class QaSample(TimeStampedModel):
    instrument = models.ForeignKey(
        "planning.Instrument", on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    size = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    # The contractor sampled (none: every contractor in the state).
    agency = models.ForeignKey(
        "staff.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_by = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="qa_sample_period_in_order",
            ),
        ]

    def __str__(self):
        return f"QA sample {self.pk} ({self.period_start} to {self.period_end})"


class QaSampleCase(models.Model):
    """One case drawn, with the stratum it was drawn from and its reviewer."""

    sample = models.ForeignKey(QaSample, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("staff.Agency", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "staff.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sample", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "case"], name="qa_sample_case_once"),
        ]
        indexes = [models.Index(fields=["reviewer", "sample"])]

    def __str__(self):
        return f"Case {self.case_id} in sample {self.sample_id}"


class QaReview(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINALIZED = "finalized", "Finalized"

    sample_case = models.OneToOneField(
        QaSampleCase, on_delete=models.PROTECT, related_name="review"
    )
    reviewer = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    due_on = models.DateField()
    finalized_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    contractor_response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["reviewer", "status"]),
            models.Index(fields=["status", "finalized_on"]),
        ]

    def __str__(self):
        return f"QA review {self.pk}"


class QaAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_APPLICABLE = "na", "Not applicable"

    review = models.ForeignKey(QaReview, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey("planning.InstrumentItem", on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=3, choices=Answer.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="qa_answer_once_per_item"),
        ]
        indexes = [models.Index(fields=["item", "answer"])]

    def __str__(self):
        return f"{self.item_id}: {self.answer}"


class CorrectiveAction(TimeStampedModel):
    """P9: feedback that triggers corrective action: an item of a contractor (or one of
    its units) below its threshold in a period."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    agency = models.ForeignKey("staff.Agency", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "staff.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey("planning.InstrumentItem", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    compliance_percent = models.PositiveSmallIntegerField()
    threshold_percent = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    plan = models.TextField(blank=True, help_text="What the contractor will do.")
    follow_up_reviews = models.ManyToManyField(QaReview, blank=True, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "unit", "item"],
                condition=Q(status="open"),
                name="corrective_action_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="corrective_action_closed_has_date",
            ),
        ]

    def __str__(self):
        return f"Corrective action {self.pk}"


register_constraint_messages(
    {
        "qa_sample_period_in_order": ("period_end", "The period ends on or after its first day."),
        "qa_sample_case_once": ("case", "The case is already in this sample."),
        "qa_answer_once_per_item": ("item", "Each item is answered once per review."),
        "corrective_action_one_open": (
            "item",
            "A corrective action for this item is already open for this contractor and unit.",
        ),
        "corrective_action_closed_has_date": ("closed_on", "A closed action has its date."),
    }
)
