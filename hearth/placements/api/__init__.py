"""Placement endpoints, a module per resource: the resource directory and placement
options, removals and exits, placements, permanency goals, schools (P2 to P4, V11, V12).

Thin by design: each endpoint checks access (hearth.cases.access) and the shape of the
input, then calls one service in hearth.placements.services, which checks the rules.
Records addressed by their own id (a removal) are reached through their case, and every
person named by id is resolved among the people the caller may see, never trusted as a
raw id.
"""

from ninja import Router

from hearth.placements.api import goals, homes, placements, removals, requests, schools

router = Router(tags=["placements"])
for resource in (homes, removals, placements, goals, schools, requests):
    router.add_router("", resource.router)
