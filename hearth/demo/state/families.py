"""The state seed's families: open cases with their children, parents and caregivers,
closed cases of the last three years, their assignment histories and the oversight
grants."""

from datetime import timedelta
from decimal import Decimal

from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseMember
from hearth.demo import reference as ref
from hearth.demo.state.world import CULTURES, State, years_old
from hearth.people import matching
from hearth.people.models import Person, Relationship
from hearth.policy import assignment as assignment_rules
from hearth.policy.settings import DEFAULTS


def person(s: State, last, age_lo, age_hi, county, female=None, **extra) -> int:
    rng = s.rng
    pid = s.loader.ids(Person, 1)[0]
    female = rng.random() < 0.5 if female is None else female
    dob = s.day0 - timedelta(days=rng.randint(age_lo * 365, age_hi * 365 + 300))
    first = rng.choice(s.first_f if female else s.first_m)
    # COPY skips Person.save(): the intake search keys are computed here.
    first_key, last_key = matching.person_keys(first, last)
    s.persons.append(
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
            "address_line1": f"{rng.randint(100, 9999)} {rng.choice(s.lasts)} St",
            "city": f"{county.name}ville",
            "state": "ST",
            "postal_code": f"{rng.randint(60000, 69999)}",
            **extra,
        }
    )
    return pid


def rel(s: State, parent, child, kind="parent", **extra) -> None:
    base = {"parent_type": "", "parental_rights": "", "relative_kind": ""}
    if kind == "parent":
        base.update(parent_type="legal", parental_rights="intact")
    base.update(extra)
    s.rels.append(
        {
            "id": s.loader.ids(Relationship, 1)[0],
            "person_id": parent,
            "other_id": child,
            "kind": kind,
            **base,
        }
    )


def new_case(s: State, agency, unit_id, opened, status, closed_on=None, **extra) -> int:
    cid = s.loader.ids(Case, 1)[0]
    code = next(a["code"] for a in s.agencies if a["id"] == agency)
    s.case_counter[(code, opened.year)] += 1
    s.cases.append(
        {
            "id": cid,
            "case_number": f"{code.upper()}-{opened.year}-"
            f"{s.case_counter[(code, opened.year)]:06d}",
            "agency_id": agency,
            "unit_id": unit_id,
            "status": status,
            "opened_on": opened,
            "closed_on": closed_on,
            "complexity": s.rng.choice([1, 2, 2, 3, 4]),
            **extra,
        }
    )
    return cid


def member(s: State, cid, pid, role, start, end=None, household=True) -> None:
    s.members.append(
        {
            "id": s.loader.ids(CaseMember, 1)[0],
            "case_id": cid,
            "person_id": pid,
            "role": role,
            "in_household": household,
            "starts_on": start,
            "ends_on": end,
        }
    )


def assign(s: State, cid, worker, start, end=None, reason="Initial assignment", end_reason=""):
    unit_id = s.staff_unit[worker]
    s.assigns.append(
        {
            "id": s.loader.ids(Assignment, 1)[0],
            "case_id": cid,
            "worker_id": worker,
            "unit_id": unit_id,
            "kind": "primary",
            "starts_on": start,
            "ends_on": end,
            "assigned_by_id": s.supervisor_of[unit_id],
            "reason": reason,
            "end_reason": end_reason,
        }
    )


def may_take(s: State, workers, worker, start, holds=True, besides=None) -> int:
    """A5: a new case manager holds cases from their pre-service training on, no more than
    the cap allows today; else another case manager of the unit does."""
    trained, full = s.new_staff.get(worker), False
    if trained and holds:
        cap = assignment_rules.new_worker_cap(trained, 1, s.day0, DEFAULTS).cases
        full = cap is not None and s.new_held[worker] >= cap
    if worker == besides or (trained and (start < trained or full)):
        return s.traits.choice([w for w in workers if w not in s.new_staff and w != besides])
    s.new_held[worker] += holds
    return worker


def all_units(s: State) -> list[tuple]:
    """(agency id, unit id) of every contractor's case management and support units."""
    return [
        (a["id"], uid)
        for a in s.agencies[1:]
        for uid in s.cm_units[a["id"]] + [s.support_units[a["id"]]]
    ]


