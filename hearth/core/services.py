"""Helpers every app's services share."""

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.core.errors import DomainError


def today() -> date:
    return timezone.localdate()


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


def validated_save(instance, *, actor, exclude: list[str] | None = None) -> None:
    """Validate `instance` (fields, choices, constraints), stamp the history's author
    with `actor` and save it. Raises DomainError naming each bad field."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError(errors_from_validation(exc)) from None
    instance._history_user = actor
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent write beat the validation above to a constraint.
        raise DomainError(
            {"__all__": f"This change conflicts with existing data ({exc})."}
        ) from None


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
