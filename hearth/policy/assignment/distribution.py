"""A6: cases can be reassigned. The checks every assignment passes (who, when, by whom
and why are kept), and the distribution of a departing worker's cases over their unit."""

from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.optimize import linear_sum_assignment

from hearth.policy.assignment.facts import CaseFacts, WorkerFacts, case_weight
from hearth.policy.assignment.limits import capacity, new_worker_cap, unavailable
from hearth.policy.assignment.ranking import rank_workers
from hearth.policy.settings import PolicySettings

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
        cap = new_worker_cap(w.trained_on, w.experience, today, s)
        if unavailable(w, cap):
            continue  # departed, on leave or untrained: no slots at all
        by_count = len(cases) if cap.cases is None else max(0, cap.cases - w.open_cases)
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