def open_cases(s: State) -> int:
    """The open cases: two children, their mother and father, a caregiver and now and then
    another household member; a case in five reassigned once."""
    rng, traits, day0 = s.rng, s.traits, s.day0
    types = ref.CASE_TYPE_MIX
    units = all_units(s)
    s.open_total = s.n(30000)
    for i in range(s.open_total):
        agency, unit_id = units[i % len(units)]
        county = rng.choice(s.counties)
        last = rng.choice(s.lasts)
        opened = day0 - timedelta(days=rng.randint(1, 730))
        ctype = rng.choice(types)
        court = ctype in (Case.Type.IN_HOME_DEPENDENCY, Case.Type.OUT_OF_HOME)
        support = unit_id == s.support_units[agency]
        if not support:  # the family lives in a county the unit serves (A2 g)
            county = traits.choice(s.unit_area[unit_id])
        status = rng.choice(["open", "open", "open", "open", "assigned", "closure_recommended"])
        cid = new_case(
            s,
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
        kids = [person(s, last, 0, 17, county) for _ in range(2)]
        mom = person(s, last, 20, 45, county, female=True)
        dad = person(
            s,
            rng.choice(s.lasts),
            22,
            50,
            county,
            female=False,
            whereabouts_known=rng.random() > 0.15,
        )
        carer = person(s, rng.choice(s.lasts), 30, 70, county)
        # A2 (d, f, g): the family's address at referral (the mother's), a teenager in the
        # home, now and then a delayed parent, a culture or a gender preference.
        home = s.persons[mom - 1]
        ages = [years_old(s.persons[k - 1]["date_of_birth"], day0) for k in kids]
        s.cases[-1].update(
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
            s.care_open.append((cid, opened, None, kids, carer, county))
        for k in kids:
            member(s, cid, k, "child", opened)
            rel(s, mom, k)
            rel(s, dad, k, parent_type=rng.choice(["legal", "alleged", "putative_father"]))
        member(s, cid, mom, "parent", opened)
        member(s, cid, dad, "parent", opened, household=rng.random() < 0.5)
        member(s, cid, carer, "caregiver", opened)
        if i % 3 == 0:
            extra = person(s, last, 40, 75, county, female=True)
            member(s, cid, extra, "household_member", opened)
        workers = s.workers_of[unit_id]
        worker = workers[i // len(units) % len(workers)]
        if i % 5 == 0 and opened < day0 - timedelta(days=30):
            first_worker = workers[(i // len(units) + 1) % len(workers)]
            switch = opened + timedelta(days=rng.randint(5, 25))
            worker = may_take(s, workers, worker, switch)
            first_worker = may_take(s, workers, first_worker, opened, False, besides=worker)
            assign(s, cid, first_worker, opened, switch, end_reason="Reassigned: balancing")
            assign(s, cid, worker, switch, reason="Balancing the unit's caseloads")
        else:
            assign(s, cid, may_take(s, workers, worker, opened), opened)
    return s.open_total


def closed_cases(s: State) -> int:
    """The closed cases (a child and their mother each), then the QA reviewers' grants."""
    rng, day0 = s.rng, s.day0
    types = ref.CASE_TYPE_MIX
    units = all_units(s)
    s.closed_total = s.n(40000)
    for i in range(s.closed_total):
        agency, unit_id = units[(i * 7) % len(units)]
        county = rng.choice(s.counties)
        last = rng.choice(s.lasts)
        opened = day0 - timedelta(days=rng.randint(400, 1460))
        closed = min(day0, opened + timedelta(days=rng.randint(60, 380)))
        ctype = rng.choice(types)
        cid = new_case(
            s, agency, unit_id, opened, "closed", closed, county_id=county.pk, case_type=ctype
        )
        kid = person(s, last, 0, 17, county)
        if ctype == Case.Type.OUT_OF_HOME:
            s.care_closed.append((cid, opened, closed, [kid], None, county))
        mom = person(s, last, 20, 45, county, female=True)
        member(s, cid, kid, "child", opened, closed)
        member(s, cid, mom, "parent", opened, closed)
        rel(s, mom, kid)
        workers = s.workers_of[unit_id]
        worker = may_take(s, workers, workers[i % len(workers)], opened, holds=False)
        assign(s, cid, worker, opened, closed, end_reason="Case closed")
    oversight_grants(s)
    return s.closed_total


def oversight_grants(s: State) -> None:
    """Each QA reviewer has 20 open cases to review (the oversight specialists' grants are
    hearth.demo.state.oversight's)."""
    day0 = s.day0
    open_ids = [c["id"] for c in s.cases if c["status"] != "closed"]
    qa_staff = s.qa_staff
    for j, cid in enumerate(s.rng.sample(open_ids, min(len(open_ids), 20 * len(qa_staff)))):
        s.grants.append(
            {
                "id": s.loader.ids(CaseAccessGrant, 1)[0],
                "case_id": cid,
                "staff_id": qa_staff[j % len(qa_staff)],
                "purpose": "qa_review",
                "starts_on": day0,
            }
        )
