"""A5 and capacity: the hard limits that make a case manager ineligible. They are not
scores (hearth.policy.assignment.ranking orders the eligible ones). A program director may
assign above capacity (A2(a, h)) with a reason; A5's cap, and a departed, on-leave or
untrained worker, no one ever lifts."""

from dataclasses import dataclass
from datetime import date, timedelta

from hearth.policy.assignment.facts import WorkerFacts, day_text, num_text
from hearth.policy.settings import PolicySettings


@dataclass(slots=True)
class Cap:
    """A5: the most cases a new worker may hold today, and when that rises."""

    cases: int | None  # None: no count cap (a full caseload applies)
    rises_on: date | None
    text: str


def new_worker_cap(trained_on: date | None, experience: int, today: date, s: PolicySettings) -> Cap:
    """A5, a hard limit: a new case manager holds at most `new_worker_case_cap` cases in the
    `new_worker_cap_days` after completing pre-service training. Then the cap rises by the
    steps of `new_worker_cap_ramp` ([first day, cap] pairs: "from day 31 at most 8 cases")
    to the full caseload: from the step that reaches `full_caseload`, or else from the last
    step, no count cap applies, capacity alone. A step dated inside the first days applies
    only after them. A new worker not yet trained holds none. (hearth.policy.settings
    refuses a ramp that falls, leaves a gap or stops short of the full caseload.)
    """
    if trained_on is None:
        if experience <= 1:
            return Cap(0, None, "new worker: has not completed pre-service training")
        return Cap(None, None, "")
    days = (today - trained_on).days
    after_first_days = s.new_worker_cap_days + 1
    ramp = sorted((max(first, after_first_days), cap) for first, cap in s.new_worker_cap_ramp)
    full_from = min(
        [first for first, cap in ramp if cap >= s.full_caseload]
        + [ramp[-1][0] if ramp else after_first_days]
    )
    if days >= full_from:
        return Cap(None, None, "")
    cap = [c for first, c in [(0, s.new_worker_case_cap), *ramp] if first <= days][-1]
    rises = min([first for first, _ in ramp if first > days] + [full_from])
    rises_on = trained_on + timedelta(days=rises)
    return Cap(cap, rises_on, f"new worker: {cap} cases allowed until {day_text(rises_on)}")


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
    """A hard limit that makes a worker ineligible. `overridable`: a program director may
    assign above it with a reason; only capacity is (A2(a, h)). A5's new-worker cap (the
    first 30 days' 5 cases and the ramp's caps) and a departed, on-leave or untrained worker
    are never lifted, by anyone (A5 is a hard limit, issue 11)."""

    code: str
    text: str
    overridable: bool = False


def unavailable(worker: WorkerFacts, cap: Cap) -> tuple[Limit, ...]:
    """Why this worker takes no case at all now, whatever its weight: departed, on leave,
    or a new worker who has not completed pre-service training (A5)."""
    limits = []
    if worker.status == "departed":
        when = f" on {day_text(worker.departed_on)}" if worker.departed_on else ""
        limits.append(Limit("departed", f"left the agency{when}"))
    elif worker.status == "on_leave":
        limits.append(Limit("on_leave", "on leave"))
    if cap.cases == 0 and worker.trained_on is None:
        limits.append(Limit("untrained", cap.text))
    return tuple(limits)


def hard_limits(
    worker: WorkerFacts,
    weight: float,
    today: date,
    s: PolicySettings,
    *,
    cap: Cap | None = None,
    room: float | None = None,
) -> tuple[Limit, ...]:
    """Why this worker may not take a case of this weight now (departed, on leave,
    untrained; A5's new-worker cap; at capacity). Hard limits are not scores: an empty
    tuple means eligible. Only capacity is overridable by a program director (A2); the
    others by no one (A5). `cap` and `room` (the worker's A5 cap
    and capacity) may be passed when the caller has them."""
    cap = cap or new_worker_cap(worker.trained_on, worker.experience, today, s)
    limits = list(unavailable(worker, cap))
    if (
        worker.trained_on is not None
        and cap.cases is not None
        and worker.open_cases + 1 > cap.cases
    ):
        until = f" until {day_text(cap.rises_on)}" if cap.rises_on else ""
        limits.append(
            Limit(
                "new_worker_cap",
                f"new worker: already holds {worker.open_cases} of the {cap.cases} cases "
                f"allowed{until} (A5)",
            )
        )
    room = capacity(worker, s) if room is None else room
    if worker.weighted_load + weight > room:
        limits.append(
            Limit(
                "capacity",
                f"at capacity: {num_text(worker.weighted_load)} of {num_text(room)} weighted "
                f"cases, and this case weighs {num_text(weight)}",
                overridable=True,  # A2(a, h): a program director may, with a reason
            )
        )
    return tuple(limits)
