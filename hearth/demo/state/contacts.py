"""The state seed's year of contact notes, with whom each was, then (ObligationRows) the
obligations of this month and the last."""

import random
import zoneinfo
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings

from hearth.contacts.models import ContactNote
from hearth.demo.state.obligations import CHILD_ROLES, ObligationRows
from hearth.demo.state.world import State
from hearth.policy import contacts as contact_rules
from hearth.policy.settings import DEFAULTS

NARRATIVES = {
    "care": [
        "Monthly visit at the placement; the child is settled and doing well in school.",
        "Saw the child at the placement; talked about school, friends and visits home.",
        "Visit with the child and the caregiver; no safety concerns, needs are met.",
        "Met with the child alone; the child says things are going well in the home.",
    ],
    "home": [
        "Home visit; the family is following the safety plan and the home is safe.",
        "Visited the family at home; services are in place and going well.",
        "Home visit; talked about the case plan goals and the next appointments.",
        "Saw the child at home with the parent; no new concerns noted.",
    ],
    "parent": [
        "Met with the parent about the case plan, services and visits with the children.",
        "Talked with the parent about progress in treatment and the next court date.",
        "Reviewed the case plan with the parent; the parent is attending services.",
    ],
    "remote": [
        "Call to check in between visits; no concerns reported.",
        "Video call; talked about school and the week ahead.",
    ],
    "attempted": [
        "Visit attempted; no one was home. Left a card and called to reschedule.",
        "Went for the scheduled visit; the family had left. Rescheduled for next week.",
    ],
    "locate": [
        "Locate effort: no answer at the last known number; asked relatives to call back.",
        "Locate effort: letter sent to the last known address.",
        "Locate effort: checked with the parent locate service; no new address.",
    ],
}
LOCATE_METHODS = sorted(contact_rules.LOCATE_METHODS)
NOTE_ROLES = {"child", "sibling", "parent"}
NO_NOTE, ATTEMPTED, PHONE, VIDEO = 0.08, 0.05, 0.05, 0.02  # shares of person-months
NOTE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "version",
    "case_id",
    "author_id",
    "kind",
    "occurred_at",
    "method",
    "location",
    "purpose",
    "narrative",
    "locate_subject_id",
    "locate_method",
    "status",
    "finalized_at",
]


def _month_firsts(day0, count: int) -> list:
    """The first days of the `count` calendar months up to `day0`'s, oldest first."""
    firsts = [day0.replace(day=1)]
    while len(firsts) < count:
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def _next_first(first):
    return (first + timedelta(days=32)).replace(day=1)


