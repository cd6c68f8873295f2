from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from hearth.api.models import ApiToken, hash_token
from hearth.core.services import now
from hearth.staff import signin


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`, made on the API tokens page, by `POST /tokens` or by
    `manage.py create_api_token USERNAME`. An expired or revoked token answers 401."""

    def authenticate(self, request, token):
        moment = now()
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=hash_token(token),
                revoked_at__isnull=True,
                expires_at__gt=moment,
                user__is_active=True,
            )
            .first()
        )
        if found is None:
            return None
        if found.last_used_at is None or (moment - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=moment)
        request.user = found.user
        request.api_token = found
        return found.user


class SignedInSession(SessionAuth):
    """The signed-in session (the interactive docs, the web pages' scripts), with CSRF.
    A session with a sign-in step left (second factor, a new password) answers 403."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            step = signin.pending_step(user)
            if step is not None:
                raise HttpError(403, signin.STEP_REASONS[step])
        return user


AUTH = [BearerToken(), SignedInSession()]
