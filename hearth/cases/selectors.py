"""Reads shared by pages and the API. Every read takes the viewer and goes through
hearth.cases.access; query counts do not grow with the number of cases."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case as DbCase
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from simple_history import utils as history_utils

from hearth.cases import access as case_access
from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseEvent, CaseMember
from hearth.core.models import display_value
from hearth.people.models import Person, Relationship
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember
from hearth.staff.permissions import roles_with


def _current_primary(field: str):
    return Subquery(
        Assignment.objects.filter(
            case=OuterRef("pk"), ends_on__isnull=True, kind=Assignment.Kind.PRIMARY
        ).values(field)[:1]
    )


def with_current_worker(qs: QuerySet) -> QuerySet:
    """Annotate each case with its current primary case manager (id and name)."""
    return qs.annotate(
        worker_id=_current_primary("worker_id"),
        worker_first_name=_current_primary("worker__first_name"),
        worker_last_name=_current_primary("worker__last_name"),
    )


ROLE_ORDER = DbCase(
    *(When(role=role, then=Value(i)) for i, role in enumerate(CaseMember.Role.values)),
    default=Value(99),
)


def case_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """The cases the viewer may see, newest first, with the current worker."""
    filters = filters or {}
    qs = case_access.visible_cases(viewer).select_related("county", "unit")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    else:
        qs = qs.exclude(status=Case.Status.CLOSED) if not filters.get("include_closed") else qs
    if filters.get("case_type"):
        qs = qs.filter(case_type=filters["case_type"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("worker"):
        qs = qs.filter(
            assignments__worker_id=filters["worker"],
            assignments__ends_on__isnull=True,
            assignments__kind=Assignment.Kind.PRIMARY,
        )
    if filters.get("q"):
        qs = qs.filter(case_number__icontains=filters["q"].strip())
    return with_current_worker(qs).order_by("-opened_on", "-id")


def caseload(*, viewer) -> QuerySet:
    """My caseload: the open cases the viewer holds as primary case manager, with the
    family members (one query for the cases, one for the members), reading only the
    columns the page shows."""
    members = Prefetch(
        "members",
        queryset=CaseMember.objects.filter(ends_on__isnull=True)
        .select_related("person")
        .only(
            "case_id",
            "role",
            "person__first_name",
            "person__middle_name",
            "person__last_name",
            "person__suffix",
        )
        .order_by(ROLE_ORDER, "person__last_name", "person__first_name"),
        to_attr="current_members",
    )
    return (
        case_access.held_cases(viewer)
        .exclude(status=Case.Status.CLOSED)
        .select_related("county")
        .only(
            "case_number",
            "case_type",
            "court_involved",
            "status",
            "restricted",
            "county__name",
            "opened_on",
        )
        .prefetch_related(members)
        .order_by("case_number")
    )


@dataclass
class CaseDetail:
    case: Case
    members: list[CaseMember]
    past_members: list[CaseMember]
    relationships: list[Relationship]
    assignments: list[Assignment]
    current_assignment: Assignment | None
    events: list[CaseEvent]
    named: list[CaseAccessGrant]
    can_edit: bool
    can_assign: bool
    can_restrict: bool


def _timeline(case) -> list:
    """The case's last 100 recorded events, dated by the day each took place (the time
    each was recorded breaks ties): a removal typed a week late sits at its day."""
    events = case.events.select_related("actor").order_by("-occurred_at", "-id")[:100]
    return sorted(events, key=lambda e: (e.timeline_on, e.occurred_at, e.id), reverse=True)


def case_detail(*, viewer, case_id) -> CaseDetail:
    case = case_access.access_case(viewer, case_id)
    members = list(
        case.members.select_related("person").order_by("ends_on", ROLE_ORDER, "person__last_name")
    )
    person_ids = [m.person_id for m in members]
    relationships = list(
        Relationship.objects.filter(person_id__in=person_ids, other_id__in=person_ids)
        .select_related("person", "other")
        .order_by("kind", "id")
    )
    assignments = list(
        case.assignments.select_related("worker", "unit", "assigned_by").order_by(
            "-starts_on", "-id"
        )
    )
    current = next(
        (a for a in assignments if a.ends_on is None and a.kind == Assignment.Kind.PRIMARY), None
    )
    return CaseDetail(
        case=case,
        members=[m for m in members if m.ends_on is None],
        past_members=[m for m in members if m.ends_on is not None],
        relationships=relationships,
        assignments=assignments,
        current_assignment=current,
        events=_timeline(case),
        named=list(named_staff(case=case)) if case.restricted else [],
        can_edit=case_access.can_edit_case(viewer, case),
        can_assign=case_access.can_assign_case(viewer, case),
        can_restrict=case_access.can_restrict_case(viewer, case),
    )


def named_staff(*, case: Case) -> QuerySet:
    """The staff currently named on a restricted case, with who named them and why. `case`
    comes from case_access.access_case."""
    return (
        case.access_grants.filter(purpose=CaseAccessGrant.Purpose.NAMED, ends_on__isnull=True)
        .select_related("staff__unit", "granted_by")
        .order_by("staff__last_name", "staff__first_name", "pk")
    )


def nameable_staff(*, viewer, case: Case) -> QuerySet:
    """Who may be named on a restricted case: the active staff of its agency whom the viewer
    sees, not already named."""
    named = named_staff(case=case).values("staff_id")
    return (
        staff_access.visible_staff(viewer)
        .filter(agency_id=case.agency_id, status=StaffMember.Status.ACTIVE)
        .exclude(pk__in=named)
        .order_by("last_name", "first_name", "pk")
    )


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    action: str
    changes: list[tuple[str, str, str]]
    reason: str = ""


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
_SKIP = {"id", "created_at", "updated_at", "version"}


def _m2m_snapshots(sources: list[list]) -> dict:
    """m2m field -> {history id: the names of the related reference items then, sorted},
    for the history records of every source: one UNION query for all of them, whatever the
    number of records."""
    parts, fields = [], []
    for records in sources:
        if not records:
            continue
        history_model = type(records[0])
        ids = [r.history_id for r in records]
        for field in history_model._history_m2m_fields:
            target = history_utils.get_m2m_reverse_field_name(field)
            rows = getattr(history_model, field.name).model.objects.filter(history_id__in=ids)
            rows = rows.annotate(field_no=Value(len(fields))).order_by()
            parts.append(rows.values_list("field_no", "history_id", f"{target}__name"))
            fields.append((field, ids))
    if not parts:
        return {}
    names = defaultdict(list)
    for field_no, history_id, name in parts[0].union(*parts[1:], all=True):
        names[field_no, history_id].append(name)
    return {
        field: {hid: ", ".join(sorted(names[no, hid])) for hid in ids}
        for no, (field, ids) in enumerate(fields)
    }


def _entries(records, label, m2m: dict) -> list[HistoryEntry]:
    """History entries with field-level changes (m2m fields included), diffing each record
    against the previous record of the same object in memory (no query per record). The
    changes hold raw values until `_render` names them."""
    records = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
    fields = [
        f
        for f in (records[0]._meta.fields if records else [])
        if not f.name.startswith("history_") and f.name not in _SKIP
    ]
    own = type(records[0])._history_m2m_fields if records else []
    m2m = {f: names for f, names in m2m.items() if f in own}
    out, prev = [], None
    for rec in records:
        changes = []
        if rec.history_type == "~" and prev is not None and prev.id == rec.id:
            for f in fields:
                old, new = getattr(prev, f.attname), getattr(rec, f.attname)
                if old != new:
                    changes.append((f, old, new))
            for f, names in m2m.items():
                if names[prev.history_id] != names[rec.history_id]:
                    changes.append((f, names[prev.history_id], names[rec.history_id]))
        prev = rec
        if rec.history_type == "~" and not changes:
            continue
        user = rec.history_user
        who = (user.get_full_name() or user.username) if user else "system"
        out.append(
            HistoryEntry(
                rec.history_date,
                who,
                label(rec),
                _ACTIONS[rec.history_type],
                changes,
                rec.history_change_reason or "",
            )
        )
    return out


def _render(entries: list[HistoryEntry]) -> None:
    """Name the changed values: a choice by its label, a reference by the record it points
    to (one query per referenced model, for all entries together)."""
    wanted = defaultdict(set)
    for e in entries:
        for f, old, new in e.changes:
            if f.many_to_one:
                wanted[f.related_model] |= {old, new} - {None}
    names = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}

    def show(f, value) -> str:
        if f.many_to_many:
            return value or "—"
        if f.many_to_one and value is not None:
            return str(names[f.related_model].get(value, value))
        return display_value(f, value)

    for e in entries:
        e.changes = [(f.verbose_name, show(f, old), show(f, new)) for f, old, new in e.changes]


def _person_name(rec) -> str:
    return " ".join(p for p in (rec.first_name, rec.middle_name, rec.last_name, rec.suffix) if p)


def case_history(*, case: Case, limit: int = 200, more=()) -> list[HistoryEntry]:
    """Field-level change history of the case, its members, the people in it (every
    person who is or was a member: a change to a person shows in each of their cases),
    its assignments and its named access, newest first; and `more` sources of the apps
    above (history records of the case, related fields to read, a label of a record), such
    as intake's report. A constant number of queries, whatever the number of members.

    `case` must come from case_access.access_case (or case_detail), so the viewer's scope has
    already been checked; this read adds no second access query."""
    members = CaseMember.objects.filter(case_id=case.pk).values("person_id")
    sources = [
        (Case.history.filter(id=case.pk), (), lambda r: f"Case {r.case_number}"),
        (
            CaseMember.history.filter(case_id=case.pk),
            ("person",),
            lambda r: f"Member {r.person.full_name} ({r.get_role_display()})",
        ),
        (Person.history.filter(id__in=members), (), lambda r: f"Person {_person_name(r)}"),
        (
            Assignment.history.filter(case_id=case.pk),
            ("worker",),
            lambda r: f"Assignment of {r.worker.full_name}",
        ),
        (
            CaseAccessGrant.history.filter(case_id=case.pk),
            ("staff",),
            lambda r: f"Access of {r.staff.full_name} ({r.get_purpose_display().lower()})",
        ),
        *more,
    ]
    read = [
        list(records.select_related("history_user", *related).order_by("-history_date")[:limit])
        for records, related, _ in sources
    ]
    m2m = _m2m_snapshots(read)
    entries = []
    for records, (_, _, label) in zip(read, sources, strict=True):
        entries += _entries(records, label, m2m)
    entries.sort(key=lambda e: e.at, reverse=True)
    entries = entries[:limit]
    _render(entries)
    return entries


def unit_workers(*, viewer, unit_id=None) -> QuerySet:
    """The case managers of a unit with their current caseload counts (supervisor view)."""
    staff = staff_access.staff_for(viewer)
    if staff is None:
        return StaffMember.objects.none()
    unit_id = unit_id or staff.unit_id
    return (
        staff_access.visible_staff(viewer)
        .filter(unit_id=unit_id, roles__role__in=roles_with("case.hold"))
        .exclude(status=StaffMember.Status.DEPARTED)
        .annotate(
            open_cases=Count(
                "assignments",
                filter=Q(
                    assignments__ends_on__isnull=True,
                    assignments__kind=Assignment.Kind.PRIMARY,
                ),
                distinct=True,
            )
        )
        .order_by("last_name", "first_name")
    )
