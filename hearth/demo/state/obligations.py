"""The state seed's obligations: what the engine (recompute) stores for a case this month and the
last, made by the contact rules from the generated rows (a mixin of the contact builder,
which indexes those rows)."""

from collections import defaultdict
from datetime import timedelta

from hearth.obligations.models import Obligation
from hearth.policy import contacts as contact_rules
from hearth.policy import placement as rules
from hearth.policy.contacts import Period

CHILD_ROLES = {"child", "sibling"}
OBLIGATION_COLUMNS = [
    "id",
    "source",
    "rule",
    "case_id",
    "person_id",
    "need",
    "description",
    "month",
    "starts_on",
    "due_on",
    "evidence_type",
    "evidence_id",
    "met_on",
    "excused_reason",
    "reason",
    "responsible_id",
    "unit_id",
    "agency_id",
    "refreshed_at",
]


class ObligationRows:
    """The obligations of ContactBuilder's cases, in OBLIGATION_COLUMNS order, from the
    indexes it holds (members_of, goals_of_case, placements_of_child...)."""

    def facts(self, case: dict) -> contact_rules.CaseFacts:
        """The case as hearth.contacts.selectors.case_facts reads it from the database."""
        members = self.members_of[case["id"]]
        child_ids = {m["person_id"] for m in members if m["role"] in CHILD_ROLES}
        goals = defaultdict(list)
        for g in self.goals_of_case.get(case["id"], ()):
            goals[g["child_id"]].append((g["goal"], Period(g["starts_on"], g["ends_on"])))
        children, parents = [], []
        for m in members:
            pid = m["person_id"]
            span = _inclusive(m["starts_on"], m["ends_on"])
            if m["role"] in CHILD_ROLES:
                placements = self.placements_of_child.get(pid, ())
                children.append(
                    contact_rules.Child(
                        pid,
                        span,
                        in_household=m["in_household"],
                        out_of_home=tuple(
                            Period(e["removed_on"], e["exited_on"])
                            for e in self.episodes_of_child.get(pid, ())
                        ),
                        runaway=tuple(
                            Period(p["starts_on"], p["ends_on"])
                            for p in placements
                            if p["setting"] in ("runaway", "whereabouts_unknown")
                        ),
                        out_of_state=tuple(
                            Period(p["starts_on"], p["ends_on"])
                            for p in placements
                            if p.get("out_of_state")
                        ),
                        goals=tuple(goals.get(pid, ())),
                    )
                )
            elif m["role"] == "parent":
                rels = [r for r in self.parent_rels.get(pid, ()) if r["other_id"] in child_ids]
                person = self.persons[pid - 1]
                parents.append(
                    contact_rules.Parent(
                        pid,
                        span,
                        in_household=m["in_household"],
                        parent_of=frozenset(r["other_id"] for r in rels),
                        rights_terminated=any(
                            r["parental_rights"] in ("terminated", "relinquished") for r in rels
                        ),
                        whereabouts_known=person.get("whereabouts_known", True),
                        incarcerated=person.get("incarcerated", False),
                    )
                )
        return contact_rules.CaseFacts(
            case["id"],
            case["case_type"],
            _inclusive(case["opened_on"], case["closed_on"]),
            tuple(children),
            tuple(parents),
        )

    def worker(self, case: dict) -> int | None:
        """Who answers for the case's obligations: its current primary worker."""
        return next(
            (
                a["worker_id"]
                for a in self.assigns_of.get(case["id"], ())
                if a["ends_on"] is None and a["kind"] == "primary"
            ),
            None,
        )

    def case_obligations(self, case: dict, notes: list[tuple]) -> None:
        """What recompute(case) stores today: this month's and last month's contact
        requirements with their evidence (source 1), and the first family contacts after
        a placement due in those months (source 2; the state seed holds no family visits,
        so none is met)."""
        months = self.months[-2:]
        opened, closed = case["opened_on"], case["closed_on"]
        if opened > self.day0 or (closed is not None and closed < months[0]):
            return
        policy = self.policy[case["agency_id"]]
        facts = self.facts(case)
        reqs = [
            r
            for m in months
            for r in contact_rules.requirements(
                facts,
                m,
                min_days=policy.contact_partial_month_days,
                exception_months=policy.exception_contact_months,
            )
        ]
        rows = []
        if reqs:
            since, until = min(r.start for r in reqs), max(r.end for r in reqs)
            contacts = [
                contact_rules.Contact(
                    note_id=nid,
                    on=day,
                    method=method,
                    location=location,
                    with_ids=with_ids,
                    locate_subject=subject,
                    narrative=narrative,
                )
                for nid, day, method, location, with_ids, subject, narrative in notes
                if since <= day <= until
            ]
            on = {c.note_id: c.on for c in contacts}
            for r in reqs:
                o = contact_rules.evaluate(r, contacts, today=self.day0)
                rows.append(
                    (
                        "contacts",
                        r.rule,
                        r.person_id,
                        r.need,
                        r.text[:1].upper() + r.text[1:],
                        r.end.replace(day=1),
                        r.start,
                        r.end,
                        "contact_note" if o.evidence else "",
                        o.evidence,
                        on.get(o.evidence),
                        o.reason[:300],
                    )
                )
        for e in self.episodes_of_case.get(case["id"], ()):
            first = min(
                self.placements_of_episode[e["id"]], key=lambda p: (p["starts_on"], p["id"])
            )
            due = rules.first_contact_due(
                first["starts_on"], within_days=policy.first_family_contact_days
            )
            if due.replace(day=1) in months:
                rows.append(
                    (
                        "placements",
                        "P5",
                        first["child_id"],
                        "first_family_contact",
                        "First contact with parents and siblings after placement (P5)",
                        due.replace(day=1),
                        first["starts_on"],
                        due,
                        "",
                        None,
                        None,
                        "",
                    )
                )
        worker = self.worker(case)
        for source, rule, person, need, text, month, start, due, etype, eid, met, why in rows:
            self.obligations.append(
                (
                    self.L.ids(Obligation, 1)[0],
                    source,
                    rule,
                    case["id"],
                    person,
                    need,
                    text,
                    month,
                    start,
                    due,
                    etype,
                    eid,
                    met,
                    "",
                    why,
                    worker,
                    case["unit_id"],
                    case["agency_id"],
                    self.L.now,
                )
            )


def _inclusive(start, end) -> Period:
    """A model's dates whose end is the last day, as a Period (its end is exclusive)."""
    return Period(start, None if end is None else end + timedelta(days=1))
