"""A1, A3, A4: routing a referral to a case management unit."""

from dataclasses import dataclass

from hearth.policy.assignment.facts import num_text


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
        f"{num_text(unit.weighted_load)} of {num_text(unit.capacity)} weighted cases"
        if unit.capacity
        else f"{num_text(unit.weighted_load)} weighted cases, no capacity recorded"
    )
    return Routing(unit.id, "A1", "caseload",
                   f"By caseload: {unit.name} had the lightest load when the referral "
                   f"was routed ({share}) (A1).")  # fmt: skip
