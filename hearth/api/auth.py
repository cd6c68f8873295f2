from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from hearth.api.models import ApiToken, hash_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` from `manage.py create_api_token USERNAME`."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


# A bearer token, or the signed-in session (for the interactive docs), with CSRF.
AUTH = [BearerToken(), django_auth]
