"""Each role's home: what the signed-in staff member should act on first (issue 15), for
the home page (hearth.web.pages.home) and the API (GET /api/v1/me/home) alike.

- A case manager: their open obligations of every source (the P9 due list: children not
  yet seen this month, first family contacts (P5), plans, meetings, signatures), and the
  children in care of their caseload without a visitation plan in effect (P5, P6), with a
  plan still awaiting signatures (P6), or in a shelter longer than the agency's
  `shelter_stay_days` (P2) or in a home whose licence has expired or soon expires (P2,
  `licence_warning_days`); overdue first, then what needs action now, then what is due
  this week, then the rest. Each item has a text label ("Overdue 12 days", "Due in 3
  days"): the page's colour only repeats it.
- A supervisor: the unit's overdue items by worker (P9), the referrals waiting for a case
  manager with their age, the workers over capacity (A2 a, h; A5) and the plans (C2) and
  recommendations (O1, O2) awaiting their approval.
- A program director: the agency's figures with their trend (hearth.reports.trends), the
  intake queue's size and age, the workers at a hard limit (A2, A5), and the homes whose
  licence has expired or soon expires (P2).

Set-based: a fixed number of queries per home, whatever the caseload's size.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse

from hearth.cases import access as case_access
from hearth.core.services import today
from hearth.intake import access as intake_access
from hearth.intake import selectors as intake
from hearth.obligations.models import Obligation
from hearth.oversight.models import Recommendation
from hearth.placements import selectors as placement_selectors
from hearth.placements.models import Placement, RemovalEpisode, Setting
from hearth.planning.models import CasePlan
from hearth.planning.selectors import due as due_selectors
from hearth.policy import placement as rules
from hearth.policy.assignment import limits
from hearth.policy.assignment.facts import case_weight
from hearth.reports import trends
from hearth.staff import access as staff_access
from hearth.staff.permissions import can
from hearth.visitation.models import VisitationPlan

CASE_MANAGER, SUPERVISOR, PROGRAM_DIRECTOR = "case_manager", "supervisor", "program_director"
# Urgency, most urgent first; the tag's words carry the meaning, its colour repeats it.
OVERDUE, ACTION, WEEK, LATER = "overdue", "action", "week", "later"
TAGS = {OVERDUE: "Overdue", ACTION: "Needs action", WEEK: "Due this week", LATER: "Upcoming"}
RANK = {OVERDUE: 0, ACTION: 1, WEEK: 2, LATER: 3}
# A referral waiting longer than this many days is flagged on the homes (the intake
# queue page marks the same age).
QUEUE_AGE_FLAG_DAYS = 3
# The director's figures: the last two full months of each monthly measure, so each has
# its trend (up, down, level) against the month before. V13's contact compliance only: F1
# by unit for two months takes 400 ms at state scale, over the home's 100 ms; F1 to F4
# are one link away, on the reports page.
FIGURE_MONTHS = 2
MONTHLY_MEASURES = ("contacts",)
AT_LIMITS_SHOWN = 25  # the director's home lists the fullest; the units pages, all
MODERATE = 2  # A2(a): the weight a case manager's hard limits are read against


def days_label(days_left: int) -> str:
    """'Overdue 12 days', 'Due today', 'Due in 3 days'."""
    if days_left < 0:
        n = -days_left
        return f"Overdue {n} day{'s' if n != 1 else ''}"
    if days_left == 0:
        return "Due today"
    return f"Due in {days_left} day{'s' if days_left != 1 else ''}"


@dataclass
class Item:
    """Something on a case to act on: its urgency, its words and where to act."""

    # due (an obligation), no_visitation_plan, plan_signatures, long_shelter_stay, home_licence
    kind: str
    urgency: str  # overdue, action, week, later
    label: str  # the urgency in words: "Overdue 12 days", "In a shelter 45 days"
    what: str
    rule: str
    case_id: int
    case_number: str
    person_id: int | None
    person_name: str
    due_on: date | None
    days_left: int | None
    url: str

    @property
    def tag(self) -> str:
        return TAGS[self.urgency]


@dataclass
class CaseManagerHome:
    today: date
    items: list[Item] = field(default_factory=list)
    disclosed: list = field(default_factory=list)  # the records shown, for the access log

    @property
    def urgent(self) -> list[Item]:
        return [i for i in self.items if i.urgency != LATER]

    @property
    def rest(self) -> list[Item]:
        return [i for i in self.items if i.urgency == LATER]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(TAGS, 0)
        for i in self.items:
            counts[i.urgency] += 1
        return counts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def case_manager_home(viewer, *, now: date | None = None) -> CaseManagerHome:
    """The case manager's open obligations (P9) and the children in care of their
    caseload needing action (P2, P5, P6), most urgent first. Five queries after the
    viewer's staff record, whatever the caseload."""
    now = now or today()
    home = CaseManagerHome(today=now)
    staff = staff_access.staff_for(viewer)
    if staff is None:
        return home
    due = due_selectors.due_list(viewer=viewer, now=now)
    for o in due.items:
        urgency = OVERDUE if o.group == due_selectors.OVERDUE else o.group
        home.items.append(
            Item(
                kind="due",
                urgency=urgency,
                label=days_label(o.days_left),
                what=o.description,
                rule=o.rule,
                case_id=o.case_id,
                case_number=o.case.case_number,
                person_id=o.person_id,
                person_name=o.person.full_name if o.person_id else "",
                due_on=o.due_on,
                days_left=o.days_left,
                url=_due_url(o),
            )
        )
    episodes, in_care = _children_in_care(viewer, staff, now)
    home.items.extend(in_care)
    home.disclosed = [*due.items, *episodes]
    home.items.sort(key=lambda i: (RANK[i.urgency], i.due_on or now, i.case_number, i.what))
    return home


