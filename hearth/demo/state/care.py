"""The state seed's out-of-home care: a resource directory, then for the children of the
out-of-home cases their removal episodes (with re-entries), placements and permanency
goals."""

import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from hearth.demo import reference as ref
from hearth.demo.state.loader import Loader
from hearth.demo.state.world import State, years_old
from hearth.placements.models import PermanencyGoal, Placement, RemovalEpisode, ResourceHome
from hearth.policy import placement as rules
from hearth.reference.models import Tribe

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
                if exit_reason == "emancipation" and years_old(dob, closed) < 17:
                    exit_reason = "reunification"
                room = (closed - removed).days
                exited = closed - timedelta(days=rng.randint(0, min(30, room - 1)))
            self.episode(cid, kid, dob, removed, exited, exit_reason, carer, county)
            self.goal_rows(cid, kid, dob, first_removed, exited or day0, exit_reason)

    def episode(self, cid, kid, dob, removed, exited, exit_reason, carer, county) -> None:
        rng, day0 = self.rng, self.day0
        eid = self.L.ids(RemovalEpisode, 1)[0]
        age = years_old(dob, removed)
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
                "recorded_on": min(day0, removed + timedelta(days=lag)),
                # F5: the child entered care with the first placement, on the removal
                # day; about one episode in a hundred has it unrecorded (the data-quality
                # report finds them), chosen by id to leave the random draws unchanged.
                "entered_care_on": None if eid % 97 == 0 else removed,
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
            age = years_old(dob, starts_on)
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
            if years_old(dob, last_day) >= 16 and rng.random() < 0.5:
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


def out_of_home_care(s: State) -> int:
    """The directory, then the care of the open and closed out-of-home cases' children, from
    a random source of its own (so the rows before stay as they were)."""
    care = s.care = CareBuilder(s.loader, random.Random(s.seed * 7919 + 17), s.day0, s.persons)
    care.directory(
        s.n(4000),
        s.counties,
        s.lasts,
        s.langs,
        list(Tribe.objects.order_by("code")),
        [a["id"] for a in s.agencies[1:]],
    )
    for case in s.care_open + s.care_closed:
        care.case(*case)
    return len(care.episodes)
