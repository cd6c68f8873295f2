import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from hearth.core.services import now


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once.
    It expires HEARTH_API_TOKEN_DAYS after it was made; its history records who made and
    who revoked it."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= now():
            return self.State.EXPIRED
        return self.State.ACTIVE

    @classmethod
    def issue(cls, user, label: str = "", *, actor=None) -> tuple["ApiToken", str]:
        """Make a token for `user` (its history names `actor`); return it and the raw
        token, which is never stored."""
        raw = "hth_" + secrets.token_urlsafe(32)
        token = cls(
            user=user,
            key_hash=hash_token(raw),
            prefix=raw[4:12],
            label=label,
            expires_at=now() + timedelta(days=settings.HEARTH_API_TOKEN_DAYS),
        )
        token._history_user = actor
        token.save()
        return token, raw