def _due_url(o) -> str:
    if o.source == "contacts":
        query = f"?with={o.person_id}" if o.person_id else ""
        return reverse("note_new", args=[o.case_id]) + query
    if o.person_id:
        return reverse("case_child", args=[o.case_id, o.person_id])
    return reverse("case_detail", args=[o.case_id])


def _children_in_care(viewer, staff, now: date) -> tuple[list, list[Item]]:
    """P5, P6: each child in care of the caseload without a visitation plan in effect
    (one awaiting signatures said so); P2: a child in a shelter longer than the agency's
    `shelter_stay_days`; P2: a home whose licence has expired or expires within
    `licence_warning_days`. Three queries."""
    episodes = list(
        RemovalEpisode.objects.filter(
            case__in=case_access.held_cases(viewer), exited_on__isnull=True
        ).select_related("child", "case")
    )
    ids = [e.child_id for e in episodes]
    plans: dict[int, VisitationPlan] = {}
    for p in VisitationPlan.objects.filter(
        child__in=ids, status__in=(VisitationPlan.Status.IN_EFFECT, VisitationPlan.Status.DRAFT)
    ).order_by("created_at", "id"):
        if plans.get(p.child_id) is None or p.status == VisitationPlan.Status.IN_EFFECT:
            plans[p.child_id] = p
    current = {
        p.child_id: p
        for p in Placement.objects.filter(child__in=ids, ends_on__isnull=True).select_related(
            "home"
        )
    }
    policy = staff.agency.policy
    limit = policy.shelter_stay_days
    out = []
    for e in episodes:
        child = e.child
        common = {
            "case_id": e.case_id,
            "case_number": e.case.case_number,
            "person_id": child.pk,
            "person_name": child.full_name,
            "url": reverse("case_child", args=[e.case_id, child.pk]),
        }
        plan = plans.get(e.child_id)
        if plan is None:  # P5, P6
            days = (now - e.removed_on).days
            out.append(
                Item(
                    kind="no_visitation_plan",
                    urgency=ACTION,
                    label=f"No plan, in care {_plural(days, 'day')}",
                    what="No visitation plan in effect: make one with the resource parents",
                    rule="P6",
                    due_on=e.removed_on,
                    days_left=None,
                    **common,
                )
            )
        elif plan.status == VisitationPlan.Status.DRAFT:  # P6: every participant signs
            days = (now - plan.created_at.date()).days
            out.append(
                Item(
                    kind="plan_signatures",
                    urgency=ACTION,
                    label=f"Awaiting signatures {_plural(days, 'day')}",
                    what="Visitation plan awaiting signatures: not in effect until all sign",
                    rule="P6",
                    due_on=plan.created_at.date(),
                    days_left=None,
                    **common,
                )
            )
        placement = current.get(e.child_id)
        shelter = placement if placement and placement.setting == Setting.SHELTER else None
        if shelter is not None and (now - shelter.starts_on).days > limit:  # P2
            days = (now - shelter.starts_on).days
            out.append(
                Item(
                    kind="long_shelter_stay",
                    urgency=ACTION,
                    label=f"In a shelter {_plural(days, 'day')}",
                    what=f"In a shelter longer than {_plural(limit, 'day')}: "
                    "find a less restrictive placement",
                    rule="P2",
                    due_on=shelter.starts_on + timedelta(days=limit),
                    days_left=None,
                    **common,
                )
            )
        home = placement.home if placement is not None else None
        licence = home and rules.licence_status(
            home.licence_expires_on, today=now, warn_days=policy.licence_warning_days
        )
        if licence:  # P2: a licensed resource family home; the placing worker is warned
            days = (home.licence_expires_on - now).days
            out.append(
                Item(
                    kind="home_licence",
                    urgency=OVERDUE if licence == rules.LICENCE_EXPIRED else ACTION,
                    label=f"Licence expired {_plural(-days, 'day')} ago"
                    if days < 0
                    else f"Licence expires in {_plural(days, 'day')}",
                    what=f"Lives at {home.name}, whose licence "
                    + ("has expired" if days < 0 else "expires soon")
                    + ": have it renewed or move the child",
                    rule="P2",
                    due_on=home.licence_expires_on,
                    days_left=days,
                    **common,
                )
            )
    return episodes, out


