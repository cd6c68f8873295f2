"""A state-sized synthetic data set for benchmarks, bulk-loaded into PostgreSQL with COPY.

About 2,500 staff, 30,000 open cases, 60,000 children, 100,000 parents and caregivers,
and three years of closed cases (40,000) with their members, relationships, assignment
histories and oversight grants. Bulk loading skips field history and case events (the
conventions allow it for generators); every database constraint still holds.
"""

import random
import sys
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker
from psycopg.types.json import Jsonb

from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseMember
from hearth.core.services import today
from hearth.demo import reference as ref
from hearth.demo.demo import load_reference
from hearth.people.models import Person, Relationship
from hearth.reference.models import County, Language, Skill
from hearth.staff.models import Agency, Role, StaffMember, StaffRole, Unit

CONTRACTORS = [
    ("Prairie Star Families", "psf"),
    ("Great Plains Child Partners", "gpc"),
    ("Two Rivers Family Services", "trf"),
    ("High Plains Kids Alliance", "hpk"),
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

    def reset_sequences(self, models_: list) -> None:
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                pk = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                    f"COALESCE((SELECT MAX({pk}) FROM {table}), 1))"
                )


def build_state(seed: int = 1, factor: float = 1.0, out=sys.stderr) -> dict:
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    first_f = [fake.first_name_female() for _ in range(400)]
    first_m = [fake.first_name_male() for _ in range(400)]
    lasts = [fake.last_name() for _ in range(800)]
    day0 = today()
    L = Loader()
    progress = Progress(out, 11)

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

        def add_staff(agency_id, unit_id, role, username=None, recent=False):
            uid = L.ids(User, 1)[0]
            sid = L.ids(StaffMember, 1)[0]
            female = rng.random() < 0.7
            first = rng.choice(first_f if female else first_m)
            last = rng.choice(lasts)
            hire = day0 - timedelta(days=rng.randint(35, 60) if recent else rng.randint(200, 6000))
            trained = min(day0, hire + timedelta(days=rng.randint(14, 28)))
            county = rng.choice(counties)
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
                    "supervision_level": rng.choice([1, 2, 2, 3]),
                    "gender": "female" if female else "male",
                    "office_county_id": county.pk,
                    "office_latitude": county.latitude + Decimal(rng.randint(-9000, 9000)) / 100000,
                    "office_longitude": county.longitude
                    + Decimal(rng.randint(-9000, 9000)) / 100000,
                    "status": StaffMember.Status.ACTIVE,
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
            persons.append(
                {
                    "id": pid,
                    "first_name": rng.choice(first_f if female else first_m),
                    "last_name": last,
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

        types = ref.CASE_TYPE_MIX
        all_units = [
            (a["id"], uid)
            for a in agencies[1:]
            for uid in cm_units[a["id"]] + [support_units[a["id"]]]
        ]
        court_cases = []
        open_total = n(30000)
        for i in range(open_total):
            agency, unit_id = all_units[i % len(all_units)]
            county = rng.choice(counties)
            last = rng.choice(lasts)
            opened = day0 - timedelta(days=rng.randint(1, 730))
            ctype = rng.choice(types)
            court = ctype in (Case.Type.IN_HOME_DEPENDENCY, Case.Type.OUT_OF_HOME)
            support = unit_id == support_units[agency]
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
                assign(cid, first_worker, opened, switch, end_reason="Reassigned: balancing")
                assign(cid, worker, switch, reason="Balancing the unit's caseloads")
            else:
                assign(cid, worker, opened)
        progress.step("open cases and families", open_total)

        closed_total = n(40000)
        for i in range(closed_total):
            agency, unit_id = all_units[(i * 7) % len(all_units)]
            county = rng.choice(counties)
            last = rng.choice(lasts)
            opened = day0 - timedelta(days=rng.randint(400, 1460))
            closed = min(day0, opened + timedelta(days=rng.randint(60, 380)))
            cid = new_case(
                agency,
                unit_id,
                opened,
                "closed",
                closed,
                county_id=county.pk,
                case_type=rng.choice(types),
            )
            kid = person(last, 0, 17, county)
            mom = person(last, 20, 45, county, female=True)
            member(cid, kid, "child", opened, closed)
            member(cid, mom, "parent", opened, closed)
            rel(mom, kid)
            workers = workers_of[unit_id]
            assign(cid, workers[i % len(workers)], opened, closed, end_reason="Case closed")
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

        for model, rows, label in (
            (Person, persons, "people"),
            (Case, cases_, "cases"),
            (CaseMember, members, "case members"),
            (Relationship, rels, "relationships"),
            (Assignment, assigns, "assignments"),
            (CaseAccessGrant, grants, "oversight grants"),
        ):
            L.copy(model, rows)
            progress.step(label, len(rows))
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
            ]
        )
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
    }
