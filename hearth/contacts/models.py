"""Contact notes (V8 to V11), their amendments, and what changes a parent's contact
requirement: a supervisor's exception (V7, V8) or contact plan (V6)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class ContactNote(TimeStampedModel):
    """One contact, or one locate effort; it serves every requirement it meets (V10).
    A draft until its author finalizes it; a finalized note is only amended."""

    class Kind(models.TextChoices):
        CONTACT = "contact", "Contact"
        LOCATE = "locate", "Locate effort"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone call"
        LETTER = "letter", "Letter or written"
        ATTEMPTED = "attempted", "Attempted, not seen"

    class Location(models.TextChoices):
        CHILD_RESIDENCE = "child_residence", "The child's residence"
        PLACEMENT = "placement", "The placement"
        PARENTS_HOME = "parents_home", "The parents' home"
        OFFICE = "office", "Office"
        SCHOOL = "school", "School"
        COURT = "court", "Court"
        OTHER = "other", "Other"

    class LocateMethod(models.TextChoices):
        LETTER = "letter_last_address", "Letter to the last known address"
        CALL = "call_last_number", "Call to the last known number"
        RELATIVES = "relatives", "Relatives contacted"
        LOCATE_SERVICE = "locate_service", "Parent locate service"
        HOME_VISIT = "home_visit_last_address", "Home visit to the last known address"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        "staff.StaffMember", null=True, on_delete=models.PROTECT, related_name="notes"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CONTACT)
    occurred_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=Method.choices)
    location = models.CharField(max_length=16, choices=Location.choices, blank=True)
    contact_with = models.ManyToManyField("people.Person", blank=True, related_name="+")
    purpose = models.CharField(max_length=200, blank=True)
    narrative = models.TextField()
    locate_subject = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locate_method = models.CharField(max_length=24, choices=LocateMethod.choices, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    finalized_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[contact_with])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="locate") & Q(locate_subject__isnull=False) & ~Q(locate_method="")
                )
                | (Q(kind="contact") & Q(locate_subject__isnull=True) & Q(locate_method="")),
                name="note_locate_fields_only_on_locate_efforts",
            ),
            models.CheckConstraint(
                condition=(Q(status="final") & Q(finalized_at__isnull=False))
                | (Q(status="draft") & Q(finalized_at__isnull=True)),
                name="note_final_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "occurred_at"]),
            models.Index(fields=["status", "occurred_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_at:%Y-%m-%d} in {self.case_id}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class Collateral(models.Model):
    """Someone outside the case the contact was with (V12: a call to the placement)."""

    class Kind(models.TextChoices):
        RESOURCE_PARENT = "resource_parent", "Resource parent"
        PROVIDER = "provider", "Provider"
        TEACHER = "teacher", "Teacher"
        TRIBE = "tribe", "Tribe"
        OTHER = "other", "Other"

    note = models.ForeignKey(ContactNote, on_delete=models.CASCADE, related_name="collaterals")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["note", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}".strip()


class NoteAmendment(models.Model):
    """An addition to a finalized note: the note and its amendments all stay."""

    note = models.ForeignKey(ContactNote, on_delete=models.PROTECT, related_name="amendments")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["note", "created_at", "id"]

    def __str__(self):
        return f"Amendment {self.pk} of note {self.note_id}"


class ParentContactException(TimeStampedModel):
    """A supervisor-approved change to a parent's monthly visit: an exception (V7: a
    call or letter at least every three months) or a parent living far away (V8: calls
    and letters)."""

    class Kind(models.TextChoices):
        EXCEPTION = "exception", "Exception to the monthly visit (V7)"
        FAR_AWAY = "far_away", "Lives far away: calls and letters (V8)"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="contact_exceptions"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField()
    approved_by = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="exception_dates_in_order",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="exception_has_reason"),
        ]

    def __str__(self):
        return f"{self.kind} for {self.person_id} from {self.starts_on}"


class ParentContactPlan(TimeStampedModel):
    """V6: the contact the supervisor and worker set for a parent when the child's goal
    is neither reunification nor remain with family."""

    class Need(models.TextChoices):
        IN_PERSON = "in_person", "Seen in person"
        CALL_OR_LETTER = "call_or_letter", "A call or letter"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="parent_contact_plans"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    need = models.CharField(max_length=16, choices=Need.choices)
    every_months = models.PositiveSmallIntegerField(default=1)
    agreed_by = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="contact_plan_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(every_months__gte=1) & Q(every_months__lte=12),
                name="contact_plan_every_1_to_12_months",
            ),
        ]

    def __str__(self):
        return f"{self.need} every {self.every_months} months for {self.person_id}"


class NotSeenReason(TimeStampedModel):
    """V13: the documented reason a child or parent is not being seen, recorded where it
    was discussed (a supervisor case conference: `source`, `source_id`). An unmet
    requirement to see the person, whose window holds the day `on`, carries it as its
    reason (hearth.contacts.obligations): the dashboard shows it, and a recompute keeps
    it, since it is read from here."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    reason = models.TextField()
    source = models.CharField(max_length=40, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="not_seen_reason_has_reason")
        ]
        indexes = [models.Index(fields=["case", "on"])]


register_constraint_messages(
    {
        "not_seen_reason_has_reason": ("reason", "Give the documented reason (V13)."),
        "note_locate_fields_only_on_locate_efforts": (
            "locate_subject",
            "A locate effort names the person looked for and how; a contact names neither.",
        ),
        "note_final_has_time": ("status", "A final note needs the time it was finalized."),
        "exception_dates_in_order": ("ends_on", "An exception ends after the day it starts."),
        "exception_has_reason": ("reason", "Give the reason for the exception."),
        "contact_plan_dates_in_order": ("ends_on", "A plan ends after the day it starts."),
        "contact_plan_every_1_to_12_months": (
            "every_months",
            "A plan asks for a contact every 1 to 12 months.",
        ),
    }
)
