"""Removals, placements, the resource directory, schools and permanency goals (P2 to P4,
V11, V12, F5). Visitation plans, family visits and their reviews are hearth.visitation's.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel
from hearth.core.services import today


class Setting(models.TextChoices):
    RELATIVE_HOME = "relative_home", "Relative or kin home"
    RESOURCE_FAMILY_HOME = "resource_family_home", "Licensed resource family home"
    THERAPEUTIC_FOSTER_HOME = "therapeutic_foster_home", "Therapeutic foster home"
    PRE_ADOPTIVE_HOME = "pre_adoptive_home", "Pre-adoptive home"
    GROUP_HOME = "group_home", "Group home"
    SHELTER = "shelter", "Shelter"
    RESIDENTIAL_TREATMENT = "residential_treatment", "Residential treatment center"
    QRTP = "qrtp", "Qualified residential treatment program"
    SUPERVISED_INDEPENDENT_LIVING = "supervised_independent_living", "Supervised independent living"
    JUVENILE_JUSTICE = "juvenile_justice", "Juvenile justice or correctional facility"
    MEDICAL_PSYCHIATRIC = "medical_psychiatric", "Medical or psychiatric facility"
    TRIAL_HOME_VISIT = "trial_home_visit", "Trial home visit"
    RUNAWAY = "runaway", "Runaway"
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown", "Whereabouts unknown"


class Need(models.TextChoices):
    """Needs a home or facility serves, matched against a child's needs."""

    MEDICAL = "medical", "Medical needs"
    BEHAVIORAL = "behavioral", "Behavioral health"
    DEVELOPMENTAL = "developmental", "Developmental disability"
    SIBLING_GROUP = "sibling_group", "Sibling group"
    INFANT = "infant", "Infant care"
    PARENTING_TEEN = "parenting_teen", "Pregnant or parenting teen"
    SUBSTANCE_USE = "substance_use", "Substance use"
    LGBTQ_AFFIRMING = "lgbtq_affirming", "LGBTQ+ affirming"


class GenderAccepted(models.TextChoices):
    ANY = "any", "Any gender"
    FEMALE = "female", "Girls only"
    MALE = "male", "Boys only"


class ResourceHome(TimeStampedModel):
    """The resource directory: licensed homes and facilities (not a relative's own home,
    which is offered from the child's relationships). Program directors of the licensing
    agency keep its homes (home.manage); the home's manager, a staff member who supports
    and licenses it, hears of its licence and accepts placements for it."""

    name = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "staff.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="homes"
    )
    setting = models.CharField(max_length=30, choices=Setting.choices)
    licence_number = models.CharField(max_length=40, blank=True)
    licensed_on = models.DateField(
        null=True, blank=True, help_text="The day the current licence was issued or renewed."
    )
    licence_expires_on = models.DateField(null=True, blank=True)
    manager = models.ForeignKey(
        "staff.StaffMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_homes",
        help_text="The staff member who supports and licenses the home: hears of its licence "
        "and accepts placements for it.",
    )
    capacity = models.PositiveSmallIntegerField()
    min_age = models.PositiveSmallIntegerField(default=0)
    max_age = models.PositiveSmallIntegerField(default=21)
    gender_accepted = models.CharField(
        max_length=6, choices=GenderAccepted.choices, default=GenderAccepted.ANY
    )
    sibling_group_max = models.PositiveSmallIntegerField(
        default=1,
        help_text="The largest group of siblings the home takes together (1: no sibling groups).",
    )
    phone = models.CharField(max_length=30, blank=True)
    needs_served = models.JSONField(default=list, blank=True)
    languages = models.ManyToManyField("reference.Language", blank=True, related_name="+")
    tribes_approving = models.ManyToManyField(
        "reference.Tribe",
        blank=True,
        related_name="+",
        help_text="Tribes that licensed, approved or specified this home or facility (ICWA).",
    )
    indian_operated = models.BooleanField(
        default=False,
        help_text="An Indian foster home, or a facility run by an Indian organization (ICWA).",
    )
    address_line1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[languages, tribes_approving])

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="home_capacity_positive"),
            models.CheckConstraint(
                condition=Q(max_age__gte=F("min_age")), name="home_ages_in_order"
            ),
            models.CheckConstraint(
                condition=Q(sibling_group_max__gte=1) & Q(sibling_group_max__lte=F("capacity")),
                name="home_sibling_group_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(licensed_on__isnull=True)
                | Q(licence_expires_on__isnull=True)
                | Q(licence_expires_on__gt=F("licensed_on")),
                name="home_licence_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(setting__in=["relative_home", "trial_home_visit", "runaway"])
                & ~Q(setting="whereabouts_unknown"),
                name="home_setting_is_a_directory_setting",
            ),
        ]
        indexes = [models.Index(fields=["active", "setting"])]

    def __str__(self):
        return self.name


