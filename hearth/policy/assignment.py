"""Intake and assignment rules (A1 to A7): routing a referral to a unit, ranking the case
managers of a unit with an explanation a supervisor can read, the hard limits that are
not scores, and the distribution of a departing worker's cases.

Pure functions over plain facts: the database layer (hearth.intake.selectors) gathers the
facts, "today" and the agency's policy settings are arguments.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment

from hearth.policy.placement import Point, distance_km
from hearth.policy.settings import PolicySettings

# A2(d): the family needs recorded at intake, and the skill (reference code) that meets each.
NEED_SKILLS = {
    "substance_abuse": ("substance-abuse", "substance abuse"),
    "domestic_violence": ("domestic-violence", "domestic violence"),
    "developmentally_delayed_parent": ("dd-parents", "a developmentally delayed parent"),
    "teenager_in_home": ("teenagers", "teenagers"),
}
COMPLEXITY = {1: "low", 2: "moderate", 3: "high", 4: "very high"}
EXPERIENCE = {1: "new", 2: "developing", 3: "experienced", 4: "senior"}
# A2(c): the share of the supervision factor a worker keeps, by the supervision they need
# (3 close, 2 regular, 1 minimal) and the case's complexity (low .. very high).
SUPERVISION_FIT = {
    3: (1.0, 0.6, 0.2, 0.0),
    2: (1.0, 1.0, 0.7, 0.4),
    1: (1.0, 1.0, 1.0, 1.0),
}
# A high-need family: complexity high or very high (A2 e).
HIGH_NEED = 3


# A6 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentRequest:
    case_status: str
    worker_active: bool
    worker_is_case_manager: bool
    starts_on: date
    reason: str
    case_opened_on: date | None


def assignment_problems(req: AssignmentRequest, *, today: date) -> dict[str, str]:
    """Field -> reason for every way this assignment breaks the rules (A6)."""
    problems: dict[str, str] = {}
    if req.case_status == "closed":
        problems["case"] = "A closed case cannot be assigned; re-open it first."
    if not req.worker_active:
        problems["worker"] = "This staff member is not active (departed or on leave)."
    elif not req.worker_is_case_manager:
        problems["worker"] = "Only a case manager can be the primary case manager."
    if not req.reason.strip():
        # A6: every assignment keeps why.
        problems["reason"] = "Say why this case is being assigned (A6)."
    if req.starts_on > today:
        problems["starts_on"] = "An assignment cannot start in the future."
    elif req.case_opened_on and req.starts_on < req.case_opened_on:
        problems["starts_on"] = "An assignment cannot start before the case was opened."
    return problems


# Facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """What the ranking needs to know about a case (A2 b, d, e, f, g, h; A3)."""

    id: int | None
    complexity: int
    needs: frozenset[str] = frozenset()  # keys of NEED_SKILLS
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


# A5 and capacity ---------------------------------------------------------------------


@dataclass(slots=True)
class Cap:
    """A5: the most cases a new worker may hold today, and when that rises."""

    cases: int | None  # None: no count cap (a full caseload applies)
    rises_on: date | None
    text: str


def new_worker_cap(trained_on: date | None, experience: int, today: date, s: PolicySettings) -> Cap:
    """A5: a new case manager holds at most `new_worker_case_cap` cases in the
    `new_worker_cap_days` after completing pre-service training; then the cap rises by the
    steps of `new_worker_cap_ramp` to a full caseload. A new worker not yet trained holds none.
    """
    if trained_on is None:
        if experience <= 1:
            return Cap(0, None, "new worker: has not completed pre-service training")
        return Cap(None, None, "")
    days = (today - trained_on).days
    steps = ((s.new_worker_cap_days, s.new_worker_case_cap), *s.new_worker_cap_ramp)
    for until_day, cap in steps:
        if days <= until_day:
            rises_on = trained_on + timedelta(days=until_day + 1)
            return Cap(cap, rises_on, f"new worker: {cap} cases allowed until {_day(rises_on)}")
    return Cap(None, None, "")


def capacity(worker: WorkerFacts, s: PolicySettings) -> float:
    """A2(a, h): the weighted caseload a worker can carry; a high share of out-of-home cases
    lowers it, linearly above `out_of_home_share_threshold` up to the full reduction."""
    share = out_of_home_share(worker)
    threshold = s.out_of_home_share_threshold / 100
    full = float(s.full_caseload)
    if share <= threshold or threshold >= 1:
        return full
    reduction = s.out_of_home_capacity_reduction / 100 * (share - threshold) / (1 - threshold)
    return round(full * (1 - reduction), 1)


def out_of_home_share(worker: WorkerFacts) -> float:
    return worker.out_of_home_cases / worker.open_cases if worker.open_cases else 0.0


@dataclass(slots=True)
class Limit:
    """A hard limit that makes a worker ineligible; `overridable` by a program director."""

    code: str
    text: str
    overridable: bool


def hard_limits(
    worker: WorkerFacts,
    weight: float,
    today: date,
    s: PolicySettings,
    *,
    cap: Cap | None = None,
    room: float | None = None,
) -> tuple[Limit, ...]:
    """Why this worker may not take a case of this weight now (A5; departed, on leave, at
    capacity). Hard limits are not scores: an empty tuple means eligible. `cap` and `room`
    (the worker's A5 cap and capacity) may be passed when the caller has them."""
    limits = []
    if worker.status == "departed":
        when = f" on {_day(worker.departed_on)}" if worker.departed_on else ""
        limits.append(Limit("departed", f"left the agency{when}", False))
    elif worker.status == "on_leave":
        limits.append(Limit("on_leave", "on leave", False))
    cap = cap or new_worker_cap(worker.trained_on, worker.experience, today, s)
    if cap.cases == 0 and worker.trained_on is None:
        limits.append(Limit("untrained", cap.text, False))
    elif cap.cases is not None and worker.open_cases + 1 > cap.cases:
        until = f" until {_day(cap.rises_on)}" if cap.rises_on else ""
        limits.append(
            Limit(
                "new_worker_cap",
                f"new worker: already holds {worker.open_cases} of the {cap.cases} cases "
                f"allowed{until} (A5)",
                True,
            )
        )
    room = capacity(worker, s) if room is None else room
    if worker.weighted_load + weight > room:
        limits.append(
            Limit(
                "capacity",
                f"at capacity: {_num(worker.weighted_load)} of {_num(room)} weighted cases, "
                f"and this case weighs {_num(weight)}",
                True,
            )
        )
    return tuple(limits)


# A2: the ranking ---------------------------------------------------------------------


@dataclass(slots=True)
class Factor:
    code: str  # a .. h, as listed in A2
    name: str
    points: float
    of: int
    text: str


@dataclass(slots=True)
class Recommendation:
    worker: WorkerFacts
    rank: int
    score: float
    eligible: bool
    factors: tuple[Factor, ...]
    limits: tuple[Limit, ...] = ()
    cap: str = ""  # "new worker: 5 cases allowed until 12 March", when a cap applies
    previous_worker: bool = False  # A3
    capacity: float = 0.0

    @property
    def overridable(self) -> bool:
        """Every limit can be lifted by a program director with a reason."""
        return bool(self.limits) and all(limit.overridable for limit in self.limits)


def rank_workers(
    case: CaseFacts, workers: list[WorkerFacts], *, today: date, settings: PolicySettings
) -> list[Recommendation]:
    """A2: rank the case managers for a case, each with its factors (a) to (h) in words.
    Eligible workers come first by score; the ineligible follow with their reasons (A5).
    A3: a re-opened case puts its previous case manager first when eligible."""
    weight = case_weight(case.complexity, settings)
    scored = []
    for worker in workers:
        cap = new_worker_cap(worker.trained_on, worker.experience, today, settings)
        room = capacity(worker, settings)
        limits = hard_limits(worker, weight, today, settings, cap=cap, room=room)
        factors = _factors(case, worker, settings, room)
        score = round(sum(f.points for f in factors), 1)
        previous = case.previous_worker_id == worker.id
        scored.append((worker, limits, factors, score, previous, cap, room))

    def order(item):
        worker, limits, _, score, previous, _, _ = item
        return (bool(limits), not previous, -score, worker.name, worker.id)

    ranked = []
    for rank, (worker, limits, factors, score, previous, cap, room) in enumerate(
        sorted(scored, key=order), start=1
    ):
        cap_text = ""
        if cap.cases is not None and cap.cases > 0:
            cap_text = (
                f"new worker: {worker.open_cases} of {cap.cases} cases allowed "
                f"until {_day(cap.rises_on)}"
            )
        ranked.append(
            Recommendation(
                worker=worker,
                rank=rank,
                score=score,
                eligible=not limits,
                factors=factors,
                limits=limits,
                cap=cap_text,
                previous_worker=previous,
                capacity=room,
            )
        )
    return ranked


def top_recommendation(ranked: list[Recommendation]) -> Recommendation | None:
    """A7: the system's recommendation: the first eligible worker, if any."""
    return ranked[0] if ranked and ranked[0].eligible else None


def _factors(
    case: CaseFacts, worker: WorkerFacts, s: PolicySettings, room: float
) -> tuple[Factor, ...]:
    factors = [
        _caseload(worker, s, room),
        _complexity(case, worker, s),
        _supervision(case, worker, s),
        _skills(case, worker, s),
        _family_needs(case, worker, s),
        _diversity(case, worker, s),
        _distance(case, worker, s),
        _out_of_home(case, worker, s),
    ]
    if case.previous_worker_id == worker.id:
        factors.insert(0, Factor("A3", "Previous case manager", 0, 0, _PREVIOUS))
    return tuple(factors)


_PREVIOUS = "was this family's case manager before: a re-opened case goes back to them (A3)"


def _caseload(w: WorkerFacts, s: PolicySettings, room: float) -> Factor:
    used = w.weighted_load / room if room else 1.0
    points = s.weight_caseload * max(0.0, 1 - used)
    text = (
        f"holds {w.open_cases} case{'s' if w.open_cases != 1 else ''}, "
        f"{_num(w.weighted_load)} of {_num(room)} weighted ({round(used * 100)}% full)"
    )
    return Factor("a", "Caseload", round(points, 1), s.weight_caseload, text)


def _complexity(case: CaseFacts, w: WorkerFacts, s: PolicySettings) -> Factor:
    c, e = case.complexity, w.experience
    fit = 1 - max(0, c - e) / 3 - max(0, e - c - 1) * 0.15
    level = f"{EXPERIENCE.get(e, 'unknown')} worker, {COMPLEXITY.get(c, '?')}-complexity case"
    if c > e:
        text = f"{level}: harder than this worker's experience"
    elif e - c > 1:
        text = f"{level}: could go to a less experienced worker"
    else:
        text = f"{level}: a good match"
    return Factor("b", "Complexity and experience", round(s.weight_complexity * fit, 1),
                  s.weight_complexity, text)  # fmt: skip


def _supervision(case: CaseFacts, w: WorkerFacts, s: PolicySettings) -> Factor:
    fit = SUPERVISION_FIT.get(w.supervision, SUPERVISION_FIT[2])[
        min(max(case.complexity, 1), 4) - 1
    ]
    need = {3: "needs close supervision", 2: "needs regular supervision"}.get(
        w.supervision, "needs minimal supervision"
    )
    tail = "" if fit == 1 else f"; this case is {COMPLEXITY.get(case.complexity, '?')} complexity"
    return Factor("c", "Supervision", round(s.weight_supervision * fit, 1),
                  s.weight_supervision, need + tail)  # fmt: skip


def _skills(case: CaseFacts, w: WorkerFacts, s: PolicySettings) -> Factor:
    if not case.needs:
        return Factor("d", "Skills and interests", s.weight_skills, s.weight_skills,
                      "the family has no special needs recorded")  # fmt: skip
    needs = sorted(case.needs)
    met = [NEED_SKILLS[n][1] for n in needs if NEED_SKILLS[n][0] in w.skills]
    missing = [NEED_SKILLS[n][1] for n in needs if NEED_SKILLS[n][0] not in w.skills]
    points = s.weight_skills * len(met) / len(needs)
    parts = []
    if met:
        parts.append(f"skilled in {_join(met)}")
    if missing:
        parts.append(f"no recorded skill in {_join(missing)}")
    text = f"{'; '.join(parts)} ({len(met)} of {len(needs)} needs)"
    return Factor("d", "Skills and interests", round(points, 1), s.weight_skills, text)


def _family_needs(case: CaseFacts, w: WorkerFacts, s: PolicySettings) -> Factor:
    high = case.complexity >= HIGH_NEED or len(case.needs) >= 2
    if not high:
        return Factor("e", "Family strengths and needs", s.weight_family_needs,
                      s.weight_family_needs, "the family's needs are moderate")  # fmt: skip
    share = w.high_need_cases / w.open_cases if w.open_cases else 0.0
    text = (
        f"a high-need family; {w.high_need_cases} of this worker's {w.open_cases} cases "
        "are high-need"
    )
    return Factor("e", "Family strengths and needs", round(s.weight_family_needs * (1 - share), 1),
                  s.weight_family_needs, text)  # fmt: skip


def _diversity(case: CaseFacts, w: WorkerFacts, s: PolicySettings) -> Factor:
    parts, fit = [], 0.0
    family = case.languages - {s.working_language}
    if family:
        spoken = family & (w.languages | {s.working_language})
        names = dict(case.language_names)
        if spoken:
            fit += 0.5
            said = _join([names.get(code, code) for code in sorted(spoken)])
            parts.append(f"speaks {said} like the family")
        else:
            said = _join([names.get(code, code) for code in sorted(family)])
            parts.append(f"does not speak {said}, the family's language")
    else:
        fit += 0.5
    culture = _words(case.culture)
    if culture:
        if culture & _words(w.culture):
            fit += 0.25
            parts.append(f"shares or knows the family's culture ({case.culture})")
        else:
            parts.append(f"no recorded tie to the family's culture ({case.culture})")
    else:
        fit += 0.25
    if case.gender_preference:
        if case.gender_preference == w.gender:
            fit += 0.25
            parts.append(f"{w.gender}, as the family prefers")
        else:
            parts.append(f"the family prefers a {case.gender_preference} worker")
    else:
        fit += 0.25
    text = "; ".join(parts) or "no language, culture or gender preference recorded"
    return Factor("f", "Language, culture and gender", round(s.weight_diversity * fit, 1),
                  s.weight_diversity, text)  # fmt: skip


def _distance(case: CaseFacts, w: WorkerFacts, s: PolicySettings) -> Factor:
    km = distance_km(case.location, w.office)
    if km is None:
        return Factor("g", "Distance", round(s.weight_distance / 2, 1), s.weight_distance,
                      "distance unknown (no address or office location)")  # fmt: skip
    fit = max(0.0, 1 - km / s.distance_reference_km) if s.distance_reference_km else 0.0
    return Factor("g", "Distance", round(s.weight_distance * fit, 1), s.weight_distance,
                  f"{round(km)} km from the family to the worker's office")  # fmt: skip


def _out_of_home(case: CaseFacts, w: WorkerFacts, s: PolicySettings) -> Factor:
    share = out_of_home_share(w)
    held = f"already holds {round(share * 100)}% out-of-home cases"
    if case.out_of_home:
        after = (w.out_of_home_cases + 1) / (w.open_cases + 1)
        if after >= 1:
            return Factor("h", "Out-of-home share", 0, s.weight_out_of_home,
                          f"{held}: would hold only out-of-home cases")  # fmt: skip
        return Factor("h", "Out-of-home share", round(s.weight_out_of_home * (1 - after), 1),
                      s.weight_out_of_home, f"{held}; this is an out-of-home case")  # fmt: skip
    return Factor("h", "Out-of-home share", round(s.weight_out_of_home * share, 1),
                  s.weight_out_of_home, f"{held}; an in-home case balances them")  # fmt: skip


# A1, A3, A4: routing -----------------------------------------------------------------


@dataclass(frozen=True)
class UnitFacts:
    id: int
    name: str
    kind: str  # case_management, case_management_support, ...
    weighted_load: float = 0.0
    capacity: float = 0.0


@dataclass(frozen=True)
class RoutingFacts:
    out_of_county: bool
    icpc: bool
    # A3: the unit a re-opened case goes back to (its previous case manager's), if any.
    previous_unit_id: int | None = None
    previous_worker_name: str = ""


@dataclass(frozen=True)
class Routing:
    unit_id: int | None
    rule: str  # A1, A3 or A4
    strategy: str  # caseload, rotation, support, reopened
    explanation: str


SUPPORT = "case_management_support"
CASE_MANAGEMENT = "case_management"


def route(
    facts: RoutingFacts,
    units: list[UnitFacts],
    *,
    strategy: str,
    last_unit_id: int | None = None,
) -> Routing:
    """Choose the unit for a referral.

    A4: out-of-county and ICPC cases go to the Case Management Support unit.
    A3: a re-opened case goes to the unit of its previous case manager.
    A1: otherwise by the agency's strategy: `caseload` picks the case management unit with
    the lightest weighted load against its capacity; `rotation` the unit after
    `last_unit_id` in name order.
    """
    if facts.out_of_county or facts.icpc:
        why = " and ".join(
            w for w, on in (("out of county", facts.out_of_county), ("ICPC", facts.icpc)) if on
        )
        support = sorted((u for u in units if u.kind == SUPPORT), key=lambda u: (u.name, u.id))
        if not support:
            return Routing(None, "A4", "support", f"The case is {why}, but the agency has no "
                           "active Case Management Support unit.")  # fmt: skip
        unit = support[0]
        return Routing(unit.id, "A4", "support",
                       f"The case is {why}: it goes to {unit.name} (A4).")  # fmt: skip
    if facts.previous_unit_id is not None:
        unit = next((u for u in units if u.id == facts.previous_unit_id), None)
        if unit is not None:
            who = f", {facts.previous_worker_name}" if facts.previous_worker_name else ""
            return Routing(unit.id, "A3", "reopened", f"A re-opened case goes back to the unit "
                           f"of its previous case manager{who}: {unit.name} (A3).")  # fmt: skip
    pool = sorted((u for u in units if u.kind == CASE_MANAGEMENT), key=lambda u: (u.name, u.id))
    if not pool:
        return Routing(None, "A1", strategy, "The agency has no active case management unit.")
    if strategy == "rotation":
        ids = [u.id for u in pool]
        after = ids.index(last_unit_id) + 1 if last_unit_id in ids else 0
        unit = pool[after % len(pool)]
        return Routing(unit.id, "A1", "rotation",
                       f"By rotation: {unit.name} is next in turn (A1).")  # fmt: skip

    def load(u: UnitFacts):
        ratio = u.weighted_load / u.capacity if u.capacity > 0 else float("inf")
        return (ratio, u.weighted_load, u.name, u.id)

    unit = min(pool, key=load)
    share = (
        f"{_num(unit.weighted_load)} of {_num(unit.capacity)} weighted cases"
        if unit.capacity
        else f"{_num(unit.weighted_load)} weighted cases, no capacity recorded"
    )
    return Routing(unit.id, "A1", "caseload",
                   f"By caseload: {unit.name} has the lightest load ({share}) (A1).")  # fmt: skip


# A6: distributing a departing worker's cases -----------------------------------------


@dataclass(frozen=True)
class Move:
    case_id: int
    worker_id: int | None  # None: no eligible worker has room
    score: float = 0.0
    note: str = ""


def propose_distribution(
    cases: list[CaseFacts],
    workers: list[WorkerFacts],
    *,
    today: date,
    settings: PolicySettings,
) -> list[Move]:
    """A6: spread `cases` over `workers` as an assignment problem (SciPy's
    linear_sum_assignment), respecting every hard limit (A5, capacity, status) and evening
    the weighted loads: each worker offers one slot per case they may still take, and the
    k-th slot costs the worker's load after it, squared, against their capacity, so the
    cheapest solution fills the lightest workers first; the A2 score breaks near-ties.
    """
    if not cases:
        return []
    s = settings
    weights = [case_weight(c.complexity, s) for c in cases]
    light = min(weights)
    cap_slots: dict[int, int] = {}
    for w in workers:
        if any(not limit.overridable for limit in hard_limits(w, light, today, s)):
            continue  # departed, on leave or untrained: no slots at all
        cap = new_worker_cap(w.trained_on, w.experience, today, s).cases
        by_count = len(cases) if cap is None else max(0, cap - w.open_cases)
        room = capacity(w, s) - w.weighted_load
        by_weight = int(room // light) if room > 0 else 0
        cap_slots[w.id] = min(by_count, by_weight, len(cases))
    eligible = [w for w in workers if cap_slots.get(w.id, 0) > 0]
    while True:  # each round that overfills a worker takes away one of their slots
        moves = _solve(cases, weights, eligible, cap_slots, today, s)
        over = _over_capacity(moves, weights, eligible, s)
        if over is None:
            return moves
        cap_slots[over] -= 1


def _solve(cases, weights, eligible, cap_slots, today, s) -> list[Move]:
    columns = [(w, k) for w in eligible for k in range(max(0, cap_slots[w.id]))]
    if not columns:
        return [Move(c.id, None, 0, "no eligible worker in the unit has room") for c in cases]
    big = 1e6
    cost = np.full((len(cases), len(columns)), big)
    scores = {}
    mean = sum(weights) / len(weights)
    for i, case in enumerate(cases):
        for rec in rank_workers(case, eligible, today=today, settings=s):
            scores[(i, rec.worker.id)] = rec.score
        for j, (w, k) in enumerate(columns):
            room = capacity(w, s)
            after = w.weighted_load + k * mean + weights[i]
            if w.weighted_load + weights[i] > room:
                continue
            cost[i, j] = 10 * (after / room) ** 2 - scores[(i, w.id)] / 100
    rows, cols = linear_sum_assignment(cost)
    chosen = {r: c for r, c in zip(rows, cols, strict=True) if cost[r, c] < big}
    moves = []
    for i, case in enumerate(cases):
        if i in chosen:
            worker = columns[chosen[i]][0]
            moves.append(Move(case.id, worker.id, scores[(i, worker.id)]))
        else:
            moves.append(Move(case.id, None, 0, "no eligible worker in the unit has room"))
    return moves


def _over_capacity(moves, weights, eligible, s) -> int | None:
    """The first worker whose load after the moves exceeds their capacity, if any."""
    added: dict[int, float] = {}
    for move, weight in zip(moves, weights, strict=True):
        if move.worker_id is not None:
            added[move.worker_id] = added.get(move.worker_id, 0) + weight
    for w in eligible:
        if w.id in added and w.weighted_load + added[w.id] > capacity(w, s) + 1e-9:
            return w.id
    return None


# Words -------------------------------------------------------------------------------


def _day(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@lru_cache(maxsize=1024)
def _words(text: str) -> frozenset[str]:
    return frozenset("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())
