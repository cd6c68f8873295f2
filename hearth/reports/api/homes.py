"""The signed-in staff member's home (issue 15), as the home page shows it (/): GET
/api/v1/me/home. `role` says which home: a case manager's urgent items, a supervisor's
unit, a program director's agency; any other role gets `role` "none" and the address of
the page they land on. The cases named go to the access log."""

from datetime import date
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from hearth.core import audit
from hearth.core.errors import Forbidden
from hearth.core.services import today
from hearth.reports import homes
from hearth.reports.api.router import router
from hearth.staff import access as staff_access


class RoleHomeItemOut(Schema):
    kind: Literal[
        "due", "no_visitation_plan", "plan_signatures", "long_shelter_stay", "home_licence"
    ]
    urgency: Literal["overdue", "action", "week", "later"] = Field(
        ..., description="overdue, needs action now, due within 7 days (week), or later"
    )
    tag: str = Field(..., description="The urgency in words: Overdue, Needs action, ...")
    label: str = Field(..., description='The urgency in words: "Overdue 12 days", ...')
    what: str
    rule: str
    case_id: int
    case_number: str
    person_id: int | None
    person_name: str
    due_on: date | None = Field(
        ..., description="Due date; for a child in care: removal, plan or shelter limit date"
    )
    days_left: int | None = Field(..., description="Days to the due date; negative: overdue")
    url: str


class RoleHomeWorkerOverdueOut(Schema):
    worker_id: int | None
    name: str
    overdue: int
    most_days_over: int


class RoleHomeReferralOut(Schema):
    case_id: int
    case_number: str
    opened_on: date
    age_days: int
    unit: str
    children: int


class RoleHomeWorkerLoadOut(Schema):
    worker_id: int
    name: str
    open_cases: int
    weighted_load: float
    capacity: float
    load_percent: int
    limits: list[str]


class RoleHomeApprovalOut(Schema):
    kind: Literal["case_plan", "recommendation"]
    rule: str
    case_id: int
    case_number: str
    what: str
    since: date
    waiting_days: int
    url: str


class RoleHomeFigureOut(Schema):
    measure: str
    title: str
    unit: str
    month: date
    value: float | None
    previous: float | None
    change: float | None
    trend: str
    standard: float | None


class RoleHomeQueueOut(Schema):
    waiting: int
    oldest_days: int | None
    over_flag: int = Field(..., description="Waiting more than flag_days days")
    flag_days: int


class RoleHomeLicenceOut(Schema):
    id: int
    name: str
    licence_expires_on: date | None
    licence_state: Literal["expired", "expiring"]
    occupancy: int
    capacity: int
    warning: str


class RoleHomeOut(Schema):
    role: Literal["case_manager", "supervisor", "program_director", "none"]
    today: date
    landing: str | None = Field(None, description="For the other roles: the page they land on")
    counts: dict[str, int] | None = Field(None, description="Case manager: items by urgency")
    items: list[RoleHomeItemOut] = Field([], description="Case manager: most urgent first")
    unit_name: str | None = None
    overdue_by_worker: list[RoleHomeWorkerOverdueOut] = []
    referrals: list[RoleHomeReferralOut] = Field([], description="Supervisor: oldest first")
    over_capacity: list[RoleHomeWorkerLoadOut] = []
    approvals: list[RoleHomeApprovalOut] = Field(
        [], description="Supervisor: the longest waiting first"
    )
    figures: list[RoleHomeFigureOut] = Field([], description="Program director: last full month")
    queue: RoleHomeQueueOut | None = None
    at_limits: list[RoleHomeWorkerLoadOut] = Field(
        [], description="Program director: the 25 fullest case managers at a hard limit"
    )
    at_limits_count: int | None = Field(None, description="Program director: how many in all")
    licences: list[RoleHomeLicenceOut] = Field(
        [], description="Program director: homes whose licence has expired or soon expires (P2)"
    )


@router.get("/me/home", response=RoleHomeOut, summary="The caller's home: what to act on first")
def get_home(request):
    """The caller's home, as the home page shows it: a case manager's open obligations
    and children in care needing action, most urgent first, each with its label; a
    supervisor's unit (overdue by worker, referrals waiting, workers over capacity,
    approvals awaited); a program director's figures with their trend, intake queue age,
    workers at a hard limit and the homes whose licence needs renewing."""
    staff = staff_access.staff_for(request.user)
    if staff is None:
        raise Forbidden()
    role = homes.home_role(staff)
    if role == homes.CASE_MANAGER:
        home = homes.case_manager_home(request.user)
        audit.log_access(request, audit.LIST, home.disclosed)
        return {"role": role, "today": home.today, "counts": home.counts, "items": home.items}
    if role == homes.SUPERVISOR:
        home = homes.supervisor_home(request.user)
        audit.log_access(request, audit.LIST, home.disclosed)
        return {"role": role, **vars(home)}
    if role == homes.PROGRAM_DIRECTOR:
        home = homes.director_home(request.user)
        return {"role": role, **vars(home)}
    return {"role": "none", "today": today(), "landing": reverse(homes.landing(staff))}
