"""The demo's out-of-home care: a synthetic resource directory, then removals,
placements, schools and goals for the children of the demo's out-of-home cases, and
(hearth.demo.visitation) visitation plans, family visits and a placement conference, all
through hearth.placements.services (the directory is administrator-managed reference
data, so its rows are made directly).
Deterministic for a given seed: it draws from the demo builder's random source."""

from datetime import date, timedelta
from decimal import Decimal

from hearth.cases.models import Assignment, Case, CaseMember
from hearth.demo import reference as ref
from hearth.demo.visitation import VisitationDemo
from hearth.people.models import Person
from hearth.placements import services
from hearth.placements.models import (
    Need,
    PermanencyGoal,
    Placement,
    RemovalEpisode,
    ResourceHome,
    ResourceParent,
    Setting,
)
from hearth.placements.selectors import option_for_choice, option_key, rank_for_child
from hearth.policy import placement as rules
from hearth.reference.models import Language, Tribe

# How many homes of each directory setting the demo lists (40 in all).
DEMO_HOMES = {
    "resource_family_home": 17,
    "therapeutic_foster_home": 5,
    "pre_adoptive_home": 3,
    "group_home": 4,
    "shelter": 2,
    "residential_treatment": 2,
    "qrtp": 2,
    "supervised_independent_living": 2,
    "juvenile_justice": 1,
    "medical_psychiatric": 2,
}
FAMILY_SETTINGS = {"resource_family_home", "therapeutic_foster_home", "pre_adoptive_home"}
REMOVAL_REASONS = ["neglect", "neglect", "physical_abuse", "caretaker_unable", "housing"]