class ContactBuilder(ObligationRows):
    """A year of finalized contact notes for the generated cases (this calendar month and
    the eleven before it, none today or later): about one a month for each child and
    each parent while they are members of a case, with whom each was (the M2M rows).
    Then the obligations of this month and the last, made by the contact rules
    (hearth.policy.contacts.requirements and evaluate) from the same facts, as
    hearth.obligations.engine.recompute would store them, without a query per case.

    A child in care is seen at the placement (or at school, or in the office), a child on
    runaway gets a locate effort, a child placed out of state mostly a call; parents at
    home or in the office; a parent whose whereabouts are unknown gets a locate effort.
    About 8% of person-months have no note, 5% only an attempt, 7% a call or video."""

    def __init__(
        self, loader, rng, day0, *, persons, cases, members, rels, assigns, care, agencies
    ):
        self.L, self.rng, self.day0 = loader, rng, day0
        self.persons = persons
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.months = _month_firsts(day0, 12)
        self.spans = [(m, _next_first(m) - timedelta(days=1)) for m in self.months]
        self.policy = {a["id"]: DEFAULTS.merged(a["policy_overrides"]) for a in agencies}
        self.cases = cases
        self.members_of = defaultdict(list)
        for m in members:
            self.members_of[m["case_id"]].append(m)
        self.assigns_of = defaultdict(list)
        for a in sorted(assigns, key=lambda a: (a["starts_on"], a["id"])):
            self.assigns_of[a["case_id"]].append(a)
        self.parent_rels = defaultdict(list)
        for r in rels:
            if r["kind"] == "parent":
                self.parent_rels[r["person_id"]].append(r)
        self.episodes_of_child = defaultdict(list)
        self.episodes_of_case = defaultdict(list)
        for e in care.episodes:
            self.episodes_of_child[e["child_id"]].append(e)
            self.episodes_of_case[e["case_id"]].append(e)
        self.placements_of_child = defaultdict(list)
        self.placements_of_episode = defaultdict(list)
        for p in care.placements:
            self.placements_of_child[p["child_id"]].append(p)
            self.placements_of_episode[p["episode_id"]].append(p)
        self.goals_of_case = defaultdict(list)
        for g in care.goals:
            self.goals_of_case[g["case_id"]].append(g)
        self.notes, self.with_rows, self.obligations = [], [], []
        self.note_id = self.with_id = 0

    def build(self) -> None:
        for case in self.cases:
            notes = self.case_notes(case)
            self.case_obligations(case, notes)

    # Notes ------------------------------------------------------------------------------

    def placement_on(self, child_id: int, day):
        for p in self.placements_of_child.get(child_id, ()):
            if p["starts_on"] <= day and (p["ends_on"] is None or day < p["ends_on"]):
                return p
        return None

    def author_on(self, case_id: int, day):
        worker = None
        for a in self.assigns_of.get(case_id, ()):
            if a["starts_on"] <= day:
                worker = a["worker_id"]
        return worker

    def case_notes(self, case: dict) -> list[tuple]:
        """The case's notes, each as compliance reads it: (id, day, method, location, with
        ids, locate subject, narrative)."""
        rng, day0 = self.rng, self.day0
        cid = case["id"]
        opened, closed = case["opened_on"], case["closed_on"]
        if closed is not None and closed < self.months[0]:
            return []
        out = []
        members = [m for m in self.members_of[cid] if m["role"] in NOTE_ROLES]
        for m in members:
            lo = max(m["starts_on"], opened)
            hi = min(d for d in (m["ends_on"], closed, self.spans[-1][1]) if d is not None)
            for first, last in self.spans:
                a = max(lo, first)
                b = min(hi, last)
                if a > b or rng.random() < NO_NOTE:
                    continue
                day = a + timedelta(days=int(rng.random() * ((b - a).days + 1)))
                if day >= day0:  # this month: not seen yet
                    continue
                out.append(self.note(case, m, day, members))
        return out

    def note(self, case: dict, member: dict, day, members: list) -> tuple:
        rng = self.rng
        pid = member["person_id"]
        kind, subject, locate_method, purpose = "contact", None, "", "Monthly contact"
        roll = rng.random()
        method = (
            "attempted"
            if roll < ATTEMPTED
            else "phone"
            if roll < ATTEMPTED + PHONE
            else "video"
            if roll < ATTEMPTED + PHONE + VIDEO
            else "in_person"
        )
        placement = self.placement_on(pid, day) if member["role"] in CHILD_ROLES else None
        setting = placement["setting"] if placement else None
        where = rng.random()
        unknown = member["role"] == "parent" and not self.persons[pid - 1].get(
            "whereabouts_known", True
        )
        if unknown or setting in ("runaway", "whereabouts_unknown"):
            kind, subject = "locate", pid  # V8, V11
        elif placement is not None and placement.get("out_of_state"):
            if method == "in_person" and where < 0.7:  # V12: mostly a call
                method = "phone"
            location, text = "placement", "care"
        elif placement is not None and setting != "trial_home_visit":
            location = (
                "placement"
                if where < 0.72
                else "child_residence"
                if where < 0.84
                else "school"
                if where < 0.92
                else "office"
            )
            text = "care"
        elif member["role"] in CHILD_ROLES or case["case_type"] != "out_of_home":
            location = "parents_home" if where < 0.82 else "office" if where < 0.92 else "school"
            if member["role"] == "parent" and location == "school":
                location = "office"
            text = "home" if member["role"] in CHILD_ROLES else "parent"
        else:  # a parent of children in care
            location = "parents_home" if where < 0.5 else "office" if where < 0.9 else "court"
            text = "parent"
        with_ids = (pid,)
        if kind == "locate":
            locate_method = rng.choice(LOCATE_METHODS)
            method = contact_rules.LOCATE_METHODS[locate_method]
            location, with_ids, text = "", (), "locate"
            purpose = "Locate effort"
        elif method == "attempted":
            text = "attempted"
        elif method != "in_person":
            location, text = "", "remote"
        elif location == "parents_home" and rng.random() < 0.3:
            # Others of the household seen at the same home visit.
            others = [
                m["person_id"]
                for m in members
                if m["person_id"] != pid
                and m["in_household"]
                and m["starts_on"] <= day
                and (m["ends_on"] is None or day <= m["ends_on"])
                and (m["role"] == "parent" or self.placement_on(m["person_id"], day) is None)
            ]
            if others:
                with_ids = (pid, rng.choice(others))
        self.note_id += 1
        nid = self.note_id
        hour, minute = 8 + int(rng.random() * 9), 5 * int(rng.random() * 12)
        at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)
        final = min(self.L.now, at + timedelta(hours=1 + int(rng.random() * 72)))
        narrative = rng.choice(NARRATIVES[text])
        self.notes.append(
            (
                nid,
                min(self.L.now, at + timedelta(minutes=30)),
                final,
                1,
                case["id"],
                self.author_on(case["id"], day),
                kind,
                at,
                method,
                location,
                purpose,
                narrative,
                subject,
                locate_method,
                "final",
                final,
            )
        )
        for person_id in with_ids:
            self.with_id += 1
            self.with_rows.append((self.with_id, nid, person_id))
        return (nid, day, method, location, frozenset(with_ids), subject, narrative)


def contact_notes_and_obligations(s: State) -> int:
    """The notes and obligations of every case, from a random source of their own."""
    notes = s.notes = ContactBuilder(
        s.loader,
        random.Random(s.seed * 7919 + 29),
        s.day0,
        persons=s.persons,
        cases=s.cases,
        members=s.members,
        rels=s.rels,
        assigns=s.assigns,
        care=s.care,
        agencies=s.agencies,
    )
    notes.build()
    s.loader.next_id[ContactNote] = notes.note_id + 1
    return len(notes.notes)
