"""Once only: a create sent twice makes one record.

A page's create form carries a one-time token (hearth.web.once) and an API client may send
an `Idempotency-Key` header (hearth.api.idempotency). Either key is claimed here in the
same transaction as the request it guards: the key's row is written first (a second
request with the same key waits on its unique index until the first one ends), then the
request runs; when it made something, the row keeps what answered it, otherwise the row
goes and the key may be used again. A repeat finds the row and is answered from it
instead of running again. Keys are the user's own and are kept
HEARTH_IDEMPOTENCY_HOURS."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from hearth.core.models import IdempotencyKey
from hearth.core.services import now


def _expired_before():
    return now() - timedelta(hours=settings.HEARTH_IDEMPOTENCY_HOURS)


def once(
    *,
    user,
    key: str,
    path: str,
    respond: Callable,
    keep: Callable,
    replay: Callable,
    fingerprint: str = "",
):
    """`respond()` once per (user, key): `keep(response, row)` fills the row from a
    response that made something and answers True; a repeat answers `replay(row)`."""
    with transaction.atomic():
        IdempotencyKey.objects.filter(user=user, created_at__lte=_expired_before()).delete()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user, key=key, path=path, fingerprint=fingerprint
                )
        except IntegrityError:
            return replay(IdempotencyKey.objects.get(user=user, key=key))
        response = respond()
        if keep(response, row):
            row.save()
        else:
            row.delete()
        return response