class ResourceParent(TimeStampedModel):
    """A resource parent (or another adult of the home) as a person, linked to the home."""

    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary resource parent"
        SECOND = "second", "Second resource parent"
        OTHER_ADULT = "other_adult", "Other adult in the home"
        STAFF = "staff", "Facility staff contact"

    home = models.ForeignKey(ResourceHome, on_delete=models.PROTECT, related_name="parents")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="resource_homes"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["home", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["home", "person"],
                condition=Q(ends_on__isnull=True),
                name="resource_parent_once_per_home",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="resource_parent_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} ({self.role}) of {self.home_id}"


class RemovalEpisode(TimeStampedModel):
    """A child's stay in out-of-home care, from removal to exit (F2 to F5)."""

    class LegalBasis(models.TextChoices):
        COURT_ORDERED = "court_ordered", "Court-ordered"
        VOLUNTARY = "voluntary", "Voluntary placement agreement"

    class RemovalReason(models.TextChoices):
        PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
        SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
        NEGLECT = "neglect", "Neglect"
        PARENT_ALCOHOL = "parent_alcohol", "Parent alcohol use"
        PARENT_DRUGS = "parent_drugs", "Parent drug use"
        CHILD_BEHAVIOR = "child_behavior", "Child's behavior"
        CHILD_DISABILITY = "child_disability", "Child's disability"
        PARENT_DEATH = "parent_death", "Death of a parent"
        PARENT_INCARCERATION = "parent_incarceration", "Parent incarceration"
        CARETAKER_UNABLE = "caretaker_unable", "Caretaker unable to cope"
        ABANDONMENT = "abandonment", "Abandonment"
        RELINQUISHMENT = "relinquishment", "Relinquishment"
        HOUSING = "housing", "Inadequate housing"
        DOMESTIC_VIOLENCE = "domestic_violence", "Domestic violence"

    class ExitReason(models.TextChoices):
        REUNIFICATION = "reunification", "Reunification with parents"
        LIVING_WITH_RELATIVES = "living_with_relatives", "Living with relatives"
        ADOPTION = "adoption", "Adoption"
        EMANCIPATION = "emancipation", "Emancipation"
        GUARDIANSHIP = "guardianship", "Guardianship"
        RUNAWAY = "runaway", "Runaway or whereabouts unknown"
        DEATH = "death", "Death of the child"
        TRANSFER = "transfer", "Transfer to another agency"

    class TransferAgency(models.TextChoices):
        OTHER_STATE = "other_state", "Another state's child welfare agency"
        TRIBAL = "tribal", "A tribal agency"
        JUVENILE_JUSTICE = "juvenile_justice", "Juvenile justice"
        MENTAL_HEALTH = "mental_health", "Mental health"
        OTHER_PUBLIC = "other_public", "Another public agency"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="episodes")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    removed_on = models.DateField()
    recorded_on = models.DateField(
        default=today,
        editable=False,
        help_text="The day this removal was recorded (never edited).",
    )
    # F5: the date the child entered foster care (AFCARS), distinct from the record's
    # creation. Unknown stays empty, never defaulted; the first placement fills it when
    # it is empty (hearth.placements.services.child_place, migration 0006's backfill).
    entered_care_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date the child entered foster care (AFCARS); empty when unknown.",
    )
    removal_reasons = models.JSONField(default=list)
    legal_basis = models.CharField(max_length=16, choices=LegalBasis.choices)
    child_needs = models.JSONField(default=list, blank=True)
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=24, choices=ExitReason.choices, blank=True)
    transfer_agency = models.CharField(max_length=20, choices=TransferAgency.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-removed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=F("removed_on")),
                name="episode_exit_after_removal",
            ),
            models.CheckConstraint(
                condition=Q(entered_care_on__isnull=True) | Q(entered_care_on__gte=F("removed_on")),
                name="episode_entered_care_after_removal",
            ),
            models.CheckConstraint(
                condition=(Q(exited_on__isnull=True) & Q(exit_reason=""))
                | (Q(exited_on__isnull=False) & ~Q(exit_reason="")),
                name="episode_exit_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(exit_reason="transfer") | Q(transfer_agency=""),
                name="episode_transfer_agency_only_on_transfer",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(exited_on__isnull=True),
                name="episode_one_open_per_child",
            ),
        ]
        indexes = [models.Index(fields=["case", "child"])]

    def __str__(self):
        return f"Removal of {self.child_id} on {self.removed_on}"

    @property
    def is_open(self) -> bool:
        return self.exited_on is None

    @property
    def removal_reason_labels(self) -> list[str]:
        """The removal reasons as words ("Physical abuse"), not their codes."""
        labels = dict(self.RemovalReason.choices)
        return [labels.get(code, code) for code in self.removal_reasons]


