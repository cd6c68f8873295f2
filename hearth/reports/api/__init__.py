"""The reports API: one router, one module per area, each adding its operations to the
router when imported."""

from hearth.reports.api import (
    afcars,  # noqa: F401  (F5: adds its operations)
    cfsr,  # noqa: F401  (F2, F3, F4)
    f1,  # noqa: F401  (F1 as data)
    homes,  # noqa: F401  (issue 15: each role's home)
    trends,  # noqa: F401  (the reports page's trends)
)
from hearth.reports.api.router import router

__all__ = ["router"]
