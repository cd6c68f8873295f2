"""P9: the daily digest and the private calendar feed of each worker's due list.

Calendar tokens: a worker has one active feed token at a time (the CalendarToken
constraint); making a new one revokes the previous one. Only the token's SHA-256 is
stored; the token is shown once, when it is made.

The digest: each active worker with open items gets one email a day (text and HTML)
listing what is overdue and what falls due within the agency's `digest_horizon_days`.
Idempotent: the DigestSent row (one per worker per day, a unique constraint) is written
in the transaction that sends the email, so a second run the same day sends nothing, and
a failed send leaves no row (the next run tries again).

What leaves Hearth (an email, a calendar) is less protected than a page: both show the
rule, what is needed, the due date and the case number, never a person's name; the
worker opens the case in Hearth for the rest (docs/operator-guide.md)."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.services import now, today
from hearth.planning.models import CalendarToken, DigestSent
from hearth.planning.selectors import due as due_selectors
from hearth.staff.models import StaffMember

log = logging.getLogger(__name__)

TOKEN_PREFIX = "cal_"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Calendar tokens ---------------------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, actor, staff: StaffMember) -> tuple[CalendarToken, str]:
    """P9: a new calendar feed token for `staff` (the previous one is revoked): the record
    and the token itself, which is not kept and cannot be shown again."""
    if staff is None:
        raise DomainError({"staff": "Only staff members have a calendar feed."})
    moment = now()
    # Lock the staff row: two requests at once make one token, not a constraint error.
    StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
    CalendarToken.objects.filter(staff=staff, revoked_at__isnull=True).update(revoked_at=moment)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = CalendarToken(staff=staff, digest=token_digest(raw), created_at=moment)
    token.save()
    log.info("Calendar token %s made for staff %s by user %s.", token.pk, staff.pk, actor.pk)
    return token, raw


@transaction.atomic
def calendar_token_revoke(*, actor, token: CalendarToken) -> CalendarToken:
    """P9: the feed answers 404 from now on; revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = now()
        token.save(update_fields=["revoked_at"])
        log.info("Calendar token %s revoked by user %s.", token.pk, actor.pk)
    return token


def calendar_token_find(raw: str) -> CalendarToken | None:
    """The active token `raw` of an active staff member, or None (unknown, revoked, or its
    holder gone); its last use is recorded."""
    if not raw or len(raw) > 200:
        return None
    token = (
        CalendarToken.objects.select_related("staff__user", "staff__agency")
        .filter(
            digest=token_digest(raw),
            revoked_at__isnull=True,
            staff__status=StaffMember.Status.ACTIVE,
            staff__user__is_active=True,
        )
        .first()
    )
    if token is not None:
        token.last_used_at = now()
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


# The daily digest ----------------------------------------------------------------------------


class _Disclosure:
    """What the access log reads of a request, for a disclosure made outside one (the
    digest) or at a path that must not be written down (the feed's, which holds its
    token)."""

    def __init__(self, user, path: str, meta: dict | None = None):
        self.user = user
        self.path = path
        self.META = meta or {}


def log_disclosure(user, path: str, items, meta: dict | None = None) -> None:
    audit.log_access(_Disclosure(user, path, meta), audit.LIST, items)


@dataclass
class DigestResult:
    sent: int = 0
    already: int = 0
    empty: int = 0
    failed: int = 0


def digest_subject(counts: dict[str, int], horizon: int) -> str:
    soon = counts[due_selectors.WEEK] + counts[due_selectors.LATER]
    return f"Hearth: {counts[due_selectors.OVERDUE]} overdue, {soon} due in the next {horizon} days"


def digest_message(staff: StaffMember, due, *, on: date) -> EmailMultiAlternatives:
    horizon = due.horizon_days
    context = {
        "staff": staff,
        "due": due,
        "on": on,
        "horizon": horizon,
        "due_url": settings.HEARTH_BASE_URL.rstrip("/") + "/due/",
    }
    message = EmailMultiAlternatives(
        subject=digest_subject(due.counts, horizon),
        body=render_to_string("planning/due_digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[staff.user.email],
    )
    message.attach_alternative(
        render_to_string("planning/due_digest_email.html", context), "text/html"
    )
    return message


def digest_send(*, staff: StaffMember, on: date) -> str:
    """P9: send `staff` their digest of `on` unless it was sent: "sent", "already" or
    "empty" (nothing overdue or due within the agency's digest_horizon_days)."""
    if DigestSent.objects.filter(staff=staff, sent_on=on).exists():
        return "already"
    horizon = staff.agency.policy.digest_horizon_days
    due = due_selectors.due_list(viewer=staff.user, horizon_days=horizon, now=on)
    if not due.items:
        return "empty"
    try:
        with transaction.atomic():
            DigestSent.objects.create(staff=staff, sent_on=on, items=len(due.items), sent_at=now())
            digest_message(staff, due, on=on).send(fail_silently=False)
            log_disclosure(staff.user, "/due/digest/", due.items)
    except IntegrityError:  # another run sent it meanwhile
        return "already"
    return "sent"


def digests_send(*, on: date | None = None) -> DigestResult:
    """P9: the day's digest to every active worker with open items (the scheduled job;
    idempotent: sending twice the same day sends once). A failed send is logged and
    tried again at the next run."""
    on = on or today()
    result = DigestResult()
    for staff in due_selectors.digest_recipients(on=on):
        try:
            outcome = digest_send(staff=staff, on=on)
        except OSError:  # the mail server refused or is unreachable: no row, try later
            log.exception("Digest to staff %s not sent.", staff.pk)
            result.failed += 1
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
