"""Synthetic case planning and teaming records (issue 12: C1 to C9, P7 to P9) for the demo
and the state seed: a provider directory; then, for a share of the open cases,
assessments rated with the instruments that exist, case plan versions (approved,
adopted and drafts) with goals, objectives, action steps, the needs they answer,
parenting time for every parent and signatures, family team meetings with their
participants' input, service referrals for actionable needs with the providers' progress
reports, safety plans with their measures, diligent search entries, and the tribe's
contacts for children with a tribe.

Set-based: `PlanningBuilder` makes plain rows (dicts with their ids) from the cases'
facts, in memory; a writer stores them in batches (the demo: bulk_create, with history
rows for the models that keep history; the state seed: COPY through its Loader). It
draws from a random source of its own, so the other generators' rows stay as they were.

Instruments and service types are configuration (their defaults arrive by data
migrations): the builder uses whatever active rows exist, and makes no assessments (no
service referrals) when there are none. Nothing here is real personal data.

The obligations the planning sources derive from these records (C1, C3, C5, C7, the
signatures awaited) are written afterwards: in the demo by the obligations engine's
rebuild of every case (hearth.obligations.engine.deferred), in the state seed from the
pure planning rules (hearth.demo.state.planning_obligations).
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from hearth.cases.models import Assignment, Case, CaseMeeting, CaseMember
from hearth.core.services import now, today
from hearth.demo import reference as ref
from hearth.obligations.registry import sources as registered_sources
from hearth.people.models import Person
from hearth.placements.models import RemovalEpisode
from hearth.planning.models import (
    ActionStep,
    Assessment,
    CasePlan,
    DiligentSearch,
    Goal,
    Instrument,
    InstrumentItem,
    MeetingParticipant,
    NeedResponse,
    Objective,
    ParentingTimePlan,
    PlanSignature,
    ProgressReport,
    Provider,
    Rating,
    SafetyMeasure,
    SafetyPlan,
    ServiceReferral,
    ServiceType,
    StepProgress,
    TeamMeeting,
    TribeContact,
)
from hearth.policy.assessments import ACTIONABLE_SCORE
from hearth.policy.settings import DEFAULTS
from hearth.reference.models import County, Language, Tribe
from hearth.staff.models import Role, StaffMember
from hearth.visitation.models import VisitationPlan

# The order the rows are written in (foreign keys first).
MODELS = [
    Provider,
    Provider.services.through,
    Provider.languages.through,
    Person.tribes.through,
    CaseMeeting,
    TeamMeeting,
    MeetingParticipant,
    Assessment,
    Rating,
    CasePlan,
    Goal,
    Objective,
    ServiceReferral,
    ServiceReferral.needs.through,
    ProgressReport,
    ActionStep,
    StepProgress,
    NeedResponse,
    ParentingTimePlan,
    PlanSignature,
    SafetyPlan,
    SafetyMeasure,
    DiligentSearch,
    TribeContact,
]
RATING_COLUMNS = ["id", "assessment_id", "item_id", "score", "note"]

GOALS = {
    "safety": [
        "The children live in a home free of violence, and the parents keep them safe.",
        "The parent supervises the children at all times suited to their age.",
        "The parent stays sober and keeps the children away from substance use.",
    ],
    "permanency": [
        "The children return home to a parent who meets their daily needs.",
        "The child lives with a relative who will care for them for good.",
        "The parent keeps a safe, stable home with rent and utilities paid.",
    ],
    "well_being": [
        "The child attends school every day and gets help with reading.",
        "The child's health, dental and therapy appointments are kept.",
        "The youth learns the skills to live on their own (cooking, budgeting, work).",
        "The parent manages stress and responds calmly to the children's behaviour.",
    ],
}
OBJECTIVES = [
    (
        "The parent attends weekly parenting classes and practises one new skill at visits.",
        "Attendance sheets; the worker observes the skill at two visits",
    ),
    (
        "The parent completes a substance use assessment and follows its recommendations.",
        "Provider reports; clean screens for 90 days",
    ),
    (
        "The parent and the children attend family therapy every two weeks.",
        "Therapist's monthly report",
    ),
    (
        "The parent finds stable housing with room for the children.",
        "A lease in the parent's name; the worker's home visit",
    ),
    (
        "The child sees a trauma therapist weekly and uses a calming plan at home and school.",
        "Therapist's report; fewer incidents reported by the school",
    ),
    (
        "The parent keeps a daily routine for meals, school and bedtime.",
        "The routine chart checked at each home visit",
    ),
    (
        "The youth completes an independent-living skills class and opens a bank account.",
        "Class certificate; the account statement",
    ),
    (
        "The parent makes a safety plan with a support person and calls them when at risk.",
        "The support person confirms at the family team meeting",
    ),
]
STEPS = [
    (
        "parent",
        "Call the provider this week to set the first appointment, then attend each "
        "weekly session.",
        "The parent attends at least 9 of 10 sessions.",
    ),
    (
        "caseworker",
        "Give the parent bus passes each month and remind them of appointments the day before.",
        "The parent reaches every appointment on time.",
    ),
    (
        "provider",
        "Hold weekly sessions and send a written progress report each month.",
        "The worker receives a report by the 5th of each month.",
    ),
    (
        "child",
        "Go to school every day and meet the reading tutor twice a week.",
        "The child misses no more than two days a month.",
    ),
    (
        "caregiver",
        "Keep the child's appointment calendar and bring the child to therapy.",
        "The child attends every therapy session.",
    ),
    (
        "team_member",
        "Check in with the parent by phone twice a week.",
        "The parent reports calling the support person when stressed.",
    ),
    (
        "parent",
        "Show the worker a pay stub and the household budget each month.",
        "Rent and utilities are paid on time for three months.",
    ),
]
INPUT = {
    "parent": [
        "I want my kids home. I'll do the classes, but I need the bus passes to get there.",
        "I don't agree that I need treatment, but I'll go to the assessment.",
        "Things are better since I started the group. I want more time with my kids.",
    ],
    "youth": [
        "I like my school and don't want to change it.",
        "I want to see my brother more often.",
    ],
    "relative": ["I can take the kids on weekends and drive them to visits."],
    "resource_parent": ["She is doing well at home; bedtime is still hard some nights."],
    "provider": ["Attendance has been steady; we are working on calm discipline."],
    "caseworker": ["The family has kept most appointments since the last meeting."],
    "tribe": ["The tribe wants to be told of every placement decision and can offer a home."],
}
REPORTS = [
    ("improving", "Attended every session this month and practised the skills at home."),
    ("steady", "Attends most sessions; progress is slow but steady."),
    ("declining", "Missed two sessions; we discussed what gets in the way."),
    ("not_attending", "Has not come since the first session; calls are not returned."),
]
THREATS = [
    "The parent's drinking leaves the young children without supervision at night.",
    "Violence between the adults in the home when the children are present.",
    "The parent's untreated depression: days in bed, meals and school missed.",
    "An unsafe person has access to the home and the children.",
]
MEASURES = {
    "proactive": [
        ("The grandmother stays overnight on weekends.", "Grandmother", "Fridays to Sundays"),
        ("The parent attends the support group.", "Parent", "Every Tuesday evening"),
        ("The worker makes an unannounced home visit.", "Case manager", "Every two weeks"),
        ("The other adult does not come to the home.", "Parent", "At all times"),
    ],
    "reactive": [
        (
            "The parent calls the support person and takes the children to her home.",
            "Parent",
            "Whenever an argument starts",
        ),
        ("The older child calls 911 and goes to the neighbour's.", "Youth", "If anyone is hurt"),
        ("The caregiver calls the worker or the hotline.", "Caregiver", "The same day"),
    ],
}
DV_THREAT = "Domestic violence: the other adult's threats and violence toward the parent."
DV_MEASURES = [
    (
        "proactive",
        "The parent keeps the protective order and a packed bag ready.",
        "Parent",
        "At all times",
    ),
    (
        "proactive",
        "The advocate meets the parent to review the safety plan.",
        "DV advocate",
        "Every month",
    ),
    (
        "reactive",
        "The parent goes to the shelter with the children and calls the advocate.",
        "Parent",
        "If the other adult comes to the home",
    ),
]
SEARCH_NOTES = {
    "found": "Reached by phone; willing to be involved and added to the family.",
    "not_found": "No current address or number; will search again next month.",
    "pending": "Letter sent to the last known address; awaiting an answer.",
}
TRIBE_RESPONSES = [
    (
        "The tribe confirms the child is eligible for membership and will take part in planning.",
        "Weekly contact with the tribe's ICWA worker; placement with a tribal family preferred.",
    ),
    (
        "The tribe is checking its enrolment records and will answer within two weeks.",
        "Send the tribe every court notice; invite its representative to each meeting.",
    ),
]
PROVIDER_WORDS = [
    "Family Resource Center",
    "Counseling Services",
    "Recovery Clinic",
    "Parenting Network",
    "Youth Services",
    "Housing Partners",
    "Wellness Center",
    "Community Services",
]


@dataclass
class Member:
    id: int
    name: str
    dob: date | None = None
    whereabouts_known: bool = True
    in_household: bool = True
    tribes: tuple = ()


@dataclass
class CaseFacts:
    """What the builder needs of a case, from the database (the demo) or from the state
    seed's rows in memory."""

    id: int
    agency_id: int
    unit_id: int
    county_id: int | None
    opened_on: date
    case_type: str
    domestic_violence: bool
    worker_id: int
    worker_user: int
    worker_name: str
    supervisor_id: int | None
    supervisor_name: str
    children: list = field(default_factory=list)
    parents: list = field(default_factory=list)
    carers: list = field(default_factory=list)
    removed_on: date | None = None
    visitation_plan: int | None = None
    language: str = "en"


