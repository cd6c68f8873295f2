"""The state seed's planning obligations (C1 first plan and reviews, the signatures awaited,
C3 reassessments, C5 family team meetings, C7 the tribe), made in memory from the rows
the seed generated, as the planning app's sources (hearth.planning.obligations) would
store them through the obligations engine: for every case open in the last two months,
every month from the earliest its opening reaches back to, each source up to its
horizon. The rules are the pure ones in hearth.policy (assessments, case_plans,
teaming); the facts are read from the seed's rows instead of one query or more per case
and source (about 32,000 cases at full scale: over 20 minutes that way).

The seed knows the four planning sources by name: when the planning app registers one
it does not know, the seed stops and says so (its rows would be missing).
tests/demo/test_state.py rebuilds the cases with the engine and compares.
"""

from collections import defaultdict
from datetime import date, timedelta

from hearth.cases.models import CaseMeeting
from hearth.obligations.engine import months_between
from hearth.obligations.models import Obligation
from hearth.people.models import Person
from hearth.planning.models import (
    Assessment,
    CasePlan,
    PlanSignature,
    TribeContact,
)
from hearth.planning.obligations import assessments as c3
from hearth.planning.obligations import plans as c1
from hearth.planning.obligations import teaming as c5
from hearth.policy import assessments as assessment_rules
from hearth.policy import case_plans as plan_rules
from hearth.policy import teaming as teaming_rules
from hearth.reference.models import Tribe

KNOWN_SOURCES = {"planning.reassessment", "planning.plans", "planning.c5", "planning.c7"}
IN_HOME = {str(t) for t in c1.IN_HOME}
CHILD_ROLES = {"child", "sibling"}
SIGNATURE_ROLES = dict(PlanSignature.Role.choices)


def _first(day: date) -> date:
    return day.replace(day=1)