# --- The supervisor -----------------------------------------------------------------


@dataclass
class WorkerOverdue:
    worker_id: int | None
    name: str
    overdue: int
    most_days_over: int


@dataclass
class Referral:
    case_id: int
    case_number: str
    opened_on: date
    age_days: int
    unit: str
    children: int
    url: str

    @property
    def flagged(self) -> bool:
        return self.age_days > QUEUE_AGE_FLAG_DAYS


@dataclass
class WorkerLoad:
    worker_id: int
    name: str
    open_cases: int
    weighted_load: float
    capacity: float
    load_percent: int
    limits: list[str]


@dataclass
class Approval:
    kind: str  # case_plan (C2) or recommendation (O1, O2)
    rule: str
    case_id: int
    case_number: str
    what: str
    since: date
    waiting_days: int
    url: str


@dataclass
class SupervisorHome:
    today: date
    unit_id: int | None
    unit_name: str
    overdue_by_worker: list[WorkerOverdue] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    over_capacity: list[WorkerLoad] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    disclosed: list = field(default_factory=list)  # the records shown, for the access log


def supervisor_home(viewer, *, now: date | None = None) -> SupervisorHome:
    """P9, A2, C2, O1: the supervisor's unit at a glance. A fixed number of queries."""
    now = now or today()
    staff = staff_access.staff_for(viewer)
    unit = staff.unit if staff is not None else None
    home = SupervisorHome(today=now, unit_id=unit and unit.pk, unit_name=unit.name if unit else "")
    if unit is None:
        return home
    overdue = (
        Obligation.objects.filter(
            due_selectors.OPEN,
            unit=unit,
            case__in=case_access.visible_cases(viewer),
            due_on__lt=now,
        )
        .values("responsible_id", "responsible__first_name", "responsible__last_name")
        .annotate(n=Count("id"), oldest=Min("due_on"))
        .order_by()
    )
    for w in overdue:  # P9: counts by worker, one query (the list: the unit's due page)
        name = f"{w['responsible__first_name']} {w['responsible__last_name']}"
        home.overdue_by_worker.append(
            WorkerOverdue(
                worker_id=w["responsible_id"],
                name=name if w["responsible_id"] else "No case manager",
                overdue=w["n"],
                most_days_over=(now - w["oldest"]).days,
            )
        )
    home.overdue_by_worker.sort(key=lambda w: (-w.overdue, w.name))
    if intake_access.can_work_queue(viewer):
        home.referrals = _referrals(viewer, now, home.disclosed)
    _, rows = intake.unit_balance(viewer=viewer, unit_id=unit.pk)
    home.over_capacity = [
        _load(r.worker, r.capacity, r.load_percent, r.limits)
        for r in rows
        if r.worker.status == "active" and r.worker.weighted_load > r.capacity
    ]
    home.approvals = _approvals(viewer, staff, now, home.disclosed)
    return home


