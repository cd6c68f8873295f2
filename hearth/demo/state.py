"""A state-sized synthetic data set for benchmarks, bulk-loaded into PostgreSQL with COPY.

About 2,500 staff, 30,000 open cases, 60,000 children, 100,000 parents and caregivers,
and three years of closed cases (40,000) with their members, relationships, assignment
histories and oversight grants; a resource directory of 4,000 homes and facilities; for
the out-of-home cases, removal episodes (with re-entries), placements and permanency
goals; a year of final contact notes (about one a month per child and parent, a million
in all) and the obligations of this month and the last, built by the contact rules as
hearth.obligations.engine.recompute would. Bulk loading skips field history and case
events (the conventions allow it for generators); every database constraint still holds,
the placement exclusion constraints included.
"""

import random
import sys
import time
import zoneinfo
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker
from psycopg.types.json import Jsonb

from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseMember
from hearth.contacts.models import ContactNote
from hearth.core.services import today
from hearth.demo import reference as ref
from hearth.demo.demo import load_reference
from hearth.obligations.models import Obligation
from hearth.people import matching
from hearth.people.models import Person, Relationship
from hearth.placements.models import PermanencyGoal, Placement, RemovalEpisode, ResourceHome
from hearth.policy import assignment as assignment_rules
from hearth.policy import contacts as contact_rules
from hearth.policy import placement as rules
from hearth.policy.contacts import Period
from hearth.policy.settings import DEFAULTS
from hearth.reference.models import County, Language, Skill, Tribe
from hearth.staff.models import Agency, Role, StaffMember, StaffRole, Unit

CONTRACTORS = [
    ("Prairie Star Families", "psf"),
    ("Great Plains Child Partners", "gpc"),
    ("Two Rivers Family Services", "trf"),
    ("High Plains Kids Alliance", "hpk"),
]
# Cultural communities a worker belongs to or knows well, and a family's (A2 f): free
# text, matched word by word.
CULTURES = [
    "Lakota",
    "Dakota",
    "Ojibwe",
    "Mexican American",
    "Central American",
    "Somali",
    "Hmong",
    "Vietnamese",
    "Sudanese",
    "Deaf community",
    "Mennonite",
    "rural farming",
]


class Progress:
    def __init__(self, out, total_steps: int):
        self.out, self.total, self.done, self.started = out, total_steps, 0, time.monotonic()

    def step(self, label: str, rows: int) -> None:
        self.done += 1
        width = 30
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        took = time.monotonic() - self.started
        self.out.write(f"\r[{bar}] {self.done}/{self.total} {label}: {rows:,} rows ({took:.0f} s)")
        if self.done == self.total:
            self.out.write("\n")
        self.out.flush()


class Loader:
    """Assigns ids itself and streams rows with COPY; sequences are reset at the end."""

    def __init__(self):
        self.next_id = defaultdict(lambda: 1)
        self.now = timezone.now()

    def ids(self, model, n: int) -> range:
        start = self.next_id[model]
        self.next_id[model] += n
        return range(start, start + n)

    def copy(self, model: type[models.Model], rows: list[dict]) -> int:
        fields = model._meta.concrete_fields
        columns = [f.column for f in fields]
        defaults = {}
        for f in fields:
            if f.name in ("created_at", "updated_at"):
                defaults[f.attname] = self.now
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null or f.blank:
                defaults[f.attname] = None if f.null else ""
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as cp,
        ):
            for row in rows:
                values = []
                for f in fields:
                    v = row.get(f.attname, defaults.get(f.attname))
                    if f.attname in json_fields:
                        v = Jsonb(v)
                    values.append(v)
                cp.write_row(values)
        return len(rows)

    def copy_tuples(self, model: type[models.Model], attnames: list[str], rows: list) -> int:
        """COPY rows given as tuples in `attnames` order (every column): the fast path for
        the large tables."""
        fields = {f.attname: f for f in model._meta.concrete_fields}
        assert set(attnames) == set(fields), set(fields) ^ set(attnames)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(fields[a].column) for a in attnames)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as cp,
        ):
            for row in rows:
                cp.write_row(row)
        return len(rows)

    @contextmanager
    def bulk(self, models_: list):
        """Load the models' tables without their foreign keys and secondary indexes, then
        put them back as they were (as pg_restore does): PostgreSQL then checks each
        foreign key once over the whole table instead of once a row at commit, and builds
        each index in one pass. Primary keys and unique constraints stay throughout."""
        tables = [m._meta.db_table for m in models_]
        with connection.cursor() as cursor:
            # The rows loaded so far are checked now: a table with checks pending (the
            # referenced ones) cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
                "ORDER BY 1, 2",
                [tables],
            )
            keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND c.oid IS NULL ORDER BY 1",
                [tables],
            )
            indexes = cursor.fetchall()
            for table, name, _ in keys:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    def reset_sequences(self, models_: list) -> None:
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                pk = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                    f"COALESCE((SELECT MAX({pk}) FROM {table}), 1))"
                )


