"""Every write to removals, placements, schools and goals: one function per user action,
in a transaction, a module per resource. The rules are in hearth.policy.placement; these
functions feed them and store the outcome.

Callers pass a case they have already checked the actor may edit (hearth.cases.access).
"""

from hearth.placements.services.homes import (
    home_create,
    home_licence_renew,
    home_update,
    resource_parent_add,
    resource_parent_end,
)
from hearth.placements.services.placements import child_place
from hearth.placements.services.removals import (
    child_remove,
    episode_entry_date_set,
    episode_exit,
    permanency_goal_change,
)
from hearth.placements.services.requests import (
    placement_request_answer,
    placement_request_send,
    placement_request_withdraw,
)
from hearth.placements.services.schools import school_locate, school_record

__all__ = [
    "child_place",
    "home_create",
    "home_licence_renew",
    "home_update",
    "placement_request_answer",
    "placement_request_send",
    "placement_request_withdraw",
    "resource_parent_add",
    "resource_parent_end",
    "school_locate",
    "child_remove",
    "episode_entry_date_set",
    "episode_exit",
    "permanency_goal_change",
    "school_record",
]
