"""Every write to removals, placements, schools and goals: one function per user action,
in a transaction, a module per resource. The rules are in hearth.policy.placement; these
functions feed them and store the outcome.

Callers pass a case they have already checked the actor may edit (hearth.cases.access).
"""

from hearth.placements.services.placements import child_place
from hearth.placements.services.removals import (
    child_remove,
    episode_entry_date_set,
    episode_exit,
    permanency_goal_change,
)
from hearth.placements.services.schools import school_record

__all__ = [
    "child_place",
    "child_remove",
    "episode_entry_date_set",
    "episode_exit",
    "permanency_goal_change",
    "school_record",
]