@dataclass
class Catalogue:
    """The instruments (with their items' domains and age limits) and the service types."""

    instruments: list  # [(id, subject, kind, [(item id, kind, trauma, min_age, domain, text)])]
    services: list  # [(id, code, name)]

    @classmethod
    def load(cls) -> "Catalogue":
        items = defaultdict(list)
        for row in (
            InstrumentItem.objects.filter(
                domain__instrument__active=True, domain__instrument__agency__isnull=True
            )
            .order_by("domain__instrument_id", "domain__order", "order", "id")
            .values_list(
                "domain__instrument_id",
                "id",
                "kind",
                "trauma",
                "domain__min_age",
                "domain__name",
                "text",
            )
        ):
            items[row[0]].append(row[1:])
        instruments = [
            (i.pk, i.subject, i.kind, items[i.pk])
            for i in Instrument.objects.filter(active=True, agency__isnull=True)
            .exclude(kind=Instrument.Kind.FIDELITY)  # C8: quality assurance, not a family's
            .order_by("id")
            if items[i.pk]
        ]
        services = list(
            ServiceType.objects.filter(active=True).order_by("id").values_list("id", "code", "name")
        )
        return cls(instruments, services)


class Ids:
    """Ids handed out by the builder: after the largest each table holds (the demo's
    tables may hold rows already: placement conferences are case meetings)."""

    def __init__(self):
        self.next = {}

    def __call__(self, model) -> int:
        if model not in self.next:
            top = model.objects.aggregate(m=Max("pk"))["m"] or 0
            self.next[model] = top + 1
        n = self.next[model]
        self.next[model] += 1
        return n


def _words(text: str) -> set:
    return {w for w in text.lower().replace("-", " ").replace("_", " ").split() if len(w) > 3}


def _age(dob, on) -> int | None:
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


