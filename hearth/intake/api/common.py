"""What the intake API's modules share: a unit's reference, the hard limits in words, and
collecting the problems of several lookups into one answer."""

from ninja import Field, Schema

from hearth.core.errors import DomainError


class LimitOut(Schema):
    """A hard limit. Only capacity is overridable: a program director may assign above it
    with a reason (A2); A5's cap, departed, on leave and untrained never (A5)."""

    code: str
    text: str
    overridable: bool = Field(..., description="A program director may assign above it")


def unit_ref(unit) -> dict | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def limits_out(limits) -> list[dict]:
    return [{"code": x.code, "text": x.text, "overridable": x.overridable} for x in limits]


def collect(errors: dict, fn, *args):
    """fn(*args), or None with its DomainError's reasons added to `errors` (so that one
    answer names every bad field)."""
    try:
        return fn(*args)
    except DomainError as exc:
        errors.update(exc.errors)
        return None
