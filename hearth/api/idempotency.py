"""`Idempotency-Key` on every POST of the API: a create retried makes one record.

A client that may send a create twice (a timeout, a lost answer) sends the same header
value each time, any text of up to 255 characters unique to the intended request (a
UUID). The first request runs in one transaction with the key's claim
(hearth.core.idempotency); when it succeeds (2xx) its answer is kept, and the same key
from the same user for the same path and body answers that status and body again,
marked `Idempotent-Replayed: true`, without running. The same key with another path or
body answers 422 naming the header. A request that failed (4xx) changed nothing, and its
key may be sent again. Keys are per user and kept HEARTH_IDEMPOTENCY_HOURS."""

import hashlib
import json

from django.http import HttpResponse, JsonResponse
from ninja.errors import HttpError

from hearth.api.auth import AUTH
from hearth.core.idempotency import once

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
API_PREFIX = "/api/"
DESCRIPTION = (
    "Optional, on every POST: any text of up to 255 characters unique to this request (a "
    "UUID). Sent again with the same path and body within the kept hours "
    "(`HEARTH_IDEMPOTENCY_HOURS`, 24 by default), the first successful answer is replayed "
    "(its status and body, with `Idempotent-Replayed: true`) and nothing is made twice; "
    "with another path or body it answers 422. A failed request changed nothing: its key "
    "may be sent again."
)


def _refused(reason: str) -> JsonResponse:
    return JsonResponse(
        {"detail": "The request is not valid; nothing was changed.", "errors": {HEADER: reason}},
        status=422,
    )


def _user(request):
    """The request's user as the API will authenticate it, or None (it answers 401/403)."""
    for auth in AUTH:
        try:
            user = auth(request)
        except HttpError:
            return None
        if user:
            return user
    return None


def _fingerprint(request) -> str:
    try:
        body = json.dumps(json.loads(request.body), sort_keys=True).encode()
    except ValueError:
        body = request.body
    return hashlib.sha256(body).hexdigest()


def _keep(response, row) -> bool:
    if not 200 <= response.status_code < 300 or getattr(response, "streaming", False):
        return False
    row.status_code = response.status_code
    row.content_type = response.get("Content-Type", "")
    row.body = response.content.decode()
    return True


def _replay(request, row, fingerprint: str):
    if row.path != request.path or row.fingerprint != fingerprint:
        return _refused(
            f"This {HEADER} was used for another request (path or body); send a new key."
        )
    response = HttpResponse(row.body, status=row.status_code, content_type=row.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not key.strip() or len(key) > MAX_LENGTH:
            return _refused(f"{HEADER} is 1 to {MAX_LENGTH} characters.")
        user = _user(request)
        if user is None:
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        return once(
            user=user,
            key=f"api:{key}",
            path=request.path,
            fingerprint=fingerprint,
            respond=lambda: self.get_response(request),
            keep=_keep,
            replay=lambda row: _replay(request, row, fingerprint),
        )