class Placement(TimeStampedModel):
    """Where a child lives during an episode, from `starts_on` up to (not including)
    `ends_on`: a child who moves on a day ends one placement and starts the next on it."""

    class School(models.TextChoices):
        STAYS = "stays", "Stays in the school of origin"
        CHANGES = "changes", "Moves to a new school"
        NOT_IN_SCHOOL = "not_in_school", "Not in school (age or graduation)"
        UNKNOWN = "unknown", "Not yet known"

    episode = models.ForeignKey(RemovalEpisode, on_delete=models.PROTECT, related_name="placements")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    setting = models.CharField(max_length=30, choices=Setting.choices)
    home = models.ForeignKey(
        ResourceHome, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    caregiver = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cared_placements",
        help_text="The relative or kin caregiver, for a relative home.",
    )
    provider_name = models.CharField(max_length=200, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    out_of_state = models.BooleanField(default=False, help_text="An ICPC placement (V12).")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    move_reason = models.TextField(blank=True, help_text="Why the child moved here.")
    departure_reason = models.TextField(
        blank=True,
        help_text="Why a more restrictive or farther option, or one outside the ICWA order.",
    )
    school = models.CharField(max_length=14, choices=School.choices, default=School.UNKNOWN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="placement_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ends_on__isnull=True),
                name="placement_one_current_per_child",
            ),
            models.UniqueConstraint(
                fields=["child", "starts_on"], name="placement_one_start_a_day"
            ),
        ]
        # On PostgreSQL, migration 0002 adds an exclusion constraint: no two placements
        # of a child overlap (btree_gist).
        indexes = [
            models.Index(
                fields=["home"], condition=Q(ends_on__isnull=True), name="placement_current_home"
            ),
            models.Index(fields=["episode", "starts_on"]),
        ]

    def __str__(self):
        return f"{self.child_id} in {self.setting} from {self.starts_on}"

    @property
    def place_name(self) -> str:
        if self.home_id:
            return self.home.name
        if self.caregiver_id:
            return self.caregiver.full_name
        return self.provider_name or self.get_setting_display()


class PlacementRequest(TimeStampedModel):
    """A home asked to take a child: a placement in a managed home starts only once the
    home has accepted (hearth.placements.services.requests)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting the home's answer"
        ACCEPTED = "accepted", "Accepted by the home"
        DECLINED = "declined", "Declined by the home"
        WITHDRAWN = "withdrawn", "Withdrawn"
        PLACED = "placed", "Placed"

    episode = models.ForeignKey(RemovalEpisode, on_delete=models.PROTECT, related_name="requests")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    home = models.ForeignKey(ResourceHome, on_delete=models.PROTECT, related_name="requests")
    starts_on = models.DateField(help_text="The day the child would move in.")
    note = models.TextField(blank=True, help_text="What the home should know.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the home declined.")
    placement = models.OneToOneField(
        Placement, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "home"],
                condition=Q(status__in=["pending", "accepted"]),
                name="request_one_open_per_child_and_home",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="request_decline_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["home", "status"])]

    def __str__(self):
        return f"{self.child_id} to {self.home_id} ({self.status})"


class SchoolEnrollment(TimeStampedModel):
    """P3: the schools a child attends; the school of origin is the one at removal."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="schools")
    school_name = models.CharField(max_length=200)
    district = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_origin = models.BooleanField(default=False)
    enrolled_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.PROTECT, related_name="school_moves"
    )
    best_interest_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "enrolled_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(enrolled_on__isnull=True)
                | Q(left_on__gte=F("enrolled_on")),
                name="school_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=Q(left_on__isnull=True), name="school_one_current"
            ),
            models.CheckConstraint(
                condition=Q(placement__isnull=True) | ~Q(best_interest_reason=""),
                name="school_move_has_best_interest_reason",
            ),
        ]

    def __str__(self):
        return self.school_name


