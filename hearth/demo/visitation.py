"""The demo's visitation (P5 to P7): for children the placement demo put in care, a
visitation plan with its arrangements and signatures, family visits held and missed, and
a placement conference, all through hearth.placements.services. It draws from the
placement demo's random source, after it."""

from datetime import time, timedelta

from hearth.cases.models import Case, CaseMember
from hearth.placements.models import Placement, RemovalEpisode
from hearth.placements.selectors import child_facts
from hearth.policy import placement as rules
from hearth.visitation import services
from hearth.visitation.models import PlanParticipant, VisitationPlan


class VisitationDemo:
    def __init__(self, care):
        self.care = care  # the PlacementDemo: its random source, day, homes and workers
        self.rng = care.rng
        self.fake = care.fake
        self.today = care.today

    def actor(self, case: Case):
        return self.care.actor(case)

    def plan(self, case: Case, child, *, signed: bool, visits: bool) -> VisitationPlan:
        rng = self.rng
        actor = self.actor(case)
        episode = self.care.in_care(child)
        placement = Placement.objects.select_related("home", "caregiver").get(
            child=child, ends_on__isnull=True
        )
        ctx = child_facts(episode, viewer=actor)
        members = {
            m.person_id: m.person
            for m in CaseMember.objects.filter(case=case).select_related("person")
        }
        parents = [members[p] for p in sorted(ctx.parent_ids) if p in members]
        reachable = [p for p in parents if p.whereabouts_known] or parents
        arrangements, participants, reason = [], [], ""
        for parent in reachable:
            far = parent.incarcerated
            if far:
                reason = "The father's facility allows one family visit a month."
            arrangements.append(
                dict(
                    visitor=parent,
                    visitor_name=parent.full_name,
                    visitor_role="parent",
                    frequency="monthly" if far else "weekly",
                    place="facility" if far else "visit_center",
                    location="County jail" if far else "",
                    supervised=True,
                    supervised_by="facility_staff" if far else "case_manager",
                    transport="worker" if far else "arranged",
                    evenings_weekends=not far,
                    day="saturday",
                    starts_at=time(13) if far else time(10),
                    ends_at=time(14) if far else time(12),
                )
            )
            participants.append(dict(name=parent.full_name, role="parent", person=parent))
        for sib in sorted(ctx.sibling_ids):
            if sib in members:
                arrangements.append(
                    dict(
                        visitor=members[sib],
                        visitor_name=members[sib].full_name,
                        visitor_role="sibling",
                        frequency="weekly",
                        place="visit_center",
                        supervised=False,
                        transport="arranged",
                        day="saturday",
                        starts_at=time(10),
                        ends_at=time(12),
                    )
                )
        if not arrangements:  # no parent or sibling to visit: the relatives visit
            arrangements.append(
                dict(
                    visitor_name=f"{self.fake.first_name()} {child.last_name}",
                    visitor_role="relative",
                    frequency="every_two_weeks",
                    place="community",
                    location="Public library",
                    supervised=False,
                )
            )
        if placement.caregiver_id:
            carer = placement.caregiver
            participants.append(dict(name=carer.full_name, role="resource_parent", person=carer))
        elif placement.home_id:
            role = (
                "resource_parent"
                if rules.setting_level(placement.setting) == rules.Level.RESOURCE_FAMILY
                else "provider"
            )
            participants.append(dict(name=self.care.caregiver_of[placement.home_id], role=role))
        else:
            participants.append(dict(name=placement.provider_name or "Provider", role="provider"))
        worker = self.care.worker_of[case.pk]
        participants.append(dict(name=worker.full_name, role="worker"))
        if (child.age_on(self.today) or 0) >= 12:
            participants.append(dict(name=child.full_name, role="child", person=child))
        start = placement.starts_on
        made_on = min(self.today, max(start + timedelta(days=7), self.today - timedelta(days=60)))
        if made_on < start:
            made_on = start
        plan = services.visit_plan_create(
            actor=actor,
            case=case,
            child=child,
            made_at=rng.choice(["family_team_meeting", "family_team_meeting", "other"]),
            made_on=made_on,
            arrangements=arrangements,
            participants=participants,
            less_than_weekly_reason=reason,
            notes="Visits move to unsupervised once two months of visits are held.",
        )
        for i, p in enumerate(plan.participants.order_by("id")):
            if not signed and i == len(participants) - 1:
                break  # still waiting for this signature
            on = min(self.today, made_on + timedelta(days=rng.randint(0, 2)))
            electronic = p.role in ("parent", "worker")
            services.visit_plan_sign(
                actor=actor,
                participant=p,
                method=PlanParticipant.Method.ELECTRONIC
                if electronic
                else PlanParticipant.Method.PAPER,
                signed_on=on,
                signed_as=p.name if electronic else "",
                copy_given_on=on,
            )
        if visits and reachable:
            self.visits(case, child, plan, reachable)
        return plan

    def visits(self, case: Case, child, plan: VisitationPlan, parents) -> None:
        """A handful of weekly visits over the last weeks the plan was in effect, oldest
        first: most held, two missed."""
        plan.refresh_from_db()
        first = plan.in_effect_on or plan.made_on
        missed = {
            2: "The mother did not come and did not call.",
            5: "The child was ill; the visit was moved to the next week.",
        }
        weeks = [self.today - timedelta(days=7 * k + 1) for k in range(8)]
        for week, on in enumerate(sorted(d for d in weeks if d > first)):
            services.family_visit_record(
                actor=self.actor(case),
                case=case,
                child=child,
                visit_on=on,
                status="missed" if week in missed else "held",
                reason=missed.get(week, ""),
                visitors=[] if week in missed else parents[:1],
                location="Family visit center",
                supervised=True,
            )

    def conference(self, case: Case) -> None:
        held_on = self.today - timedelta(days=2)
        in_care = RemovalEpisode.objects.filter(case=case, removed_on__lte=held_on).exclude(
            exited_on__lte=held_on
        )
        reviews = []
        for i, ep in enumerate(in_care.select_related("child").order_by("id")):
            reviews.append(
                {
                    "child": ep.child,
                    "decision": "continue",
                    "obstacles": "Bus fare to the visit center." if i == 0 else "",
                    "plan_to_overcome": "Monthly bus passes for the parents." if i == 0 else "",
                }
            )
        if not reviews:
            return
        worker = self.care.worker_of[case.pk]
        services.placement_conference_record(
            actor=self.actor(case),
            case=case,
            held_on=held_on,
            participants=f"{worker.full_name}, case manager\nThe parents\nThe resource parents",
            decisions="The placements continue. Visits stay weekly and supervised; the team "
            "reviews unsupervised visits at the next conference.",
            reviews=reviews,
        )