class PlanningObligations:
    """Indexes of the seed's rows by case, and each case's planning obligations from
    them, as (source, rule, person, need, description, month, starts_on, due_on,
    evidence_type, evidence_id, met_on) tuples."""

    def __init__(self, s):
        b = s.planning
        self.notes = s.notes  # the contact builder's indexes (members, assignments, care)
        self.persons = s.persons
        self.day0 = s.day0
        self.assessments = defaultdict(list)  # case id -> [(assessed_on, id)]
        for a in b.rows.get(Assessment, ()):
            self.assessments[a["case_id"]].append((a["assessed_on"], a["id"]))
        self.adoptions = defaultdict(list)  # case id -> [Adoption]
        self.plans = {}  # plan id -> (case id, number, adopted_on)
        for p in b.rows.get(CasePlan, ()):
            self.plans[p["id"]] = (p["case_id"], p["number"], p.get("adopted_on"))
            if p.get("adopted_on") is not None:
                self.adoptions[p["case_id"]].append(plan_rules.Adoption(p["id"], p["adopted_on"]))
        self.signatures = defaultdict(list)
        for g in b.rows.get(PlanSignature, ()):
            case_id, number, adopted = self.plans[g["plan_id"]]
            if adopted is not None:
                self.signatures[case_id].append((g, number, adopted))
        self.meetings = defaultdict(list)  # case id -> [(held_on, id)] of family team meetings
        for m in b.rows.get(CaseMeeting, ()):
            if m["kind"] == CaseMeeting.Kind.FAMILY_TEAM_MEETING:
                self.meetings[m["case_id"]].append((m["held_on"], m["id"]))
        self.tribes_of = defaultdict(list)  # person id -> tribe ids
        for t in b.rows.get(Person.tribes.through, ()):
            self.tribes_of[t["person_id"]].append(t["tribe_id"])
        self.tribe_name = dict(Tribe.objects.values_list("id", "name"))
        self.contacts = defaultdict(list)  # case id -> tribe contacts, by (day, id)
        for c in b.rows.get(TribeContact, ()):
            self.contacts[c["case_id"]].append(c)
        for rows in self.contacts.values():
            rows.sort(key=lambda c: (c["contacted_on"], c["id"]))
        person_field = Person._meta.get_field
        self.icwa_default = (
            person_field("icwa_applies").get_default(),
            person_field("icwa_membership").get_default(),
        )

    # C3 ------------------------------------------------------------------------------------
    def changes(self, case, policy) -> list[c3.Change]:
        """c3.situation_changes from the seed's rows."""
        opened = case["opened_on"]
        found = []
        for e in self.notes.episodes_of_case.get(case["id"], ()):
            for p in self.notes.placements_of_episode[e["id"]]:
                if p["starts_on"] >= opened:
                    found.append((p["child_id"], p["starts_on"], "placement"))
        for m in self.notes.members_of[case["id"]]:
            if m["starts_on"] > opened and assessment_rules.joins_household(
                m["role"], m["in_household"], m["starts_on"], opened
            ):
                found.append((m["person_id"], m["starts_on"], "new_member"))
        for e in self.notes.episodes_of_case.get(case["id"], ()):
            exited = e.get("exited_on")
            if (
                exited is not None
                and exited >= opened
                and assessment_rules.is_return_home(e.get("exit_reason", ""))
            ):
                found.append((e["child_id"], exited, "return_home"))
        within = policy.reassessment_days
        changes = {}
        for person, on, kind in sorted(found, key=lambda f: (f[1], f[0], f[2])):
            changes.setdefault(
                (person, on),
                c3.Change(
                    person, on, kind, assessment_rules.reassessment_due(on, within_days=within)
                ),
            )
        return list(changes.values())

    def reassessments(self, case, changes) -> list[tuple]:
        done = sorted(self.assessments.get(case["id"], ()))
        out = []
        for c in changes:
            met = next(((pk, on) for on, pk in done if on >= c.on), None)
            if met is None and case["closed_on"] is not None and c.due > case["closed_on"]:
                continue
            out.append(
                (
                    "C3",
                    c.person_id,
                    c3.NEED,
                    c3.DESCRIPTIONS[c.kind],
                    c.on,
                    c.due,
                    "assessment" if met else "",
                    met[0] if met else None,
                    met[1] if met else None,
                )
            )
        return out

    # C1 and the signatures -----------------------------------------------------------------
    def anchor(self, case) -> date | None:
        starts = [
            p["starts_on"]
            for e in self.notes.episodes_of_case.get(case["id"], ())
            for p in self.notes.placements_of_episode[e["id"]]
        ]
        if starts:
            return min(starts)
        return case["opened_on"] if case["case_type"] in IN_HOME else None

    def plan_rows(self, case, policy, anchor) -> list[tuple]:
        adoptions = self.adoptions.get(case["id"], [])
        closed = case["closed_on"]
        out = []
        if anchor is not None and (closed is None or anchor <= closed):
            due = plan_rules.first_plan_due(anchor, due_days=policy.case_plan_due_days)
            met = plan_rules.first_plan_met(adoptions, anchor)
            out.append(
                _plan_row(
                    "case_plan_first",
                    "The first case plan, made at a family team meeting (C1)",
                    anchor,
                    due,
                    met,
                )
            )
        if closed is not None:
            horizon = closed
        else:
            horizon = plan_rules.next_review_due(
                case["opened_on"], review_days=policy.case_plan_review_days, on=self.day0
            )
        for w in plan_rules.review_windows(
            case["opened_on"], review_days=policy.case_plan_review_days, until=horizon
        ):
            met = plan_rules.review_met(adoptions, w)
            out.append(
                _plan_row(
                    "case_plan_review",
                    f"Case plan review {w.number}: a new version adopted at a meeting (C1)",
                    w.starts_on,
                    w.due_on,
                    met,
                )
            )
        for g, number, adopted in self.signatures.get(case["id"], ()):
            due = adopted + timedelta(days=policy.plan_signature_days)
            answered = g.get("signed_on") or g.get("declined_on")
            out.append(
                (
                    "C2",
                    g.get("person_id"),
                    "plan_signature",
                    f"Signature on case plan {number}: {SIGNATURE_ROLES[g['role']].lower()}",
                    adopted,
                    due,
                    "plan_signature" if answered else "",
                    g["id"] if answered else None,
                    answered,
                )
            )
        return out

    def plan_reaches_back(self, case, policy, anchor, on) -> date:
        adoptions = self.adoptions.get(case["id"], [])
        earliest = [on]
        if (
            anchor is not None
            and anchor <= on
            and not any(anchor <= a.adopted_on < on for a in adoptions)
        ):
            earliest.append(plan_rules.first_plan_due(anchor, due_days=policy.case_plan_due_days))
        if not any(a.adopted_on < on for a in adoptions):
            earliest.append(case["opened_on"])
        return min(earliest)

    # C5 ------------------------------------------------------------------------------------
    def schedule(self, case, policy) -> list[teaming_rules.MeetingDue]:
        if case["case_type"] == "investigation":
            return []
        return teaming_rules.meeting_schedule(
            opened_on=case["opened_on"],
            removals=[e["removed_on"] for e in self.notes.episodes_of_case.get(case["id"], ())],
            meetings=self.meetings.get(case["id"], ()),
            closed_on=case["closed_on"],
            first_days=policy.team_meeting_first_days,
            interval_days=policy.team_meeting_interval_days,
        )

    # C7 ------------------------------------------------------------------------------------
    def tribe_dues(self, case, policy) -> list[dict]:
        """c5._tribe_dues from the seed's rows."""
        joined, children = {}, []
        members = sorted(
            (m for m in self.notes.members_of[case["id"]] if m["role"] in CHILD_ROLES),
            key=lambda m: (m["starts_on"], m["id"]),
        )
        for m in members:
            if m["person_id"] not in joined:
                joined[m["person_id"]] = m["starts_on"]
                children.append(m["person_id"])
        applies_default, membership_default = self.icwa_default
        indian = []
        for pid in children:
            p = self.persons[pid - 1]
            if teaming_rules.american_indian_child(
                icwa_applies=p.get("icwa_applies", applies_default),
                membership=p.get("icwa_membership", membership_default),
                has_tribe=bool(self.tribes_of.get(pid)),
            ):
                indian.append(pid)
        if not indian:
            return []
        assigned = self.notes.assigns_of.get(case["id"], ())  # by (starts_on, id)
        first_assigned = next((a["starts_on"] for a in assigned if a["kind"] == "primary"), None)
        if first_assigned is None:
            return []
        contacts = self.contacts.get(case["id"], ())
        out = []
        for pid in indian:
            anchor = teaming_rules.tribe_contact_anchor(
                opened_on=case["opened_on"], first_assigned_on=first_assigned, joined_on=joined[pid]
            )
            due = teaming_rules.tribe_contact_due(anchor, days=policy.tribe_contact_days)
            for tribe in self.tribes_of.get(pid) or [None]:
                contact = next(
                    (
                        c
                        for c in contacts
                        if c["child_id"] == pid and (tribe is None or c["tribe_id"] == tribe)
                    ),
                    None,
                )
                if contact is None and case["closed_on"] is not None and due > case["closed_on"]:
                    continue
                out.append(
                    {"child": pid, "tribe": tribe, "anchor": anchor, "due": due, "contact": contact}
                )
        return out

    def tribe_rows(self, case, dues) -> list[tuple]:
        out = []
        for d in dues:
            contact, tribe = d["contact"], d["tribe"]
            what = f"the {self.tribe_name[tribe]}" if tribe else "the child's tribe (identify it)"
            out.append(
                (
                    "C7",
                    d["child"],
                    "tribe_contact",
                    f"Contact {what} about the child (C7)"[:300],
                    min(case["opened_on"], d["anchor"]),
                    d["due"],
                    "tribe_contact" if contact else "",
                    contact["id"] if contact else None,
                    contact["contacted_on"] if contact else None,
                )
            )
        return out

    # A case --------------------------------------------------------------------------------
    def case_rows(self, case) -> list[tuple]:
        """What the engine stores for the case from nothing: each source's rows due from
        the earliest month its opening reaches back to, up to the source's horizon."""
        policy = self.notes.policy[case["agency_id"]]
        opened, now = case["opened_on"], self.day0
        changes = self.changes(case, policy)
        anchor = self.anchor(case)
        schedule = self.schedule(case, policy)
        dues = self.tribe_dues(case, policy)
        start = min(
            opened,
            *(c.due for c in changes if c.on <= opened),
            self.plan_reaches_back(case, policy, anchor, opened),
            teaming_rules.schedule_reaches_back(schedule, opened),
            *(
                d["due"]
                for d in dues
                if d["contact"] is None or d["contact"]["contacted_on"] >= opened
            ),
        )
        review = plan_rules.next_review_due(
            opened, review_days=policy.case_plan_review_days, on=now
        )
        by_source = [
            (
                assessment_rules.reassessment_due(now, within_days=policy.reassessment_days),
                self.reassessments(case, changes),
            ),
            (
                max(
                    now + timedelta(days=policy.case_plan_due_days),
                    now + timedelta(days=policy.plan_signature_days),
                    review,
                ),
                self.plan_rows(case, policy, anchor),
            ),
            (
                now
                + timedelta(
                    days=max(policy.team_meeting_first_days, policy.team_meeting_interval_days)
                ),
                [
                    (
                        "C5",
                        None,
                        "family_team_meeting",
                        c5._meeting_text(d),
                        d.starts_on,
                        d.due_on,
                        "team_meeting" if d.meeting_id else "",
                        d.meeting_id,
                        d.met_on,
                    )
                    for d in schedule
                ],
            ),
            (now + timedelta(days=policy.tribe_contact_days), self.tribe_rows(case, dues)),
        ]
        out = []
        for horizon, rows in by_source:
            months = set(months_between(start, horizon))
            out += [r for r in rows if _first(r[5]) in months]
        return out


