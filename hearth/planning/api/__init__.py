"""The planning API: one router, one module per area (assessments, plans, services,
teaming, due), each adding its operations to the router when imported."""

from hearth.planning.api import assessments, due, plans, services, teaming  # noqa: F401
from hearth.planning.api.router import router

__all__ = ["router"]
