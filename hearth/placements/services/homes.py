"""The resource directory kept in the product: homes and facilities created, edited,
licensed and renewed by the program director of the licensing agency (home.manage), and
their resource parents linked as people. Every write is in history (simple_history)."""

from datetime import date

from django.db import transaction

from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import apply_changes, lock, not_future, validated_save
from hearth.people.models import Person
from hearth.placements import access
from hearth.placements.models import Need, ResourceHome, ResourceParent
from hearth.policy import placement as rules
from hearth.staff.access import staff_for
from hearth.staff.models import StaffMember

HOME_FIELDS = {
    "name",
    "setting",
    "phone",
    "capacity",
    "min_age",
    "max_age",
    "gender_accepted",
    "sibling_group_max",
    "needs_served",
    "indian_operated",
    "address_line1",
    "city",
    "state",
    "county",
    "latitude",
    "longitude",
    "manager",
    "active",
}
LICENCE_FIELDS = {"licence_number", "licensed_on", "licence_expires_on"}


def _problems(home: ResourceHome) -> dict[str, str]:
    """What the model's own checks do not say, by field."""
    problems = {}
    home.name = home.name.strip()
    if not home.name:
        problems["name"] = "Give the home's name."
    if home.setting and rules.setting_level(home.setting) is None:
        problems["setting"] = "This setting is not a kind of resource home."
    unknown = sorted(set(home.needs_served or ()) - set(Need.values))
    if unknown:
        problems["needs_served"] = "Unknown needs: " + ", ".join(unknown)
    home.needs_served = sorted(set(home.needs_served or ()))
    if (home.latitude is None) != (home.longitude is None):
        problems["longitude" if home.longitude is None else "latitude"] = (
            "Give both the latitude and the longitude, or neither."
        )
    if home.latitude is not None and not -90 <= home.latitude <= 90:
        problems["latitude"] = "A latitude is between -90 and 90."
    if home.longitude is not None and not -180 <= home.longitude <= 180:
        problems["longitude"] = "A longitude is between -180 and 180."
    home.state = (home.state or "").upper()
    if home.manager_id and home.agency_id:
        manager = StaffMember.objects.filter(pk=home.manager_id).first()
        if manager is None or manager.agency_id != home.agency_id:
            problems["manager"] = "The home's manager is a staff member of its agency."
    return problems


def _licence_problems(home: ResourceHome) -> dict[str, str]:
    problems = {}
    if home.licensed_on is not None:
        try:
            not_future("licensed_on", home.licensed_on, "A licence's issue date")
        except DomainError as exc:
            problems.update(exc.errors)
    if home.licence_expires_on and not home.licence_number.strip():
        problems["licence_number"] = "Give the licence number with its expiry date."
    home.licence_number = home.licence_number.strip()
    return problems


def _save(home: ResourceHome, *, actor, problems, languages=None, tribes=None) -> None:
    """Save after every check: a refusal names each bad field and stores nothing."""
    if problems:
        raise DomainError(problems)
    validated_save(home, actor=actor)
    if languages is not None:
        home.languages.set(languages)
    if tribes is not None:
        home.tribes_approving.set(tribes)


@transaction.atomic
def home_create(
    *,
    actor,
    name: str,
    setting: str,
    capacity: int,
    languages=(),
    tribes_approving=(),
    licence_number: str = "",
    licensed_on: date | None = None,
    licence_expires_on: date | None = None,
    **fields,
) -> ResourceHome:
    """A home or facility joins the agency's directory (home.manage)."""
    if not access.can_create_homes(actor):
        raise Forbidden()
    unknown = sorted(set(fields) - HOME_FIELDS)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "This field cannot be set here."))
    home = ResourceHome(
        name=name,
        setting=setting,
        capacity=capacity,
        agency=staff_for(actor).agency,
        licence_number=licence_number,
        licensed_on=licensed_on,
        licence_expires_on=licence_expires_on,
        **fields,
    )
    problems = _problems(home) | _licence_problems(home)
    _save(
        home,
        actor=actor,
        problems=problems,
        languages=list(languages),
        tribes=list(tribes_approving),
    )
    return home


@transaction.atomic
def home_update(
    *,
    actor,
    home: ResourceHome,
    version: int | None = None,
    languages=None,
    tribes_approving=None,
    **changes,
) -> ResourceHome:
    """Change a home's entry (`version`: the one read; 409 when it changed since).
    `languages` and `tribes_approving`, when given, replace the lists. The licence is
    renewed with home_licence_renew. `active: false` takes the home out of the
    ranking; its current placements run their course."""
    if not access.can_keep(actor, home):
        raise Forbidden()
    home = lock(ResourceHome, home.pk)
    home.check_version(version)
    changed = bool(apply_changes(home, changes, editable=HOME_FIELDS))
    if languages is not None:
        languages = list(languages)
        changed |= {x.pk for x in languages} != set(home.languages.values_list("pk", flat=True))
    if tribes_approving is not None:
        tribes_approving = list(tribes_approving)
        changed |= {x.pk for x in tribes_approving} != set(
            home.tribes_approving.values_list("pk", flat=True)
        )
    problems = _problems(home)
    if not changed and not problems:
        return home
    home.bump_version()
    _save(home, actor=actor, problems=problems, languages=languages, tribes=tribes_approving)
    return home


@transaction.atomic
def home_licence_renew(
    *,
    actor,
    home: ResourceHome,
    licence_number: str,
    licensed_on: date,
    licence_expires_on: date,
    version: int | None = None,
) -> ResourceHome:
    """License or renew a home: the licence's number, issue and expiry dates. The
    placing workers and the home's manager are no longer warned once it is valid."""
    if not access.can_keep(actor, home):
        raise Forbidden()
    home = lock(ResourceHome, home.pk)
    home.check_version(version)
    apply_changes(
        home,
        {
            "licence_number": licence_number,
            "licensed_on": licensed_on,
            "licence_expires_on": licence_expires_on,
        },
        editable=LICENCE_FIELDS,
    )
    problems = _licence_problems(home)
    if not home.licence_number:
        problems["licence_number"] = "Give the licence number."
    home.bump_version()
    _save(home, actor=actor, problems=problems)
    return home


@transaction.atomic
def resource_parent_add(
    *, actor, home: ResourceHome, person: Person, role: str, starts_on: date
) -> ResourceParent:
    """Link a person to the home as one of its resource parents (or adults)."""
    if not access.can_keep(actor, home):
        raise Forbidden()
    not_future("starts_on", starts_on, "The link")
    link = ResourceParent(home=home, person=person, role=role, starts_on=starts_on)
    validated_save(link, actor=actor)
    return link


@transaction.atomic
def resource_parent_end(
    *, actor, link: ResourceParent, ends_on: date, version: int | None = None
) -> ResourceParent:
    """A resource parent leaves the home on `ends_on`."""
    if not access.can_keep(actor, link.home):
        raise Forbidden()
    link = lock(ResourceParent, link.pk)
    link.check_version(version)
    if link.ends_on is not None:
        raise DomainError({"ends_on": "This person has already left the home."})
    not_future("ends_on", ends_on, "The end")
    link.ends_on = ends_on
    link.bump_version()
    validated_save(link, actor=actor)
    return link
