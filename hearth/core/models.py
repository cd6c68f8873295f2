from django.conf import settings
from django.db import models

from hearth.core.errors import ConflictError


class TimeStampedModel(models.Model):
    """Base for case data: timestamps and a version number for edit conflicts."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def check_version(self, expected: int | None) -> None:
        """Raise ConflictError when the caller edited an older version of this record."""
        if expected is not None and expected != self.version:
            raise ConflictError(
                {
                    "version": (
                        f"This record was changed by someone else (you edited version "
                        f"{expected}, it is now version {self.version}). Reload and try again."
                    )
                }
            )

    def bump_version(self) -> None:
        self.version += 1


class AccessLog(models.Model):
    """Every view of a case record, page or API: who saw what, when."""

    class Channel(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "API"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    path = models.CharField(max_length=300)
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-viewed_at"]),
            models.Index(fields=["user", "-viewed_at"]),
        ]

    def __str__(self):
        when = f"{self.viewed_at:%Y-%m-%d %H:%M}"
        return f"{self.user_id} viewed {self.object_type} {self.object_id} at {when}"