def _referrals(viewer, now: date, disclosed: list) -> list[Referral]:
    cases = list(intake.intake_queue(viewer=viewer)[:50])
    disclosed.extend(cases)
    return [
        Referral(
            case_id=c.pk,
            case_number=c.case_number,
            opened_on=c.opened_on,
            age_days=intake.age_days(c, now),
            unit=c.unit.name if c.unit_id else "",
            children=c.children,
            url=reverse("case_detail", args=[c.pk]),
        )
        for c in cases
    ]


def _load(w, room, load_percent, limits_) -> WorkerLoad:
    return WorkerLoad(
        worker_id=w.id,
        name=w.name,
        open_cases=w.open_cases,
        weighted_load=w.weighted_load,
        capacity=room,
        load_percent=load_percent,
        limits=[limit.text for limit in limits_],
    )


def _approvals(viewer, staff, now: date, disclosed: list) -> list[Approval]:
    """C2: the adopted plans awaiting approval; O1, O2: the recommendations awaiting the
    contractor's approval, in the cases the viewer sees. Two queries."""
    visible = case_access.visible_cases(viewer)
    out = []
    if can(staff, "plan.approve"):
        for p in CasePlan.objects.filter(
            case__in=visible, status=CasePlan.Status.ADOPTED
        ).select_related("case"):
            disclosed.append(p)
            since = p.adopted_on or now
            out.append(
                Approval(
                    kind="case_plan",
                    rule="C2",
                    case_id=p.case_id,
                    case_number=p.case.case_number,
                    what=f"Case plan version {p.number}, adopted: approve it",
                    since=since,
                    waiting_days=(now - since).days,
                    url=reverse("case_detail", args=[p.case_id]),
                )
            )
    if can(staff, "recommendation.approve_contractor"):
        for r in Recommendation.objects.filter(
            case__in=visible, status=Recommendation.Status.AWAITING_SUPERVISOR
        ).select_related("case"):
            disclosed.append(r)
            since = r.updated_at.date()
            out.append(
                Approval(
                    kind="recommendation",
                    rule="O1" if r.kind == "closure" else "O2",
                    case_id=r.case_id,
                    case_number=r.case.case_number,
                    what=f"{r.get_kind_display()} recommendation: approve it for the state",
                    since=since,
                    waiting_days=(now - since).days,
                    url=reverse("case_detail", args=[r.case_id]),
                )
            )
    out.sort(key=lambda a: (-a.waiting_days, a.case_number))
    return out


# --- The program director -----------------------------------------------------------


@dataclass
class Figure:
    measure: str
    title: str
    unit: str
    month: date
    value: float | None
    previous: float | None
    standard: float | None
    page: str | None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)

    @property
    def trend(self) -> str:
        """The change against the month before, in words."""
        change = self.change
        if change is None:
            return "No figure the month before"
        if change == 0:
            return "Level with the month before"
        points = "points" if self.unit == "%" else self.unit
        way = "Up" if change > 0 else "Down"
        return f"{way} {abs(change)} {points} on the month before"


