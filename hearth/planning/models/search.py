"""C6: the diligent search log; C7: collaboration with an American Indian child's tribe."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel


class DiligentSearch(TimeStampedModel):
    class SoughtFor(models.TextChoices):
        EXTENDED_FAMILY = "extended_family", "Extended family"
        ABSENT_PARENT = "absent_parent", "Absent parent"
        PUTATIVE_FATHER = "putative_father", "Putative father"

    class Method(models.TextChoices):
        FAMILY_INTERVIEW = "family_interview", "Asked the family"
        PHONE = "phone", "Telephone"
        LETTER = "letter", "Letter"
        DATABASE = "database", "Records search"
        REGISTRY = "registry", "Putative father registry"
        SOCIAL_MEDIA = "social_media", "Social media"
        VISIT = "visit", "Visit to a last known address"
        OTHER = "other", "Other"

    class Result(models.TextChoices):
        FOUND = "found", "Found"
        NOT_FOUND = "not_found", "Not found"
        PENDING = "pending", "Awaiting an answer"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="searches")
    sought_for = models.CharField(max_length=16, choices=SoughtFor.choices)
    sought_name = models.CharField(max_length=200, help_text="Who is sought, as known.")
    method = models.CharField(max_length=16, choices=Method.choices)
    searched_on = models.DateField()
    result = models.CharField(max_length=10, choices=Result.choices)
    found_person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "-searched_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="found") | Q(found_person__isnull=False),
                name="search_found_names_person",
            )
        ]


class TribeContact(TimeStampedModel):
    """C7: within 3 days of assignment or opening, the worker contacts the tribe of an
    American Indian child; the tribe defines the active efforts."""

    class Method(models.TextChoices):
        PHONE = "phone", "Telephone"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        MEETING = "meeting", "At a meeting"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="tribe_contacts")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    tribe = models.ForeignKey("reference.Tribe", on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices)
    tribe_contact_name = models.CharField(max_length=200, blank=True)
    response = models.TextField(blank=True, help_text="The tribe's answer, in its words.")
    active_efforts = models.TextField(
        blank=True, help_text="The active efforts the tribe defined for the agency."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "-contacted_on", "-id"]


register_constraint_messages(
    {
        "search_found_names_person": (
            "found_person",
            "C6: a person found is added to the family; name them.",
        )
    }
)
