"""Every write to persons and relationships."""

from django.db import transaction

from hearth.core.errors import DomainError
from hearth.core.services import apply_changes, lock, today, validated_save
from hearth.people.models import Person, Relationship

PERSON_FIELDS = {
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "date_of_birth",
    "dob_precision",
    "sex",
    "gender_identity",
    "primary_language",
    "ethnicity",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "county",
    "latitude",
    "longitude",
    "whereabouts_known",
    "incarcerated",
    "icwa_inquiry_made",
    "icwa_inquiry_date",
    "icwa_membership",
    "icwa_applies",
    "tribe_notified_on",
}
PERSON_M2M = {"languages", "races", "tribes"}


def _check_person(person: Person) -> None:
    problems = {}
    if not (person.first_name or "").strip():
        problems["first_name"] = "Enter a first name (or 'Unknown')."
    if not (person.last_name or "").strip():
        problems["last_name"] = "Enter a last name (or 'Unknown')."
    now = today()
    if person.date_of_birth and person.date_of_birth > now:
        problems["date_of_birth"] = "The date of birth cannot be in the future."
    if person.date_of_birth and person.date_of_birth.year < now.year - 130:
        problems["date_of_birth"] = "The date of birth is more than 130 years ago."
    if person.dob_precision == Person.DobPrecision.UNKNOWN and person.date_of_birth:
        problems["dob_precision"] = "Leave the date of birth empty when it is unknown."
    if person.dob_precision != Person.DobPrecision.UNKNOWN and not person.date_of_birth:
        problems["date_of_birth"] = "Enter a date of birth, or mark it unknown."
    for field in ("icwa_inquiry_date", "tribe_notified_on"):
        value = getattr(person, field)
        if value and value > now:
            problems[field] = "This date cannot be in the future."
    if person.icwa_inquiry_date and not person.icwa_inquiry_made:
        problems["icwa_inquiry_made"] = "An inquiry date means the ICWA inquiry was made."
    if (person.latitude is None) != (person.longitude is None):
        problems["latitude"] = "Give both latitude and longitude, or neither."
    if problems:
        raise DomainError(problems)


def _set_m2m(person: Person, m2m: dict) -> dict:
    changed = {}
    for field, values in m2m.items():
        if values is None:
            continue
        manager = getattr(person, field)
        old = set(manager.values_list("pk", flat=True))
        new = {v.pk for v in values}
        if old != new:
            manager.set(values)
            changed[field] = [sorted(old), sorted(new)]
    return changed


def _split(fields: dict) -> tuple[dict, dict]:
    unknown = sorted(set(fields) - PERSON_FIELDS - PERSON_M2M)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "Unknown field."))
    m2m = {k: fields.pop(k) for k in list(fields) if k in PERSON_M2M}
    return fields, m2m


@transaction.atomic
def person_create(*, actor, recorded_by_agency=None, **fields) -> Person:
    fields, m2m = _split(dict(fields))
    if not fields.get("date_of_birth") and "dob_precision" not in fields:
        fields["dob_precision"] = Person.DobPrecision.UNKNOWN
    person = Person(recorded_by_agency=recorded_by_agency, **fields)
    _check_person(person)
    validated_save(person, actor=actor)
    _set_m2m(person, m2m)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, version: int | None = None, **changes) -> Person:
    person = lock(Person, person.pk)
    person.check_version(version)
    changes, m2m = _split(dict(changes))
    changed = apply_changes(person, changes, editable=PERSON_FIELDS)
    _check_person(person)
    if changed:
        person.bump_version()
        validated_save(person, actor=actor)
    m2m_changed = _set_m2m(person, m2m)
    if m2m_changed and not changed:
        # The m2m history rows hang off a new historical record of the person.
        person.bump_version()
        validated_save(person, actor=actor)
    return person


@transaction.atomic
def relationship_create(
    *, actor, person: Person, other: Person, kind: str, **fields
) -> Relationship:
    allowed = {"parent_type", "relative_kind", "parental_rights", "starts_on", "ends_on"}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "Unknown field."))
    if person.pk == other.pk:
        raise DomainError({"other": "A person cannot be related to themselves."})
    if kind == Relationship.Kind.PARENT:
        fields.setdefault("parental_rights", Relationship.ParentalRights.INTACT)
        if not fields.get("parent_type"):
            raise DomainError(
                {"parent_type": "Say whether this is a legal, alleged or putative parent."}
            )
    rel = Relationship(person=person, other=other, kind=kind, **fields)
    validated_save(rel, actor=actor)
    return rel


@transaction.atomic
def relationship_update(
    *, actor, relationship: Relationship, version: int | None = None, **changes
) -> Relationship:
    rel = lock(Relationship, relationship.pk)
    rel.check_version(version)
    changed = apply_changes(
        rel,
        changes,
        editable={"parent_type", "relative_kind", "parental_rights", "starts_on", "ends_on"},
    )
    if changed:
        rel.bump_version()
        validated_save(rel, actor=actor)
    return rel
