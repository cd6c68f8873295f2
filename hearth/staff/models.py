"""Agencies, units and staff members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel
from hearth.policy.settings import DEFAULTS, PolicySettings, validate_overrides


class Agency(TimeStampedModel):
    class Kind(models.TextChoices):
        STATE_OVERSIGHT = "state_oversight", "State oversight agency"
        LEAD_CONTRACTOR = "lead_contractor", "Lead contractor"
        SERVICE_PROVIDER = "service_provider", "Service provider"

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Jurisdiction numbers that differ from the policies' defaults (see hearth.policy.settings).
    policy_overrides = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name

    @property
    def policy(self) -> PolicySettings:
        return DEFAULTS.merged(self.policy_overrides)

    def clean(self):
        problems = validate_overrides(self.policy_overrides)
        if problems:
            raise ValidationError({"policy_overrides": problems})


class Unit(TimeStampedModel):
    class Kind(models.TextChoices):
        CASE_MANAGEMENT = "case_management", "Case management"
        CASE_MANAGEMENT_SUPPORT = "case_management_support", "Case management support"
        OVERSIGHT = "oversight", "Oversight"
        QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    counties = models.ManyToManyField("reference.County", blank=True, related_name="units")
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[counties])

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", "Case manager"
    SUPERVISOR = "supervisor", "Supervisor"
    PROGRAM_DIRECTOR = "program_director", "Program director"
    INTAKE_COORDINATOR = "intake_coordinator", "Intake coordinator"
    STATE_OVERSIGHT = "state_oversight", "State oversight specialist"
    STATE_SUPERVISOR = "state_supervisor", "State oversight supervisor"
    QA_REVIEWER = "qa_reviewer", "QA reviewer"
    ADMINISTRATOR = "administrator", "Administrator"


class StaffMember(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_LEAVE = "on_leave", "On leave"
        DEPARTED = "departed", "Departed"

    class Experience(models.IntegerChoices):
        NEW = 1, "New (under 1 year)"
        DEVELOPING = 2, "Developing (1 to 3 years)"
        EXPERIENCED = 3, "Experienced (3 to 7 years)"
        SENIOR = 4, "Senior (over 7 years)"

    class Supervision(models.IntegerChoices):
        CLOSE = 3, "Close supervision"
        REGULAR = 2, "Regular supervision"
        MINIMAL = 1, "Minimal supervision"

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NONBINARY = "nonbinary", "Non-binary"
        UNDISCLOSED = "undisclosed", "Prefers not to say"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    hire_date = models.DateField()
    preservice_training_completed_on = models.DateField(null=True, blank=True)
    experience_level = models.PositiveSmallIntegerField(
        choices=Experience.choices, default=Experience.NEW
    )
    supervision_level = models.PositiveSmallIntegerField(
        choices=Supervision.choices, default=Supervision.REGULAR
    )
    skills = models.ManyToManyField("reference.Skill", blank=True, related_name="staff")
    languages = models.ManyToManyField("reference.Language", blank=True, related_name="staff")
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    culture = models.CharField(
        max_length=200,
        blank=True,
        help_text="Cultural communities the worker belongs to or knows well (A2 f).",
    )
    office_county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    office_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    departed_on = models.DateField(null=True, blank=True)
    # Set when the account is created (API, admin, services) or by an administrator;
    # cleared when the staff member chooses their own password (hearth.staff.signin).
    must_change_password = models.BooleanField(
        default=False, help_text="Sends the staff member to choose a new password at sign-in."
    )
    history = HistoricalRecords(m2m_fields=[skills, languages])

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(preservice_training_completed_on__isnull=True)
                | Q(preservice_training_completed_on__gte=models.F("hire_date")),
                name="staff_training_after_hire",
            ),
            models.CheckConstraint(
                condition=(Q(status="departed") & Q(departed_on__isnull=False))
                | (~Q(status="departed") & Q(departed_on__isnull=True)),
                name="staff_departed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def role_set(self) -> frozenset[str]:
        """The staff member's roles; loaded once (prefetch `roles`)."""
        cached = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(r.role for r in self.roles.all())
            self._role_set = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class StaffRole(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=24, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="staff_role_unique"),
        ]
        indexes = [models.Index(fields=["role", "staff"])]

    def __str__(self):
        return self.get_role_display()


register_constraint_messages(
    {
        "unit_name_unique_in_agency": ("name", "The agency already has a unit with this name."),
        "staff_training_after_hire": (
            "preservice_training_completed_on",
            "Pre-service training cannot be completed before the hire date.",
        ),
        "staff_departed_has_date": (
            "departed_on",
            "A departed staff member needs a departure date, and only a departed one has one.",
        ),
        "staff_role_unique": ("role", "The staff member already has this role."),
    }
)
