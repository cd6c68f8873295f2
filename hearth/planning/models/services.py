"""P8, C9: services come from community providers; a service referral from the plan tells
the provider the specific needs it must meet, follows its status and keeps the provider's
progress reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from hearth.core.errors import register_constraint_messages
from hearth.core.models import TimeStampedModel
from hearth.reference.models import ReferenceItem


class ServiceType(ReferenceItem):
    """A kind of service (parenting education, substance use treatment, trauma therapy,
    domestic violence services, housing help, independent-living skills, ...)."""


class Provider(TimeStampedModel):
    """A community provider in the directory: the services it offers, its languages and
    where it is. Every agency reads the directory; program directors keep it."""

    name = models.CharField(max_length=200)
    services = models.ManyToManyField(ServiceType, related_name="providers")
    languages = models.ManyToManyField("reference.Language", blank=True, related_name="+")
    county = models.ForeignKey(
        "reference.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[services, languages])

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ServiceReferral(TimeStampedModel):
    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        STARTED = "started", "Started"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="service_referrals"
    )
    plan = models.ForeignKey(
        "planning.CasePlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_referrals",
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", help_text="Who is served."
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="+")
    needs = models.ManyToManyField("planning.Rating", related_name="service_referrals")
    specific_needs = models.TextField(
        help_text="C9: what the provider must work on, specifically, for this person."
    )
    referred_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    status_on = models.DateField()
    ended_reason = models.TextField(blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ended_early") | ~Q(ended_reason=""),
                name="service_referral_ended_early_reason",
            ),
            models.CheckConstraint(
                condition=Q(status_on__gte=models.F("referred_on")),
                name="service_referral_status_after_referral",
            ),
        ]

    def __str__(self):
        return f"{self.service} with {self.provider}"


class ProgressReport(models.Model):
    """A provider's report on a referral: attendance and progress, in the provider's words."""

    class Progress(models.TextChoices):
        IMPROVING = "improving", "Improving"
        STEADY = "steady", "No change"
        DECLINING = "declining", "Declining"
        NOT_ATTENDING = "not_attending", "Not attending"

    referral = models.ForeignKey(ServiceReferral, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField()
    reporter = models.CharField(max_length=200)
    progress = models.CharField(max_length=14, choices=Progress.choices)
    attendance = models.CharField(max_length=300, blank=True)
    narrative = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["referral", "-reported_on", "-id"]

    def __str__(self):
        return f"Report on {self.referral_id} of {self.reported_on}"


register_constraint_messages(
    {
        "service_referral_ended_early_reason": (
            "ended_reason",
            "Say why the service ended early.",
        ),
        "service_referral_status_after_referral": (
            "status_on",
            "A status cannot change before the referral was sent.",
        ),
    }
)
