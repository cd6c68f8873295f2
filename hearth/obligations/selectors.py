"""Reads of obligations for pages, exports and the API: set-based, one query per table
whatever the caseload's size, and always scoped by the viewer (hearth.cases.access)."""

from datetime import date

from django.db.models import Case as When_
from django.db.models import CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat

from hearth.cases import access as case_access
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.policy.contacts import SEEN_NEEDS
from hearth.staff import access as staff_access
from hearth.staff.permissions import can, is_state_staff

S = Obligation.State


def with_state(qs: QuerySet, now: date | None = None) -> QuerySet:
    """Each obligation's state as of `now`, computed in SQL (never stored stale)."""
    now = now or today()
    return qs.annotate(
        state=When_(
            When(met_on__isnull=False, then=Value(S.MET)),
            When(~Q(excused_reason=""), then=Value(S.EXCUSED)),
            When(starts_on__gt=now, then=Value(S.UPCOMING)),
            When(due_on__gte=now, then=Value(S.DUE)),
            default=Value(S.OVERDUE),
            output_field=CharField(),
        )
    )


URGENCY = When_(
    When(state=S.OVERDUE, then=Value(0)),
    When(state=S.DUE, then=Value(1)),
    When(state=S.UPCOMING, then=Value(2)),
    When(state=S.EXCUSED, then=Value(3)),
    default=Value(4),
)


def visible_obligations(viewer) -> QuerySet:
    """Obligations of the cases the viewer may see."""
    return Obligation.objects.filter(case__in=case_access.visible_cases(viewer))


def my_obligations(*, viewer, month: date) -> list[Obligation]:
    """V13, "my contacts this month": what the viewer is responsible for, most urgent
    first, with the case and the person."""
    staff = staff_access.staff_for(viewer)
    if staff is None:
        return []
    qs = visible_obligations(viewer).filter(responsible=staff, month=month)
    return list(
        with_state(qs)
        .annotate(urgency=URGENCY)
        .select_related("case", "person")
        .order_by("urgency", "due_on", "person__last_name", "id")
    )


def next_for_cases(cases, *, now: date | None = None, per_case: int = 2) -> dict[int, list]:
    """Each case's next obligations not yet met (for the caseload), in one query."""
    now = now or today()
    rows = (
        with_state(
            Obligation.objects.filter(case__in=cases, met_on__isnull=True, excused_reason="")
        )
        .filter(Q(month=now.replace(day=1)) | Q(due_on__gte=now))
        .annotate(urgency=URGENCY)
        .select_related("person")
        .order_by("case_id", "urgency", "due_on", "id")
    )
    out: dict[int, list] = {}
    for o in rows:
        items = out.setdefault(o.case_id, [])
        if len(items) < per_case:
            items.append(o)
    return out


def for_case(case, *, month: date | None = None) -> list[Obligation]:
    """A case's obligations for the month (default: this one), most urgent first."""
    month = month or today().replace(day=1)
    return list(
        with_state(Obligation.objects.filter(case=case, month=month))
        .annotate(urgency=URGENCY)
        .select_related("person")
        .order_by("urgency", "due_on", "id")
    )


GROUPS = {  # group -> (field, label, order)
    "agency": ("agency_id", F("agency__name"), ("agency__name",)),
    "unit": ("unit_id", F("unit__name"), ("unit__name",)),
    "worker": (
        "responsible_id",
        Concat("responsible__first_name", Value(" "), "responsible__last_name"),
        ("responsible__last_name", "responsible__first_name"),
    ),
}
# The row of the requirements with no one responsible (no worker on the case, ...).
UNASSIGNED = {"agency": "No agency", "unit": "No unit assigned", "worker": "No worker assigned"}


