"""Cases, their members, assignments, access grants and the case timeline."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class Case(TimeStampedModel):
    class Type(models.TextChoices):
        INVESTIGATION = "investigation", "Investigation"
        IN_HOME_NON_COURT = "in_home_non_court", "In-home, non-court"
        IN_HOME_DEPENDENCY = "in_home_dependency", "In-home dependency (court)"
        OUT_OF_HOME = "out_of_home", "Out-of-home"
        VOLUNTARY_IN_HOME = "voluntary_in_home", "Voluntary in-home"

    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        ASSIGNED = "assigned", "Assigned"
        OPEN = "open", "Open"
        CLOSURE_RECOMMENDED = "closure_recommended", "Closure recommended"
        CLOSED = "closed", "Closed"

    class GenderPreference(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NONBINARY = "nonbinary", "Non-binary"

    class Complexity(models.IntegerChoices):
        LOW = 1, "Low"
        MODERATE = 2, "Moderate"
        HIGH = 3, "High"
        VERY_HIGH = 4, "Very high"

    case_number = models.CharField(max_length=20, unique=True)
    agency = models.ForeignKey("staff.Agency", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        "staff.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    county = models.ForeignKey("reference.County", on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField(max_length=20, choices=Type.choices)
    court_involved = models.BooleanField(
        default=False, help_text="The child is a ward of the state (court-involved)."
    )
    out_of_county = models.BooleanField(default=False)
    icpc = models.BooleanField(
        default=False, help_text="Interstate Compact on the Placement of Children case."
    )
    complexity = models.PositiveSmallIntegerField(
        choices=Complexity.choices, default=Complexity.MODERATE
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRED)
    opened_on = models.DateField(help_text="Date the referral was received.")
    closed_on = models.DateField(null=True, blank=True)
    # O1: the day the contractor first recommended the case's closure to the state; from
    # then on the state's oversight staff see a non-court case's content.
    closure_recommended_on = models.DateField(null=True, blank=True)
    prior_case = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reopenings"
    )
    # Family characteristics (A2 d, e, f)
    substance_abuse = models.BooleanField(default=False)
    domestic_violence = models.BooleanField(default=False)
    developmentally_delayed_parent = models.BooleanField(default=False)
    teenager_in_home = models.BooleanField(default=False)
    languages = models.ManyToManyField("reference.Language", blank=True, related_name="cases")
    culture = models.CharField(max_length=200, blank=True)
    gender_preference = models.CharField(
        max_length=12,
        blank=True,
        choices=GenderPreference.choices,
        help_text="The family's stated preference for the case manager's gender (A2 f).",
    )
    # The family's address at referral (A2 g: distance to the worker's office).
    address_line1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # A staff member's own family, a high-profile case: only the assigned workers, the
    # unit's supervisor, the agency's program directors and named staff may open it
    # (hearth.cases.access; docs/adr/0010-restricted-cases.md).
    restricted = models.BooleanField(default=False)
    history = HistoricalRecords(m2m_fields=[languages])

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_on__isnull=False))
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="case_closed_status_has_date",
            ),
            models.CheckConstraint(
                condition=Q(prior_case__isnull=True) | ~Q(prior_case=F("id")),
                name="case_prior_not_self",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self):
        return self.case_number

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    FAMILY_NEEDS = {
        "substance_abuse": "substance abuse",
        "domestic_violence": "domestic violence",
        "developmentally_delayed_parent": "developmentally delayed parent",
        "teenager_in_home": "teenager in the home",
    }

    @property
    def family_needs(self) -> list[str]:
        """The family characteristics (A2 d, e, f) recorded, as words."""
        return [label for field, label in self.FAMILY_NEEDS.items() if getattr(self, field)]


class CaseMember(TimeStampedModel):
    class Role(models.TextChoices):
        CHILD = "child", "Child in the case"
        SIBLING = "sibling", "Sibling"
        PARENT = "parent", "Parent"
        CAREGIVER = "caregiver", "Caregiver"
        HOUSEHOLD_MEMBER = "household_member", "Other household member"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    in_household = models.BooleanField(default=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="case_member_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=Q(ends_on__isnull=True),
                name="case_member_one_current_membership",
            ),
        ]
        indexes = [models.Index(fields=["person", "case"])]

    def __str__(self):
        return f"{self.person_id} as {self.role} in {self.case_id}"


class Assignment(TimeStampedModel):
    """Who manages a case, from when to when, assigned by whom and why (A6)."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary case manager"
        SECONDARY = "secondary", "Secondary case manager"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    worker = models.ForeignKey(
        "staff.StaffMember", on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey("staff.Unit", on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRIMARY)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    # A7: why the decision departs from the system's top recommendation.
    override_reason = models.TextField(blank=True)
    # A5: before issue 11 a program director could assign above a hard limit with a reason;
    # it is kept on those assignments and no longer written (A5 is a hard limit).
    limit_override_reason = models.TextField(blank=True)
    end_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="assignment_dates_in_order",
            ),
            # Exactly one current primary case manager per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ends_on__isnull=True, kind="primary"),
                name="assignment_one_current_primary",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="assignment_has_reason"),
        ]
        indexes = [
            models.Index(
                fields=["worker", "case"],
                condition=Q(ends_on__isnull=True),
                name="assignment_current_by_worker",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} -> {self.worker_id} ({self.starts_on})"


class CaseAccessGrant(TimeStampedModel):
    """A named staff member's access to a case: a state staff member's oversight (O4) or
    QA review sample (O3), or a staff member of the case's agency named on a restricted
    case (read-only, and only while the case is restricted)."""

    class Purpose(models.TextChoices):
        OVERSIGHT = "oversight", "State oversight"
        QA_REVIEW = "qa_review", "Quality assurance review"
        NAMED = "named", "Named on a restricted case"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_grants")
    staff = models.ForeignKey(
        "staff.StaffMember", on_delete=models.PROTECT, related_name="case_grants"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    # O4: an oversight grant made by routing keeps the ranking it was chosen from (the
    # specialists, their loads and why), and the reason when the top one was overridden.
    ranking = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    end_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="grant_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(purpose="named") | ~Q(reason=""), name="grant_named_has_reason"
            ),
            models.UniqueConstraint(
                fields=["case", "staff", "purpose"],
                condition=Q(ends_on__isnull=True),
                name="grant_one_current_per_purpose",
            ),
        ]
        indexes = [
            models.Index(
                fields=["staff", "case"], condition=Q(ends_on__isnull=True), name="grant_current"
            )
        ]