class PermanencyGoal(TimeStampedModel):
    """P4: the child's permanency goals over time, in one case."""

    class Goal(models.TextChoices):
        REUNIFICATION = "reunification", "Reunification"
        REMAIN_HOME = "remain_home", "Remain with family (in-home)"
        LIVE_WITH_RELATIVES = "live_with_relatives", "Live with relatives"
        ADOPTION = "adoption", "Adoption"
        GUARDIANSHIP = "guardianship", "Guardianship"
        APPLA = "appla", "Planned permanent living arrangement"
        NOT_ESTABLISHED = "not_established", "Not yet established"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="goals")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="goals")
    goal = models.CharField(max_length=20, choices=Goal.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="goal_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["case", "child"],
                condition=Q(ends_on__isnull=True),
                name="goal_one_current_per_child",
            ),
        ]

    def __str__(self):
        return f"{self.goal} for {self.child_id} from {self.starts_on}"


register_constraint_messages(
    {
        "home_capacity_positive": ("capacity", "A home takes at least one child."),
        "home_ages_in_order": ("max_age", "The oldest age cannot be below the youngest."),
        "home_sibling_group_within_capacity": (
            "sibling_group_max",
            "A sibling group is at least one child and no more than the home's capacity.",
        ),
        "home_licence_dates_in_order": (
            "licence_expires_on",
            "A licence expires after the day it was issued.",
        ),
        "resource_parent_once_per_home": ("person", "This person is already a parent of the home."),
        "resource_parent_dates_in_order": ("ends_on", "The link cannot end before it starts."),
        "request_one_open_per_child_and_home": (
            "home",
            "This home has already been asked to take this child.",
        ),
        "request_decline_has_reason": ("reason", "Say why the home declines."),
        "home_setting_is_a_directory_setting": (
            "setting",
            "This setting is not a kind of resource home.",
        ),
        "episode_exit_after_removal": ("exited_on", "The exit cannot be dated before the removal."),
        "episode_entered_care_after_removal": (
            "entered_care_on",
            "The date the child entered care cannot be before the removal (F5).",
        ),
        "episode_exit_has_date_and_reason": ("exit_reason", "An exit needs a date and a reason."),
        "episode_transfer_agency_only_on_transfer": (
            "transfer_agency",
            "A transfer agency is given only when the exit is a transfer.",
        ),
        "episode_one_open_per_child": ("child", "This child already has an open removal."),
        "placement_ends_after_start": ("ends_on", "A placement ends after the day it starts."),
        "placement_one_current_per_child": ("child", "This child already has a current placement."),
        "placement_one_start_a_day": (
            "starts_on",
            "This child already has a placement starting on this day.",
        ),
        "school_dates_in_order": ("left_on", "A child cannot leave a school before enrolling."),
        "school_one_current": ("child", "This child already has a current school."),
        "school_move_has_best_interest_reason": (
            "best_interest_reason",
            "A change of school with a placement needs the best-interest reason (P3).",
        ),
        "goal_dates_in_order": ("ends_on", "A goal cannot end before it starts."),
        "goal_one_current_per_child": ("child", "This child already has a current goal."),
        # PostgreSQL exclusion constraints (migration 0002_placement_no_overlap).
        "placement_no_overlap": ("starts_on", "This overlaps another placement of the child."),
        "episode_no_overlap": ("removed_on", "This overlaps another removal of the child."),
    }
)
