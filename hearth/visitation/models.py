"""Visitation plans with their arrangements and signatures, family visits, and the
visitation reviews of case meetings (P5 to P7).

These models were the placements app's until issue 11: their tables (and their history
tables) keep the names they had there, so the move changed no table."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class KeptHistory(HistoricalRecords):
    """History whose tables keep their names from the placements app: `table_name` names
    the history table, and a many-to-many field's history table is named after it
    (`<table_name>_<field>`), as it was there."""

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        field = through_model._meta.object_name.split("_", 1)[1]
        options["db_table"] = f"{self.table_name}_{field}"
        return options


class VisitationPlan(TimeStampedModel):
    """P5, P6: who visits whom, how often, where; made with the resource parents, signed
    by every participant. Once anyone signs, the plan is not edited: a new plan replaces
    it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Awaiting signatures"
        IN_EFFECT = "in_effect", "Signed by all, in effect"
        REPLACED = "replaced", "Replaced by a newer plan"
        ENDED = "ended", "Ended: the child left care"

    class MadeAt(models.TextChoices):
        FAMILY_TEAM_MEETING = "family_team_meeting", "Family team meeting"
        PLACEMENT_CONFERENCE = "placement_conference", "Placement conference"
        OTHER = "other", "Another meeting with the resource parents"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="visit_plans")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visit_plans")
    episode = models.ForeignKey(
        "placements.RemovalEpisode", on_delete=models.PROTECT, related_name="visit_plans"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    made_at = models.CharField(max_length=24, choices=MadeAt.choices)
    made_on = models.DateField()
    in_effect_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    less_than_weekly_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    history = KeptHistory(table_name="placements_historicalvisitationplan")

    class Meta:
        db_table = "placements_visitationplan"
        ordering = ["-made_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="in_effect"), name="visit_plan_one_in_effect"
            ),
            models.CheckConstraint(
                condition=~Q(status="in_effect") | Q(in_effect_on__isnull=False),
                name="visit_plan_in_effect_has_date",
            ),
        ]

    def __str__(self):
        return f"Visitation plan {self.pk} for {self.child_id}"


class VisitArrangement(models.Model):
    class Frequency(models.TextChoices):
        MORE_THAN_WEEKLY = "more_than_weekly", "More than once a week"
        WEEKLY = "weekly", "Weekly"
        EVERY_TWO_WEEKS = "every_two_weeks", "Every two weeks"
        MONTHLY = "monthly", "Monthly"

    class VisitorRole(models.TextChoices):
        PARENT = "parent", "Parent"
        SIBLING = "sibling", "Sibling"
        RELATIVE = "relative", "Relative"
        OTHER = "other", "Other interested party"

    class Transport(models.TextChoices):
        NONE = "none", "None needed"
        WORKER = "worker", "The worker provides transport"
        ARRANGED = "arranged", "The worker helps arrange transport"
        REIMBURSED = "reimbursed", "Travel costs reimbursed"

    plan = models.ForeignKey(VisitationPlan, on_delete=models.CASCADE, related_name="arrangements")
    visitor = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visitor_name = models.CharField(max_length=200)
    visitor_role = models.CharField(max_length=10, choices=VisitorRole.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    location = models.CharField(max_length=200)
    supervised = models.BooleanField(default=True)
    supervisor = models.CharField(max_length=200, blank=True)
    transport = models.CharField(max_length=10, choices=Transport.choices, default=Transport.NONE)
    evenings_weekends = models.BooleanField(default=False)
    times = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "placements_visitarrangement"
        ordering = ["plan", "id"]

    def __str__(self):
        return f"{self.visitor_name} visits, {self.get_frequency_display().lower()}"


class PlanParticipant(models.Model):
    """P6: everyone who made the plan; each signs and gets a copy."""

    class Role(models.TextChoices):
        PARENT = "parent", "Parent"
        RESOURCE_PARENT = "resource_parent", "Resource parent"
        PROVIDER = "provider", "Placement provider"
        CHILD = "child", "Child"
        SIBLING = "sibling", "Sibling"
        WORKER = "worker", "Case manager"
        SUPERVISOR = "supervisor", "Supervisor"
        OTHER = "other", "Other participant"

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", "Signed electronically"
        PAPER = "paper", "Signed on paper (recorded)"

    plan = models.ForeignKey(VisitationPlan, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=Role.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(null=True, blank=True)
    signature_method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    signed_as = models.CharField(
        max_length=200, blank=True, help_text="The name typed as an electronic signature."
    )
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    copy_given_on = models.DateField(null=True, blank=True)
    history = KeptHistory(table_name="placements_historicalplanparticipant")

    class Meta:
        db_table = "placements_planparticipant"
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(signed_on__isnull=True) & Q(signature_method=""))
                | (Q(signed_on__isnull=False) & ~Q(signature_method="")),
                name="participant_signature_has_date_and_method",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def signed(self) -> bool:
        return self.signed_on is not None


class FamilyVisit(TimeStampedModel):
    """P5: a family visit held, missed or cancelled, with the reason."""

    class Status(models.TextChoices):
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="family_visits")
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="family_visits"
    )
    plan = models.ForeignKey(
        VisitationPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    visit_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField(blank=True)
    visitors = models.ManyToManyField("people.Person", blank=True, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    supervised = models.BooleanField(default=False)
    history = KeptHistory(m2m_fields=[visitors], table_name="placements_historicalfamilyvisit")

    class Meta:
        db_table = "placements_familyvisit"
        ordering = ["-visit_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="held") | ~Q(reason=""), name="visit_not_held_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["child", "visit_on"])]


class VisitationReview(TimeStampedModel):
    """P7: a child's visitation schedule reviewed at a case meeting (a placement
    conference here; family team meetings reuse it)."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the schedule"
        CHANGE = "change", "Change the schedule (a new plan follows)"

    meeting = models.ForeignKey(
        "cases.CaseMeeting", on_delete=models.PROTECT, related_name="visitation_reviews"
    )
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        VisitationPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    obstacles = models.TextField(blank=True)
    plan_to_overcome = models.TextField(blank=True)
    history = KeptHistory(table_name="placements_historicalvisitationreview")

    class Meta:
        db_table = "placements_visitationreview"
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "child"], name="review_one_per_child"),
        ]


register_constraint_messages(
    {
        "visit_plan_one_in_effect": ("child", "This child already has a plan in effect."),
        "visit_plan_in_effect_has_date": (
            "in_effect_on",
            "A plan in effect needs the day it took effect.",
        ),
        "participant_signature_has_date_and_method": (
            "signed_on",
            "A signature needs its date and its method.",
        ),
        "visit_not_held_has_reason": ("reason", "A visit not held needs the reason."),
        "review_one_per_child": ("child", "This child's visits are already reviewed here."),
    }
)
