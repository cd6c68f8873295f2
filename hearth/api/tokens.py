"""The caller's own API tokens: /api/v1/tokens. Each user sees, makes and revokes only
their own; another user's token id answers 404 like a missing one."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from hearth.api import services
from hearth.api.models import ApiToken
from hearth.core.api_common import InputSchema, Pagination

router = Router(tags=["API tokens"])


class TokenOut(Schema):
    id: int
    prefix: str = Field(..., description="The token's first characters after `hth_`")
    label: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: ApiToken.State


class TokenCreated(TokenOut):
    token: str = Field(..., description="The token itself: shown this once, never again")


class TokenIn(InputSchema):
    label: str = Field("", max_length=100)


@router.get("/tokens", response=list[TokenOut], summary="List your API tokens")
@paginate(Pagination)
def list_tokens(request):
    return ApiToken.objects.filter(user=request.user)


@router.post(
    "/tokens",
    response={201: TokenCreated},
    summary="Make an API token",
    description="Only from a signed-in session (verified with the second factor where "
    "two-factor sign-in applies), never with another token: a token cannot extend its own "
    "life. The answer holds the token once; only its hash is kept.",
)
def create_token(request, payload: TokenIn):
    if getattr(request, "api_token", None) is not None:
        raise HttpError(
            403, "Make API tokens from a signed-in session (the API tokens page), not a token."
        )
    token, raw = services.api_token_create(
        actor=request.user, user=request.user, label=payload.label
    )
    token.token = raw
    return Status(201, token)


@router.post(
    "/tokens/{int:token_id}/revoke",
    response=TokenOut,
    summary="Revoke one of your API tokens",
    description="The token answers 401 from now on. It stays in the list, revoked; "
    "revoking it again changes nothing.",
)
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    return services.api_token_revoke(actor=request.user, token=token)
