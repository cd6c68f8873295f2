"""The oversight API: one router, one module per area (recommendations, caseloads, court,
qa, home), each adding its operations to the router when imported."""

from hearth.oversight.api import caseloads, court, home, qa, recommendations  # noqa: F401
from hearth.oversight.api.router import router

__all__ = ["router"]
