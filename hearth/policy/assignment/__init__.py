"""Intake and assignment rules (A1 to A7), one module per rule: routing a referral to a
unit (`routing`: A1, A3, A4), ranking the case managers of a unit with an explanation a
supervisor can read (`ranking`: A2, A3, A7), the hard limits that are not scores
(`limits`: A5, capacity), and the checks of an assignment and the distribution of a
departing worker's cases (`distribution`: A6); the facts they share are in `facts`.

Pure functions over plain facts: the database layer (hearth.intake.selectors) gathers the
facts, "today" and the agency's policy settings are arguments. The public names are
re-exported here, so a caller reads `rules.route`, `rules.rank_workers`, ...
"""

from hearth.policy.assignment.distribution import (
    AssignmentRequest,
    assignment_problems,
    propose_distribution,
)
from hearth.policy.assignment.facts import CaseFacts, WorkerFacts, case_weight
from hearth.policy.assignment.limits import (
    Cap,
    Limit,
    capacity,
    hard_limits,
    new_worker_cap,
    out_of_home_share,
)
from hearth.policy.assignment.ranking import (
    HIGH_NEED,
    NEED_SKILLS,
    Recommendation,
    rank_workers,
    top_recommendation,
)
from hearth.policy.assignment.routing import Routing, RoutingFacts, UnitFacts, route

__all__ = [
    "HIGH_NEED",
    "NEED_SKILLS",
    "AssignmentRequest",
    "Cap",
    "CaseFacts",
    "Limit",
    "Recommendation",
    "Routing",
    "RoutingFacts",
    "UnitFacts",
    "WorkerFacts",
    "assignment_problems",
    "capacity",
    "case_weight",
    "hard_limits",
    "new_worker_cap",
    "out_of_home_share",
    "propose_distribution",
    "rank_workers",
    "route",
    "top_recommendation",
]
