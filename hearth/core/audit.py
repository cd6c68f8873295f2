"""The access log: every disclosure of case or person data, page or API, and every refused
read of a record that exists.

`log_access` is the one way in. It writes one row per record shown (a page of 50 records is
one bulk insert) and appends the rows to the hash chain: under a lock on the chain's one
row (`AccessLogChain`, held until the request's transaction ends, so appenders are
serialized), each row's `row_hash` is the SHA-256 of the previous row's hash and the row's
canonical content. `verify_chain` walks the chain (`manage.py verify_access_log`).
"""

import hashlib
import ipaddress
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet

from hearth.core.errors import NotFound
from hearth.core.models import AccessLog, AccessLogChain
from hearth.core.services import now

VIEW = AccessLog.Kind.VIEW
LIST = AccessLog.Kind.LIST
SEARCH = AccessLog.Kind.SEARCH
EXPORT = AccessLog.Kind.EXPORT
REFUSED = AccessLog.Kind.REFUSED

API_PREFIX = "/api/"


# Who may read "who has seen this record" (for the records they may see).
# How a viewer's roles are written on their log rows: the staff app registers it at start
# (core imports no app; ADR 0008).
def _viewer_roles(user) -> str:
    return ""


def register_viewer_roles(describe: Callable[[object], str]) -> None:
    """Set the function that names a signed-in user's roles for the log (staff app)."""
    global _viewer_roles
    _viewer_roles = describe


def client_address(request) -> str | None:
    """REMOTE_ADDR, or behind HEARTH_PROXY_COUNT proxies the address the outermost of
    them saw (X-Forwarded-For's n-th entry from the right: the ones before it can be forged
    by the client)."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.HEARTH_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def row_hash(previous: str, row) -> str:
    """SHA-256 over the previous row's hash and this row's canonical content."""
    content = [
        previous,
        row.user_id,
        row.roles,
        row.case_id,
        row.object_type,
        row.object_id,
        row.kind,
        row.channel,
        row.path,
        None if row.client_address is None else str(row.client_address),
        row.viewed_at.astimezone(UTC).isoformat(),
    ]
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


def _case_id(record: Model, case) -> int | None:
    if case is not None:
        return case.pk
    if record._meta.label == "cases.Case":
        return record.pk
    return getattr(record, "case_id", None)


def log_access(request, kind: str, records: Model | Iterable[Model], *, case=None) -> None:
    """Record that the signed-in user was shown `records` (one record or a page of them:
    cases, people, notes, plans...), each tied to `case` when given, else to its own case.
    One bulk insert however many records; nothing when there are none."""
    if isinstance(records, Model):
        records = [records]
    _write(request, kind, [(r._meta.model_name, r.pk, _case_id(r, case)) for r in records])


def log_refused(request, exc: NotFound) -> None:
    """A read refused with NotFound of a record that exists (the scoping module says which
    in `exc.refused`); a missing record leaves no trace. The answer is the same 404."""
    if exc.refused is not None:
        _write(request, REFUSED, [exc.refused])


def _write(request, kind: str, records: list[tuple[str, int, int | None]]) -> None:
    user = request.user
    if not records or not user.is_authenticated:
        return
    base = {
        "user_id": user.pk,
        "roles": _viewer_roles(user),
        "kind": kind,
        "channel": (
            AccessLog.Channel.API if request.path.startswith(API_PREFIX) else AccessLog.Channel.WEB
        ),
        "path": request.path[:300],
        "client_address": client_address(request),
        "viewed_at": now(),
    }
    rows = [
        AccessLog(object_type=object_type, object_id=object_id, case_id=case_id, **base)
        for object_type, object_id, case_id in records
    ]
    with transaction.atomic():
        # The lock serializes appenders (a no-op on SQLite, whose writers are serialized).
        chain, _ = AccessLogChain.objects.select_for_update().get_or_create(pk=1)
        previous = chain.head_hash
        for row in rows:
            row.row_hash = previous = row_hash(previous, row)
        AccessLog.objects.bulk_create(rows)
        AccessLogChain.objects.filter(pk=1).update(head_id=rows[-1].pk, head_hash=previous)


# Verification ----------------------------------------------------------------------------


@dataclass
class ChainReport:
    rows: int
    first_id: int | None
    last_id: int | None
    broken_at: int | None = None  # the id of the first row whose hash does not follow
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def verify_chain() -> ChainReport:
    """Walk the chain from its anchor in id order, recomputing every row's hash; the
    newest row must be the chain's recorded head (a removed tail is detected too)."""
    chain = AccessLogChain.objects.filter(pk=1).first() or AccessLogChain()
    previous, last_id, first_id, count = chain.anchor_hash, chain.anchor_id, None, 0
    rows = AccessLog.objects.filter(pk__gt=chain.anchor_id).order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        if row.row_hash != row_hash(previous, row):
            return ChainReport(
                count,
                first_id,
                last_id,
                broken_at=row.pk,
                problem=(
                    f"row {row.pk} (written {row.viewed_at:%Y-%m-%d %H:%M:%S}) does not follow "
                    f"from row {last_id}: it, or a row before it, was changed, removed or "
                    "inserted"
                ),
            )
        previous, last_id, count = row.row_hash, row.pk, count + 1
        first_id = first_id or row.pk
    if (last_id, previous) != (chain.head_id, chain.head_hash):
        return ChainReport(
            count,
            first_id,
            last_id,
            broken_at=last_id,
            problem=(
                f"the log ends at row {last_id}, but the chain's head is row {chain.head_id}: "
                "rows at the end were removed or the head was changed"
            ),
        )
    return ChainReport(count, first_id, last_id)


# Who has seen this record ----------------------------------------------------------------


def access_log_for(*, case=None, person=None) -> QuerySet:
    """The disclosures of a case (any record of it) or of a person, newest first. The
    caller has checked that the viewer may see the record and read its log."""
    rows = AccessLog.objects.select_related("user__staff").order_by("-viewed_at", "-pk")
    if case is not None:
        return rows.filter(case=case)
    return rows.filter(object_type=person._meta.model_name, object_id=person.pk)


def viewer_of(row: AccessLog) -> tuple[int | None, str]:
    """(staff id, name) of the viewer of a row read by `access_log_for`; an account with no
    staff record (a superuser) is named by its username."""
    staff = getattr(row.user, "staff", None)
    if staff is None:
        return None, row.user.get_username()
    return staff.pk, staff.full_name
