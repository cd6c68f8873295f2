"""What the placement services (and hearth.visitation's) share: the obligations refresh,
the checks of a date and of a child in the case, and a save that words the PostgreSQL
overlap constraints."""

from datetime import date

from django.db.models import Max

from hearth.cases.models import Case, CaseMember
from hearth.core.errors import DomainError
from hearth.core.services import today, validated_save
from hearth.obligations.services import refresh_case
from hearth.people.models import Person
from hearth.placements.models import Placement
from hearth.policy import placement as rules


def _refresh(case: Case, *days: date) -> None:
    """Refresh the case's obligations from the earliest of `days` through today and
    through the month of the latest first-family-contact due date (P5): a child placed in
    a month's last days owes that contact next month."""
    latest = Placement.objects.filter(episode__case=case).aggregate(m=Max("starts_on"))["m"]
    if latest is not None:
        within = case.agency.policy.first_family_contact_days
        days = (*days, rules.first_contact_due(latest, within_days=within))
    refresh_case(case, months=[*days, today()])


def _not_future(field: str, value: date, what: str) -> None:
    if value > today():
        raise DomainError({field: f"{what} cannot be in the future."})


def _check_child(case: Case, child: Person, on: date | None = None) -> None:
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    members = CaseMember.objects.filter(
        case=case, person=child, role__in=[CaseMember.Role.CHILD, CaseMember.Role.SIBLING]
    )
    if on is not None:
        members = members.filter(starts_on__lte=on)
    if not members.exists():
        raise DomainError({"child": "This person is not a child in this case."})


def _save(instance, *, actor):
    """validated_save, with the PostgreSQL overlap constraints' refusal in words."""
    try:
        validated_save(instance, actor=actor)
    except DomainError as exc:
        if "no_overlap" in str(exc):
            raise DomainError({"starts_on": "This overlaps another placement or removal."})
        raise
