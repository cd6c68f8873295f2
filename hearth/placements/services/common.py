"""What the placement services (and hearth.visitation's) share: the checks of a date and of
a child in the case, and a save that words the PostgreSQL overlap constraints."""

from datetime import date

from hearth.cases.models import Case, CaseMember
from hearth.core.errors import DomainError
from hearth.core.services import validated_save
from hearth.people.models import Person


def check_child(case: Case, child: Person, on: date | None = None) -> None:
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    members = CaseMember.objects.filter(
        case=case, person=child, role__in=[CaseMember.Role.CHILD, CaseMember.Role.SIBLING]
    )
    if on is not None:
        members = members.filter(starts_on__lte=on)
    if not members.exists():
        raise DomainError({"child": "This person is not a child in this case."})


def save_checked(instance, *, actor):
    """validated_save, with the PostgreSQL overlap constraints' refusal in words."""
    try:
        validated_save(instance, actor=actor)
    except DomainError as exc:
        if "no_overlap" in str(exc):
            raise DomainError({"starts_on": "This overlaps another placement or removal."})
        raise
