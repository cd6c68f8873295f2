"""C1, C2, C4, C9, P8: the case plan, in versions. A version holds goals, each goal small
objectives, each objective action steps naming who does what by when and the expected
outcome. It answers every actionable need (NeedResponse), holds a parenting time plan for
every parent, is made at a family team meeting (C5), signed by the family and the worker
and approved by the supervisor. Safety plans (C4) stand beside it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class CasePlan(TimeStampedModel):
    """One version of a case's plan (`number` 1, 2, ...). A draft is edited; it is adopted
    at a family team meeting, signed, then approved by the supervisor; approving a version
    replaces the one before."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("case plan status", "Draft")
        ADOPTED = "adopted", pgettext_lazy("case plan status", "Adopted, awaiting approval")
        APPROVED = "approved", pgettext_lazy("case plan status", "Approved, in effect")
        REPLACED = "replaced", pgettext_lazy("case plan status", "Replaced by a newer version")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plans")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    permanency_goal = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True, help_text="What must change, in the family's words.")
    trauma_approach = models.TextField(
        blank=True, help_text="How past trauma is addressed for the parents and the child."
    )
    family_supports = models.TextField(
        blank=True, help_text="Support for taking part (transport, schedule, child care)."
    )
    meeting = models.ForeignKey(
        "cases.CaseMeeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="C5: the family team meeting at which this version was made.",
    )
    adopted_on = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="case_plan_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(adopted_on__isnull=False, meeting__isnull=False),
                name="case_plan_adopted_at_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_on__isnull=False),
                name="case_plan_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"Case plan {self.number} ({self.get_status_display().lower()})"


class Goal(models.Model):
    class Area(models.TextChoices):
        SAFETY = "safety", pgettext_lazy("case plan goal area", "Safety")
        PERMANENCY = "permanency", pgettext_lazy("case plan goal area", "Permanency")
        WELL_BEING = "well_being", pgettext_lazy("case plan goal area", "Well-being")

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    area = models.CharField(max_length=12, choices=Area.choices)
    statement = models.TextField(help_text="The change in behaviour that must be achieved.")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.statement[:60]