class PlanningBuilder:
    """The planning rows of a set of cases, in memory (`rows[model]`, dicts with ids)."""

    def __init__(self, rng, day0, catalogue: Catalogue, *, share=0.8, large_for=()):
        self.rng, self.day0, self.cat = rng, day0, catalogue
        self.share = share
        self.large_for = set(large_for)  # workers whose first planned case gets a large plan
        self.ids = Ids()
        self.rows = defaultdict(list)
        self.ratings = []  # tuples in RATING_COLUMNS order (the largest table)
        self.providers = []  # (id, county id, set of service ids, name)
        self.providers_of = defaultdict(list)  # service id -> providers
        self.youth_age = DEFAULTS.youth_signs_age
        self.disagreement_shown = False

    def add(self, model, **row) -> dict:
        if model._meta.pk.attname == "id":  # (a team meeting's key is its case meeting's)
            row.setdefault("id", self.ids(model))
        self.rows[model].append(row)
        return row

    def days(self, start: date, lo: int, hi: int) -> date:
        """A day lo..hi days after `start`, never after today."""
        return min(self.day0, start + timedelta(days=self.rng.randint(lo, max(lo, hi))))

    # The provider directory ---------------------------------------------------------------
    def directory(self, count: int, counties: list, lasts: list, languages: dict) -> None:
        rng = self.rng
        if not self.cat.services:
            return
        through_s, through_l = Provider.services.through, Provider.languages.through
        service_ids = [s[0] for s in self.cat.services]
        for n in range(count):
            county = counties[n % len(counties)] if counties else None
            name = f"{rng.choice(lasts)} {rng.choice(PROVIDER_WORDS)}"
            if county is not None and rng.random() < 0.5:
                name = f"{county.name} {rng.choice(PROVIDER_WORDS)}"
            name = f"{name} (synthetic {n + 1})"
            offered = set(rng.sample(service_ids, min(len(service_ids), rng.randint(1, 4))))
            row = self.add(
                Provider,
                name=name,
                county_id=county.pk if county else None,
                address=f"{rng.randint(100, 9999)} {rng.choice(lasts)} Ave, "
                + (f"{county.name}ville" if county else "Capital City"),
                phone=f"555-01{rng.randint(0, 99):02d}",
                email=f"intake{n + 1}@provider.example",
                contact_name=f"Intake desk {n + 1}",
                active=rng.random() > 0.03,
            )
            for sid in sorted(offered):
                self.add(through_s, provider_id=row["id"], servicetype_id=sid)
            codes = ["en"] + (["es"] if rng.random() < 0.35 else [])
            for code in codes:
                if code in languages:
                    self.add(through_l, provider_id=row["id"], language_id=languages[code])
            county_id = county.pk if county else None
            entry = (row["id"], county_id, offered, name)
            self.providers.append(entry)
            if row["active"]:
                for sid in offered:
                    self.providers_of[sid].append(entry)

    def service_for(self, item_text: str, domain: str) -> int | None:
        """A service type whose name shares a word with the need (else any offered one)."""
        words = _words(item_text) | _words(domain)
        offered = [s for s in self.cat.services if self.providers_of[s[0]]]
        if not offered:
            return None
        fitting = [s for s in offered if _words(s[1]) & words or _words(s[2]) & words]
        return self.rng.choice(fitting or offered)[0]

    def provider_for(self, service_id: int, county_id) -> tuple:
        pool = self.providers_of[service_id]
        near = [p for p in pool if p[1] == county_id]
        return self.rng.choice(near or pool)

    # A case -------------------------------------------------------------------------------
    def case(self, c: CaseFacts) -> None:
        rng, day0 = self.rng, self.day0
        start = max(c.removed_on or c.opened_on, c.opened_on)
        # The first case of a `large_for` worker open a month or more gets a large plan.
        large = c.worker_id in self.large_for and (day0 - start).days >= 30
        if rng.random() > self.share and not large:
            return
        if large:
            self.large_for.discard(c.worker_id)
        st = {"meetings": [], "referral_of_rating": {}}
        self.tribe_contacts(c)
        if (day0 - c.opened_on).days >= 3:
            self.searches(c)
        if (day0 - start).days < 5:
            return  # too recent for an assessment yet
        rounds = [self.days(start, 2, 20)]
        if (day0 - rounds[0]).days > 120 and rng.random() < 0.45:
            rounds.append(self.days(rounds[0], 90, (day0 - rounds[0]).days - 5))
        assessed = [self.assessments(c, on, i, large) for i, on in enumerate(rounds)]
        safety = next(
            (a for round_ in assessed for a in round_["assessments"] if a["risk_level"]), None
        )
        if rng.random() < (0.6 if c.case_type != "out_of_home" else 0.3) or c.domestic_violence:
            self.safety_plans(c, rounds[0], safety)
        # Plan versions: one after each round of assessments (a late one now and then).
        versions = []
        for round_ in assessed:
            made = self.days(round_["on"], 3, 25 if rng.random() < 0.85 else 45)
            if made == day0 and (day0 - round_["on"]).days < 3:
                break
            versions.append((made, round_))
        if not versions or (rng.random() < 0.08 and not large):
            return  # no plan yet (C1: due within 30 days; overdue if it is late)
        previous = None
        for n, (made, round_) in enumerate(versions, start=1):
            last = n == len(versions)
            status = "approved"
            if last:
                status = rng.choices(["approved", "adopted", "draft"], [65, 15, 20])[0]
            previous = self.plan(c, n, made, round_, status, previous, st, large and last)
        self.meetings_between(c, st)

    def assessments(self, c: CaseFacts, on: date, round_no: int, large: bool) -> dict:
        """One round: the family, each child, the parents in the household and the safety
        and risk instrument, each rating every item its subject's age allows."""
        rng = self.rng
        reason = (
            "initial"
            if round_no == 0
            else rng.choice(["review", "review", "move", "new_member", "other_change"])
        )
        made, actionable = [], []
        for iid, subject, kind, items in self.cat.instruments:
            if subject == "child":
                subjects = c.children
            elif subject == "caregiver":
                subjects = [p for p in c.parents if p.in_household and p.whereabouts_known][:2]
            else:
                subjects = [None]
            for person in subjects:
                a = self.add(
                    Assessment,
                    case_id=c.id,
                    instrument_id=iid,
                    subject_id=person.id if person else None,
                    assessed_on=on,
                    assessed_by_id=c.worker_id,
                    reason=reason,
                    situation=""
                    if reason == "initial"
                    else "The family's situation changed; "
                    "the worker reassessed before the plan review.",
                    risk_level="",
                    summary="Strengths: the family's ties and the parent's wish to change. "
                    "Needs as rated below.",
                    recorded_by_id=c.worker_user,
                )
                age = _age(person.dob, on) if person else None
                top = 0
                for item_id, item_kind, trauma, min_age, domain, text in items:
                    if min_age is not None and (age is None or age < min_age):
                        continue
                    weights = [40, 28, 22, 10] if not large else [20, 20, 35, 25]
                    if round_no:
                        weights = [50, 28, 16, 6]
                    score = rng.choices([0, 1, 2, 3], weights)[0]
                    rid = self.ids(Rating)
                    note = "" if score < ACTIONABLE_SCORE else "Seen at the home visit."
                    self.ratings.append((rid, a["id"], item_id, score, note))
                    if item_kind == "need":
                        top = max(top, score)
                        if score >= ACTIONABLE_SCORE:
                            actionable.append((rid, person, trauma, domain, text))
                if kind == "safety":
                    a["risk_level"] = ["low", "moderate", "high", "very_high"][top]
                made.append(a)
        return {"on": on, "assessments": made, "needs": actionable}

    def meeting(self, c: CaseFacts, on: date, type_: str, st, *, plan_made=False) -> dict:
        """A family team meeting (C5): the case meeting, its team record and participants
        with their input; the parents attend one that adopts a plan."""
        rng = self.rng
        people = [
            (p.name, "parent", p.id, plan_made or rng.random() < 0.8)
            for p in c.parents
            if p.whereabouts_known
        ]
        for child in c.children:
            if (_age(child.dob, on) or 0) >= 12:
                people.append((child.name, "youth", child.id, True))
        for carer in c.carers[:1]:
            role = "resource_parent" if c.removed_on else "relative"
            people.append((carer.name, role, carer.id, True))
        if any(ch.tribes for ch in c.children):
            people.append(("Tribal ICWA worker", "tribe", None, rng.random() < 0.8))
        people.append((c.worker_name, "caseworker", None, True))
        family = {"parent", "youth", "relative", "resource_parent"}
        if plan_made and not any(a and r in family for _, r, _, a in people):
            # C5: the family attends the meeting that adopts its plan.
            carer = (c.carers or c.children or c.parents)[0]
            people.insert(0, (carer.name, "relative", carer.id, True))
        cm = self.add(
            CaseMeeting,
            case_id=c.id,
            kind="family_team_meeting",
            held_on=on,
            participants="\n".join(f"{n}, {r.replace('_', ' ')}" for n, r, _, a in people if a),
            decisions="The team agreed the plan's goals and who does each step by when."
            if plan_made
            else "Progress reviewed; the visitation schedule stays as it is.",
        )
        self.add(
            TeamMeeting,
            meeting_id=cm["id"],
            type=type_,
            facilitator_id=c.supervisor_id if rng.random() < 0.3 else c.worker_id,
            facilitator_name="",
            location=rng.choice(["Agency office, room 2", "The family's home", "Video call"]),
            starts_at=None,
        )
        for name, role, pid, attended in people:
            words = INPUT.get(role, [""])
            self.add(
                MeetingParticipant,
                meeting_id=cm["id"],
                name=name,
                role=role,
                person_id=pid,
                attended=attended,
                input=rng.choice(words) if attended else "",
            )
        st["meetings"].append(on)
        return cm

    def meetings_between(self, c: CaseFacts, st) -> None:
        """Review meetings about every 90 days between those that adopted plans."""
        rng, day0 = self.rng, self.day0
        held = sorted(st["meetings"])
        on = held[0] + timedelta(days=rng.randint(75, 100)) if held else None
        while on is not None and on < day0:
            if all(abs((on - h).days) > 30 for h in held) and rng.random() < 0.7:
                kind = "placement_change" if c.removed_on and rng.random() < 0.2 else "plan_review"
                self.meeting(c, on, kind, st)
            on += timedelta(days=rng.randint(75, 100))

    def plan(self, c, number, made, round_, status, previous, st, large) -> dict:
        adopted = approved = None
        meeting = None
        if status != "draft":
            adopted = self.days(made, 0, 7)
            meeting = self.meeting(
                c, adopted, "initial" if number == 1 else "plan_review", st, plan_made=True
            )
            if status == "approved":
                approved = self.days(adopted, 1, 10)
        plan = self.add(
            CasePlan,
            case_id=c.id,
            number=number,
            status=status,
            based_on_id=previous["id"] if previous else None,
            permanency_goal="Reunification" if c.removed_on else "Remain safely at home",
            summary="The parents keep the children safe and meet their needs without the "
            "agency's help.",
            trauma_approach="Trauma-informed therapy for the children; the parent's own "
            "history addressed in counselling."
            if any(n[2] for n in round_["needs"])
            else "",
            family_supports="Bus passes; appointments after 4 pm; child care during sessions.",
            meeting_id=meeting["id"] if meeting else None,
            adopted_on=adopted,
            approved_on=approved,
            approved_by_id=c.supervisor_id if approved else None,
            approval_note="Approved at supervision." if approved else "",
            created_by_id=c.worker_user,
        )
        if previous is not None and status == "approved" and previous["status"] == "approved":
            previous["status"] = "replaced"
        objectives = self.goals(c, plan, made, status, large)
        self.needs(plan, round_["needs"], objectives, status)
        self.parenting_time(c, plan)
        if status != "draft":
            self.signatures(c, plan, adopted, status)
        if status in ("approved", "adopted") and self.cat.services:
            self.referrals(c, plan, round_["needs"], objectives, st)
        return plan

    def goals(self, c: CaseFacts, plan, made, status, large) -> list:
        rng = self.rng
        out = []  # (objective row, goal row, [step rows])
        areas = ["safety", "permanency", "well_being"]
        n_goals = 4 if large else rng.randint(2, 4)
        for g in range(n_goals):
            area = areas[g % 3]
            person = rng.choice(c.children + c.parents) if rng.random() < 0.5 else None
            goal = self.add(
                Goal,
                plan_id=plan["id"],
                order=g,
                area=area,
                statement=rng.choice(GOALS[area]),
                person_id=person.id if person else None,
            )
            for o in range(3 if large else rng.randint(1, 3)):
                text, measure = rng.choice(OBJECTIVES)
                obj = self.add(
                    Objective,
                    goal_id=goal["id"],
                    order=o,
                    statement=text,
                    target_on=made + timedelta(days=rng.randint(45, 180)),
                    measure=measure,
                )
                steps = []
                for k in range(3 if large else rng.randint(1, 3)):
                    who, what, outcome = rng.choice(STEPS)
                    who_person, who_name = None, c.worker_name
                    if who == "parent" and c.parents:
                        p = rng.choice(c.parents)
                        who_person, who_name = p.id, p.name
                    elif who == "child" and c.children:
                        ch = rng.choice(c.children)
                        who_person, who_name = ch.id, ch.name
                    elif who == "caregiver" and c.carers:
                        who_person, who_name = c.carers[0].id, c.carers[0].name
                    elif who == "provider":
                        who_name = "The service provider"
                    elif who == "team_member":
                        who_name = "The family's support person"
                    elif who in ("parent", "child", "caregiver"):
                        who = "caseworker"
                    due = made + timedelta(days=rng.randint(7, 150))
                    step = self.add(
                        ActionStep,
                        objective_id=obj["id"],
                        order=k,
                        who=who,
                        who_person_id=who_person,
                        who_name=who_name,
                        what=what,
                        due_on=due,
                        outcome=outcome,
                        referral_id=None,
                    )
                    steps.append(step)
                    if status != "draft":
                        self.progress(c, step, made)
                out.append((obj, goal, steps))
        return out

    def progress(self, c: CaseFacts, step, made) -> None:
        """P9, C2: progress recorded at visits and reviews; some steps late, none recorded."""
        rng, day0 = self.rng, self.day0
        due = step["due_on"]
        if made >= day0:
            return
        roll = rng.random()
        if due <= day0:
            if roll < 0.65:
                on = min(day0, max(made, due - timedelta(days=rng.randint(0, 20))))
                status = "done"
            elif roll < 0.85:
                on, status = min(day0, due + timedelta(days=rng.randint(0, 10))), "not_done"
            else:
                return  # late: nothing recorded yet
        elif roll < 0.45:
            on, status = self.days(made, 1, (day0 - made).days), "in_progress"
        else:
            return
        self.add(
            StepProgress,
            step_id=step["id"],
            recorded_on=on,
            status=status,
            at=rng.choice(["visit", "visit", "review", "meeting", "provider_report"]),
            contact_note_id=None,
            note="Talked it over with the parent at the visit.",
            recorded_by_id=c.worker_user,
            recorded_at=self.at(on),
        )

    def at(self, on: date) -> datetime:
        return min(timezone.make_aware(datetime.combine(on, time(15))), now())

    def needs(self, plan, needs, objectives, status) -> None:
        """C9: each actionable need answered by a goal or an objective, or with the reason
        it is not addressed now (a draft may leave some unanswered)."""
        rng = self.rng
        for rid, person, *_ in needs:
            roll = rng.random()
            if status == "draft" and roll < 0.15:
                continue
            fitting = [
                o for o in objectives if person is None or o[1]["person_id"] in (None, person.id)
            ] or objectives
            obj, goal, _ = rng.choice(fitting)
            row = {"plan_id": plan["id"], "rating_id": rid, "goal_id": None, "objective_id": None}
            if roll > 0.92:
                row["not_addressed_reason"] = (
                    "Addressed after the housing need is met; the team reviews it in 90 days."
                )
            elif roll > 0.5:
                row["objective_id"] = obj["id"]
                row["not_addressed_reason"] = ""
            else:
                row["goal_id"] = goal["id"]
                row["not_addressed_reason"] = ""
            self.add(NeedResponse, **row)

    def parenting_time(self, c: CaseFacts, plan) -> None:
        """C2: a parenting time plan for every parent, the non-custodial one included."""
        for p in c.parents:
            far = not p.in_household
            self.add(
                ParentingTimePlan,
                plan_id=plan["id"],
                parent_id=p.id,
                visitation_plan_id=c.visitation_plan if c.removed_on else None,
                arrangements="Saturdays 10 am to noon at the family visit center, supervised "
                "by the case manager."
                if c.removed_on or far
                else "Daily at home; the parent takes the children to school.",
                behaviours_assessed="Greets the children warmly, brings a snack, sets limits "
                "calmly, ends the visit on time.",
            )

    def signatures(self, c: CaseFacts, plan, adopted, status) -> None:
        """The parents, a youth of suitable age and the worker sign; a parent's
        disagreement is kept. A plan awaiting approval may still await a signature."""
        rng = self.rng
        signers = [(p.name, "parent", p.id, None) for p in c.parents if p.whereabouts_known]
        signers += [
            (ch.name, "youth", ch.id, None)
            for ch in c.children
            if (_age(ch.dob, adopted) or 0) >= self.youth_age
        ]
        signers.append((c.worker_name, "worker", None, c.worker_id))
        for name, role, pid, sid in signers:
            waiting = status == "adopted" and role != "worker" and rng.random() < 0.4
            on = None if waiting else self.days(adopted, 0, 5)
            # One in ten parents disagrees, and the first parent to sign always does, so
            # that every demo shows a recorded disagreement.
            disagrees = (
                role == "parent"
                and not waiting
                and (not self.disagreement_shown or rng.random() < 0.1)
            )
            self.disagreement_shown = self.disagreement_shown or disagrees
            electronic = role == "worker" or rng.random() < 0.5
            self.add(
                PlanSignature,
                plan_id=plan["id"],
                name=name,
                role=role,
                person_id=pid,
                staff_id=sid,
                language=c.language,
                signed_on=on,
                signature_method="" if on is None else ("electronic" if electronic else "paper"),
                signed_as=name if on is not None and electronic else "",
                agrees=None if on is None else not disagrees,
                disagreement="I do not agree that I need substance use treatment."
                if disagrees
                else "",
                recorded_by_id=c.worker_user if on is not None else None,
                copy_given_on=on,
            )

    def referrals(self, c: CaseFacts, plan, needs, objectives, st) -> None:
        """P8, C9: referrals to providers for the actionable needs of this version, each
        naming the needs it must meet; a provider step of the plan points to it."""
        rng, day0 = self.rng, self.day0
        by_subject = defaultdict(list)
        for need in needs:
            if need[0] not in st["referral_of_rating"]:
                by_subject[need[1].id if need[1] else None].append(need)
        base = plan["adopted_on"] or day0
        for subject, group in by_subject.items():
            if rng.random() < 0.25:
                continue  # this person's needs have no service yet (the plan shows them)
            group = group[: rng.randint(1, 3)]
            service = self.service_for(group[0][4], group[0][3])
            if service is None:
                return
            pid, _, _, provider_name = self.provider_for(service, c.county_id)
            person = subject or (c.parents[0].id if c.parents else c.children[0].id)
            referred = self.days(base, 0, 10)
            age = (day0 - referred).days
            status = "sent"
            if age > 10:
                status = rng.choices(
                    ["accepted", "started", "completed", "ended_early"], [15, 55, 20, 10]
                )[0]
            if status == "completed" and age < 60:
                status = "started"
            status_on = self.days(referred, 0, min(age, 90)) if status != "sent" else referred
            ref = self.add(
                ServiceReferral,
                case_id=c.id,
                plan_id=plan["id"],
                person_id=person,
                provider_id=pid,
                service_id=service,
                specific_needs="Work with the parent on: "
                + "; ".join(n[4] for n in group)
                + ". Send a monthly report.",
                referred_on=referred,
                status=status,
                status_on=status_on,
                ended_reason="Stopped attending after moving out of the county."
                if status == "ended_early"
                else "",
                referred_by_id=c.worker_user,
            )
            for need in group:
                st["referral_of_rating"][need[0]] = ref["id"]
                self.add(
                    ServiceReferral.needs.through, servicereferral_id=ref["id"], rating_id=need[0]
                )
            if status in ("started", "completed", "ended_early"):
                on = referred + timedelta(days=30)
                while on <= min(day0, status_on if status != "started" else day0):
                    progress, text = rng.choice(REPORTS)
                    self.add(
                        ProgressReport,
                        referral_id=ref["id"],
                        reported_on=on,
                        reporter=f"Counselor at {provider_name}",
                        progress=progress,
                        attendance=f"{rng.randint(2, 4)} of 4 sessions",
                        narrative=text,
                        recorded_by_id=c.worker_user,
                    )
                    on += timedelta(days=30)
            for _obj, _goal, steps in objectives:
                free = [s for s in steps if s["who"] == "provider" and s["referral_id"] is None]
                if free:
                    free[0]["referral_id"] = ref["id"]
                    free[0]["who_name"] = provider_name
                    break

    def safety_plans(self, c: CaseFacts, on: date, safety) -> None:
        """C4: proactive and reactive measures, each with who and when; a separate plan for
        domestic violence where one is needed."""
        rng, day0 = self.rng, self.day0
        kinds = ["general"] + (["domestic_violence"] if c.domestic_violence else [])
        for kind in kinds:
            ended = (day0 - on).days > 200 and rng.random() < 0.3
            plan = self.add(
                SafetyPlan,
                case_id=c.id,
                kind=kind,
                status="ended" if ended else "active",
                made_on=on,
                ended_on=self.days(on, 120, (day0 - on).days) if ended else None,
                threats=DV_THREAT if kind == "domestic_violence" else rng.choice(THREATS),
                assessment_id=safety["id"] if safety and kind == "general" else None,
                made_by_id=c.worker_user,
            )
            if kind == "domestic_violence":
                measures = DV_MEASURES
            else:
                measures = [
                    ("proactive", *m) for m in rng.sample(MEASURES["proactive"], rng.randint(2, 3))
                ] + [("reactive", *m) for m in rng.sample(MEASURES["reactive"], rng.randint(1, 2))]
            for i, (mkind, what, who, when) in enumerate(measures):
                self.add(
                    SafetyMeasure,
                    safety_plan_id=plan["id"],
                    kind=mkind,
                    what=what,
                    who=who,
                    when=when,
                    order=i,
                )

    def searches(self, c: CaseFacts) -> None:
        """C6: the diligent search for absent parents, putative fathers and extended
        family; a person found is one of the family's members."""
        rng, day0 = self.rng, self.day0
        targets = [("absent_parent", p.name) for p in c.parents if not p.whereabouts_known]
        if c.removed_on:
            targets.append(("extended_family", "Maternal relatives"))
        if not targets and rng.random() < 0.15:
            targets.append(("putative_father", "The children's father (name not known)"))
        for sought_for, name in targets:
            for _ in range(rng.randint(1, 3)):
                result = rng.choices(["found", "not_found", "pending"], [30, 50, 20])[0]
                found = None
                if result == "found":
                    pool = c.carers if sought_for == "extended_family" else []
                    found = pool[0].id if pool else None
                    result = "found" if found else "not_found"
                self.add(
                    DiligentSearch,
                    case_id=c.id,
                    sought_for=sought_for,
                    sought_name=name,
                    method=rng.choice(DiligentSearch.Method.values),
                    searched_on=self.days(c.opened_on, 1, (day0 - c.opened_on).days),
                    result=result,
                    found_person_id=found,
                    notes=SEARCH_NOTES[result],
                    recorded_by_id=c.worker_user,
                )

    def tribe_contacts(self, c: CaseFacts) -> None:
        """C7: the tribe of an American Indian child contacted within 3 days of the case's
        opening (most), late (some), or not yet (the obligation is open)."""
        rng, day0 = self.rng, self.day0
        for child in c.children:
            for tribe in child.tribes:
                roll = rng.random()
                if roll < 0.1:
                    continue
                lag = rng.randint(0, 3) if roll < 0.85 else rng.randint(4, 10)
                on = c.opened_on + timedelta(days=lag)
                if on > day0:
                    continue
                response, efforts = rng.choice(TRIBE_RESPONSES)
                self.add(
                    TribeContact,
                    case_id=c.id,
                    child_id=child.id,
                    tribe_id=tribe,
                    contacted_on=on,
                    method=rng.choice(TribeContact.Method.values),
                    tribe_contact_name="ICWA worker (synthetic)",
                    response=response,
                    active_efforts=efforts,
                    recorded_by_id=c.worker_user,
                )

    def summary(self) -> dict:
        return {
            "providers": len(self.rows[Provider]),
            "assessments": len(self.rows[Assessment]),
            "ratings": len(self.ratings),
            "case plans": len(self.rows[CasePlan]),
            "action steps": len(self.rows[ActionStep]),
            "service referrals": len(self.rows[ServiceReferral]),
            "team meetings": len(self.rows[TeamMeeting]),
            "safety plans": len(self.rows[SafetyPlan]),
            "diligent searches": len(self.rows[DiligentSearch]),
            "tribe contacts": len(self.rows[TribeContact]),
        }


