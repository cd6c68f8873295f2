"""Every write to API tokens: made and revoked by their owner (web page or API), or by an
operator with `manage.py create_api_token`. Each is recorded in the token's history."""

from django.db import transaction

from hearth.api.models import ApiToken
from hearth.core.errors import DomainError
from hearth.core.services import lock, now


@transaction.atomic
def api_token_create(*, actor, user, label: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the raw token, shown once."""
    label = (label or "").strip()
    if len(label) > ApiToken._meta.get_field("label").max_length:
        raise DomainError({"label": "Keep the label to 100 characters."})
    return ApiToken.issue(user, label=label, actor=actor)


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke `token` from now on; revoking a revoked token changes nothing."""
    token = lock(ApiToken, token.pk)
    if token.revoked_at is None:
        token.revoked_at = now()
        token._history_user = actor
        token.save(update_fields=["revoked_at"])
    return token