@dataclass
class Queue:
    waiting: int
    oldest_days: int | None
    over_flag: int  # waiting longer than QUEUE_AGE_FLAG_DAYS days
    flag_days: int = QUEUE_AGE_FLAG_DAYS


@dataclass
class DirectorHome:
    today: date
    agency_code: str
    figures: list[Figure] = field(default_factory=list)
    queue: Queue | None = None
    at_limits: list[WorkerLoad] = field(default_factory=list)  # the AT_LIMITS_SHOWN fullest
    at_limits_count: int = 0
    licences: list = field(default_factory=list)  # the homes the director keeps, to renew


def director_home(viewer, *, now: date | None = None) -> DirectorHome:
    """The agency's monthly figures with their trend (hearth.reports.trends: the last two
    full months), the intake queue's size and age, and the case managers at a hard limit
    (A2 a, h: capacity; A5: the new-worker cap; on leave, untrained). A fixed number of
    queries."""
    now = now or today()
    staff = staff_access.staff_for(viewer)
    home = DirectorHome(today=now, agency_code=staff.agency.code if staff else "")
    if staff is None:
        return home
    if trends.can_see(viewer):
        ts = trends.trend_scope(viewer, {})
        months = trends.months_window(FIGURE_MONTHS)
        for name in MONTHLY_MEASURES:
            t = trends.trend(trends.MEASURES[name], ts, months)
            m = t.measure
            home.figures.append(
                Figure(
                    measure=m.name,
                    title=m.title,
                    unit=m.unit,
                    month=months[-1],
                    value=t.totals[-1].value,
                    previous=t.totals[-2].value if len(t.totals) > 1 else None,
                    standard=m.standard,
                    page=m.page,
                )
            )
    queue = (
        intake.intake_queue(viewer=viewer)
        .order_by()
        .aggregate(
            waiting=Count("id", distinct=True),
            oldest=Min("opened_on"),
            over_flag=Count(
                "id",
                distinct=True,
                filter=Q(opened_on__lt=now - timedelta(days=QUEUE_AGE_FLAG_DAYS)),
            ),
        )
    )
    home.queue = Queue(
        waiting=queue["waiting"],
        oldest_days=(now - queue["oldest"]).days if queue["oldest"] else None,
        over_flag=queue["over_flag"],
    )
    s = staff.agency.policy
    weight = case_weight(MODERATE, s)
    for w in intake.worker_facts(intake.case_managers(staff.agency_id), s, profile=False):
        room = limits.capacity(w, s)
        found = limits.hard_limits(w, weight, now, s, room=room)
        if found:
            load = round(100 * w.weighted_load / room) if room else 0
            home.at_limits.append(_load(w, room, load, found))
    home.at_limits_count = len(home.at_limits)
    home.at_limits.sort(key=lambda w: (-w.load_percent, w.name))
    del home.at_limits[AT_LIMITS_SHOWN:]
    # P2: the homes the director keeps (their placing workers see theirs on their home).
    home.licences = placement_selectors.homes_needing_attention(viewer, on=now, placing=False)
    return home


def home_role(staff) -> str | None:
    """The home a staff member lands on (the first of their roles that has one)."""
    if can(staff, "case.hold"):
        return CASE_MANAGER
    if can(staff, "unit.manage_own") and staff.unit_id:
        return SUPERVISOR
    if can(staff, "unit.manage_agency"):
        return PROGRAM_DIRECTOR
    return None


def landing(staff) -> str:
    """The URL name of the page a staff member without a home of their own lands on."""
    if can(staff, "referral.queue"):  # the intake coordinator: each referral with its age
        return "intake_queue"
    if can(staff, "case.read_oversight_grant"):  # the state oversight specialist, supervisor
        return "oversight_home"
    if can(staff, "qa.review"):
        return "qa_home"  # O3: the QA reviewer's sample and reviews due
    if can(staff, "records.use"):
        return "case_list"
    return "admin:index"