class CaseMeeting(TimeStampedModel):
    """A meeting about a case: a placement conference, or a family team meeting (case
    planning). Each app adds its own part of the record: placements the visitation
    reviews (P7)."""

    class Kind(models.TextChoices):
        PLACEMENT_CONFERENCE = "placement_conference", "Placement conference"
        FAMILY_TEAM_MEETING = "family_team_meeting", "Family team meeting"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    held_on = models.DateField()
    participants = models.TextField(help_text="Who took part, one per line, with their role.")
    decisions = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.held_on}"


EFFECTIVE_ON = "effective_on"  # the payload's day the event itself took place


class CaseEvent(models.Model):
    """The append-only case timeline, written in the same transaction as the change.

    Created only through hearth.cases.events. `occurred_at` is when it was recorded; an
    event that took place on a day of its own (a removal, a visit, a contact) carries that
    day in its payload (`effective_on`), and the timeline is dated by it.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]

    def __str__(self):
        return f"{self.type} on {self.case_id}"

    @property
    def type_label(self) -> str:
        return self.type.replace("_", " ").capitalize()

    @property
    def effective_on(self) -> date | None:
        """The day the event took place, when it is not the day it was recorded."""
        value = self.payload.get(EFFECTIVE_ON)
        return date.fromisoformat(value) if value else None

    @property
    def timeline_on(self) -> date:
        return self.effective_on or timezone.localdate(self.occurred_at)


register_constraint_messages(
    {
        "grant_named_has_reason": ("reason", "Say why this staff member is named on the case."),
        "case_closed_after_opened": ("closed_on", "A case cannot close before it opened."),
        "case_closed_status_has_date": (
            "closed_on",
            "A closed case needs its closing date, and only a closed case has one.",
        ),
        "case_prior_not_self": ("prior_case", "A case cannot be its own prior case."),
        "case_member_dates_in_order": ("ends_on", "A membership cannot end before it starts."),
        "case_member_one_current_membership": (
            "person",
            "This person is already a current member of the case.",
        ),
        "assignment_dates_in_order": ("ends_on", "An assignment cannot end before it starts."),
        "assignment_one_current_primary": (
            "worker",
            "The case already has a current primary worker.",
        ),
        "assignment_has_reason": ("reason", "Give the reason for this assignment."),
        "grant_dates_in_order": ("ends_on", "Access cannot end before it starts."),
        "grant_one_current_per_purpose": (
            "staff",
            "This staff member already has current access to the case for this purpose.",
        ),
    }
)
