"""C5, P7: family team meetings (a cases.CaseMeeting of kind family_team_meeting with its
planning record: type, facilitator, participants and their input in their words), and the
supervisor's case conferences (the practice guide's "how to use your supervisor"; V13's
documented reasons)."""

from django.conf import settings
from django.db import models

from hearth.core.models import TimeStampedModel


class TeamMeeting(models.Model):
    class Type(models.TextChoices):
        INITIAL = "initial", "Initial (after removal or opening)"
        PLACEMENT_CHANGE = "placement_change", "Placement change"
        PLAN_REVIEW = "plan_review", "Case plan review"
        PERMANENCY = "permanency", "Permanency planning"
        TRANSITION = "transition", "Transition to adulthood"
        CLOSING = "closing", "Before closing"
        OTHER = "other", "Other"

    meeting = models.OneToOneField(
        "cases.CaseMeeting", on_delete=models.CASCADE, primary_key=True, related_name="team"
    )
    type = models.CharField(max_length=18, choices=Type.choices)
    facilitator = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facilitator_name = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    starts_at = models.TimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.get_type_display()} meeting {self.meeting_id}"


class MeetingParticipant(models.Model):
    class Role(models.TextChoices):
        PARENT = "parent", "Parent"
        YOUTH = "youth", "Child or youth"
        RELATIVE = "relative", "Relative"
        INFORMAL_SUPPORT = "informal_support", "Informal support"
        FORMAL_SUPPORT = "formal_support", "Formal support"
        PROVIDER = "provider", "Service provider"
        RESOURCE_PARENT = "resource_parent", "Resource parent"
        CASEWORKER = "caseworker", "Caseworker"
        SUPERVISOR = "supervisor", "Supervisor"
        TRIBE = "tribe", "Tribal representative"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=18, choices=Role.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(default=True)
    input = models.TextField(blank=True, help_text="What they said, in their words.")

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class SupervisorConference(TimeStampedModel):
    """A dated staffing note: what was discussed, the decisions, and the documented reason
    when a child or parent is not being seen (V13)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="supervisor_conferences"
    )
    held_on = models.DateField()
    supervisor = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discussed = models.TextField()
    decisions = models.TextField()
    not_seen = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_seen_reason = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "-held_on", "-id"]