# Writers --------------------------------------------------------------------------------


def write_bulk(builder: PlanningBuilder, *, actor=None, batch_size: int = 1000) -> None:
    """The demo's writer: bulk_create in batches, with history rows for the models that
    keep history (as a service's save would), then the id sequences moved on."""
    for model in MODELS:
        rows = builder.rows.get(model, [])
        if model is Rating:
            rows = [dict(zip(RATING_COLUMNS, r, strict=True)) for r in builder.ratings]
        if not rows:
            continue
        objs = [model(**row) for row in rows]
        if hasattr(model._meta, "simple_history_manager_attribute"):
            bulk_create_with_history(objs, model, batch_size=batch_size, default_user=actor)
        else:
            model.objects.bulk_create(objs, batch_size=batch_size)
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(sql)


def write_copy(builder: PlanningBuilder, loader) -> int:
    """The state seed's writer: COPY through its Loader (ids already handed out)."""
    total = 0
    for model in MODELS:
        if model is Rating:
            total += loader.copy_tuples(Rating, RATING_COLUMNS, builder.ratings)
        elif builder.rows.get(model):
            total += loader.copy(model, builder.rows[model])
    return total


# Obligations ------------------------------------------------------------------------------


def planning_sources() -> list:
    """The registered obligation sources of the planning app (none until its areas
    register theirs)."""
    from hearth.planning.obligations import SOURCES

    names = {s.name for s in SOURCES}
    return [s for s in registered_sources() if s.name in names]