# Where children are placed: setting, weight, youngest age. The first placement after a
# removal, then the later ones (moves). Status settings are added on their own.
FIRST_SETTINGS = [
    ("relative_home", 40, 0),
    ("resource_family_home", 26, 0),
    ("shelter", 14, 0),  # not for long: the child moves on within a month
    ("therapeutic_foster_home", 2, 5),
    ("group_home", 7, 12),
    ("residential_treatment", 3, 10),
    ("qrtp", 2, 12),
    ("medical_psychiatric", 1, 0),
    ("juvenile_justice", 1, 12),
    ("supervised_independent_living", 2, 16),
]
LATER_SETTINGS = [
    ("relative_home", 38, 0),
    ("resource_family_home", 26, 0),
    ("pre_adoptive_home", 4, 0),
    ("therapeutic_foster_home", 3, 5),
    ("group_home", 9, 12),
    ("residential_treatment", 4, 10),
    ("qrtp", 3, 12),
    ("medical_psychiatric", 1, 0),
    ("juvenile_justice", 2, 12),
    ("supervised_independent_living", 4, 16),
]
FAMILY_SETTINGS = {"resource_family_home", "therapeutic_foster_home", "pre_adoptive_home"}
EXITS = [  # exit reason of a closed case's episode, weight
    ("reunification", 55),
    ("living_with_relatives", 10),
    ("adoption", 12),
    ("guardianship", 10),
    ("emancipation", 5),
    ("runaway", 3),
    ("transfer", 5),
]
GOAL_FOR_EXIT = {
    "adoption": "adoption",
    "guardianship": "guardianship",
    "living_with_relatives": "live_with_relatives",
}
REMOVAL_REASONS = [r for r in RemovalEpisode.RemovalReason.values if r != "relinquishment"]


