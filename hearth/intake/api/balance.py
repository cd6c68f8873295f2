"""A unit's balance: each case manager's load, capacity, out-of-home share and new-worker
cap (A2 a and h, A5)."""

from datetime import date

from ninja import Field, Router, Schema

from hearth.core.api_common import NamedRef
from hearth.core.errors import Forbidden
from hearth.intake import selectors
from hearth.intake.api.common import LimitOut, limits_out, unit_ref
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

router = Router()


# --- Schemas: balance and reassignment -------------------------------------------------


class BalanceWorkerOut(Schema):
    worker: NamedRef
    status: str
    open_cases: int
    weighted_load: float
    capacity: float
    load_percent: int
    out_of_home_share: int = Field(..., description="Percent of open cases out of home")
    new_worker_cap: int | None = Field(..., description="A5: most cases allowed now")
    cap_rises_on: date | None
    cap_text: str
    limits: list[LimitOut] = Field(..., description="Why they may not take a moderate case")


class BalanceTotalsOut(Schema):
    workers: int
    open_cases: int
    weighted_load: float
    capacity: float = Field(..., description="Of the active case managers")
    load_percent: int


class UnitBalanceOut(Schema):
    unit: NamedRef
    kind: str
    workers: list[BalanceWorkerOut]
    totals: BalanceTotalsOut


# --- Unit balance ----------------------------------------------------------------------


@router.get(
    "/units/{int:unit_id}/balance",
    response=UnitBalanceOut,
    summary="A unit's case managers: loads, capacity, out-of-home share, caps (A2, A5)",
)
def unit_balance(request, unit_id: int):
    unit = staff_access.access_unit(request.user, unit_id)
    if not staff_access.can_see_unit_balance(request.user, unit):
        raise Forbidden()
    unit, rows = selectors.unit_balance(viewer=request.user, unit_id=unit.pk)
    workers = []
    for row in rows:
        w = row.worker
        workers.append(
            {
                "worker": {"id": w.id, "name": w.name},
                "status": w.status,
                "open_cases": w.open_cases,
                "weighted_load": w.weighted_load,
                "capacity": row.capacity,
                "load_percent": row.load_percent,
                "out_of_home_share": row.share,
                "new_worker_cap": row.cap.cases,
                "cap_rises_on": row.cap.rises_on,
                "cap_text": row.cap.text,
                "limits": limits_out(row.limits),
            }
        )
    load = round(sum(r.worker.weighted_load for r in rows), 2)
    room = round(sum(r.capacity for r in rows if r.worker.status == StaffMember.Status.ACTIVE), 1)
    return {
        "unit": unit_ref(unit),
        "kind": unit.kind,
        "workers": workers,
        "totals": {
            "workers": len(rows),
            "open_cases": sum(r.worker.open_cases for r in rows),
            "weighted_load": load,
            "capacity": room,
            "load_percent": round(100 * load / room) if room else 0,
        },
    }
