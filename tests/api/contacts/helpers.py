"""Helpers of the contacts API tests: past moments, notes written through the service,
request bodies, row counts, the access log and a case's requirements."""

from datetime import datetime, timedelta

from django.utils import timezone

from hearth.cases.models import CaseEvent
from hearth.contacts import services
from hearth.contacts.models import (
    Collateral,
    ContactNote,
    NoteAmendment,
    ParentContactException,
    ParentContactPlan,
)
from hearth.core.models import AccessLog

API = "/api/v1"


def recently() -> datetime:
    """Local noon today if it has passed, else yesterday's: a past moment whose date is
    the same in UTC as in the agency's time zone (notes near midnight are not tested here)."""
    now = timezone.localtime()
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return noon if noon < now else noon - timedelta(days=1)


def month_of(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m}"


def note(worker, case, **kw):
    """A note written through the service, as the worker."""
    kw.setdefault("occurred_at", recently())
    kw.setdefault("narrative", "Visit went well.")
    return services.contact_note_create(actor=worker.user, author=worker, case=case, **kw)


def visit_body(family, **kw):
    body = {
        "occurred_at": recently().isoformat(),
        "method": "in_person",
        "location": "placement",
        "contact_with": [family["child"].pk, family["parent"].pk],
        "collaterals": [{"kind": "resource_parent", "name": "Sam Foster"}],
        "purpose": "Monthly visit",
        "narrative": "Saw Noah and his mother at the resource home.",
    }
    body.update(kw)
    return body


def written() -> dict[str, int]:
    """Row counts of everything these endpoints write."""
    counts = {
        m.__name__: m.objects.count()
        for m in (
            ContactNote,
            Collateral,
            NoteAmendment,
            ParentContactException,
            ParentContactPlan,
            CaseEvent,
        )
    }
    counts["contact_with"] = ContactNote.contact_with.through.objects.count()
    counts["final"] = ContactNote.objects.filter(status="final").count()
    counts["note_versions"] = sum(ContactNote.objects.values_list("version", flat=True))
    return counts


def api_logs(user, **filters):
    return AccessLog.objects.filter(user=user, channel="api", **filters)


def requirements(api, case, month):
    params = {} if month is None else {"month": month}
    r = api.get(f"{API}/cases/{case.pk}/contact-requirements", **params)
    assert r.status_code == 200, r.content
    return r.json()["requirements"]


def one(reqs, rule, person):
    found = [r for r in reqs if r["rule"] == rule and (r["person"] or {}).get("id") == person.pk]
    assert len(found) == 1, (rule, person, reqs)
    return found[0]