# The demo ---------------------------------------------------------------------------------


def demo_facts(case_ids) -> list[CaseFacts]:
    """The facts of the demo's open cases with a worker, in a few queries."""
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .exclude(status__in=[Case.Status.CLOSED, Case.Status.REFERRED])
        .order_by("pk")
        .prefetch_related("languages")
    )
    ids = [c.pk for c in cases]
    worker = {}
    for a in (
        Assignment.objects.filter(case__in=ids, ends_on__isnull=True, kind="primary")
        .select_related("worker")
        .order_by("case_id", "-starts_on", "-id")
    ):
        worker.setdefault(a.case_id, a.worker)
    supervisors = {}
    for s in StaffMember.objects.filter(roles__role=Role.SUPERVISOR, unit__isnull=False).order_by(
        "id"
    ):
        supervisors.setdefault(s.unit_id, s)
    members = defaultdict(list)
    for m in (
        CaseMember.objects.filter(case__in=ids, ends_on__isnull=True)
        .select_related("person")
        .prefetch_related("person__tribes")
        .order_by("case_id", "id")
    ):
        members[m.case_id].append(m)
    removed = dict(
        RemovalEpisode.objects.filter(case__in=ids)
        .values("case_id")
        .annotate(first=Min("removed_on"))
        .values_list("case_id", "first")
    )
    visits = {}
    for case_id, pk in (
        VisitationPlan.objects.filter(case__in=ids)
        .order_by("case_id", "id")
        .values_list("case_id", "id")
    ):
        visits.setdefault(case_id, pk)
    out = []
    for case in cases:
        w = worker.get(case.pk)
        if w is None:
            continue
        sup = supervisors.get(case.unit_id)
        facts = CaseFacts(
            id=case.pk,
            agency_id=case.agency_id,
            unit_id=case.unit_id,
            county_id=case.county_id,
            opened_on=case.opened_on,
            case_type=case.case_type,
            domestic_violence=case.domestic_violence,
            worker_id=w.pk,
            worker_user=w.user_id,
            worker_name=f"{w.first_name} {w.last_name}",
            supervisor_id=sup.pk if sup else None,
            supervisor_name=f"{sup.first_name} {sup.last_name}" if sup else "",
            removed_on=removed.get(case.pk),
            visitation_plan=visits.get(case.pk),
            language="es" if any(lang.code == "es" for lang in case.languages.all()) else "en",
        )
        for m in members[case.pk]:
            p = m.person
            member = Member(
                p.pk,
                f"{p.first_name} {p.last_name}",
                p.date_of_birth,
                p.whereabouts_known,
                m.in_household,
                tuple(t.pk for t in p.tribes.all()),
            )
            if m.role == "child":
                facts.children.append(member)
            elif m.role == "parent":
                facts.parents.append(member)
            else:
                facts.carers.append(member)
        if facts.children or facts.parents:
            out.append(facts)
    return out


