"""Errors a service raises when a rule or an input is broken.

`DomainError` carries a field -> reason map; views show the reasons next to the
fields, the API answers 4xx with the same map as JSON. Nothing is written when one is
raised: services run inside `transaction.atomic`.
"""

from dataclasses import dataclass, field
from datetime import datetime


class DomainError(Exception):
    status_code = 422

    def __init__(self, errors: dict[str, str] | str, *, field: str = "__all__"):
        if isinstance(errors, str):
            errors = {field: errors}
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class OtherChange:
    """What someone else did to a record since the caller read it (from its history)."""

    version: int
    by: str
    at: datetime | None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new


class ConflictError(DomainError):
    """The record changed since the caller read it (version check): `change` says how."""

    status_code = 409

    def __init__(self, errors, *, change: OtherChange | None = None, **kwargs):
        super().__init__(errors, **kwargs)
        self.change = change


class PreconditionRequired(DomainError):
    """A change was sent without the version of the record it was read at."""

    status_code = 428


class NotFound(Exception):
    """Missing or not visible to this viewer: the two are never told apart by the answer.
    `refused` names a record that exists but is not visible, `(object_type, id, case id)`,
    for the access log alone."""

    def __init__(self, *args, refused: tuple[str, int, int | None] | None = None):
        super().__init__(*args)
        self.refused = refused


class Forbidden(Exception):
    """The viewer may see the record but not do this to it."""


# --- Input limits -----------------------------------------------------------------------

# The longest narrative, note or reason the API and the forms take: generous for a long
# home visit written up in full, far below what would burden the database or a PDF.
LONG_TEXT_MAX = 20_000


# --- Database constraints in words ------------------------------------------------------

# Constraint name -> (the field it concerns, what to tell the person). Each app registers
# its own, next to its models (a call at the end of its models.py); a constraint without
# an entry fails tests/core/test_constraints.py.
CONSTRAINT_MESSAGES: dict[str, tuple[str, str]] = {}


def register_constraint_messages(messages: dict[str, tuple[str, str]]) -> None:
    """Declare, for each of an app's constraints (Meta.constraints, and those its
    migrations add in SQL), the field it concerns and a plain-language reason."""
    taken = sorted(set(messages) & set(CONSTRAINT_MESSAGES))
    if taken:
        raise ValueError(f"Constraint messages registered twice: {', '.join(taken)}")
    CONSTRAINT_MESSAGES.update(messages)


def constraint_error(name: str) -> dict[str, str] | None:
    """{field: reason} for a registered constraint, None for an unknown name."""
    if name not in CONSTRAINT_MESSAGES:
        return None
    field, message = CONSTRAINT_MESSAGES[name]
    return {field: message}
