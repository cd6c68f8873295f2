"""The registry of obligation sources: each app contributes what falls due on a case from
its own facts (hearth.contacts.obligations, hearth.visitation.obligations, later case
plans, reviews and hearings), registering it in its AppConfig.ready(). The engine
(hearth.obligations.engine) reads only this registry, never an app's models.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


def _same_day(case, on: date) -> date:
    return on


@dataclass(frozen=True)
class Source:
    """One kind of obligation.

    produce(case, months, *, now) -> list[Obligation]: the case's obligations falling
        due in `months` (first days of months), unsaved; the engine fills in the case,
        agency, unit and responsible worker.
    horizon(case, *, now) -> date: the latest due date the source can produce for the
        case today (contact requirements: this month; a first family contact after a
        placement (P5): the due date of a child placed today, maybe next month).
    reaches_back(case, on) -> date: the earliest day whose month's obligations a change
        effective `on` can alter (default `on`; P5: a visit held late still meets a
        first contact that fell due in an earlier month).
    """

    name: str
    produce: Callable[..., list]
    horizon: Callable[..., date]
    reaches_back: Callable[..., date] = _same_day


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add (or replace, by name) a source of obligations."""
    _sources[source.name] = source


def sources() -> list[Source]:
    return list(_sources.values())
