"""The demo agency: a small synthetic state built through the real services, so every
record has its history and case timeline. Deterministic for a given seed.

Three shortcuts keep it quick (make demo): the obligations engine rebuilds each case
once at the end instead of at every event (hearth.obligations.engine.deferred, the same
rows); a family's relationships are inserted together with their history rows; the case
planning records are bulk-created (hearth.demo.planning)."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker
from simple_history.utils import bulk_create_with_history

from hearth.cases import services as cases
from hearth.cases.models import Case, CaseAccessGrant
from hearth.core.services import today
from hearth.demo import reference as ref
from hearth.demo.contacts import ContactDemo
from hearth.demo.placements import PlacementDemo
from hearth.demo.planning import build_demo_planning
from hearth.intake import selectors as intake_selectors
from hearth.intake import services as intake
from hearth.obligations.engine import deferred
from hearth.obligations.models import Obligation
from hearth.oversight.models import Finding, Recommendation, RecommendationRound
from hearth.oversight.services import recommendations
from hearth.oversight.services.caseloads import ensure_routed
from hearth.people import services as people
from hearth.people.models import Person, Relationship
from hearth.reference.models import County, Language, Race, Region, Skill, Tribe
from hearth.staff import services as staff_services
from hearth.staff.models import Agency, Role, StaffMember, Unit


def load_reference() -> None:
    for code, name, lat, lon in ref.COUNTIES:
        County.objects.get_or_create(
            code=code, defaults={"name": name, "latitude": lat, "longitude": lon}
        )
    for code, name, counties in ref.REGIONS:  # O4: oversight routes within a region
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": name})
        County.objects.filter(code__in=counties, region__isnull=True).update(region=region)
    for model, rows in (
        (Language, ref.LANGUAGES),
        (Skill, ref.SKILLS),
        (Tribe, ref.TRIBES),
        (Race, ref.RACES),
    ):
        for code, name in rows:
            model.objects.get_or_create(code=code, defaults={"name": name})


class DemoBuilder:
    def __init__(self, seed: int = 1, families: int = 150):
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.families = families
        self.today = today()
        self.system = None  # the admin user, author of the set-up records
        self.casemanager = None  # the demo case manager sign-in
        self.casemanager_out_of_home = 0

    # helpers ---------------------------------------------------------------------------
    def days_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    def near(self, county: County) -> tuple[Decimal, Decimal]:
        jitter = lambda: Decimal(self.rng.randint(-20000, 20000)) / Decimal(1000000)  # noqa: E731
        return (county.latitude + jitter(), county.longitude + jitter())

    def staff(self, agency, unit, roles, username=None, **fields) -> StaffMember:
        first = self.fake.first_name()
        last = self.fake.last_name()
        hire = fields.pop("hire_date", self.days_ago(400, 4000))
        trained = fields.pop("trained", hire + timedelta(days=21))
        county = fields.pop("office_county", self.rng.choice(self.counties))
        lat, lon = self.near(county)
        member = staff_services.staff_create(
            actor=self.system,
            agency=agency,
            username=username or f"{first}.{last}{self.rng.randint(10, 99)}".lower(),
            roles=roles,
            unit=unit,
            first_name=first,
            last_name=last,
            hire_date=hire,
            preservice_training_completed_on=min(trained, self.today),
            experience_level=fields.pop(
                "experience_level", min(4, 1 + (self.today - hire).days // 700)
            ),
            supervision_level=self.rng.choice([1, 2, 2, 3]),
            gender=self.rng.choice(["female", "female", "male", "nonbinary", "undisclosed"]),
            office_county=county,
            office_latitude=lat,
            office_longitude=lon,
            skills=self.rng.sample(self.skills, self.rng.randint(1, 3)),
            languages=[self.english]
            + ([self.rng.choice(self.other_languages)] if self.rng.random() < 0.35 else []),
            **fields,
        )
        return member

    # the agencies ----------------------------------------------------------------------
    @transaction.atomic
    def build(self, out=None) -> dict:
        """Every step through the services, but the obligations: the cases' events only
        note them (hearth.obligations.engine.deferred), and each case's are rebuilt once
        at the end. A progress line after each step (on `out`), as the state seed's."""
        from hearth.demo.state.loader import Progress  # the state seed imports this module

        size = max(1, -(-self.families // 4))
        starts = range(0, self.families, size)
        steps = [
            ("reference data and the state's staff", self.build_state),
            ("contractors and their staff", self.build_contractors),
            # The families, the longest step, in (up to) four parts.
            *(
                (
                    f"families {part.start + 1} to {part.stop} and their cases",
                    lambda part=part: self.build_families(part),
                )
                for part in (range(i, min(i + size, self.families)) for i in starts)
            ),
            ("resource homes", self.build_directory),
            ("removals and placements", self.build_care),
            ("contact notes", self.build_notes),
            ("case planning and teaming", self.build_planning),
            ("oversight, QA and sign-ins", self.build_oversight),
        ]
        progress = Progress(out or StringIO(), len(steps) + 1)
        self.summary, self.all_cases = {}, []
        with deferred() as noted:
            for label, step in steps:
                progress.step(label, step())
        progress.step("obligations", Obligation.objects.filter(case__in=noted).count())
        return {
            "cases": len(self.all_cases),
            "people": Person.objects.count(),
            "staff": StaffMember.objects.count(),
            **self.summary,
            "planning obligations": Obligation.objects.filter(
                source=Obligation.Source.PLANNING
            ).count(),
        }

    def build_state(self) -> int:
        load_reference()
        self.counties = list(County.objects.order_by("code"))
        self.skills = list(Skill.objects.order_by("code"))
        self.english = Language.objects.get(code="en")
        self.other_languages = list(Language.objects.exclude(code="en").order_by("code"))
        self.tribes = list(Tribe.objects.order_by("code"))
        User = get_user_model()
        admin_user = User.objects.create_superuser("admin", "", None)  # password: at the end
        self.system = admin_user

        state = self.state = Agency.objects.create(
            name="State Department of Children and Families (demo)",
            code="dcf",
            kind=Agency.Kind.STATE_OVERSIGHT,
        )
        self.oversight_unit = staff_services.unit_create(
            actor=admin_user, agency=state, name="Oversight Unit", kind=Unit.Kind.OVERSIGHT
        )
        qa_unit = staff_services.unit_create(
            actor=admin_user,
            agency=state,
            name="Quality Assurance Unit",
            kind=Unit.Kind.QUALITY_ASSURANCE,
        )
        admin_staff = StaffMember(
            user=admin_user,
            agency=state,
            first_name="Avery",
            last_name="Admin",
            hire_date=self.days_ago(2000, 2000),
        )
        admin_staff._history_user = admin_user
        admin_staff.save()
        admin_staff.roles.create(role=Role.ADMINISTRATOR)
        # O4: one specialist in each region (court-involved cases are routed to them as
        # the families are built; see hearth.oversight.subscriptions).
        regions = Region.objects.in_bulk(field_name="code")
        for i, (code, _, _) in enumerate(ref.REGIONS):
            self.staff(
                state,
                self.oversight_unit,
                [Role.STATE_OVERSIGHT],
                username="oversight" if i == 0 else None,
                office_county=regions[code].counties.order_by("code").first(),
            )
        self.qa = [
            self.staff(state, qa_unit, [Role.QA_REVIEWER], username="qa" if i == 0 else None)
            for i in range(2)
        ]
        return StaffMember.objects.count()

    def build_contractors(self) -> int:
        self.contractors = []
        for n, (name, code) in enumerate(
            [
                ("Heartland Family Partners (demo)", "hfp"),
                ("Riverbend Children's Alliance (demo)", "rca"),
            ]
        ):
            self.contractors.append(
                self.build_contractor(
                    name, code, first=(n == 0), counties=self.counties[n * 5 : (n + 1) * 5]
                )
            )
        self.casemanager = StaffMember.objects.get(user__username="casemanager")
        return StaffMember.objects.count()

    def build_families(self, part: range) -> int:
        made = len(self.all_cases)
        for family_no in part:
            contractor = self.contractors[family_no % 2]
            self.all_cases += self.build_family(contractor, family_no)
        return len(self.all_cases) - made

    # Out-of-home care: the resource directory, removals, placements, plans (P2-P7).
    def build_directory(self) -> int:
        self.care = PlacementDemo(self, self.contractors)
        return len(self.care.build_directory())

    def build_care(self) -> int:
        in_care = self.care.build_care(self.all_cases)
        self.summary.update(in_care)
        return in_care["placements"]

    def build_notes(self) -> int:
        """Contact notes for last month and this one (V1-V13)."""
        notes = ContactDemo(self).build(self.all_cases)
        self.summary.update(notes)
        return notes["contact_notes"]

    def build_planning(self) -> int:
        """Case planning and teaming (C1 to C9): assessments, plans, services, meetings."""
        planning = build_demo_planning(self, self.all_cases)
        self.summary.update(planning)
        return sum(planning.values())

    def build_oversight(self) -> int:
        """State oversight (O4): every court-involved case was routed to the lightest-
        loaded specialist of its region when it was recorded; this routes any left (none,
        unless a case was made before the specialists). QA samples (O3) follow."""
        admin_user = self.system
        all_cases = self.all_cases
        court = [c for c in all_cases if c.court_involved and c.status != Case.Status.CLOSED]
        for case in court:
            ensure_routed(case, actor=admin_user)
        still_open = [c for c in all_cases if c.status != Case.Status.CLOSED]
        sample = self.rng.sample(still_open, min(20, len(still_open)))
        for i, case in enumerate(sample):
            cases.case_grant_access(
                actor=admin_user,
                granted_by=None,
                case=case,
                staff=self.qa[i % 2],
                purpose=CaseAccessGrant.Purpose.QA_REVIEW,
                starts_on=self.today,
            )
        # The state oversight supervisor (O4): balances the specialists' caseloads.
        self.staff(
            self.state, self.oversight_unit, [Role.STATE_SUPERVISOR], username="statesupervisor"
        )
        for contractor in self.contractors:
            if contractor["departed"]:
                staff_services.staff_update(
                    actor=admin_user,
                    member=contractor["departed"],
                    status="departed",
                    departed_on=self.today - timedelta(days=1),
                )
        # The demo sign-ins share one hash of the published password (a hash takes a
        # quarter of a second) and keep it: no first-sign-in change.
        names = [u for u, _ in ref.DEMO_SIGNINS]
        get_user_model().objects.filter(username__in=names).update(
            password=make_password(ref.DEMO_PASSWORD)
        )
        StaffMember.objects.filter(user__username__in=names).update(must_change_password=False)
        return len(court) + len(sample)

    def build_contractor(self, name, code, *, first: bool, counties) -> dict:
        agency = Agency.objects.create(
            name=name,
            code=code,
            kind=Agency.Kind.LEAD_CONTRACTOR,
            # A1: the first contractor routes referrals by caseload, the second by rotation.
            policy_overrides={} if first else {"unit_routing": "rotation"},
        )
        units = [
            staff_services.unit_create(
                actor=self.system,
                agency=agency,
                name=f"Case Management Unit {i + 1}",
                kind=Unit.Kind.CASE_MANAGEMENT,
                counties=counties[i * 2 : (i + 1) * 2] or counties,
            )
            for i in range(3)
        ]
        support = staff_services.unit_create(
            actor=self.system,
            agency=agency,
            name="Case Management Support Unit",
            kind=Unit.Kind.CASE_MANAGEMENT_SUPPORT,
            counties=counties,
        )
        director = self.staff(
            agency, None, [Role.PROGRAM_DIRECTOR], username="director" if first else None
        )
        self.staff(agency, None, [Role.INTAKE_COORDINATOR], username="intake" if first else None)
        for i, unit in enumerate(units + [support]):
            self.staff(
                agency, unit, [Role.SUPERVISOR], username="supervisor" if first and i == 0 else None
            )
        workers = {unit.pk: [] for unit in units + [support]}
        for i in range(11):
            unit = (units + [support])[i % 4]
            fields = {}
            if i in (5, 9):  # hired recently: pre-service training just completed (A5)
                hire = self.days_ago(35, 50)
                fields = {
                    "hire_date": hire,
                    "trained": hire + timedelta(days=self.rng.randint(14, 30)),
                    "experience_level": StaffMember.Experience.NEW,
                }
            username = "casemanager" if first and i == 0 else None
            workers[unit.pk].append(
                self.staff(agency, unit, [Role.CASE_MANAGER], username=username, **fields)
            )
        # One worker who left: their cases were reassigned (marked departed at the end).
        departed = self.staff(agency, units[1], [Role.CASE_MANAGER]) if first else None
        return {
            "agency": agency,
            "units": units,
            "support": support,
            "workers": workers,
            "director": director,
            "departed": departed,
        }

    # a family and its cases ------------------------------------------------------------
    def person(self, agency, last, county, *, age_lo, age_hi, sex=None, **fields) -> Person:
        sex = sex or self.rng.choice(["female", "male"])
        first = self.fake.first_name_female() if sex == "female" else self.fake.first_name_male()
        dob = self.today - timedelta(days=self.rng.randint(age_lo * 365, age_hi * 365 + 300))
        lat, lon = self.near(county)
        return people.person_create(
            actor=self.system,
            recorded_by_agency=agency,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            sex=sex,
            county=county,
            latitude=lat,
            longitude=lon,
            address_line1=self.fake.street_address(),
            city=f"{county.name}ville",
            state="ST",
            postal_code=self.fake.postcode()[:5],
            **fields,
        )

    def build_family(self, contractor, family_no) -> list[Case]:
        rng = self.rng
        agency = contractor["agency"]
        county = rng.choice(list(contractor["units"][0].counties.all()) or self.counties)
        last = self.fake.last_name()
        spanish = rng.random() < 0.2
        lang = [Language.objects.get(code="es")] if spanish else [self.english]
        mother = self.person(
            agency,
            last,
            county,
            age_lo=22,
            age_hi=42,
            sex="female",
            primary_language=lang[0],
            languages=lang,
            incarcerated=rng.random() < 0.05,
        )
        father = None
        father_type = rng.choice(["legal", "legal", "alleged", "putative_father", None])
        if father_type:
            father = self.person(
                agency,
                self.fake.last_name() if father_type != "legal" else last,
                county,
                age_lo=24,
                age_hi=48,
                sex="male",
                whereabouts_known=rng.random() > 0.2,
                incarcerated=rng.random() < 0.1,
            )
        icwa = rng.random() < 0.08
        children = []
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            extra = {}
            if icwa:
                extra = {
                    "icwa_inquiry_made": True,
                    "icwa_inquiry_date": self.days_ago(30, 300),
                    "icwa_membership": "eligible",
                    "icwa_applies": "yes",
                    "tribes": [rng.choice(self.tribes)],
                }
            # A child speaks the family's language (and English at school).
            extra["languages"] = lang + ([self.english] if spanish else [])
            children.append(self.person(agency, last, county, age_lo=0, age_hi=17, **extra))
        grandma = None
        if rng.random() < 0.4:
            grandma = self.person(agency, last, county, age_lo=48, age_hi=70, sex="female")
        rights = "terminated" if rng.random() < 0.05 else "intact"
        # The family's relationships in one insert, with their history rows (as
        # people.services.relationship_create saves them, without its checks: the demo's
        # are valid, and the database's constraints still hold).
        rels = []
        for child in children:
            rels.append(
                Relationship(
                    person=mother,
                    other=child,
                    kind="parent",
                    parent_type="legal",
                    parental_rights=rights,
                )
            )
            if father:
                rels.append(
                    Relationship(
                        person=father,
                        other=child,
                        kind="parent",
                        parent_type=father_type,
                        parental_rights=Relationship.ParentalRights.INTACT,
                    )
                )
            if grandma:
                rels.append(
                    Relationship(
                        person=grandma, other=child, kind="relative", relative_kind="grandmother"
                    )
                )
        for a, b in zip(children, children[1:], strict=False):
            rels.append(Relationship(person=a, other=b, kind="sibling"))
        bulk_create_with_history(rels, Relationship, default_user=self.system)

        members = [(c, "child") for c in children] + [(mother, "parent")]
        if father:
            members.append((father, "parent"))
        if grandma:
            members.append((grandma, "caregiver"))

        made = []
        prior = None
        if family_no % 10 == 3:  # an earlier case, closed, then the family returns (P1, A3)
            prior = self.make_case(contractor, county, members, family_no, closed=True, lang=lang)
            made.append(prior)
        made.append(self.make_case(contractor, county, members, family_no, prior=prior, lang=lang))
        return made

    def make_case(
        self, contractor, county, members, family_no, *, closed=False, prior=None, lang=()
    ) -> Case:
        rng = self.rng
        icpc = family_no % 17 == 5
        out_of_county = family_no % 19 == 7
        support = icpc or out_of_county
        units = [contractor["support"]] if support else contractor["units"]
        unit = units[family_no % len(units)]
        workers = contractor["workers"][unit.pk]
        if family_no < 60 and contractor["units"][0] == unit and not closed:
            worker = workers[0]  # the demo case manager's caseload
        else:
            worker = rng.choice(workers)
        case_type = rng.choice(ref.CASE_TYPE_MIX)
        referred = not closed and family_no % 13 == 0
        if worker == self.casemanager and not closed and not referred:
            # The demo case manager holds at least two out-of-home cases (children in care).
            if self.casemanager_out_of_home < 2:
                case_type = Case.Type.OUT_OF_HOME
            self.casemanager_out_of_home += case_type == Case.Type.OUT_OF_HOME
        opened = self.days_ago(900, 1400) if closed else self.days_ago(5, 700)
        supervisor = unit.staff.filter(roles__role=Role.SUPERVISOR).first()
        case = cases.case_create(
            actor=supervisor.user,
            agency=contractor["agency"],
            unit=unit,
            county=county,
            case_type=case_type,
            court_involved=case_type in (Case.Type.IN_HOME_DEPENDENCY, Case.Type.OUT_OF_HOME),
            out_of_county=out_of_county,
            icpc=icpc,
            complexity=rng.choice([1, 2, 2, 3, 4]),
            opened_on=opened,
            prior_case=prior,
            substance_abuse=rng.random() < 0.35,
            domestic_violence=rng.random() < 0.25,
            developmentally_delayed_parent=rng.random() < 0.08,
            teenager_in_home=any(
                p.age_on(opened) and p.age_on(opened) >= 13 for p, r in members if r == "child"
            ),
            languages=list(lang),
        )
        for person, role in members:
            cases.case_member_add(
                actor=supervisor.user,
                case=case,
                person=person,
                role=role,
                in_household=not (role == "parent" and person.incarcerated),
                starts_on=opened,
            )
        if referred:  # waiting in the intake queue, routed by the agency's rules (A1, A4)
            intake.referral_route(actor=supervisor.user, case=case)
            return case
        # The supervisor takes the system's recommendation (A2, A3), except for the demo
        # case manager's own caseload, kept while they have room (A7: with a reason).
        ranking = intake_selectors.recommend(case)
        mine = next((r for r in ranking.ranked if r.worker.id == worker.pk), None)
        override = ""
        if worker == self.casemanager and mine is not None and mine.eligible:
            if ranking.top.worker.id != worker.pk:
                override = "Knows the family's neighbourhood and school"
        else:
            worker = StaffMember.objects.get(pk=ranking.top.worker.id)
        intake.case_assign(
            actor=supervisor.user,
            assigned_by=supervisor,
            case=case,
            worker=worker,
            reason="Initial assignment by unit supervisor",
            override_reason=override,
            starts_on=opened,
        )
        departed = contractor["departed"]
        if departed and not closed and unit == contractor["units"][1] and family_no % 4 == 1:
            # This case was first held by a worker who has since left (A6).
            case = intake.case_assign(
                actor=supervisor.user,
                assigned_by=supervisor,
                case=case,
                worker=departed,
                reason="Balancing the unit's caseloads",
                override_reason="Had the most room that week",
                starts_on=opened + timedelta(days=3),
            ).case
            case = intake.case_assign(
                actor=supervisor.user,
                assigned_by=supervisor,
                case=case,
                worker=worker,
                reason="Previous worker left the agency",
                override_reason="Back to the worker who first met the family",
                starts_on=opened + timedelta(days=5),
            ).case
        if closed:
            cases.case_change_status(actor=supervisor.user, case=case, status="open", on=opened)
            return self.closed_by_review(
                case, worker, opened + timedelta(days=rng.randint(90, 400))
            )
        roll = rng.randrange(7)
        if roll in (1, 2, 3, 4, 5):
            case = cases.case_change_status(
                actor=supervisor.user, case=case, status="open", on=opened
            )
        if roll == 5:
            # O1: the case manager recommends the closure; it is routed to the lightest-
            # loaded specialist of the case's region (O4).
            holder = case.assignments.get(ends_on__isnull=True, kind="primary").worker
            recommendations.recommendation_submit(
                actor=holder.user, case=case, kind="closure", reasons=ref.CLOSURE_REASONS
            )
            case.refresh_from_db()
        return case

    def closed_by_review(self, case, worker, closed_on: date) -> Case:
        """O1: an earlier case closed through the state's approval of its closure
        recommendation, on a past day: the recommendation and its one round as they were
        (the demo writes the history it cannot live through), the case moved by the
        recommendation's flags."""
        submitted_on = closed_on - timedelta(days=7)
        at = datetime.combine(submitted_on, time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
        cases.case_change_status(
            actor=worker.user,
            case=case,
            status="closure_recommended",
            on=submitted_on,
            by_recommendation=True,
        )
        # O4: the move routed the case to a specialist of its region, who reviewed it.
        reviewer = case.access_grants.get(purpose="oversight", ends_on__isnull=True).staff
        rec = Recommendation.objects.create(
            case=case,
            kind="closure",
            status="approved",
            reasons=ref.CLOSURE_REASONS,
            submitted_by=worker,
            reviewer=reviewer,
            due_on=submitted_on + timedelta(days=7),
            decided_on=closed_on,
        )
        rnd = RecommendationRound.objects.create(
            recommendation=rec,
            number=1,
            reasons=rec.reasons,
            submitted_by=worker,
            submitted_at=at,
            sent_to_state_at=at,
            reviewer=reviewer,
            decision="approved",
            decided_by=reviewer,
            decided_at=at + timedelta(days=7),
        )
        Finding.objects.bulk_create(
            Finding(round=rnd, code=code, met=True, explanation=ref.FINDING_EXPLANATION)
            for code in ("reasonable_efforts", "threats_mitigated", "aftercare", "best_interest")
        )
        return cases.case_change_status(
            actor=reviewer.user, case=case, status="closed", on=closed_on, closure_approved=True
        )


def build_demo(seed: int = 1, families: int = 150, out=None) -> dict:
    return DemoBuilder(seed=seed, families=families).build(out)
