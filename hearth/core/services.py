"""Helpers every app's services share."""

import re
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.utils import timezone

from hearth.core.errors import CONSTRAINT_MESSAGES, DomainError, constraint_error


def now() -> datetime:
    """The one clock: this moment (aware). Business code reads the time here, and the
    date through today(), never date.today() or timezone.localdate(); the tests freeze
    it with time-machine (tests/conftest.py)."""
    return timezone.now()


def today() -> date:
    """Today in the agency's time zone (settings.TIME_ZONE), not the host's or UTC's."""
    return timezone.localdate(now())


def parse_month(raw: str) -> date:
    """The first day of a month written YYYY-MM; ValueError when it is not one."""
    if not re.fullmatch(r"\d{4}-\d{2}", raw.strip()):
        raise ValueError(f"not a YYYY-MM month: {raw!r}")
    year, month = (int(x) for x in raw.strip().split("-"))
    return date(year, month, 1)


def errors_from_validation(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {
            field: " ".join(str(m) for e in errs for m in e.messages)
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": " ".join(exc.messages)}


def not_future(field: str, value: date, what: str) -> None:
    """Refuse a day after today, naming `field`: "<what> cannot be in the future."."""
    if value > today():
        raise DomainError({field: f"{what} cannot be in the future."})


def validated_save(instance, *, actor, exclude: list[str] | None = None, prefix: str = "") -> None:
    """Validate `instance` (fields, choices, constraints), stamp the history's author
    with `actor` and save it. Raises DomainError naming each bad field; a database
    constraint is told by the field it concerns and its registered reason
    (hearth.core.errors.register_constraint_messages), never by its internal name.
    `prefix` names the fields of a part of a larger input (`goals.0.objectives.1`)."""
    if prefix:
        try:
            validated_save(instance, actor=actor, exclude=exclude)
        except DomainError as exc:
            raise DomainError({f"{prefix}.{k}": v for k, v in exc.errors.items()}) from None
        return
    skip = set(exclude or ())
    errors: dict[str, str] = {}
    try:
        instance.full_clean(exclude=skip, validate_constraints=False)
    except ValidationError as exc:
        errors = errors_from_validation(exc)
    for field, reason in constraint_errors(instance, exclude=skip | set(errors)).items():
        errors.setdefault(field, reason)
    if errors:
        raise DomainError(errors)
    instance._history_user = actor
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent write beat the validation above to a constraint, or the
        # constraint lives only in the database (a PostgreSQL exclusion constraint).
        raise DomainError(
            constraint_errors(instance)
            or _named_constraint_error(str(exc))
            or {"__all__": "This change conflicts with a record saved meanwhile; try again."}
        ) from None


def constraint_errors(instance, *, exclude: set[str] = frozenset()) -> dict[str, str]:
    """{field: reason} for each of the model's constraints the instance breaks."""
    errors: dict[str, str] = {}
    using = router.db_for_write(type(instance), instance=instance)
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                constraint.validate(model, instance, exclude=exclude, using=using)
            except ValidationError:
                found = constraint_error(constraint.name) or {
                    "__all__": "This change breaks a rule of the records."
                }
                for field, reason in found.items():
                    errors.setdefault(field, reason)
    return errors


def _named_constraint_error(text: str) -> dict[str, str] | None:
    """The registered reason of a constraint the database names in its refusal."""
    names = sorted(
        (name for name in CONSTRAINT_MESSAGES if re.search(rf"\b{re.escape(name)}\b", text)),
        key=len,
        reverse=True,
    )
    return constraint_error(names[0]) if names else None


def apply_changes(instance, changes: dict[str, Any], *, editable: set[str]) -> dict[str, list]:
    """Set the editable fields in `changes` on `instance`; return field -> [old, new]
    for the fields whose value changed. Unknown fields are refused."""
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "This field cannot be changed here."))
    changed = {}
    for field, value in changes.items():
        old = getattr(instance, field)
        if old != value:
            setattr(instance, field, value)
            changed[field] = [_plain(old), _plain(value)]
    return changed


def lock(model, pk):
    """Re-read a row under a lock for update (no-op lock on SQLite)."""
    return model.objects.select_for_update().get(pk=pk)


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value
