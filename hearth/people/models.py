"""Persons and the relationships between them."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel
from hearth.people import matching


class Person(TimeStampedModel):
    class DobPrecision(models.TextChoices):
        EXACT = "exact", "Exact"
        APPROXIMATE = "approximate", "Approximate"
        UNKNOWN = "unknown", "Unknown"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNKNOWN = "unknown", "Unknown"

    class Ethnicity(models.TextChoices):
        HISPANIC = "hispanic", "Hispanic or Latino"
        NOT_HISPANIC = "not_hispanic", "Not Hispanic or Latino"
        UNKNOWN = "unknown", "Unknown"
        DECLINED = "declined", "Declined to answer"

    class IcwaMembership(models.TextChoices):
        UNKNOWN = "unknown", "Not yet known"
        MEMBER = "member", "Enrolled member"
        ELIGIBLE = "eligible", "Eligible for membership"
        NOT_MEMBER = "not_member", "Not a member or eligible"

    class IcwaApplies(models.TextChoices):
        UNKNOWN = "unknown", "Not yet determined"
        REASON_TO_KNOW = "reason_to_know", "Reason to know"
        YES = "yes", "ICWA applies"
        NO = "no", "ICWA does not apply"

    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    suffix = models.CharField(max_length=20, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(
        max_length=12, choices=DobPrecision.choices, default=DobPrecision.EXACT
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=60, blank=True)
    primary_language = models.ForeignKey(
        "reference.Language", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    languages = models.ManyToManyField("reference.Language", blank=True, related_name="people")
    races = models.ManyToManyField("reference.Race", blank=True, related_name="people")
    ethnicity = models.CharField(
        max_length=14, choices=Ethnicity.choices, default=Ethnicity.UNKNOWN
    )
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    whereabouts_known = models.BooleanField(default=True)
    incarcerated = models.BooleanField(default=False)
    # ICWA (C7, F5): unknown until asked, never a default "no". None: not yet recorded
    # whether the inquiry was made (not yet asked); True: asked (with its date); False:
    # recorded as not made.
    icwa_inquiry_made = models.BooleanField(null=True, blank=True, default=None)
    icwa_inquiry_date = models.DateField(null=True, blank=True)
    icwa_membership = models.CharField(
        max_length=12, choices=IcwaMembership.choices, default=IcwaMembership.UNKNOWN
    )
    tribes = models.ManyToManyField("reference.Tribe", blank=True, related_name="people")
    icwa_applies = models.CharField(
        max_length=16, choices=IcwaApplies.choices, default=IcwaApplies.UNKNOWN
    )
    tribe_notified_on = models.DateField(null=True, blank=True)
    # The agency that recorded this person; sees them while they are in no case yet.
    recorded_by_agency = models.ForeignKey(
        "staff.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Search keys (hearth.people.matching), derived from the names on every save(): the
    # Metaphone of the last name, and of the full given name the first name stands for
    # (Bill and William share WLM). Bulk loads fill them themselves (hearth.demo.state).
    first_name_key = models.CharField(max_length=matching.KEY_LENGTH, blank=True, editable=False)
    last_name_key = models.CharField(max_length=matching.KEY_LENGTH, blank=True, editable=False)
    history = HistoricalRecords(
        m2m_fields=[languages, races, tribes], excluded_fields=["first_name_key", "last_name_key"]
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), name="person_name_ci"),
            models.Index(fields=["date_of_birth"]),
            # Intake matching: last-name key alone, or with the first-name key. On
            # PostgreSQL, migration 0002 adds trigram (GIN) indexes on the lowered names.
            models.Index(fields=["last_name_key", "first_name_key"], name="person_name_keys"),
            models.Index(fields=["first_name_key"], name="person_first_name_key"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(dob_precision="unknown") | Q(date_of_birth__isnull=True),
                name="person_unknown_dob_is_empty",
            ),
            models.CheckConstraint(
                condition=Q(icwa_inquiry_date__isnull=True) | Q(icwa_inquiry_made=True),
                name="person_icwa_inquiry_date_needs_inquiry",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        """Keep the search keys in step with the names. They are derived from this row's
        own fields only (no query, nothing across relations), so every writer, the
        services, the admin and the test factories alike, stores the same keys."""
        self.first_name_key, self.last_name_key = matching.person_keys(
            self.first_name, self.last_name
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "first_name_key", "last_name_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        parts = [self.first_name, self.middle_name, self.last_name, self.suffix]
        return " ".join(p for p in parts if p)

    def age_on(self, day) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class Relationship(TimeStampedModel):
    """`person` is the <kind> of `other`: e.g. person is the parent of other."""

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        RELATIVE = "relative", "Relative"
        CAREGIVER = "caregiver", "Caregiver"

    class ParentType(models.TextChoices):
        LEGAL = "legal", "Legal parent"
        ALLEGED = "alleged", "Alleged parent"
        PUTATIVE_FATHER = "putative_father", "Putative father"

    class ParentalRights(models.TextChoices):
        INTACT = "intact", "Intact"
        TERMINATED = "terminated", "Terminated"
        RELINQUISHED = "relinquished", "Relinquished"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    other = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reverse_relationships"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent_type = models.CharField(max_length=16, choices=ParentType.choices, blank=True)
    relative_kind = models.CharField(
        max_length=60, blank=True, help_text="For relatives: grandmother, aunt, cousin, ..."
    )
    parental_rights = models.CharField(max_length=14, choices=ParentalRights.choices, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=F("other")), name="relationship_not_self"),
            models.UniqueConstraint(
                fields=["person", "other", "kind"], name="relationship_unique_kind"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="relationship_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["parent", "step_parent"])
                | (Q(parent_type="") & Q(parental_rights="")),
                name="relationship_parent_fields_only_for_parents",
            ),
            models.CheckConstraint(
                condition=~Q(kind="parent") | (~Q(parent_type="") & ~Q(parental_rights="")),
                name="relationship_parent_has_type_and_rights",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.kind} of {self.other_id}"


register_constraint_messages(
    {
        "person_unknown_dob_is_empty": (
            "date_of_birth",
            "A date of birth marked unknown is left empty.",
        ),
        "person_icwa_inquiry_date_needs_inquiry": (
            "icwa_inquiry_date",
            "An ICWA inquiry date needs the inquiry marked as made.",
        ),
        "relationship_not_self": ("other", "A person cannot be related to themselves."),
        "relationship_unique_kind": ("kind", "This relationship is already recorded."),
        "relationship_dates_in_order": ("ends_on", "A relationship cannot end before it starts."),
        "relationship_parent_fields_only_for_parents": (
            "parent_type",
            "A parent type and parental rights are recorded only for a parent or step-parent.",
        ),
        "relationship_parent_has_type_and_rights": (
            "parent_type",
            "A parent needs a parent type and the state of parental rights.",
        ),
    }
)
