"""P9: a worker's private calendar feed (revocable token) and the record of each daily
digest sent, which makes the digest job idempotent."""

from django.db import models
from django.db.models import Q

from hearth.core.errors import register_constraint_messages


class CalendarToken(models.Model):
    staff = models.ForeignKey(
        "staff.StaffMember", on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"], condition=Q(revoked_at__isnull=True), name="calendar_token_one"
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.staff_id}"


class DigestSent(models.Model):
    staff = models.ForeignKey("staff.StaffMember", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    items = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "sent_on"], name="digest_once_a_day")
        ]

    def __str__(self):
        return f"Digest to {self.staff_id} on {self.sent_on}"


register_constraint_messages(
    {
        "calendar_token_one": ("staff", "A worker has one calendar feed at a time."),
        "digest_once_a_day": ("sent_on", "The digest is sent once a day."),
    }
)
