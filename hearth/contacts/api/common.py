"""What the contact endpoints share: the router (one, tagged "contacts"), the month
parameter, and how a person named by id is resolved among the people the caller may see.

Each endpoint names its operation id: the ids were made from the module of one
`hearth/contacts/api.py` before it became a package, and clients generate code from them.
"""

from datetime import date, datetime

from django.utils import timezone
from ninja import Router

from hearth.cases import access as case_access
from hearth.core.api_common import by_id
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import parse_month, today
from hearth.people.models import Person
from hearth.staff import access as staff_access

router = Router(tags=["contacts"])

MONTH_HELP = "The calendar month, YYYY-MM; this month if omitted"


def month_of(raw: str | None) -> date:
    """The first day of a YYYY-MM month (this month when omitted), or a 422 on `month`."""
    if raw is None:
        return today().replace(day=1)
    try:
        return parse_month(raw)
    except ValueError:
        raise DomainError({"month": "Give the month as YYYY-MM."}) from None


def aware(moment: datetime) -> datetime:
    """A time without an offset is the agency's local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def people(request, pks: list[int], field: str) -> list[Person]:
    wanted = list(dict.fromkeys(pks))
    found = {p.pk: p for p in case_access.visible_people(request.user).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError({field: "Unknown person."})
    return [found[pk] for pk in wanted]


def person(request, pk: int | None, field: str) -> Person | None:
    return by_id(case_access.visible_people(request.user), pk, field, "person")


def staff_or_403(request):
    staff = staff_access.staff_for(request.user)
    if staff is None:
        raise Forbidden()
    return staff
