"""The plain facts the intake and assignment rules (A1 to A7) read, shared by their
modules: a case, a case manager and what they hold, a case's weight, and the words the
explanations are written with. The database layer (hearth.intake.selectors) gathers them.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from hearth.policy.placement import Point
from hearth.policy.settings import PolicySettings


@dataclass(frozen=True)
class CaseFacts:
    """What the ranking needs to know about a case (A2 b, d, e, f, g, h; A3)."""

    id: int | None
    complexity: int
    needs: frozenset[str] = frozenset()  # keys of ranking.NEED_SKILLS
    languages: frozenset[str] = frozenset()  # reference codes
    language_names: tuple[tuple[str, str], ...] = ()  # (code, name) pairs for the words
    culture: str = ""
    gender_preference: str = ""
    location: Point | None = None
    out_of_home: bool = False
    previous_worker_id: int | None = None  # A3: a re-opened case's last case manager


@dataclass(frozen=True)
class WorkerFacts:
    """A case manager and what they hold now (A2, A5)."""

    id: int
    name: str
    unit_id: int | None
    status: str  # active, on_leave, departed
    experience: int  # 1 new .. 4 senior
    supervision: int  # 3 close, 2 regular, 1 minimal
    trained_on: date | None
    departed_on: date | None = None
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    culture: str = ""
    gender: str = ""
    office: Point | None = None
    open_cases: int = 0
    weighted_load: float = 0.0
    out_of_home_cases: int = 0
    high_need_cases: int = 0


def case_weight(complexity: int, settings: PolicySettings) -> float:
    """A2(a): how much a case counts in a weighted caseload."""
    index = min(max(complexity, 1), 4) - 1
    return settings.case_weight_percent[index] / 100


# Words -------------------------------------------------------------------------------


def day_text(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


def num_text(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@lru_cache(maxsize=1024)
def words(text: str) -> frozenset[str]:
    return frozenset("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())