def _plan_row(need, description, starts_on, due_on, met) -> tuple:
    return (
        "C1",
        None,
        need,
        description,
        starts_on,
        due_on,
        "case_plan" if met else "",
        met.plan_id if met else None,
        met.adopted_on if met else None,
    )


def check_sources(registered) -> None:
    """Stop when the planning app registers a source the seed does not make rows for."""
    names = {s.name for s in registered}
    if names - KNOWN_SOURCES:
        raise RuntimeError(
            "The state seed makes the planning obligations of the sources "
            f"{sorted(KNOWN_SOURCES)} in memory (hearth/demo/state/planning_obligations.py); "
            f"the planning app also registers {sorted(names - KNOWN_SOURCES)}: teach the "
            "seed its rule."
        )


def planning_obligation_rows(s) -> list[tuple]:
    """The planning obligations of the cases open in the last two months, as tuples in
    OBLIGATION_COLUMNS order (ids from the loader), as the engine would store them."""
    from hearth.demo.planning import planning_sources

    registered = planning_sources()
    if not registered:
        return []
    check_sources(registered)
    since = (s.day0.replace(day=1) - timedelta(days=1)).replace(day=1)
    facts = PlanningObligations(s)
    loader = s.loader
    out = []
    for case in s.cases:
        if case["closed_on"] is not None and case["closed_on"] < since:
            continue
        rows = facts.case_rows(case)
        if not rows:
            continue
        worker = s.notes.worker(case)
        ids = loader.ids(Obligation, len(rows))
        for oid, (rule, person, need, text, start, due, etype, eid, met) in zip(
            ids, rows, strict=True
        ):
            out.append(
                (
                    oid,
                    Obligation.Source.PLANNING.value,
                    rule,
                    case["id"],
                    person,
                    need,
                    text,
                    _first(due),
                    start,
                    due,
                    etype,
                    eid,
                    met,
                    "",
                    "",
                    worker,
                    case["unit_id"],
                    case["agency_id"],
                    loader.now,
                )
            )
    return out


def state_planning_obligations(s) -> int:
    """The state seed's step (in memory, after the planning records): the rows the COPY
    of "planning obligations, loaded" writes."""
    s.planning_obligation_rows = planning_obligation_rows(s)
    s.planning_obligations = len(s.planning_obligation_rows)
    if not s.planning_obligation_rows:
        s.out.write(
            "\nNOTE: no planning obligation sources are registered: the state seed wrote no "
            "planning obligations (the due list holds the contact and placement ones only).\n"
        )
    return s.planning_obligations
