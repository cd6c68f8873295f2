from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone

from hearth.core.errors import ConflictError, OtherChange, register_constraint_messages
from hearth.core.services import now

_NOT_COMPARED = {"id", "created_at", "updated_at", "version"}


def display_value(field, value, record=None) -> str:
    """A field's value as a person reads it: a choice's label, a related row's name
    (read through `record`), a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and record is not None:
        try:
            return str(getattr(record, field.name))
        except ObjectDoesNotExist:
            return str(value)
    return str(value)


class TimeStampedModel(models.Model):
    """Base for case data: timestamps and a version number for edit conflicts."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def check_version(self, expected: int | None) -> None:
        """Raise ConflictError when the caller edited an older version of this record,
        naming the current version, who changed it last and when (from its history).
        `expected` None is a change by the system itself, not checked: every interface
        (API, web form) requires the version its client read."""
        if expected is None or expected == self.version:
            return
        change = self.change_since(expected)
        when = f" on {timezone.localtime(change.at):%Y-%m-%d at %H:%M}" if change.at else ""
        raise ConflictError(
            {
                "version": (
                    f"{change.by} changed this record{when}: it is now version "
                    f"{self.version}, you read version {expected}. Reload it and make your "
                    "change again."
                )
            },
            change=change,
        )

    def change_since(self, expected: int) -> OtherChange:
        """Who last changed this record, when, and each field that differs from the
        version `expected` (as its history keeps them)."""
        history = getattr(self, "history", None)
        latest = history.order_by("-history_date", "-history_id").first() if history else None
        if latest is None:
            return OtherChange(version=self.version, by="Someone", at=None)
        user = latest.history_user
        by = (user.get_full_name() or user.username) if user else "The system"
        read = history.filter(version=expected).order_by("-history_date", "-history_id").first()
        changes = []
        if read is not None:
            for f in latest._meta.fields:
                if f.name.startswith("history_") or f.name in _NOT_COMPARED:
                    continue
                old, new = getattr(read, f.attname), getattr(latest, f.attname)
                if old != new:
                    changes.append(
                        (
                            str(f.verbose_name),
                            display_value(f, old, read),
                            display_value(f, new, latest),
                        )
                    )
        return OtherChange(version=self.version, by=by, at=latest.history_date, changes=changes)

    def bump_version(self) -> None:
        self.version += 1


class AccessLog(models.Model):
    """Every disclosure of case or person data, page or API: who was shown which record,
    how, when and from where, and every refused read of a record that exists.

    Append-only: rows are written only by `hearth.core.audit`, each carrying `row_hash`,
    the SHA-256 of the previous row's hash and this row's content, so that a changed,
    removed or inserted row breaks the chain (`manage.py verify_access_log`). On
    PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002)."""

    class Channel(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "API"

    class Kind(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        SEARCH = "search", "Found by a search"
        EXPORT = "export", "Exported"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    roles = models.CharField(
        max_length=200, blank=True, help_text="The viewer's roles at the time, comma-separated."
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.VIEW)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    path = models.CharField(max_length=300)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    viewed_at = models.DateTimeField(default=now, db_index=True)
    row_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-viewed_at"]),
            models.Index(fields=["user", "-viewed_at"]),
            models.Index(fields=["object_type", "object_id", "-viewed_at"]),
        ]

    def __str__(self):
        when = f"{self.viewed_at:%Y-%m-%d %H:%M}"
        return f"{self.user_id} {self.kind} {self.object_type} {self.object_id} at {when}"


class AccessLogChain(models.Model):
    """The one row that anchors the access log's hash chain and serializes its writers
    (every append locks it). `anchor_*`: where verification starts (the genesis, or the
    last row archived away); `head_*`: the newest row, so a removed tail is detected."""

    GENESIS = "0" * 64

    anchor_id = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default=GENESIS)
    head_id = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self):
        return f"access log chain: rows {self.anchor_id + 1} to {self.head_id}"


class IdempotencyKey(models.Model):
    """A create that has been made once (hearth.core.idempotency): a page form's one-time
    token or an API client's `Idempotency-Key`, per user, with what answered it. Kept
    HEARTH_IDEMPOTENCY_HOURS; bookkeeping of requests, not case data (no history)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=2000)
    fingerprint = models.CharField(max_length=64, blank=True)  # the API request body's hash
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)  # the API's answer
    location = models.CharField(max_length=2000, blank=True)  # where a page's create went
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="core_idempotency_expiry")]

    def __str__(self) -> str:
        return f"{self.key} ({self.path})"


register_constraint_messages(
    {
        "core_idempotency_user_key": (
            "key",
            "This key was already used for another request: send a new key.",
        ),
    }
)
