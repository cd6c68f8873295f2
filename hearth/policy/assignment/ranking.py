"""A2, A3, A7: ranking the case managers of a unit for a case, each rank explained by the
factors (a) to (h) in words a supervisor can read; the top eligible one is the system's
recommendation (A7)."""

from dataclasses import dataclass
from datetime import date

from hearth.policy.assignment.facts import (
    CaseFacts,
    WorkerFacts,
    case_weight,
    day_text,
    join_words,
    num_text,
    words,
)
from hearth.policy.assignment.limits import (
    Limit,
    capacity,
    hard_limits,
    new_worker_cap,
    out_of_home_share,
)
from hearth.policy.placement import distance_km
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
        """A2: every limit is one a program director may lift with a reason (capacity
        only); a worker past A5's cap, departed, on leave or untrained is not."""
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
                f"until {day_text(cap.rises_on)}"
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
        f"{num_text(w.weighted_load)} of {num_text(room)} weighted ({round(used * 100)}% full)"
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
        parts.append(f"skilled in {join_words(met)}")
    if missing:
        parts.append(f"no recorded skill in {join_words(missing)}")
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
            said = join_words([names.get(code, code) for code in sorted(spoken)])
            parts.append(f"speaks {said} like the family")
        else:
            said = join_words([names.get(code, code) for code in sorted(family)])
            parts.append(f"does not speak {said}, the family's language")
    else:
        fit += 0.5
    culture = words(case.culture)
    if culture:
        if culture & words(w.culture):
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