def build_demo_planning(demo, cases) -> dict:
    """The demo's planning records for its open cases (after the placements and contact
    notes); their obligations are the engine's, rebuilt at the end of the demo. The demo
    case manager's first case with a plan gets a large one (four goals of three objectives
    of three steps each)."""
    day0 = today()
    large = [demo.casemanager.pk] if demo.casemanager else []
    builder = PlanningBuilder(
        random.Random(demo.seed * 7919 + 71), day0, Catalogue.load(), share=0.85, large_for=large
    )
    builder.directory(
        30,
        list(County.objects.order_by("code")),
        ref.PLACE_WORDS,
        dict(Language.objects.values_list("code", "id")),
    )
    facts = demo_facts([c.pk for c in cases])
    for f in facts:
        builder.case(f)
    write_bulk(builder, actor=demo.system)
    return builder.summary()


# The state seed ---------------------------------------------------------------------------

TRIBAL_SHARE = 0.02  # of the open cases' families: American Indian children (ICWA, C7)


def state_facts(s, builder: PlanningBuilder) -> list[CaseFacts]:
    """The facts of the state seed's open cases from its rows in memory. A few families
    (TRIBAL_SHARE) have children who are members of a tribe (the state seed gives no
    child a tribe otherwise): their person rows are marked (ICWA applies) and linked to
    the tribe before the people are loaded."""
    rng = builder.rng
    tribes = list(Tribe.objects.order_by("code").values_list("id", flat=True))
    staff = {row["id"]: row for row in s.staff}
    worker = {}
    for a in s.assigns:
        if a["ends_on"] is None and a["kind"] == "primary":
            worker[a["case_id"]] = a["worker_id"]
    members = defaultdict(list)
    for m in s.members:
        if m["ends_on"] is None:
            members[m["case_id"]].append(m)
    removed = {}
    for e in s.care.episodes:
        removed[e["case_id"]] = min(removed.get(e["case_id"], e["removed_on"]), e["removed_on"])
    out = []
    for case in s.cases:
        if case["status"] == "closed" or case["id"] not in worker:
            continue
        w = staff[worker[case["id"]]]
        sup = staff.get(s.supervisor_of.get(case["unit_id"]))
        facts = CaseFacts(
            id=case["id"],
            agency_id=case["agency_id"],
            unit_id=case["unit_id"],
            county_id=case.get("county_id"),
            opened_on=case["opened_on"],
            case_type=case["case_type"],
            domestic_violence=case.get("domestic_violence", False),
            worker_id=w["id"],
            worker_user=w["user_id"],
            worker_name=f"{w['first_name']} {w['last_name']}",
            supervisor_id=sup["id"] if sup else None,
            supervisor_name=f"{sup['first_name']} {sup['last_name']}" if sup else "",
            removed_on=removed.get(case["id"]),
        )
        tribe = rng.choice(tribes) if tribes and rng.random() < TRIBAL_SHARE else None
        for m in members[case["id"]]:
            p = s.persons[m["person_id"] - 1]  # ids are handed out in order from 1
            assert p["id"] == m["person_id"]
            member = Member(
                p["id"],
                f"{p['first_name']} {p['last_name']}",
                p["date_of_birth"],
                p.get("whereabouts_known", True),
                m["in_household"],
            )
            if m["role"] == "child":
                if tribe is not None:
                    p.update(
                        icwa_inquiry_made=True,
                        icwa_inquiry_date=case["opened_on"],
                        icwa_membership="eligible",
                        icwa_applies="yes",
                    )
                    builder.add(Person.tribes.through, person_id=p["id"], tribe_id=tribe)
                    member.tribes = (tribe,)
                facts.children.append(member)
            elif m["role"] == "parent":
                facts.parents.append(member)
            else:
                facts.carers.append(member)
        out.append(facts)
    return out


def state_planning(s) -> int:
    """The state seed's step (in memory): the provider directory and the planning rows of
    its open cases, from a random source of their own. The demo case manager's first
    planned case gets a large plan (the bench's plan page)."""
    builder = s.planning = PlanningBuilder(
        random.Random(s.seed * 7919 + 71),
        s.day0,
        Catalogue.load(),
        share=0.8,
        large_for=[
            row["id"]
            for row in s.staff
            if row["user_id"] in {u["id"] for u in s.users if u["username"] == "casemanager"}
        ],
    )
    builder.directory(s.n(300), s.counties, s.lasts, {lang.code: lang.pk for lang in s.langs})
    for facts in state_facts(s, builder):
        builder.case(facts)
    return sum(len(rows) for rows in builder.rows.values()) + len(builder.ratings)


def state_planning_copy(s) -> int:
    """The state seed's step: COPY the planning rows made in memory."""
    return write_copy(s.planning, s.loader)