class PlacementDemo:
    def __init__(self, builder, contractors: list[dict]):
        self.b = builder
        self.rng = builder.rng
        self.fake = builder.fake
        self.today = builder.today
        self.contractors = contractors
        self.homes: list[ResourceHome] = []
        self.caregiver_of: dict[int, str] = {}  # home id -> the resource parent's name

    def jitter(self) -> Decimal:
        """Up to about 13 km from a county's centre."""
        return Decimal(self.rng.randint(-120000, 120000)) / Decimal(1000000)

    # the resource directory -----------------------------------------------------------
    def build_directory(self) -> list[ResourceHome]:
        rng, fake = self.rng, self.fake
        counties = self.b.counties
        family_counties = sorted(
            {c.county for c in Case.objects.select_related("county")}, key=lambda c: c.code
        ) or list(counties)
        mix = {row[0]: row for row in ref.HOME_MIX}
        english = self.b.english
        others = {lang.code: lang for lang in Language.objects.exclude(code="en")}
        tribes = list(Tribe.objects.order_by("code"))
        agency_of = {}
        for contractor in self.contractors:
            for unit in contractor["units"] + [contractor["support"]]:
                for county in unit.counties.all():
                    agency_of.setdefault(county.pk, contractor["agency"])
        # Tribal approvals (ICWA): two family homes and a group home; one Indian home.
        specials = {
            ("resource_family_home", 0): {"tribes": tribes[:1]},
            ("resource_family_home", 1): {"tribes": tribes[1:2]},
            ("resource_family_home", 2): {"indian_operated": True},
            ("group_home", 0): {"tribes": tribes[2:3]},
        }
        places = rng.sample(ref.PLACE_WORDS, len(ref.PLACE_WORDS))
        names = set()
        n = 0
        for setting, count in DEMO_HOMES.items():
            _, _, (cap_lo, cap_hi), ages, needs_pool, pattern, prefix = mix[setting]
            for i in range(count):
                special = specials.get((setting, i), {})
                # Most homes near the families; the rest spread over the state.
                if "{county}" in pattern:
                    county = family_counties[i % len(family_counties)]
                elif rng.random() < 0.6 or special:
                    county = rng.choice(family_counties)
                else:
                    county = rng.choice(counties)
                for _ in range(20):  # a name the directory does not hold yet
                    last = fake.last_name()
                    place = places[n % len(places)]
                    name = pattern.format(last=last, place=place, county=county.name)
                    if name not in names:
                        break
                    n += 1
                names.add(name)
                min_age, max_age = rng.choice(ages)
                needs = sorted(rng.sample(needs_pool, rng.randint(1, min(3, len(needs_pool)))))
                if setting == "resource_family_home" and i % 3 == 0:
                    needs = sorted(set(needs) | {"sibling_group"})
                expires = self.today + timedelta(days=rng.randint(40, 720))
                if setting == "resource_family_home" and i == count - 1:
                    expires = self.today - timedelta(days=rng.randint(5, 40))  # lapsed licence
                family = setting in FAMILY_SETTINGS
                home = ResourceHome(
                    name=name,
                    agency=agency_of.get(county.pk) if family else None,  # the licensing agency
                    setting=setting,
                    licence_number=f"{prefix}-{self.today.year - rng.randint(0, 4)}-{n + 101:05d}",
                    licence_expires_on=expires,
                    capacity=rng.randint(cap_lo, cap_hi),
                    min_age=min_age,
                    max_age=max_age,
                    needs_served=needs,
                    indian_operated=special.get("indian_operated", False),
                    address_line1=fake.street_address(),
                    city=f"{county.name}ville",
                    state="ST",
                    county=county,
                    latitude=county.latitude + self.jitter(),
                    longitude=county.longitude + self.jitter(),
                    active=not (setting == "group_home" and i == count - 1),  # one closed
                )
                home._history_user = self.b.system
                home.full_clean()
                home.save()
                languages = [english]
                if rng.random() < 0.3:
                    languages.append(others["es"])
                if rng.random() < 0.12:
                    languages.append(others[rng.choice(["vi", "so", "hmn", "ar", "ase"])])
                home.languages.set(languages)
                if special.get("tribes"):
                    home.tribes_approving.set(special["tribes"])
                # Who signs a visitation plan for the home: a resource parent of the family,
                # or a facility's staff member.
                self.caregiver_of[home.pk] = (
                    f"{fake.first_name()} {last}" if family else fake.name()
                )
                self.homes.append(home)
                n += 1
        return self.homes

    # the children of the out-of-home cases ----------------------------------------------
    def build_care(self, all_cases: list[Case]) -> dict:
        # Re-read the cases: the builder's objects may predate their last status change.
        ooh = list(
            Case.objects.filter(pk__in=[c.pk for c in all_cases], case_type=Case.Type.OUT_OF_HOME)
            .exclude(status__in=[Case.Status.CLOSED, Case.Status.REFERRED])
            .select_related("county")
            .order_by("id")
        )
        held = {
            a.case_id: a.worker
            for a in Assignment.objects.filter(
                case__in=ooh, ends_on__isnull=True, kind="primary"
            ).select_related("worker__user")
        }
        ooh = [c for c in ooh if c.pk in held]
        demo_worker = [c for c in ooh if held[c.pk].user.username == "casemanager"]
        demo_worker.sort(key=lambda c: (c.opened_on, c.pk))
        # The demo case manager holds a child with a signed plan (and a conference), and
        # a child in care with no plan yet.
        plan_case = demo_worker[0] if demo_worker else (ooh[0] if ooh else None)
        no_plan_case = demo_worker[1] if len(demo_worker) > 1 else None
        keep = {c.pk for c in (plan_case, no_plan_case) if c}
        self.worker_of = held
        children_of = {}
        for case in ooh:
            kids = [
                m.person
                for m in CaseMember.objects.filter(case=case, role=CaseMember.Role.CHILD)
                .select_related("person")
                .order_by("id")
            ]
            children_of[case.pk] = kids
            self.remove_and_place(case, kids)

        others = [c for c in ooh if c.pk not in keep]
        self.special_moves(others, children_of)
        visitation = VisitationDemo(self)
        plans = 0
        if plan_case:
            for child in children_of[plan_case.pk]:
                if self.in_care(child):
                    visitation.plan(plan_case, child, signed=True, visits=True)
                    plans += 1
            visitation.conference(plan_case)
        # More plans in other cases: most signed, one awaiting a signature.
        for j, case in enumerate(others[::8]):
            for child in children_of[case.pk]:
                current = Placement.objects.filter(child=child, ends_on__isnull=True).first()
                if current and current.setting not in rules.STATUS_SETTINGS:
                    visitation.plan(case, child, signed=j != 1, visits=False)
                    plans += 1
        self.keep_homes()
        return {
            "resource homes": len(self.homes),
            "removals": RemovalEpisode.objects.count(),
            "placements": Placement.objects.count(),
            "visitation plans": plans,
        }

    def keep_homes(self) -> None:
        """Once the children are placed: each family home is kept by its agency, managed
        by the agency's program director (who hears of its licence, and accepts the
        children placed from now on), takes sibling groups when it serves them, and has
        its resource parent as a person. The lapsed licence is flagged on its page."""
        director_of = {c["agency"].pk: c["director"] for c in self.contractors}
        for home in self.homes:
            if home.agency_id is None:
                continue
            home.manager = director_of.get(home.agency_id)
            if "sibling_group" in home.needs_served:
                home.sibling_group_max = min(home.capacity, 3)
            home.licensed_on = home.licence_expires_on - timedelta(days=730)
            home._history_user = self.b.system
            home.save()
            first, last = self.caregiver_of[home.pk].split(" ", 1)
            parent = Person.objects.create(
                first_name=first,
                last_name=last,
                recorded_by_agency=home.agency,
                address_line1=home.address_line1,
                city=home.city,
                state=home.state,
            )
            ResourceParent.objects.create(
                home=home,
                person=parent,
                role=ResourceParent.Role.PRIMARY,
                starts_on=home.licensed_on,
            )

    def actor(self, case: Case):
        return self.worker_of[case.pk].user

    def in_care(self, child) -> RemovalEpisode | None:
        return RemovalEpisode.objects.filter(child=child, exited_on__isnull=True).first()

    def remove_and_place(self, case: Case, kids) -> None:
        rng = self.rng
        actor = self.actor(case)
        span = (self.today - case.opened_on).days
        removed_on = case.opened_on + timedelta(days=rng.randint(0, min(21, span)))
        reasons = [rng.choice(REMOVAL_REASONS)]
        if case.substance_abuse:
            reasons.append(rng.choice(["parent_drugs", "parent_alcohol"]))
        if case.domestic_violence:
            reasons.append("domestic_violence")
        reasons = list(dict.fromkeys(reasons))
        legal = "voluntary" if rng.random() < 0.1 else "court_ordered"
        shelter_first = rng.random() < 0.1
        for child in kids:
            age = child.age_on(removed_on) or 0
            needs = []
            if age < 1:
                needs.append(Need.INFANT)
            if len(kids) >= 3:
                needs.append(Need.SIBLING_GROUP)
            if age >= 10 and rng.random() < 0.2:
                needs.append(Need.BEHAVIORAL)
            if rng.random() < 0.06:
                needs.append(Need.MEDICAL)
            episode = services.child_remove(
                actor=actor,
                case=case,
                child=child,
                removed_on=removed_on,
                legal_basis=legal,
                removal_reasons=reasons,
                child_needs=needs,
            )
            if age >= 5:
                level = "Elementary" if age <= 10 else "Middle" if age <= 13 else "High"
                services.school_record(
                    actor=actor,
                    case=case,
                    child=child,
                    school_name=f"{case.county.name} {level} School",
                    district=f"{case.county.name} County Public Schools",
                    enrolled_on=removed_on - timedelta(days=rng.randint(60, 900)),
                )
            school = Placement.School.STAYS if age >= 5 else Placement.School.NOT_IN_SCHOOL
            days = (self.today - removed_on).days
            if shelter_first and days >= 10:
                self.place(episode, removed_on, pick="shelter", school=school)
                moved_on = removed_on + timedelta(days=rng.randint(2, 8))
                self.place(episode, moved_on, pick="sibling", school=school)
            else:
                self.place(episode, removed_on, pick="sibling", school=school)
            if days >= 60 and rng.random() < 0.1:
                moved_on = removed_on + timedelta(days=rng.randint(30, days - 14))
                current = Placement.objects.get(child=child, ends_on__isnull=True)
                if moved_on > current.starts_on:
                    self.place(episode, moved_on, **self.school_move(age, moved_on, school))

    def place(self, episode, starts_on: date, *, pick: str = "", school: str = "", **kw):
        """Place the child in the option `pick` names (the best one by default), giving a
        departure reason when the rules ask for one (P2, P3, ICWA)."""
        current = Placement.objects.filter(child=episode.child, ends_on__isnull=True).first()
        leaving = option_key(current) if current else None
        ranked = [
            r
            for r in rank_for_child(episode, on=starts_on, viewer=self.actor(episode.case))
            if r.option.key != leaving
        ]
        if not ranked:
            return services.child_place(
                actor=self.actor(episode.case),
                episode=episode,
                starts_on=starts_on,
                setting=Setting.SHELTER,
                provider_name="Emergency foster care bed",
                move_reason=self.move_reason(current),
                school=school or Placement.School.UNKNOWN,
            )
        chosen = ranked[0]
        together = False
        if pick == "shelter":
            chosen = next((r for r in ranked if r.option.setting == "shelter"), chosen)
        elif pick == "sibling":
            # Siblings removed together go to the same home when it still has room.
            siblings = Placement.objects.filter(
                episode__case=episode.case_id, ends_on__isnull=True
            ).exclude(child=episode.child_id)
            keys = {option_key(p) for p in siblings}
            found = next((r for r in ranked if r.option.key in keys and r.available), None)
            if found is not None:
                chosen, together = found, True
            elif len(ranked) > 1 and self.rng.random() < 0.12:
                chosen = ranked[1]  # the caseworker's judgement: a reason follows
        return services.child_place(
            actor=self.actor(episode.case),
            episode=episode,
            starts_on=starts_on,
            choice=chosen.option.key,
            departure_reason=self.departure_reason(
                rules.departures(chosen, ranked), chosen, together
            ),
            move_reason=self.move_reason(current),
            school=school or Placement.School.UNKNOWN,
            **kw,
        )

    def school_move(self, age: int, moved_on: date, school: str) -> dict:
        """P3: on some moves a school-age child changes school, for a recorded reason."""
        if school != Placement.School.STAYS or self.rng.random() < 0.5:
            return {"school": school}
        level = "Elementary" if age <= 10 else "Middle" if age <= 13 else "High"
        enrolled = moved_on + timedelta(days=self.rng.randint(1, 4))
        return {
            "school": Placement.School.CHANGES,
            "new_school_name": f"{self.rng.choice(ref.PLACE_WORDS)} {level} School",
            "new_school_enrolled_on": enrolled if enrolled <= self.today else None,
            "best_interest_reason": "The new home is over an hour from the school of origin; "
            "the child, the parents and both schools agreed a change at the start of term.",
        }

    def move_reason(self, current: Placement | None) -> str:
        if current is None:
            return ""
        reasons = ref.MOVE_REASONS.get(current.setting, ref.MOVE_REASONS["other"])
        return self.rng.choice(reasons)

    def departure_reason(self, needs: list[str], chosen, together: bool) -> str:
        parts = []
        for need in needs:
            if need.startswith("The chosen option does not fit"):
                parts.append(
                    "No home with room serves all of the child's needs; the team agreed "
                    "extra support with this one."
                )
            elif need.startswith("ICWA"):
                parts.append(
                    "The tribe's ICWA representative agreed to this placement while the "
                    "preferred home completes its approval."
                )
            elif need.startswith("P2:"):
                if chosen.option.setting == "shelter":
                    parts.append(
                        "Removed after hours: the relatives could not be reached and no family "
                        "home could take the child that night."
                    )
                else:
                    parts.append(
                        "The relative's home study is not complete yet."
                        if chosen.level == rules.Level.RESOURCE_FAMILY
                        else "The child's treatment team recommends this level of care."
                    )
            elif need.startswith("P2, P3"):
                if together:
                    parts.append("Keeps the child with a sibling placed here.")
                elif chosen.level <= rules.Level.RESOURCE_FAMILY:
                    parts.append("The nearer home's resource parents could not take the child yet.")
                else:
                    parts.append("The nearer facility had no bed for the child that day.")
        return " ".join(dict.fromkeys(parts))

    # the placements the monthly contacts flag (V11, V12), a goal change, an exit ----------
    def special_moves(self, cases: list[Case], children_of: dict) -> None:
        rng = self.rng
        in_care = [
            (case, child, ep)
            for case in cases
            for child in children_of[case.pk]
            if (ep := self.in_care(child)) is not None
        ]
        used = set()

        def take(test):
            for case, child, ep in in_care:
                if case.pk not in used and test(case, child, ep):
                    used.add(case.pk)
                    return case, child, ep
            return None

        def current(child):
            return Placement.objects.get(child=child, ends_on__isnull=True)

        def days_in(child):
            return (self.today - current(child).starts_on).days

        # V11: a teenager on runaway.
        found = take(lambda c, ch, ep: (ch.age_on(self.today) or 0) >= 13 and days_in(ch) >= 10)
        if found:
            case, child, ep = found
            services.child_place(
                actor=self.actor(case),
                episode=ep,
                starts_on=self.today - timedelta(days=rng.randint(3, 8)),
                setting=Setting.RUNAWAY,
                move_reason="Left the home overnight and has not returned; reported missing "
                "to the police and the national hotline.",
            )
        # V12: an out-of-state placement (ICPC), in an ICPC case when there is one.
        found = take(lambda c, ch, ep: c.icpc and days_in(ch) >= 20) or take(
            lambda c, ch, ep: days_in(ch) >= 20
        )
        if found:
            case, child, ep = found
            starts_on = self.today - timedelta(days=rng.randint(5, min(60, days_in(child) - 1)))
            kw = dict(
                setting=Setting.RESOURCE_FAMILY_HOME,
                provider_name=f"{self.fake.last_name()} family foster home (Ohio, via ICPC)",
                address_line1=self.fake.street_address(),
                city="Columbus",
                state="OH",
                out_of_state=True,
            )
            ranked = [
                r
                for r in rank_for_child(ep, on=starts_on, viewer=self.actor(case))
                if r.option.key != option_key(current(child))
            ]
            chosen = option_for_choice(
                Placement(episode=ep, child=child, **kw), ep, ranked, viewer=self.actor(case)
            )
            needs = rules.departures(chosen, ranked)
            services.child_place(
                actor=self.actor(case),
                episode=ep,
                starts_on=starts_on,
                move_reason="Moved through the Interstate Compact to a licensed foster home in "
                "Ohio, near the child's father, who is working toward placement.",
                departure_reason="Ohio approved the home under the ICPC so the child can be "
                "near the father, the likely placement resource."
                if needs
                else "",
                **kw,
            )
        # P4: a goal change at a permanency hearing.
        found = take(lambda c, ch, ep: (self.today - ep.removed_on).days >= 120)
        if found:
            case, child, ep = found
            with_relative = current(child).setting == Setting.RELATIVE_HOME
            services.permanency_goal_change(
                actor=self.actor(case),
                case=case,
                child=child,
                goal=PermanencyGoal.Goal.GUARDIANSHIP
                if with_relative
                else PermanencyGoal.Goal.ADOPTION,
                starts_on=ep.removed_on + timedelta(days=rng.randint(90, 119)),
                reason="The court changed the permanency goal at the permanency hearing: "
                + (
                    "the relative caring for the child seeks guardianship."
                    if with_relative
                    else "the parents have not engaged in services for a year."
                ),
            )
        # A trial home visit that ended in reunification (the child has left care).
        found = take(lambda c, ch, ep: days_in(ch) >= 45)
        if found:
            case, child, ep = found
            services.child_place(
                actor=self.actor(case),
                episode=ep,
                starts_on=self.today - timedelta(days=rng.randint(25, 40)),
                setting=Setting.TRIAL_HOME_VISIT,
                move_reason="Trial home visit with the mother, approved by the court.",
            )
            services.episode_exit(
                actor=self.actor(case),
                episode=ep,
                exited_on=self.today - timedelta(days=rng.randint(2, 20)),
                exit_reason=RemovalEpisode.ExitReason.REUNIFICATION,
            )
