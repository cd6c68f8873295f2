"""P9, the one due list: what falls due, read from the one Obligation table whatever its
source (contacts V1 to V13, placements P5, planning C1, C3, C5, C7 and the signatures
awaited), so a new source shows here without a change. Set-based: one query for the
obligations of a list, whatever the caseload's size (with the viewer's staff record and
roles, read once), always scoped by the viewer (hearth.cases.access.visible_cases).

An item is open when it is neither met nor excused. Its group: overdue (due before today,
not met), due this week (due within the next DUE_SOON_DAYS days, today included), or
upcoming (later, up to the horizon)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from hearth.cases import access as case_access
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.obligations.selectors import with_state
from hearth.planning.access import due_units
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

S = Obligation.State
OPEN = Q(met_on__isnull=True, excused_reason="")
DUE_SOON_DAYS = 7
DEFAULT_HORIZON_DAYS = 30
MAX_HORIZON_DAYS = 366
CASE_PAGE_LIMIT = 12

OVERDUE, WEEK, LATER = "overdue", "week", "later"
GROUP_LABELS = {OVERDUE: "Overdue", WEEK: "Due this week", LATER: "Upcoming"}
OPEN_STATES = (S.OVERDUE, S.DUE, S.UPCOMING)


def group_of(state: str, due_on: date, now: date) -> str:
    """P9: overdue, due this week (within DUE_SOON_DAYS days from today) or upcoming."""
    if state == S.OVERDUE:
        return OVERDUE
    if due_on < now + timedelta(days=DUE_SOON_DAYS):
        return WEEK
    return LATER


def _dress(rows: Iterable[Obligation], now: date) -> list[Obligation]:
    """Each obligation with its group, its label and its days left (negative: days over)."""
    out = []
    for o in rows:
        o.days_left = (o.due_on - now).days
        o.days_over = max(0, -o.days_left)
        o.group = group_of(o.state, o.due_on, now)
        o.group_label = GROUP_LABELS[o.group]
        out.append(o)
    return out


def _open(qs: QuerySet, *, now: date, horizon_days: int | None) -> QuerySet:
    qs = qs.filter(OPEN)
    if horizon_days is not None:
        qs = qs.filter(due_on__lte=now + timedelta(days=horizon_days))
    return with_state(qs, now)


@dataclass
class DueList:
    """A due list: its items by due date, and the same items by group."""

    now: date
    horizon_days: int
    items: list = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, str, list]]:
        """(group, label, items) for each group, overdue first, empty ones included."""
        return [
            (g, label, [o for o in self.items if o.group == g]) for g, label in GROUP_LABELS.items()
        ]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(GROUP_LABELS, 0)
        for o in self.items:
            counts[o.group] += 1
        return counts


def due_list(
    *,
    viewer,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    states: Iterable[str] | None = None,
    now: date | None = None,
) -> DueList:
    """P9: the viewer's own due list: every open obligation they are responsible for,
    due up to `horizon_days` ahead, and everything overdue, by due date. One query (after
    the viewer's staff record)."""
    now = now or today()
    out = DueList(now=now, horizon_days=horizon_days)
    staff = staff_access.staff_for(viewer)
    if staff is None:
        return out
    qs = Obligation.objects.filter(
        responsible=staff, case__in=case_access.visible_cases(viewer)
    ).select_related("case", "person")
    qs = _open(qs, now=now, horizon_days=horizon_days)
    if states:
        qs = qs.filter(state__in=list(states))
    out.items = _dress(qs.order_by("due_on", "case__case_number", "rule", "id"), now)
    return out


@dataclass
class WorkerDue:
    worker: StaffMember | None  # None: obligations of cases with no worker
    worker_id: int | None
    items: list


def unit_overdue(*, viewer, unit, now: date | None = None) -> list[WorkerDue]:
    """P9: a unit's overdue items, by worker (for the unit's supervisor, due.unit, and the
    agency's program director, due.agency: hearth.planning.access.due_units), among the
    cases the viewer may see. One query."""
    now = now or today()
    qs = Obligation.objects.filter(
        unit=unit, case__in=case_access.visible_cases(viewer), due_on__lt=now
    ).select_related("case", "person", "responsible")
    rows = _open(qs, now=now, horizon_days=None).filter(state=S.OVERDUE)
    rows = rows.order_by(
        "responsible__last_name", "responsible__first_name", "responsible_id", "due_on", "id"
    )
    out: list[WorkerDue] = []
    for o in _dress(rows, now):
        if not out or out[-1].worker_id != o.responsible_id:
            out.append(WorkerDue(worker=o.responsible, worker_id=o.responsible_id, items=[]))
        out[-1].items.append(o)
    return out


def case_due(
    case, *, now: date | None = None, horizon_days: int | None = None, limit: int | None = None
) -> list[Obligation]:
    """P9: a case's next obligations, of every source: its open obligations, overdue ones
    first then by due date (up to `horizon_days` ahead when given). One query. The caller
    has checked that the viewer may see the case."""
    now = now or today()
    qs = _open(
        Obligation.objects.filter(case=case).select_related("person", "responsible"),
        now=now,
        horizon_days=horizon_days,
    ).order_by("due_on", "rule", "id")
    if limit is not None:
        qs = qs[:limit]
    return _dress(qs, now)


def visible_due_units(viewer):
    """The units whose overdue list the viewer may read (for links)."""
    return due_units(viewer).order_by("name")


def digest_recipients(*, on: date):
    """P9: the staff to whom a digest may be due on `on`: active, with an email address,
    responsible for at least one open obligation due by the longest digest horizon."""
    responsible = Obligation.objects.filter(
        OPEN, due_on__lte=on + timedelta(days=MAX_HORIZON_DAYS)
    ).values("responsible_id")
    return (
        StaffMember.objects.filter(
            status=StaffMember.Status.ACTIVE, user__is_active=True, pk__in=responsible
        )
        .exclude(user__email="")
        .select_related("user", "agency", "unit")
        .prefetch_related("roles")
        .order_by("pk")
    )
