"""The state seed's first steps: the agencies, their units and the staff."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from hearth.demo import reference as ref
from hearth.demo.demo import load_reference
from hearth.demo.state import oversight
from hearth.demo.state.world import CULTURES, State
from hearth.reference.models import County, Language, Skill
from hearth.staff.models import Agency, Role, StaffMember, StaffRole, Unit

CONTRACTORS = [
    ("Prairie Star Families", "psf"),
    ("Great Plains Child Partners", "gpc"),
    ("Two Rivers Family Services", "trf"),
    ("High Plains Kids Alliance", "hpk"),
]


def agencies_and_units(s: State) -> int:
    """The reference data, the state agency and the lead contractors, and their units (each
    serving two counties)."""
    rng, L = s.rng, s.loader
    load_reference()
    s.counties = list(County.objects.order_by("code"))
    oversight.regions(s)
    s.skills = list(Skill.objects.order_by("code"))
    s.langs = list(Language.objects.order_by("code"))
    unit_counties = Unit.counties.through
    s.agencies = [
        {"id": i, "name": name, "code": code, "kind": kind, "policy_overrides": {}}
        for i, (name, code, kind) in enumerate(
            [("State Department of Children and Families", "dcf", Agency.Kind.STATE_OVERSIGHT)]
            + [(name, code, Agency.Kind.LEAD_CONTRACTOR) for name, code in CONTRACTORS],
            start=1,
        )
    ]
    L.next_id[Agency] = len(s.agencies) + 1
    L.copy(Agency, s.agencies)
    units = s.units
    units_per_contractor = max(2, s.n(38))
    for agency in s.agencies[1:]:
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
            if support:
                s.support_units[agency["id"]] = uid
            else:
                s.cm_units[agency["id"]].append(uid)
            for c in rng.sample(s.counties, 2):
                s.unit_county_rows.append(
                    {"id": L.ids(unit_counties, 1)[0], "unit_id": uid, "county_id": c.pk}
                )
    for name, kind in (
        ("Oversight Unit", Unit.Kind.OVERSIGHT),
        ("Quality Assurance Unit", Unit.Kind.QUALITY_ASSURANCE),
    ):
        uid = L.ids(Unit, 1)[0]
        s.state_units.append(uid)
        units.append({"id": uid, "agency_id": 1, "name": name, "kind": kind, "active": True})
    L.copy(Unit, units)
    L.copy(unit_counties, s.unit_county_rows)
    return len(units)


def staff(s: State) -> int:
    """A program director and an intake coordinator per contractor, a supervisor and 14
    case managers per unit (the last a recent hire), the state's oversight specialists
    (190, offices spread over the regions), oversight supervisors and QA staff and an
    administrator; the demo sign-ins among them."""
    rng, traits, L, day0 = s.rng, s.traits, s.loader, s.day0
    User = get_user_model()
    through_skills = StaffMember.skills.through
    through_langs = StaffMember.languages.through
    english = next(lang for lang in s.langs if lang.code == "en")
    spanish = next(lang for lang in s.langs if lang.code == "es")
    roles, staff_skills, staff_langs = [], [], []
    unusable = "!" + "x" * 39
    demo_hash = make_password(ref.DEMO_PASSWORD)
    # A2 (g): a unit serves its two counties; its staff have their offices there.
    county_by_id = {c.pk: c for c in s.counties}
    unit_area = defaultdict(list)
    for row in s.unit_county_rows:
        unit_area[row["unit_id"]].append(county_by_id[row["county_id"]])
    s.unit_area = unit_area

    def add_staff(agency_id, unit_id, role, username=None, recent=False, office=None):
        uid = L.ids(User, 1)[0]
        sid = L.ids(StaffMember, 1)[0]
        female = rng.random() < 0.7
        first = rng.choice(s.first_f if female else s.first_m)
        last = rng.choice(s.lasts)
        # A recent hire completed pre-service training 7 to 136 days ago: under the A5
        # cap (5 cases for 30 days) or on its ramp (8, 11, 13) or just past it.
        hire = day0 - timedelta(days=rng.randint(35, 150) if recent else rng.randint(200, 6000))
        trained = min(day0, hire + timedelta(days=rng.randint(14, 28)))
        county = rng.choice(s.counties)
        if unit_area.get(unit_id):
            county = traits.choice(unit_area[unit_id])
        county = office or county
        s.users.append(
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
        s.staff.append(
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
                "office_longitude": county.longitude + Decimal(rng.randint(-9000, 9000)) / 100000,
                "status": StaffMember.Status.ACTIVE,
                "culture": traits.choice(CULTURES) if traits.random() < 0.2 else "",
            }
        )
        roles.append({"id": L.ids(StaffRole, 1)[0], "staff_id": sid, "role": role})
        for skill in rng.sample(s.skills, rng.randint(1, 3)):
            staff_skills.append(
                {"id": L.ids(through_skills, 1)[0], "staffmember_id": sid, "skill_id": skill.pk}
            )
        for lang in [english] + ([spanish] if rng.random() < 0.25 else []):
            staff_langs.append(
                {"id": L.ids(through_langs, 1)[0], "staffmember_id": sid, "language_id": lang.pk}
            )
        s.by_role[role].append(sid)
        if recent:
            s.new_staff[sid] = trained
        s.staff_unit[sid] = unit_id
        s.staff_agency[sid] = agency_id
        return sid

    demo_done = set()
    for agency in s.agencies[1:]:
        first_agency = agency["id"] == 2
        add_staff(agency["id"], None, Role.PROGRAM_DIRECTOR, "director" if first_agency else None)
        add_staff(agency["id"], None, Role.INTAKE_COORDINATOR, "intake" if first_agency else None)
        for uid in s.cm_units[agency["id"]] + [s.support_units[agency["id"]]]:
            name = "supervisor" if first_agency and "supervisor" not in demo_done else None
            demo_done.add("supervisor")
            s.supervisor_of[uid] = add_staff(agency["id"], uid, Role.SUPERVISOR, name)
            for w in range(14):
                name = None
                if first_agency and "casemanager" not in demo_done:
                    name = "casemanager"
                    demo_done.add("casemanager")
                s.workers_of[uid].append(
                    add_staff(agency["id"], uid, Role.CASE_MANAGER, name, recent=w == 13)
                )
    # O4: the specialists have their offices in the regions, as many in a region as it
    # has counties (the first few cover every region once, the demo `oversight` first).
    rank = defaultdict(int)
    offices = []
    for county in s.counties:
        offices.append((rank[county.region_id], county.region_id or 0, county.code, county))
        rank[county.region_id] += 1
    offices = [c for *_, c in sorted(offices, key=lambda o: o[:3])]
    s.oversight_staff = [
        add_staff(
            1,
            s.state_units[0],
            Role.STATE_OVERSIGHT,
            "oversight" if i == 0 else None,
            office=offices[i % len(offices)],
        )
        for i in range(max(len(oversight.REGIONS), s.n(190)))
    ]
    s.state_supervisors = [
        add_staff(
            1,
            s.state_units[0],
            Role.STATE_SUPERVISOR,
            "statesupervisor" if i == 0 else None,
            office=offices[i % len(offices)],
        )
        for i in range(s.n(6))
    ]
    s.qa_staff = [
        add_staff(1, s.state_units[1], Role.QA_REVIEWER, "qa" if i == 0 else None)
        for i in range(s.n(20))
    ]
    add_staff(1, None, Role.ADMINISTRATOR, "admin")
    roles[-1]["role"] = Role.ADMINISTRATOR
    L.copy(User, s.users)
    L.copy(StaffMember, s.staff)
    L.copy(StaffRole, roles)
    L.copy(through_skills, staff_skills)
    L.copy(through_langs, staff_langs)
    return len(s.staff)