class Objective(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(default=0)
    statement = models.TextField()
    target_on = models.DateField()
    measure = models.CharField(
        max_length=300, blank=True, help_text="P9: how progress is measured."
    )

    class Meta:
        ordering = ["goal", "order", "id"]

    def __str__(self):
        return self.statement[:60]


class ActionStep(models.Model):
    """C2: who does what by when, and the expected outcome."""

    class Who(models.TextChoices):
        PARENT = "parent", pgettext_lazy("action step who", "Parent")
        CHILD = "child", pgettext_lazy("action step who", "Child or youth")
        CAREGIVER = "caregiver", pgettext_lazy("action step who", "Resource parent or caregiver")
        PROVIDER = "provider", pgettext_lazy("action step who", "Service provider")
        CASEWORKER = "caseworker", pgettext_lazy("action step who", "Caseworker")
        TEAM_MEMBER = "team_member", pgettext_lazy("action step who", "Another team member")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    who = models.CharField(max_length=12, choices=Who.choices)
    who_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    who_name = models.CharField(max_length=200, help_text="The person or provider, by name.")
    what = models.TextField()
    due_on = models.DateField()
    outcome = models.TextField(help_text="The expected outcome, in behaviourally specific words.")
    referral = models.ForeignKey(
        "planning.ServiceReferral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
    )

    class Meta:
        ordering = ["objective", "order", "id"]

    def __str__(self):
        return f"{self.who_name}: {self.what[:60]}"


class StepProgress(models.Model):
    """KCA 13, 14: progress on a step, recorded at a visit, a review or a meeting."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    class At(models.TextChoices):
        VISIT = "visit", "Caseworker visit"
        REVIEW = "review", "Case plan review"
        MEETING = "meeting", "Family team meeting"
        PROVIDER_REPORT = "provider_report", "Provider report"
        OTHER = "other", "Other"

    step = models.ForeignKey(ActionStep, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    at = models.CharField(max_length=16, choices=At.choices)
    contact_note = models.ForeignKey(
        "contacts.ContactNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["step", "-recorded_on", "-id"]

    def __str__(self):
        return f"{self.get_status_display()} on {self.recorded_on}"


class NeedResponse(models.Model):
    """C9: how a plan version answers one actionable need (a rating of 2 or 3): by a goal
    or an objective, or with the reason it is not addressed now."""

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="need_responses")
    rating = models.ForeignKey("planning.Rating", on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="needs"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="needs"
    )
    not_addressed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rating"], name="need_response_once"),
            models.CheckConstraint(
                condition=Q(goal__isnull=False)
                | Q(objective__isnull=False)
                | ~Q(not_addressed_reason=""),
                name="need_response_addressed_or_reason",
            ),
        ]

    def __str__(self):
        return f"Need {self.rating_id} in plan {self.plan_id}"


class ParentingTimePlan(models.Model):
    """C2: a parenting time plan for every parent, the non-custodial one included; the
    visitation plan of the placement work (P5, P6) is linked, not copied."""

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="parenting_time")
    parent = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    visitation_plan = models.ForeignKey(
        "visitation.VisitationPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    arrangements = models.TextField(help_text="When, where, how often, who supervises.")
    behaviours_assessed = models.TextField(
        help_text="The specific activities and behaviours assessed at parenting time."
    )

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "parent"], name="parenting_time_once")
        ]

    def __str__(self):
        return f"Parenting time of {self.parent_id}"


class PlanSignature(models.Model):
    """The parents, the youth of suitable age and the worker take part and sign, as on the
    visitation plan (P6); a participant who disagrees says so, and it is kept."""

    class Role(models.TextChoices):
        PARENT = "parent", pgettext_lazy("case plan signer role", "Parent")
        YOUTH = "youth", pgettext_lazy("case plan signer role", "Youth")
        WORKER = "worker", pgettext_lazy("case plan signer role", "Case manager")
        RESOURCE_PARENT = (
            "resource_parent",
            pgettext_lazy("case plan signer role", "Resource parent"),
        )
        OTHER = "other", pgettext_lazy("case plan signer role", "Other participant")

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", "Signed electronically"
        PAPER = "paper", "Signed on paper (recorded)"

    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="signatures")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=Role.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=8, default="en")
    signed_on = models.DateField(null=True, blank=True)
    signature_method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    signed_as = models.CharField(max_length=200, blank=True)
    agrees = models.BooleanField(null=True, blank=True)
    disagreement = models.TextField(blank=True, help_text="In the participant's own words.")
    declined_on = models.DateField(
        null=True,
        blank=True,
        help_text="The participant declined to sign: recorded with their reason in "
        "`disagreement`, so that a refusal is kept and does not hold the plan back.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    copy_given_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(signed_on__isnull=True) & Q(signature_method=""))
                | (Q(signed_on__isnull=False) & ~Q(signature_method="")),
                name="plan_signature_has_date_and_method",
            ),
            models.CheckConstraint(
                condition=~Q(agrees=False) | ~Q(disagreement=""),
                name="plan_signature_disagreement_recorded",
            ),
            models.CheckConstraint(
                condition=Q(declined_on__isnull=True)
                | (Q(signed_on__isnull=True) & ~Q(disagreement="")),
                name="plan_signature_declined_unsigned_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class SafetyPlan(TimeStampedModel):
    """C4: proactive and reactive measures, each with who and when; a separate plan where
    domestic violence calls for one (the practice guide: "whether separate case plans are
    needed for safety purposes")."""

    class Kind(models.TextChoices):
        GENERAL = "general", "Safety plan"
        DOMESTIC_VIOLENCE = "domestic_violence", "Domestic violence safety plan"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="safety_plans")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    made_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    threats = models.TextField(help_text="The safety threats this plan controls.")
    assessment = models.ForeignKey(
        "planning.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-made_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | Q(status="ended", ended_on__isnull=False),
                name="safety_plan_ended_has_date",
            )
        ]


class SafetyMeasure(models.Model):
    class Kind(models.TextChoices):
        PROACTIVE = "proactive", "Proactive: keeps the threat from arising"
        REACTIVE = "reactive", "Reactive: what is done if it arises"

    safety_plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    what = models.TextField()
    who = models.CharField(max_length=200)
    when = models.CharField(max_length=200, help_text="When or how often.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["safety_plan", "kind", "order", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.what[:60]}"


register_constraint_messages(
    {
        "case_plan_number_unique": ("number", "This case already has a plan with that number."),
        "case_plan_adopted_at_meeting": (
            "meeting",
            "C5: a plan is adopted at a family team meeting, on the meeting's date.",
        ),
        "case_plan_approved_has_date": ("approved_on", "An approved plan needs its date."),
        "need_response_once": ("rating", "A need is answered once in a plan."),
        "need_response_addressed_or_reason": (
            "not_addressed_reason",
            "C9: name the goal or objective that addresses this need, or say why not.",
        ),
        "parenting_time_once": ("parent", "A parent has one parenting time plan."),
        "plan_signature_has_date_and_method": (
            "signature_method",
            "A signature needs its date and how it was given.",
        ),
        "plan_signature_disagreement_recorded": (
            "disagreement",
            "Record the participant's disagreement in their words.",
        ),
        "plan_signature_declined_unsigned_with_reason": (
            "disagreement",
            "A participant who declines to sign has not signed; record why, in their words.",
        ),
        "safety_plan_ended_has_date": ("ended_on", "An ended safety plan needs its end date."),
    }
)