class CareBuilder:
    """Rows for the resource directory and for the out-of-home care of the generated
    cases: removal episodes, consecutive half-open placements [starts_on, ends_on) inside
    them (the last one open while the episode is), and permanency goals."""

    def __init__(self, loader: Loader, rng: random.Random, day0, persons: list[dict]):
        self.L, self.rng, self.day0, self.persons = loader, rng, day0, persons
        self.homes, self.home_langs, self.home_tribes = [], [], []
        self.episodes, self.placements, self.goals = [], [], []
        self.by_setting = defaultdict(list)  # setting -> homes that take children now
        self.by_place = defaultdict(list)  # (setting, county id) -> those homes
        self.occupancy = defaultdict(int)  # home id -> current placements

    def person(self, pid: int) -> dict:
        row = self.persons[pid - 1]  # ids are handed out in order from 1
        assert row["id"] == pid
        return row

    def directory(self, total, counties, lasts, langs, tribes, agency_ids) -> None:
        rng, L = self.rng, self.L
        weights = [row[1] for row in ref.HOME_MIX]
        lang_ids = {lang.code: lang.pk for lang in langs}
        rare = [c for c in ("vi", "so", "hmn", "ar", "ase") if c in lang_ids]
        through_langs = ResourceHome.languages.through
        through_tribes = ResourceHome.tribes_approving.through
        for hid in L.ids(ResourceHome, total):
            setting, _, (lo, hi), ages, needs, pattern, prefix = rng.choices(ref.HOME_MIX, weights)[
                0
            ]
            county = rng.choice(counties)
            family = setting in FAMILY_SETTINGS
            min_age, max_age = rng.choice(ages)
            home = {
                "id": hid,
                "name": pattern.format(
                    last=rng.choice(lasts), place=rng.choice(ref.PLACE_WORDS), county=county.name
                ),
                "agency_id": rng.choice(agency_ids) if family else None,
                "setting": setting,
                "licence_number": f"{prefix}-{self.day0.year - rng.randint(0, 5)}-{hid:05d}",
                "licence_expires_on": self.day0 + timedelta(days=rng.randint(-30, 900)),
                "capacity": rng.randint(lo, hi),
                "min_age": min_age,
                "max_age": max_age,
                "needs_served": sorted(rng.sample(needs, rng.randint(0, min(3, len(needs))))),
                "indian_operated": family and rng.random() < 0.01,
                "address_line1": f"{rng.randint(100, 9999)} {rng.choice(lasts)} Rd",
                "city": f"{county.name}ville",
                "state": "ST",
                "county_id": county.pk,
                "latitude": county.latitude + Decimal(rng.randint(-300000, 300000)) / 1000000,
                "longitude": county.longitude + Decimal(rng.randint(-300000, 300000)) / 1000000,
                "active": rng.random() > 0.02,
            }
            self.homes.append(home)
            codes = ["en"] + (["es"] if rng.random() < 0.25 else [])
            if rare and rng.random() < 0.05:
                codes.append(rng.choice(rare))
            for code in codes:
                self.home_langs.append(
                    {
                        "id": L.ids(through_langs, 1)[0],
                        "resourcehome_id": hid,
                        "language_id": lang_ids[code],
                    }
                )
            if tribes and rng.random() < 0.01:
                self.home_tribes.append(
                    {
                        "id": L.ids(through_tribes, 1)[0],
                        "resourcehome_id": hid,
                        "tribe_id": rng.choice(tribes).pk,
                    }
                )
            if home["active"] and home["licence_expires_on"] >= self.day0:
                self.by_setting[setting].append(home)
                self.by_place[(setting, county.pk)].append(home)

    def pick_home(self, setting: str, county_id: int, age: int, current: bool) -> dict | None:
        """A home of this setting that takes the child's age (and, for a placement that has
        not ended, has room): in the county first, then anywhere."""
        for pool in (self.by_place.get((setting, county_id)), self.by_setting.get(setting)):
            for _ in range(8 if pool else 0):
                home = self.rng.choice(pool)
                if home["min_age"] <= age <= home["max_age"] and (
                    not current or self.occupancy[home["id"]] < home["capacity"]
                ):
                    return home
        return None

    def case(self, cid, opened, closed, kids, carer, county) -> None:
        """The out-of-home care of one case's children. An open case's children are in
        care; a closed case's left care by its closing date."""
        rng, day0 = self.rng, self.day0
        end = closed or day0
        for kid in kids:
            dob = self.person(kid)["date_of_birth"]
            removed = opened + timedelta(days=rng.randint(0, min(30, (end - opened).days // 3)))
            # The generator's youngest children were born after their case opened: a
            # newborn is removed at birth; one born after the case closed was never in care.
            removed = max(removed, dob)
            if (end - removed).days < 2:
                continue
            first_removed = removed
            if closed is None and (day0 - opened).days >= 200 and rng.random() < 0.12:
                # An earlier stay that ended in reunification, then a re-entry.
                exited = removed + timedelta(days=rng.randint(20, 120))
                again = exited + timedelta(days=rng.randint(14, 150))
                if again < day0:
                    reason = rng.choice(["reunification", "reunification", "living_with_relatives"])
                    self.episode(cid, kid, dob, removed, exited, reason, carer, county)
                    removed = again
            exit_reason = ""
            exited = None
            if closed is not None:
                exit_reason = rng.choices([e for e, _ in EXITS], [w for _, w in EXITS])[0]
                if exit_reason == "emancipation" and _age(dob, closed) < 17:
                    exit_reason = "reunification"
                room = (closed - removed).days
                exited = closed - timedelta(days=rng.randint(0, min(30, room - 1)))
            self.episode(cid, kid, dob, removed, exited, exit_reason, carer, county)
            self.goal_rows(cid, kid, dob, first_removed, exited or day0, exit_reason)

    def episode(self, cid, kid, dob, removed, exited, exit_reason, carer, county) -> None:
        rng, day0 = self.rng, self.day0
        eid = self.L.ids(RemovalEpisode, 1)[0]
        age = _age(dob, removed)
        roll = rng.random()
        lag = 0 if roll < 0.55 else rng.randint(1, 3) if roll < 0.85 else rng.randint(4, 25)
        needs = []
        if age < 1:
            needs.append("infant")
        if age >= 10 and rng.random() < 0.15:
            needs.append("behavioral")
        if rng.random() < 0.05:
            needs.append("medical")
        if rng.random() < 0.03:
            needs.append("developmental")
        self.episodes.append(
            {
                "id": eid,
                "case_id": cid,
                "child_id": kid,
                "removed_on": removed,
                "entered_on": min(day0, removed + timedelta(days=lag)),
                "removal_reasons": rng.sample(REMOVAL_REASONS, rng.choice([1, 1, 2])),
                "legal_basis": "voluntary" if rng.random() < 0.08 else "court_ordered",
                "child_needs": needs,
                "exited_on": exited,
                "exit_reason": exit_reason,
                "transfer_agency": rng.choice(RemovalEpisode.TransferAgency.values)
                if exit_reason == "transfer"
                else "",
            }
        )
        # Placement starts, as days after the removal: the first on the removal day, all
        # on or before today, each ending (at least a day later) where the next begins.
        room = (exited - removed).days if exited else (day0 - removed).days + 1
        k = min(rng.choices([1, 2, 3, 4], [50, 28, 14, 8])[0], room)
        starts = [0] + sorted(rng.sample(range(1, room), k - 1))
        previous, row = None, None
        for i, offset in enumerate(starts):
            starts_on = removed + timedelta(days=offset)
            last = i == k - 1
            ends_on = removed + timedelta(days=starts[i + 1]) if not last else exited
            age = _age(dob, starts_on)
            recent = exited is None and (day0 - starts_on).days <= 30
            setting = None
            if last and i > 0:
                roll = rng.random()
                if exited is None and age >= 12 and roll < 0.02:
                    setting = "runaway"
                elif (exited is None and roll > 0.97) or (
                    exit_reason == "reunification" and roll > 0.65
                ):
                    setting = "trial_home_visit"
            if setting is None:
                table = LATER_SETTINGS if i else FIRST_SETTINGS
                choices = [
                    (s, w)
                    for s, w, youngest in table
                    if age >= youngest and not (s == "shelter" and last and not recent)
                ]
                setting = rng.choices([s for s, _ in choices], [w for _, w in choices])[0]
                if setting == previous == "relative_home":
                    setting = "resource_family_home"  # a move from the relative's home
            row = self.placement_row(eid, kid, setting, starts_on, ends_on, age, carer, county, row)
            row["move_reason"] = self.move_reason(previous, row["setting"]) if i else ""
            previous = row["setting"]

    def placement_row(self, eid, kid, setting, starts_on, ends_on, age, carer, county, before):
        """One placement; `before` is the one the child leaves (None for the first)."""
        rng = self.rng
        row = {
            "id": self.L.ids(Placement, 1)[0],
            "episode_id": eid,
            "child_id": kid,
            "setting": setting,
            "home_id": None,
            "caregiver_id": None,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "school": "not_in_school"
            if age < 5
            else rng.choices(["stays", "changes", "unknown"], [70, 20, 10])[0],
        }
        if setting == "relative_home" and carer is None:
            setting = row["setting"] = "resource_family_home"
        if setting == "relative_home":
            kin = self.person(carer)
            row.update(
                caregiver_id=carer,
                latitude=kin["latitude"],
                longitude=kin["longitude"],
                address_line1=kin["address_line1"],
                city=kin["city"],
                state=kin["state"],
            )
        elif setting in ("runaway", "trial_home_visit"):
            pass
        elif setting in FAMILY_SETTINGS and rng.random() < 0.005:
            row.update(  # V12: placed out of state through the ICPC
                out_of_state=True,
                state=rng.choice(["OH", "IA", "MO", "KS", "CO", "SD"]),
                provider_name=f"{self.person(kid)['last_name']} kin foster home (ICPC)",
            )
        else:
            home = None
            # A full family home: another kind of family home, then a relative.
            tries = [setting] + (["resource_family_home"] if setting in FAMILY_SETTINGS else [])
            for kind in tries:
                home = self.pick_home(kind, county.pk, age, current=ends_on is None)
                if home is not None and not (before and before["home_id"] == home["id"]):
                    setting = row["setting"] = kind
                    break
                home = None
            kin_before = before and before["caregiver_id"] == carer
            if home is None and setting in FAMILY_SETTINGS and carer is not None and not kin_before:
                return self.placement_row(
                    eid, kid, "relative_home", starts_on, ends_on, age, carer, county, before
                )
            if home is None:
                row["provider_name"] = f"Emergency {setting.replace('_', ' ')} bed"
            else:
                row.update(
                    home_id=home["id"],
                    latitude=home["latitude"],
                    longitude=home["longitude"],
                    address_line1=home["address_line1"],
                    city=home["city"],
                    state=home["state"],
                )
                if ends_on is None:
                    self.occupancy[home["id"]] += 1
            level = rules.setting_level(setting)
            if level is not None and level >= rules.Level.GROUP:
                row["departure_reason"] = (
                    "Removed after hours; no family home could take the child that night."
                    if setting == "shelter"
                    else "The child's treatment team recommends this level of care."
                )
        self.placements.append(row)
        return row

    def move_reason(self, previous: str, setting: str) -> str:
        if setting == "runaway":
            return "Left the placement without permission; reported missing."
        if setting == "trial_home_visit":
            return "Trial home visit with the parents, approved by the court."
        return self.rng.choice(ref.MOVE_REASONS.get(previous, ref.MOVE_REASONS["other"]))

    def goal_rows(self, cid, kid, dob, first_removed, last_day, exit_reason) -> None:
        """P4: reunification from the first removal; some children's goal changes later
        (for a closed case, to match how the child left care). One goal is current."""
        rng = self.rng
        target = GOAL_FOR_EXIT.get(exit_reason)
        span = (last_day - first_removed).days
        if target is None and not exit_reason and span >= 200 and rng.random() < 0.35:
            target = rng.choice(["adoption", "adoption", "guardianship", "live_with_relatives"])
            if _age(dob, last_day) >= 16 and rng.random() < 0.5:
                target = "appla"
        rows = [("reunification", first_removed, "")]
        if target and span >= 90:
            changed = first_removed + timedelta(days=rng.randint(60, span - 1))
            rows.append((target, changed, "Changed at the permanency hearing."))
        for i, (goal, starts_on, reason) in enumerate(rows):
            self.goals.append(
                {
                    "id": self.L.ids(PermanencyGoal, 1)[0],
                    "case_id": cid,
                    "child_id": kid,
                    "goal": goal,
                    "starts_on": starts_on,
                    "ends_on": rows[i + 1][1] if i + 1 < len(rows) else None,
                    "reason": reason,
                }
            )


# Contact notes: what each one says, by situation (short synthetic sentences).
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
CHILD_ROLES = {"child", "sibling"}
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


def _month_firsts(day0, count: int) -> list:
    """The first days of the `count` calendar months up to `day0`'s, oldest first."""
    firsts = [day0.replace(day=1)]
    while len(firsts) < count:
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def _next_first(first):
    return (first + timedelta(days=32)).replace(day=1)


class ContactBuilder:
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

    # Obligations --------------------------------------------------------------------------

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
        worker = next(
            (
                a["worker_id"]
                for a in self.assigns_of.get(case["id"], ())
                if a["ends_on"] is None and a["kind"] == "primary"
            ),
            None,
        )
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


def _age(dob, day) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def build_state(seed: int = 1, factor: float = 1.0, out=sys.stderr) -> dict:
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    first_f = [fake.first_name_female() for _ in range(400)]
    first_m = [fake.first_name_male() for _ in range(400)]
    lasts = [fake.last_name() for _ in range(800)]
    day0 = today()
    L = Loader()
    progress = Progress(out, 22)

    def n(x: int) -> int:
        return max(1, round(x * factor))

    with transaction.atomic():
        load_reference()
        counties = list(County.objects.order_by("code"))
        skills = list(Skill.objects.order_by("code"))
        langs = list(Language.objects.order_by("code"))
        english = next(lang for lang in langs if lang.code == "en")
        spanish = next(lang for lang in langs if lang.code == "es")
        from django.contrib.auth import get_user_model

        User = get_user_model()
        through_skills = StaffMember.skills.through
        through_langs = StaffMember.languages.through
        unit_counties = Unit.counties.through

        # Agencies and units -----------------------------------------------------------
        agencies = [
            {"id": i, "name": name, "code": code, "kind": kind, "policy_overrides": {}}
            for i, (name, code, kind) in enumerate(
                [("State Department of Children and Families", "dcf", Agency.Kind.STATE_OVERSIGHT)]
                + [(name, code, Agency.Kind.LEAD_CONTRACTOR) for name, code in CONTRACTORS],
                start=1,
            )
        ]
        L.next_id[Agency] = len(agencies) + 1
        L.copy(Agency, agencies)
        units, unit_county_rows = [], []
        units_per_contractor = max(2, n(38))
        cm_units = defaultdict(list)
        support_units = {}
        for agency in agencies[1:]:
            for u in range(units_per_contractor):
                uid = L.ids(Unit, 1)[0]
                support = u == units_per_contractor - 1
                units.append(
                    {
                        "id": uid,
                        "agency_id": agency["id"],
                        "name": "Case Management Support Unit"
                        if support
                        else f"Case Management Unit {u + 1}",
                        "kind": Unit.Kind.CASE_MANAGEMENT_SUPPORT
                        if support
                        else Unit.Kind.CASE_MANAGEMENT,
                        "active": True,
                    }
                )
                (
                    support_units.__setitem__(agency["id"], uid)
                    if support
                    else cm_units[agency["id"]].append(uid)
                )
                for c in rng.sample(counties, 2):
                    unit_county_rows.append(
                        {"id": L.ids(unit_counties, 1)[0], "unit_id": uid, "county_id": c.pk}
                    )
        state_units = []
        for name, kind in (
            ("Oversight Unit", Unit.Kind.OVERSIGHT),
            ("Quality Assurance Unit", Unit.Kind.QUALITY_ASSURANCE),
        ):
            uid = L.ids(Unit, 1)[0]
            state_units.append(uid)
            units.append({"id": uid, "agency_id": 1, "name": name, "kind": kind, "active": True})
        L.copy(Unit, units)
        L.copy(unit_counties, unit_county_rows)
        progress.step("agencies and units", len(units))

        # Staff --------------------------------------------------------------------------
        users, staff, roles, staff_skills, staff_langs = [], [], [], [], []
        unusable = "!" + "x" * 39
        demo_hash = make_password(ref.DEMO_PASSWORD)
        by_role = defaultdict(list)
        staff_unit = {}
        staff_agency = {}
        # Staff culture, the units' areas and the cases' preferences (A2 f, g) come from a
        # random source of their own, so `rng` draws the same numbers as before them.
        traits = random.Random(seed * 7919 + 43)
        new_staff = {}  # a recent hire's id -> when they completed pre-service training
        # A2 (g): a unit serves its two counties; its staff have their offices there.
        county_by_id = {c.pk: c for c in counties}
        unit_area = defaultdict(list)
        for row in unit_county_rows:
            unit_area[row["unit_id"]].append(county_by_id[row["county_id"]])

        def add_staff(agency_id, unit_id, role, username=None, recent=False):
            uid = L.ids(User, 1)[0]
            sid = L.ids(StaffMember, 1)[0]
            female = rng.random() < 0.7
            first = rng.choice(first_f if female else first_m)
            last = rng.choice(lasts)
            # A recent hire completed pre-service training 7 to 136 days ago: under the A5
            # cap (5 cases for 30 days) or on its ramp (8, 11, 13) or just past it.
            hire = day0 - timedelta(days=rng.randint(35, 150) if recent else rng.randint(200, 6000))
            trained = min(day0, hire + timedelta(days=rng.randint(14, 28)))
            county = rng.choice(counties)
            if unit_area.get(unit_id):
                county = traits.choice(unit_area[unit_id])
            users.append(
                {
                    "id": uid,
                    "username": username or f"u{sid}.{last.lower()}",
                    "password": demo_hash if username else unusable,
                    "first_name": first,
                    "last_name": last,
                    "email": "",
                    "is_superuser": username == "admin",
                    "is_staff": username == "admin",
                    "is_active": True,
                    "date_joined": L.now,
                }
            )
            staff.append(
                {
                    "id": sid,
                    "user_id": uid,
                    "agency_id": agency_id,
                    "unit_id": unit_id,
                    "first_name": first,
                    "last_name": last,
                    "hire_date": hire,
                    "preservice_training_completed_on": trained,
                    "experience_level": 1 if recent else min(4, 1 + (day0 - hire).days // 700),
                    # A new worker needs close supervision (A2 c).
                    "supervision_level": max(rng.choice([1, 2, 2, 3]), 3 if recent else 1),
                    "gender": "female" if female else "male",
                    "office_county_id": county.pk,
                    "office_latitude": county.latitude + Decimal(rng.randint(-9000, 9000)) / 100000,
                    "office_longitude": county.longitude
                    + Decimal(rng.randint(-9000, 9000)) / 100000,
                    "status": StaffMember.Status.ACTIVE,
                    "culture": traits.choice(CULTURES) if traits.random() < 0.2 else "",
                }
            )
            roles.append({"id": L.ids(StaffRole, 1)[0], "staff_id": sid, "role": role})
            for s in rng.sample(skills, rng.randint(1, 3)):
                staff_skills.append(
                    {"id": L.ids(through_skills, 1)[0], "staffmember_id": sid, "skill_id": s.pk}
                )
            for lang in [english] + ([spanish] if rng.random() < 0.25 else []):
                staff_langs.append(
                    {
                        "id": L.ids(through_langs, 1)[0],
                        "staffmember_id": sid,
                        "language_id": lang.pk,
                    }
                )
            by_role[role].append(sid)
            if recent:
                new_staff[sid] = trained
            staff_unit[sid] = unit_id
            staff_agency[sid] = agency_id
            return sid

        workers_of = defaultdict(list)
        supervisor_of = {}
        demo_done = set()
        for agency in agencies[1:]:
            first_agency = agency["id"] == 2
            add_staff(
                agency["id"], None, Role.PROGRAM_DIRECTOR, "director" if first_agency else None
            )
            add_staff(
                agency["id"], None, Role.INTAKE_COORDINATOR, "intake" if first_agency else None
            )
            for uid in cm_units[agency["id"]] + [support_units[agency["id"]]]:
                name = "supervisor" if first_agency and "supervisor" not in demo_done else None
                demo_done.add("supervisor")
                supervisor_of[uid] = add_staff(agency["id"], uid, Role.SUPERVISOR, name)
                for w in range(14):
                    name = None
                    if first_agency and "casemanager" not in demo_done:
                        name = "casemanager"
                        demo_done.add("casemanager")
                    workers_of[uid].append(
                        add_staff(agency["id"], uid, Role.CASE_MANAGER, name, recent=w == 13)
                    )
        oversight_staff = [
            add_staff(1, state_units[0], Role.STATE_OVERSIGHT, "oversight" if i == 0 else None)
            for i in range(n(200))
        ]
        qa_staff = [
            add_staff(1, state_units[1], Role.QA_REVIEWER, "qa" if i == 0 else None)
            for i in range(n(20))
        ]
        add_staff(1, None, Role.ADMINISTRATOR, "admin")
        roles[-1]["role"] = Role.ADMINISTRATOR
        L.copy(User, users)
        L.copy(StaffMember, staff)
        L.copy(StaffRole, roles)
        L.copy(through_skills, staff_skills)
        L.copy(through_langs, staff_langs)
        progress.step("staff", len(staff))

        # Families and cases ---------------------------------------------------------------
        persons, members, rels, cases_, assigns, grants = [], [], [], [], [], []
        case_counter = defaultdict(int)

        def person(last, age_lo, age_hi, county, female=None, **extra):
            pid = L.ids(Person, 1)[0]
            female = rng.random() < 0.5 if female is None else female
            dob = day0 - timedelta(days=rng.randint(age_lo * 365, age_hi * 365 + 300))
            first = rng.choice(first_f if female else first_m)
            # COPY skips Person.save(): the intake search keys are computed here.
            first_key, last_key = matching.person_keys(first, last)
            persons.append(
                {
                    "id": pid,
                    "first_name": first,
                    "last_name": last,
                    "first_name_key": first_key,
                    "last_name_key": last_key,
                    "date_of_birth": dob,
                    "dob_precision": "exact",
                    "sex": "female" if female else "male",
                    "county_id": county.pk,
                    "latitude": county.latitude + Decimal(rng.randint(-20000, 20000)) / 1000000,
                    "longitude": county.longitude + Decimal(rng.randint(-20000, 20000)) / 1000000,
                    "address_line1": f"{rng.randint(100, 9999)} {rng.choice(lasts)} St",
                    "city": f"{county.name}ville",
                    "state": "ST",
                    "postal_code": f"{rng.randint(60000, 69999)}",
                    **extra,
                }
            )
            return pid

        def rel(parent, child, kind="parent", **extra):
            base = {"parent_type": "", "parental_rights": "", "relative_kind": ""}
            if kind == "parent":
                base.update(parent_type="legal", parental_rights="intact")
            base.update(extra)
            rels.append(
                {
                    "id": L.ids(Relationship, 1)[0],
                    "person_id": parent,
                    "other_id": child,
                    "kind": kind,
                    **base,
                }
            )

        def new_case(agency, unit_id, opened, status, closed_on=None, **extra):
            cid = L.ids(Case, 1)[0]
            code = next(a["code"] for a in agencies if a["id"] == agency)
            case_counter[(code, opened.year)] += 1
            cases_.append(
                {
                    "id": cid,
                    "case_number": f"{code.upper()}-{opened.year}-"
                    f"{case_counter[(code, opened.year)]:06d}",
                    "agency_id": agency,
                    "unit_id": unit_id,
                    "status": status,
                    "opened_on": opened,
                    "closed_on": closed_on,
                    "complexity": rng.choice([1, 2, 2, 3, 4]),
                    **extra,
                }
            )
            return cid

        def member(cid, pid, role, start, end=None, household=True):
            members.append(
                {
                    "id": L.ids(CaseMember, 1)[0],
                    "case_id": cid,
                    "person_id": pid,
                    "role": role,
                    "in_household": household,
                    "starts_on": start,
                    "ends_on": end,
                }
            )

        def assign(cid, worker, start, end=None, reason="Initial assignment", end_reason=""):
            unit_id = staff_unit[worker]
            assigns.append(
                {
                    "id": L.ids(Assignment, 1)[0],
                    "case_id": cid,
                    "worker_id": worker,
                    "unit_id": unit_id,
                    "kind": "primary",
                    "starts_on": start,
                    "ends_on": end,
                    "assigned_by_id": supervisor_of[unit_id],
                    "reason": reason,
                    "end_reason": end_reason,
                }
            )

        new_held = defaultdict(int)

        def may_take(workers, worker, start, holds=True, besides=None):
            """A5: a new case manager holds cases from their pre-service training on, no
            more than the cap allows today; else another case manager of the unit does."""
            trained, full = new_staff.get(worker), False
            if trained and holds:
                cap = assignment_rules.new_worker_cap(trained, 1, day0, DEFAULTS).cases
                full = cap is not None and new_held[worker] >= cap
            if worker == besides or (trained and (start < trained or full)):
                return traits.choice([w for w in workers if w not in new_staff and w != besides])
            new_held[worker] += holds
            return worker

        types = ref.CASE_TYPE_MIX
        all_units = [
            (a["id"], uid)
            for a in agencies[1:]
            for uid in cm_units[a["id"]] + [support_units[a["id"]]]
        ]
        court_cases = []
        care_open, care_closed = [], []  # out-of-home cases: (case, opened, closed, kids, ...)
        open_total = n(30000)
        for i in range(open_total):
            agency, unit_id = all_units[i % len(all_units)]
            county = rng.choice(counties)
            last = rng.choice(lasts)
            opened = day0 - timedelta(days=rng.randint(1, 730))
            ctype = rng.choice(types)
            court = ctype in (Case.Type.IN_HOME_DEPENDENCY, Case.Type.OUT_OF_HOME)
            support = unit_id == support_units[agency]
            if not support:  # the family lives in a county the unit serves (A2 g)
                county = traits.choice(unit_area[unit_id])
            status = rng.choice(["open", "open", "open", "open", "assigned", "closure_recommended"])
            cid = new_case(
                agency,
                unit_id,
                opened,
                status,
                county_id=county.pk,
                case_type=ctype,
                court_involved=court,
                icpc=support and i % 2 == 0,
                out_of_county=support and i % 2 == 1,
                substance_abuse=rng.random() < 0.35,
                domestic_violence=rng.random() < 0.25,
            )
            if court:
                court_cases.append(cid)
            kids = [person(last, 0, 17, county) for _ in range(2)]
            mom = person(last, 20, 45, county, female=True)
            dad = person(
                rng.choice(lasts),
                22,
                50,
                county,
                female=False,
                whereabouts_known=rng.random() > 0.15,
            )
            carer = person(rng.choice(lasts), 30, 70, county)
            # A2 (d, f, g): the family's address at referral (the mother's), a teenager in
            # the home, now and then a delayed parent, a culture or a gender preference.
            home = persons[mom - 1]
            ages = [_age(persons[k - 1]["date_of_birth"], day0) for k in kids]
            cases_[-1].update(
                {k: home[k] for k in ("address_line1", "city", "postal_code", "latitude")},
                longitude=home["longitude"],
                teenager_in_home=max(ages) >= 13,
                developmentally_delayed_parent=traits.random() < 0.05,
                culture=traits.choice(CULTURES) if traits.random() < 0.1 else "",
                gender_preference=traits.choice(["female", "female", "male"])
                if traits.random() < 0.04
                else "",
            )
            if ctype == Case.Type.OUT_OF_HOME:
                care_open.append((cid, opened, None, kids, carer, county))
            for k in kids:
                member(cid, k, "child", opened)
                rel(mom, k)
                rel(dad, k, parent_type=rng.choice(["legal", "alleged", "putative_father"]))
            member(cid, mom, "parent", opened)
            member(cid, dad, "parent", opened, household=rng.random() < 0.5)
            member(cid, carer, "caregiver", opened)
            if i % 3 == 0:
                extra = person(last, 40, 75, county, female=True)
                member(cid, extra, "household_member", opened)
            workers = workers_of[unit_id]
            worker = workers[i // len(all_units) % len(workers)]
            if i % 5 == 0 and opened < day0 - timedelta(days=30):
                first_worker = workers[(i // len(all_units) + 1) % len(workers)]
                switch = opened + timedelta(days=rng.randint(5, 25))
                worker = may_take(workers, worker, switch)
                first_worker = may_take(workers, first_worker, opened, False, besides=worker)
                assign(cid, first_worker, opened, switch, end_reason="Reassigned: balancing")
                assign(cid, worker, switch, reason="Balancing the unit's caseloads")
            else:
                assign(cid, may_take(workers, worker, opened), opened)
        progress.step("open cases and families", open_total)

        closed_total = n(40000)
        for i in range(closed_total):
            agency, unit_id = all_units[(i * 7) % len(all_units)]
            county = rng.choice(counties)
            last = rng.choice(lasts)
            opened = day0 - timedelta(days=rng.randint(400, 1460))
            closed = min(day0, opened + timedelta(days=rng.randint(60, 380)))
            ctype = rng.choice(types)
            cid = new_case(
                agency, unit_id, opened, "closed", closed, county_id=county.pk, case_type=ctype
            )
            kid = person(last, 0, 17, county)
            if ctype == Case.Type.OUT_OF_HOME:
                care_closed.append((cid, opened, closed, [kid], None, county))
            mom = person(last, 20, 45, county, female=True)
            member(cid, kid, "child", opened, closed)
            member(cid, mom, "parent", opened, closed)
            rel(mom, kid)
            workers = workers_of[unit_id]
            worker = may_take(workers, workers[i % len(workers)], opened, holds=False)
            assign(cid, worker, opened, closed, end_reason="Case closed")
        progress.step("closed cases", closed_total)

        per = max(1, len(court_cases) // max(1, len(oversight_staff)))
        for j, cid in enumerate(court_cases[: per * len(oversight_staff)]):
            grants.append(
                {
                    "id": L.ids(CaseAccessGrant, 1)[0],
                    "case_id": cid,
                    "staff_id": oversight_staff[j // per],
                    "purpose": "oversight",
                    "starts_on": day0 - timedelta(days=1),
                }
            )
        open_ids = [c["id"] for c in cases_ if c["status"] != "closed"]
        for j, cid in enumerate(rng.sample(open_ids, min(len(open_ids), 20 * len(qa_staff)))):
            grants.append(
                {
                    "id": L.ids(CaseAccessGrant, 1)[0],
                    "case_id": cid,
                    "staff_id": qa_staff[j % len(qa_staff)],
                    "purpose": "qa_review",
                    "starts_on": day0,
                }
            )

        # Out-of-home care: a separate random source, so the rows above stay as they were.
        care = CareBuilder(L, random.Random(seed * 7919 + 17), day0, persons)
        care.directory(
            n(4000),
            counties,
            lasts,
            langs,
            list(Tribe.objects.order_by("code")),
            [a["id"] for a in agencies[1:]],
        )
        for case in care_open + care_closed:
            care.case(*case)
        progress.step("out-of-home care", len(care.episodes))

        # A year of contact notes, then this month's and last month's obligations.
        notes = ContactBuilder(
            L,
            random.Random(seed * 7919 + 29),
            day0,
            persons=persons,
            cases=cases_,
            members=members,
            rels=rels,
            assigns=assigns,
            care=care,
            agencies=agencies,
        )
        notes.build()
        L.next_id[ContactNote] = notes.note_id + 1
        progress.step("contact notes and obligations", len(notes.notes))

        for model, rows, label in (
            (Person, persons, "people"),
            (Case, cases_, "cases"),
            (CaseMember, members, "case members"),
            (Relationship, rels, "relationships"),
            (Assignment, assigns, "assignments"),
            (CaseAccessGrant, grants, "oversight grants"),
            (ResourceHome, care.homes, "resource homes"),
            (ResourceHome.languages.through, care.home_langs, None),
            (ResourceHome.tribes_approving.through, care.home_tribes, None),
            (RemovalEpisode, care.episodes, "removal episodes"),
            (Placement, care.placements, "placements"),
            (PermanencyGoal, care.goals, "permanency goals"),
        ):
            L.copy(model, rows)
            if label:
                progress.step(label, len(rows))
        through_with = ContactNote.contact_with.through
        with L.bulk([ContactNote, through_with, Obligation]):
            L.copy_tuples(ContactNote, NOTE_COLUMNS, notes.notes)
            progress.step("contact notes", len(notes.notes))
            L.copy_tuples(through_with, ["id", "contactnote_id", "person_id"], notes.with_rows)
            progress.step("whom they were with", len(notes.with_rows))
            L.copy_tuples(Obligation, OBLIGATION_COLUMNS, notes.obligations)
            progress.step("obligations", len(notes.obligations))
        progress.step("their indexes and foreign keys", 0)
        L.reset_sequences(
            [
                Agency,
                Unit,
                unit_counties,
                User,
                StaffMember,
                StaffRole,
                through_skills,
                through_langs,
                Person,
                Case,
                CaseMember,
                Relationship,
                Assignment,
                CaseAccessGrant,
                ResourceHome,
                ResourceHome.languages.through,
                ResourceHome.tribes_approving.through,
                RemovalEpisode,
                Placement,
                PermanencyGoal,
                ContactNote,
                through_with,
                Obligation,
            ]
        )
    progress.step("commit", 0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress.step("analyze", 0)
    return {
        "staff": len(staff),
        "open cases": open_total,
        "closed cases": closed_total,
        "people": len(persons),
        "case members": len(members),
        "assignments": len(assigns),
        "resource homes": len(care.homes),
        "removal episodes": len(care.episodes),
        "placements": len(care.placements),
        "permanency goals": len(care.goals),
        "contact notes": len(notes.notes),
        "obligations": len(notes.obligations),
    }
