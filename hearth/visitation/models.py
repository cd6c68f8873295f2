"""Visitation plans with their arrangements and signatures, family visits, and the
visitation reviews of case meetings (P5 to P7).

These models were the placements app's until issue 11: their tables (and their history
tables) keep the names they had there, so the move changed no table."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy
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
        DRAFT = "draft", pgettext_lazy("visitation plan status", "Awaiting signatures")
        IN_EFFECT = "in_effect", pgettext_lazy("visitation plan status", "Signed by all, in effect")
        REPLACED = "replaced", pgettext_lazy("visitation plan status", "Replaced by a newer plan")
        ENDED = "ended", pgettext_lazy("visitation plan status", "Ended: the child left care")

    class MadeAt(models.TextChoices):
        FAMILY_TEAM_MEETING = (
            "family_team_meeting",
            pgettext_lazy("visitation plan made at", "Family team meeting"),
        )
        PLACEMENT_CONFERENCE = (
            "placement_conference",
            pgettext_lazy("visitation plan made at", "Placement conference"),
        )
        OTHER = (
            "other",
            pgettext_lazy("visitation plan made at", "Another meeting with the resource parents"),
        )

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
        MORE_THAN_WEEKLY = (
            "more_than_weekly",
            pgettext_lazy("visit frequency", "More than once a week"),
        )
        WEEKLY = "weekly", pgettext_lazy("visit frequency", "Weekly")
        EVERY_TWO_WEEKS = "every_two_weeks", pgettext_lazy("visit frequency", "Every two weeks")
        MONTHLY = "monthly", pgettext_lazy("visit frequency", "Monthly")

    class VisitorRole(models.TextChoices):
        PARENT = "parent", pgettext_lazy("visitor role", "Parent")
        SIBLING = "sibling", pgettext_lazy("visitor role", "Sibling")
        RELATIVE = "relative", pgettext_lazy("visitor role", "Relative")
        OTHER = "other", pgettext_lazy("visitor role", "Other interested party")

    class Transport(models.TextChoices):
        NONE = "none", pgettext_lazy("visit transport", "None needed")
        WORKER = "worker", pgettext_lazy("visit transport", "The worker provides transport")
        ARRANGED = (
            "arranged",
            pgettext_lazy("visit transport", "The worker helps arrange transport"),
        )
        REIMBURSED = "reimbursed", pgettext_lazy("visit transport", "Travel costs reimbursed")

    class Place(models.TextChoices):
        """Where, in words a family's copy translates; `location` adds the address."""

        VISIT_CENTER = "visit_center", pgettext_lazy("visit place", "Family visit center")
        FAMILY_HOME = "family_home", pgettext_lazy("visit place", "The family's home")
        RESOURCE_HOME = "resource_home", pgettext_lazy("visit place", "The resource home")
        COMMUNITY = "community", pgettext_lazy("visit place", "A public place in the community")
        FACILITY = "facility", pgettext_lazy("visit place", "The facility where the parent lives")
        OTHER = "other", pgettext_lazy("visit place", "Another place")

    class SupervisedBy(models.TextChoices):
        CASE_MANAGER = "case_manager", pgettext_lazy("visit supervisor", "Case manager")
        AGENCY_STAFF = "agency_staff", pgettext_lazy("visit supervisor", "Agency staff")
        RESOURCE_PARENT = "resource_parent", pgettext_lazy("visit supervisor", "Resource parent")
        RELATIVE = "relative", pgettext_lazy("visit supervisor", "A relative")
        FACILITY_STAFF = "facility_staff", pgettext_lazy("visit supervisor", "Facility staff")
        PROVIDER = "provider", pgettext_lazy("visit supervisor", "A service provider")

    class Day(models.TextChoices):
        MONDAY = "monday", pgettext_lazy("visit day", "Mondays")
        TUESDAY = "tuesday", pgettext_lazy("visit day", "Tuesdays")
        WEDNESDAY = "wednesday", pgettext_lazy("visit day", "Wednesdays")
        THURSDAY = "thursday", pgettext_lazy("visit day", "Thursdays")
        FRIDAY = "friday", pgettext_lazy("visit day", "Fridays")
        SATURDAY = "saturday", pgettext_lazy("visit day", "Saturdays")
        SUNDAY = "sunday", pgettext_lazy("visit day", "Sundays")

    plan = models.ForeignKey(VisitationPlan, on_delete=models.CASCADE, related_name="arrangements")
    visitor = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visitor_name = models.CharField(max_length=200)
    visitor_role = models.CharField(max_length=10, choices=VisitorRole.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    place = models.CharField(max_length=16, choices=Place.choices, blank=True)
    location = models.CharField(
        max_length=200, blank=True, help_text="The address or the place's name, as written."
    )
    supervised = models.BooleanField(default=True)
    supervised_by = models.CharField(max_length=16, choices=SupervisedBy.choices, blank=True)
    supervisor = models.CharField(max_length=200, blank=True, help_text="The supervisor's name.")
    transport = models.CharField(max_length=10, choices=Transport.choices, default=Transport.NONE)
    evenings_weekends = models.BooleanField(default=False)
    day = models.CharField(max_length=10, choices=Day.choices, blank=True)
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    times = models.CharField(
        max_length=200, blank=True, help_text="Anything the day and hours do not say, as written."
    )

    class Meta:
        db_table = "placements_visitarrangement"
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="", location=""), name="visit_arrangement_has_place"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="visit_arrangement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.visitor_name} visits, {self.get_frequency_display().lower()}"


class PlanParticipant(models.Model):
    """P6: everyone who made the plan; each signs and gets a copy."""

    class Role(models.TextChoices):
        PARENT = "parent", pgettext_lazy("plan participant role", "Parent")
        RESOURCE_PARENT = (
            "resource_parent",
            pgettext_lazy("plan participant role", "Resource parent"),
        )
        PROVIDER = "provider", pgettext_lazy("plan participant role", "Placement provider")
        CHILD = "child", pgettext_lazy("plan participant role", "Child")
        SIBLING = "sibling", pgettext_lazy("plan participant role", "Sibling")
        WORKER = "worker", pgettext_lazy("plan participant role", "Case manager")
        SUPERVISOR = "supervisor", pgettext_lazy("plan participant role", "Supervisor")
        OTHER = "other", pgettext_lazy("plan participant role", "Other participant")

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", pgettext_lazy("signature method", "Signed electronically")
        PAPER = "paper", pgettext_lazy("signature method", "Signed on paper (recorded)")

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
        "visit_arrangement_has_place": ("place", "Say where the visits take place."),
        "visit_arrangement_ends_after_start": ("ends_at", "A visit ends after it starts."),
        "visit_not_held_has_reason": ("reason", "A visit not held needs the reason."),
        "review_one_per_child": ("child", "This child's visits are already reviewed here."),
    }
)
