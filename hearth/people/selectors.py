"""Reads of persons, always scoped by the viewer."""

import re
from datetime import date

from django.db.models import Q, QuerySet

from hearth.cases.models import Case, CaseMember
from hearth.core import access

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parse_date(text: str) -> date | None:
    m = _DATE.match(text)
    if not m:
        return None
    try:
        if m.group(1):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return date(int(m.group(6)), int(m.group(4)), int(m.group(5)))
    except ValueError:
        return None


def people_search(*, viewer, q: str) -> QuerySet:
    """People the viewer may see whose name, date of birth (YYYY-MM-DD or MM/DD/YYYY) or
    case number matches every word of `q`."""
    qs = access.visible_people(viewer)
    terms = (q or "").split()
    if not terms:
        return qs.none()
    for term in terms:
        dob = _parse_date(term)
        if dob:
            qs = qs.filter(date_of_birth=dob)
            continue
        in_case = CaseMember.objects.filter(
            case__in=Case.objects.filter(case_number=term.upper()).values("pk")
        ).values("person_id")
        qs = qs.filter(
            Q(first_name__istartswith=term)
            | Q(last_name__istartswith=term)
            | Q(middle_name__istartswith=term)
            | Q(pk__in=in_case)
        )
    return qs.select_related("county").order_by("last_name", "first_name", "id")


def person_cases(*, viewer, person) -> QuerySet:
    """The person's memberships in cases the viewer may see."""
    return (
        CaseMember.objects.filter(person=person, case__in=access.visible_cases(viewer).values("pk"))
        .select_related("case")
        .order_by("-starts_on")
    )
