"""Planning endpoints: the one due list (P9). The caller's due list (/due), a unit's
overdue items by worker (/units/{unit_id}/due: its supervisor, the agency's program
director; any other unit is a 404 like a missing one), a case's open obligations
(/cases/{case_id}/due, through the case's scope), and the caller's calendar feed tokens
(/calendar-tokens: make, list, revoke; a token is shown once)."""

from datetime import date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Schema, Status

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.api_common import CaseRef, NamedRef
from hearth.core.errors import Forbidden, NotFound
from hearth.core.services import today
from hearth.planning import access as planning_access
from hearth.planning.api.router import router
from hearth.planning.models import CalendarToken
from hearth.planning.selectors import due as selectors
from hearth.planning.services import due as services
from hearth.staff import access as staff_access

# --- Schemas ---------------------------------------------------------------------------------


class DueItemOut(Schema):
    id: int
    source: str
    rule: str = Field(..., description="The rule it comes from (V1, P5, C1, ...)")
    need: str
    description: str
    person: NamedRef | None
    case: CaseRef
    due_on: date
    state: Literal["overdue", "due", "upcoming"]
    group: Literal["overdue", "week", "later"] = Field(
        ..., description="overdue, due within 7 days (week), or later"
    )
    days_left: int = Field(..., description="Days until the due date; negative when overdue")
    reason: str = Field(..., description="The documented reason it is not met, if any")

    @staticmethod
    def resolve_person(obj):
        return {"id": obj.person_id, "name": obj.person.full_name} if obj.person_id else None

    @staticmethod
    def resolve_case(obj):
        return {"id": obj.case_id, "case_number": obj.case.case_number}


class DueCounts(Schema):
    overdue: int
    week: int
    later: int


class DueListOut(Schema):
    today: date
    horizon_days: int
    counts: DueCounts
    items: list[DueItemOut]


class WorkerDueOut(Schema):
    worker: NamedRef | None
    items: list[DueItemOut]

    @staticmethod
    def resolve_worker(obj):
        w = obj.worker
        return {"id": w.pk, "name": w.full_name} if w is not None else None


class UnitDueOut(Schema):
    unit: NamedRef
    today: date
    workers: list[WorkerDueOut]


class DueFilters(Schema):
    horizon: int = Field(
        selectors.DEFAULT_HORIZON_DAYS,
        ge=0,
        le=selectors.MAX_HORIZON_DAYS,
        description="Days ahead (overdue items are always included)",
    )
    state: list[Literal["overdue", "due", "upcoming"]] | None = Field(
        None, description="Only these states (repeat the parameter for several)"
    )


class CalendarTokenOut(Schema):
    id: int
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    active: bool

    @staticmethod
    def resolve_active(obj):
        return obj.revoked_at is None


class CalendarTokenCreated(CalendarTokenOut):
    token: str = Field(..., description="The token itself: shown this once, never again")
    feed_url: str = Field(..., description="The feed's address (holds the token)")


# --- Due lists --------------------------------------------------------------------------------


@router.get("/due", response=DueListOut, summary="My due list (P9)")
def my_due(request, filters: Query[DueFilters]):
    """Every open obligation the caller answers for, of every source, due within
    `horizon` days, and everything overdue, by due date."""
    due = selectors.due_list(
        viewer=request.user, horizon_days=filters.horizon, states=filters.state
    )
    audit.log_access(request, audit.LIST, due.items)
    return {
        "today": due.now,
        "horizon_days": due.horizon_days,
        "counts": due.counts,
        "items": due.items,
    }


@router.get(
    "/units/{int:unit_id}/due",
    response=UnitDueOut,
    summary="A unit's overdue items by worker (P9)",
    description="For the unit's supervisor and the agency's program director; any other "
    "unit answers 404 like a missing one.",
)
def unit_due(request, unit_id: int):
    unit = planning_access.access_due_unit(request.user, unit_id)
    workers = selectors.unit_overdue(viewer=request.user, unit=unit)
    audit.log_access(request, audit.LIST, [o for w in workers for o in w.items])
    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "today": today(),
        "workers": workers,
    }


@router.get(
    "/cases/{int:case_id}/due",
    response=list[DueItemOut],
    summary="A case's open obligations, of every source (P9)",
)
def case_due(request, case_id: int, horizon: int | None = Query(None, ge=0, le=3660)):  # noqa: B008
    case = case_access.access_case(request.user, case_id)
    items = selectors.case_due(case, horizon_days=horizon)
    for o in items:
        o.case = case
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(request, audit.LIST, items)
    return items


# --- Calendar tokens --------------------------------------------------------------------------


def _staff(request):
    staff = staff_access.staff_for(request.user)
    if staff is None:
        raise Forbidden()
    return staff


@router.get(
    "/calendar-tokens",
    response=list[CalendarTokenOut],
    summary="My calendar feed tokens (P9), newest first",
)
def list_calendar_tokens(request):
    return list(CalendarToken.objects.filter(staff=_staff(request)))


@router.post(
    "/calendar-tokens",
    response={201: CalendarTokenCreated},
    summary="Make a calendar feed token (P9)",
    description="Revokes the previous one (one active at a time). The answer holds the "
    "token and the feed's address once; only the token's SHA-256 is kept.",
)
def create_calendar_token(request):
    token, raw = services.calendar_token_create(actor=request.user, staff=_staff(request))
    token.token = raw
    token.feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[raw]))
    return Status(201, token)


@router.post(
    "/calendar-tokens/{int:calendar_token_id}/revoke",
    response=CalendarTokenOut,
    summary="Revoke one of my calendar feed tokens (P9)",
    description="The feed answers 404 from now on; revoking it again changes nothing.",
)
def revoke_calendar_token(request, calendar_token_id: int):
    token = CalendarToken.objects.filter(pk=calendar_token_id, staff=_staff(request)).first()
    if token is None:
        raise NotFound()
    return services.calendar_token_revoke(actor=request.user, token=token)
