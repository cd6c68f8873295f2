"""O1, O2, P1: the contractor's recommendations to the state and the state's reviews.

A recommendation (closure of any case; a case plan or a court report of a court-involved
case) goes through rounds: the contractor submits it (its supervisor approving it first
where the agency's settings say so), the state specialist responsible for the case
records findings and decides, approve or return with reasons; a returned recommendation
is revised and submitted again as a new round. Every round is kept, with who and when.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class Recommendation(TimeStampedModel):
    class Kind(models.TextChoices):
        CLOSURE = "closure", "Case closure"
        CASE_PLAN = "case_plan", "Case plan"
        COURT_REPORT = "court_report", "Court report"

    class Status(models.TextChoices):
        AWAITING_SUPERVISOR = "awaiting_supervisor", "Awaiting the supervisor's approval"
        SUBMITTED = "submitted", "Submitted to the state"
        RETURNED = "returned", "Returned for revision"
        APPROVED = "approved", "Approved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="recommendations")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    # P1 (closure): why the family no longer needs protection and the parents can care
    # for the child; O2 (plan, report): what the contractor recommends to the court.
    reasons = models.TextField()
    plan = models.ForeignKey(
        "planning.CasePlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    court_report = models.ForeignKey(
        "oversight.CourtReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    submitted_by = models.ForeignKey(
        "staff.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    # The state specialist the review is routed to (O4); the review is due by `due_on`.
    reviewer = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    # O2: an approved case plan or court report presented to the court, at a hearing.
    presented_at = models.ForeignKey(
        "oversight.Hearing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    presented_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status__in=["awaiting_supervisor", "submitted", "returned"]),
                name="recommendation_one_pending_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "status", "due_on"]),
            models.Index(fields=["case", "kind"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} recommendation {self.pk}"


class RecommendationRound(models.Model):
    """One submission of a recommendation and what became of it."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField()
    reasons = models.TextField(help_text="The recommendation as submitted in this round.")
    submitted_by = models.ForeignKey(
        "staff.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    supervisor_approved_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor_approved_at = models.DateTimeField(null=True, blank=True)
    sent_to_state_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["recommendation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "number"], name="recommendation_round_unique"
            ),
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(decision_reasons=""),
                name="recommendation_return_has_reasons",
            ),
        ]

    def __str__(self):
        return f"Round {self.number} of recommendation {self.recommendation_id}"


class Finding(models.Model):
    """One finding of a round's review: O1's four for a closure, O2's reasonable efforts
    and best interest for a court-involved case; yes or no, with the evidence cited from
    the record (`evidence`: a list of {"type", "id"} of notes, services, safety plans,
    assessments, plans) and in words."""

    class Code(models.TextChoices):
        REASONABLE_EFFORTS = "reasonable_efforts", "Reasonable efforts were made"
        THREATS_MITIGATED = "threats_mitigated", "Safety threats eliminated or mitigated"
        AFTERCARE = "aftercare", "Aftercare services are available"
        BEST_INTEREST = "best_interest", "In the child's best interest"

    round = models.ForeignKey(
        RecommendationRound, on_delete=models.CASCADE, related_name="findings"
    )
    code = models.CharField(max_length=20, choices=Code.choices)
    met = models.BooleanField()
    explanation = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="finding_once_per_round"),
        ]

    def __str__(self):
        return f"{self.code}: {'yes' if self.met else 'no'}"


register_constraint_messages(
    {
        "recommendation_one_pending_per_kind": (
            "kind",
            "The case already has a recommendation of this kind awaiting a decision.",
        ),
        "recommendation_round_unique": ("recommendation", "This round is already recorded."),
        "recommendation_return_has_reasons": (
            "reasons",
            "Say why the recommendation is returned.",
        ),
        "finding_once_per_round": ("code", "Each finding is recorded once per review."),
    }
)
