"""Routing decisions of referrals to units (A1, A3, A4) and the agency's rotation turn."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
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


class Report(TimeStampedModel):
    """What a referral reports (issue 15): who reported (an anonymous reporter's name and
    contact are not recorded), the narrative, the response priority, and the state's
    safety determination with the threats identified, which the closure review's "threats
    eliminated or mitigated" finding later answers (O1). One per referral."""

    class ReporterRole(models.TextChoices):
        TEACHER = "teacher", "School staff or teacher"
        MEDICAL = "medical", "Medical professional"
        LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
        SOCIAL_SERVICES = "social_services", "Social services or counsellor"
        CHILD_CARE = "child_care", "Child care provider"
        RELATIVE = "relative", "Relative"
        PARENT = "parent", "Parent or caregiver"
        NEIGHBOUR = "neighbour", "Neighbour or friend"
        CHILD = "child", "The child"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known (anonymous)"

    class Priority(models.TextChoices):
        # The hours of each are policy settings (response_*_hours).
        IMMEDIATE = "immediate", "Immediate"
        URGENT = "urgent", "Urgent"
        ROUTINE = "routine", "Routine"

    class Determination(models.TextChoices):
        SAFE = "safe", "Safe"
        CONDITIONALLY_SAFE = "conditionally_safe", "Conditionally safe"
        UNSAFE = "unsafe", "Unsafe"

    class Threat(models.TextChoices):
        VIOLENT_CAREGIVER = "violent_caregiver", "A caregiver is violent or acts dangerously"
        SERIOUS_HARM = "serious_harm", "The child has a serious injury or untreated condition"
        NO_SUPERVISION = "no_supervision", "No adult supervises or protects the child"
        BASIC_NEEDS = "basic_needs", "Food, shelter or medical care are not provided"
        SUBSTANCE_USE = "substance_use", "A caregiver's substance use stops them caring"
        MENTAL_HEALTH = "mental_health", "A caregiver's mental health stops them caring"
        SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse, the alleged perpetrator has access"
        HAZARDOUS_HOME = "hazardous_home", "The home is hazardous"
        DOMESTIC_VIOLENCE = "domestic_violence", "Domestic violence endangers the child"
        CHILD_FEARFUL = "child_fearful", "The child is afraid of a caregiver or of going home"
        FAMILY_MAY_FLEE = "family_may_flee", "The family refuses access or may flee"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="report")
    reporter_role = models.CharField(max_length=20, choices=ReporterRole.choices)
    reporter_anonymous = models.BooleanField(default=False)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    reporter_email = models.EmailField(max_length=200, blank=True)
    narrative = models.TextField()
    response_priority = models.CharField(max_length=10, choices=Priority.choices)
    safety_determination = models.CharField(max_length=20, choices=Determination.choices)
    # Threat codes (Threat), in the order given; none when the child is safe.
    safety_threats = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reporter_anonymous=False)
                | models.Q(reporter_name="", reporter_phone="", reporter_email=""),
                name="report_anonymous_has_no_contact",
            ),
        ]

    def __str__(self):
        return f"Report of {self.case_id}"

    @property
    def threat_labels(self) -> list[str]:
        return [self.Threat(code).label for code in self.safety_threats]


class Allegation(TimeStampedModel):
    """A maltreatment alleged of a child of the referral, and by whom (a person in the
    case, or not known)."""

    class Type(models.TextChoices):
        PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
        SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
        EMOTIONAL_ABUSE = "emotional_abuse", "Emotional abuse"
        NEGLECT = "neglect", "Neglect"
        MEDICAL_NEGLECT = "medical_neglect", "Medical neglect"
        ABANDONMENT = "abandonment", "Abandonment"
        TRAFFICKING = "trafficking", "Sex or labour trafficking"
        OTHER = "other", "Other"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="allegations")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    maltreatment_type = models.CharField(max_length=20, choices=Type.choices)
    alleged_perpetrator = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "child", "maltreatment_type", "alleged_perpetrator"],
                name="allegation_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_maltreatment_type_display()} of {self.child_id}"


register_constraint_messages(
    {
        "report_anonymous_has_no_contact": (
            "reporter_anonymous",
            "An anonymous report keeps no name, phone or email of the reporter.",
        ),
        "allegation_once": (
            "maltreatment_type",
            "This allegation is already recorded for this child and alleged perpetrator.",
        ),
    }
)