def reporting_scope(viewer) -> QuerySet:
    """The obligations whose counts (no names) the viewer may see: state staff see every
    agency's; contractor staff their own agency's; a case manager their own."""
    staff = staff_access.staff_for(viewer)
    if staff is None:
        return Obligation.objects.none()
    if can(staff, "report.state") and is_state_staff(staff):
        return Obligation.objects.all()
    if can(staff, "report.agency"):
        return Obligation.objects.filter(agency_id=staff.agency_id)
    if can(staff, "report.unit") and staff.unit_id:
        return Obligation.objects.filter(unit_id=staff.unit_id)
    return Obligation.objects.filter(responsible=staff)


def default_group(viewer) -> str:
    staff = staff_access.staff_for(viewer)
    if is_state_staff(staff):
        return "agency"
    if can(staff, "report.agency"):
        return "unit"
    return "worker"


# V13: not seen (a need met only by seeing the person) with a documented reason: on
# runaway, incarcerated, far away, whereabouts unknown, an attempt. Such a requirement,
# due or past due, is "not seen, reason: ..."; a missed call, letter or locate effort
# is never explained this way (hearth.policy.contacts.SEEN_NEEDS).
EXPLAINED = Q(need__in=sorted(SEEN_NEEDS)) & ~Q(reason="")


def dashboard(*, viewer, month: date, group: str, filters: dict) -> list[dict]:
    """V13: per agency, unit or worker, how many requirements of the month are met, due
    (with days left) and overdue, and the share met; and, apart, who is not seen with a
    documented reason (due or overdue) and what is still due or overdue with none. So
    total = met + upcoming + excused + not_seen_with_reason + due_unexplained +
    overdue_unexplained; `due` and `overdue` count every unmet one, explained or not.
    One aggregate query."""
    field, label, order = GROUPS[group]
    qs = reporting_scope(viewer).filter(month=month, source=Obligation.Source.CONTACTS)
    for key, value in filters.items():
        qs = qs.filter(**{GROUPS[key][0]: value})
    unmet = Q(state__in=(S.DUE, S.OVERDUE))
    rows = (
        with_state(qs)
        .values(field, *order)
        .annotate(
            group_label=label,
            total=Count("id"),
            met=Count("id", filter=Q(state=S.MET)),
            due=Count("id", filter=Q(state=S.DUE)),
            overdue=Count("id", filter=Q(state=S.OVERDUE)),
            upcoming=Count("id", filter=Q(state=S.UPCOMING)),
            not_seen_with_reason=Count("id", filter=unmet & EXPLAINED),
            due_unexplained=Count("id", filter=Q(state=S.DUE) & ~EXPLAINED),
            overdue_unexplained=Count("id", filter=Q(state=S.OVERDUE) & ~EXPLAINED),
        )
        .order_by(*order)
    )
    out = []
    for r in rows:
        r = {k: v for k, v in r.items() if k not in order}
        r["key"], r["label"] = r.pop(field), r.pop("group_label")
        if r["key"] is None:
            r["label"] = UNASSIGNED[group]
        r["percent"] = _percent(r)
        out.append(r)
    return out


FIGURES = (
    "total",
    "met",
    "due",
    "overdue",
    "upcoming",
    "not_seen_with_reason",
    "due_unexplained",
    "overdue_unexplained",
)


def _percent(figures: dict) -> int | None:
    return round(100 * figures["met"] / figures["total"]) if figures["total"] else None


def dashboard_totals(rows: list[dict]) -> dict:
    """The sum of `dashboard` rows, each figure, and the share met."""
    totals = {k: sum(r[k] for r in rows) for k in FIGURES}
    totals["percent"] = _percent(totals)
    return totals


def unmet(*, viewer, month: date, filters: dict) -> QuerySet:
    """V13 drill-down: who is not seen yet and why, in the cases the viewer may see."""
    qs = visible_obligations(viewer).filter(
        month=month, source=Obligation.Source.CONTACTS, met_on__isnull=True
    )
    for key, value in filters.items():
        qs = qs.filter(**{GROUPS[key][0]: value})
    return (
        with_state(qs)
        .annotate(urgency=URGENCY)
        .select_related("case", "person", "responsible", "unit")
        .order_by("urgency", "due_on", "case__case_number", "id")
    )
