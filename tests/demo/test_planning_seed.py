"""The demo's case planning and teaming records (hearth.demo.planning, issue 12): made in
bulk for the open cases, consistent with the cases they belong to (C1 to C9, P8), never
dated after today, and their obligations written as the engine would. Run on any frozen
day (HEARTH_TEST_TODAY: a month's last day, 29 February)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from hearth.cases.models import Assignment, Case, CaseMeeting, CaseMember
from hearth.core.services import now, today
from hearth.obligations.engine import rebuild
from hearth.obligations.models import Obligation
from hearth.planning.models import (
    ActionStep,
    Assessment,
    CasePlan,
    DiligentSearch,
    MeetingParticipant,
    NeedResponse,
    ParentingTimePlan,
    PlanSignature,
    ProgressReport,
    Provider,
    Rating,
    SafetyMeasure,
    SafetyPlan,
    ServiceReferral,
    StepProgress,
    TeamMeeting,
    TribeContact,
)
from tests.demo.planning_catalogue import make_catalogue

# Every day a planning record says something happened: none after today.
RECORDED_DAYS = [
    (Assessment, "assessed_on"),
    (CasePlan, "adopted_on"),
    (CasePlan, "approved_on"),
    (PlanSignature, "signed_on"),
    (PlanSignature, "copy_given_on"),
    (StepProgress, "recorded_on"),
    (ServiceReferral, "referred_on"),
    (ServiceReferral, "status_on"),
    (ProgressReport, "reported_on"),
    (CaseMeeting, "held_on"),
    (SafetyPlan, "made_on"),
    (SafetyPlan, "ended_on"),
    (DiligentSearch, "searched_on"),
    (TribeContact, "contacted_on"),
]
STAMPED = [Assessment, CasePlan, ServiceReferral, SafetyPlan, DiligentSearch, TribeContact]


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The demo (40 families) with a small planning catalogue, rolled back after the
    class's tests. Yields the seed command's output."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            make_catalogue()
            out = StringIO()
            call_command("seed", "--scale", "demo", "--families", "40", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def _members(case_id) -> set:
    return set(CaseMember.objects.filter(case=case_id).values_list("person_id", flat=True))


@pytest.mark.django_db
class TestDemoPlanning:
    def test_a_share_of_the_open_cases_has_each_kind_of_record(self, seeded):
        assert "assessments" in seeded and "case plans" in seeded
        open_cases = Case.objects.exclude(status__in=["closed", "referred"])
        planned = open_cases.filter(plans__isnull=False).distinct().count()
        assert 0.5 * open_cases.count() <= planned < open_cases.count()
        statuses = set(CasePlan.objects.values_list("status", flat=True))
        assert {"approved", "draft"} <= statuses
        assert statuses & {"adopted", "replaced"}
        assert Provider.objects.count() == 30 and Provider.objects.filter(services__isnull=False)
        for model in (
            Rating,
            NeedResponse,
            StepProgress,
            ServiceReferral,
            ProgressReport,
            TeamMeeting,
            SafetyMeasure,
            DiligentSearch,
        ):
            assert model.objects.exists(), model
        assert SafetyPlan.objects.filter(kind="domestic_violence").exists()
        assert NeedResponse.objects.exclude(not_addressed_reason="").exists()
        assert PlanSignature.objects.filter(agrees=False).exclude(disagreement="").exists()
        assert not Assessment.objects.filter(case__status__in=["closed", "referred"]).exists()
        # Models that keep history got their rows, as a service's save makes them.
        assert CasePlan.history.count() == CasePlan.objects.count()

    def test_plans_hold_two_to_four_goals_and_steps_name_who_what_when_outcome(self, seeded):
        """C2: every step names who, what, by when and the expected outcome."""
        goals = CasePlan.objects.annotate(n=Count("goals")).values_list("n", flat=True)
        assert set(goals) <= {2, 3, 4}
        assert not ActionStep.objects.filter(who_name="").exists()
        assert not ActionStep.objects.filter(what="").exists()
        assert not ActionStep.objects.filter(outcome="").exists()
        assert ActionStep.objects.filter(referral__isnull=False, who="provider").exists()
        # The demo case manager holds a large plan (the bench's plan page).
        large = (
            CasePlan.objects.filter(
                case__assignments__worker__user__username="casemanager",
                case__assignments__ends_on__isnull=True,
            )
            .annotate(steps=Count("goals__objectives__steps", distinct=True))
            .order_by("-steps")
            .first()
        )
        assert large is not None and large.steps == 36

    def test_signatures_belong_to_people_of_the_plans_case(self, seeded):
        """The parents, a youth of suitable age and the worker sign (recorded like the
        visitation plan's signatures)."""
        assert PlanSignature.objects.exists()
        for plan in CasePlan.objects.exclude(status="draft").prefetch_related("signatures"):
            members = _members(plan.case_id)
            workers = set(
                Assignment.objects.filter(case=plan.case_id).values_list("worker_id", flat=True)
            )
            roles = set()
            for s in plan.signatures.all():
                roles.add(s.role)
                if s.person_id is not None:
                    assert s.person_id in members, (plan.pk, s.pk)
                else:
                    assert s.role == "worker" and s.staff_id in workers
            assert "worker" in roles
        assert not CasePlan.objects.filter(status="draft", signatures__isnull=False).exists()
        # A plan in effect is signed by everyone; one awaiting approval may await some.
        assert not PlanSignature.objects.filter(
            plan__status__in=["approved", "replaced"], signed_on__isnull=True
        ).exists()

    def test_need_responses_answer_actionable_ratings_of_the_same_case(self, seeded):
        """C9: a plan answers its case's actionable needs (ratings of 2 or 3)."""
        rows = NeedResponse.objects.values_list(
            "plan__case_id", "rating__assessment__case_id", "rating__score", "rating__item__kind"
        )
        assert rows
        for plan_case, rating_case, score, kind in rows:
            assert plan_case == rating_case and score >= 2 and kind == "need"
        for r in NeedResponse.objects.exclude(goal=None).select_related("goal"):
            assert r.goal.plan_id == r.plan_id
        for r in NeedResponse.objects.exclude(objective=None).select_related("objective__goal"):
            assert r.objective.goal.plan_id == r.plan_id

    def test_referral_needs_are_actionable_needs_of_the_case(self, seeded):
        """P8, C9: a referral names the specific needs of its case it must meet."""
        referrals = ServiceReferral.objects.prefetch_related("needs__assessment", "needs__item")
        assert referrals
        for ref in referrals:
            assert ref.needs.exists()
            for rating in ref.needs.all():
                assert rating.assessment.case_id == ref.case_id
                assert rating.score >= 2 and rating.item.kind == "need"
            assert ref.person_id in _members(ref.case_id)
            assert ref.provider.services.filter(pk=ref.service_id).exists()
            assert ref.plan.case_id == ref.case_id
        assert not ServiceReferral.objects.filter(status="ended_early", ended_reason="").exists()

    def test_plans_are_adopted_at_meetings_the_family_attended(self, seeded):
        """C5: a version adopted at a family team meeting of its case, on its day."""
        family = ["parent", "youth", "relative", "resource_parent"]
        for plan in CasePlan.objects.exclude(status="draft").select_related("meeting"):
            m = plan.meeting
            assert m.case_id == plan.case_id and m.kind == "family_team_meeting"
            assert m.held_on == plan.adopted_on
            assert MeetingParticipant.objects.filter(
                meeting_id=m.pk, role__in=family, attended=True
            ).exists()
            if plan.approved_on:
                assert plan.approved_on >= plan.adopted_on and plan.approved_by_id
        assert MeetingParticipant.objects.exclude(input="").exists()
        assert CaseMeeting.objects.filter(kind="family_team_meeting", plans__isnull=True).exists()

    def test_parenting_time_for_every_parent(self, seeded):
        """C2: a parenting time plan for every parent, the non-custodial one included."""
        for plan in CasePlan.objects.all()[:200]:
            parents = set(
                CaseMember.objects.filter(
                    case=plan.case_id, role="parent", ends_on__isnull=True
                ).values_list("person_id", flat=True)
            )
            mine = set(
                ParentingTimePlan.objects.filter(plan=plan).values_list("parent_id", flat=True)
            )
            assert mine == parents

    def test_searches_and_tribe_contacts_name_people_of_the_case(self, seeded):
        """C6: a person found is one of the family; C7: the tribe of a child of the case."""
        for s in DiligentSearch.objects.exclude(found_person=None):
            assert s.found_person_id in _members(s.case_id)
        for t in TribeContact.objects.select_related("child"):
            assert t.child_id in _members(t.case_id)
            assert t.child.tribes.filter(pk=t.tribe_id).exists()
            assert t.contacted_on >= t.case.opened_on
        tribal = CaseMember.objects.filter(
            role="child", person__tribes__isnull=False, case__plans__isnull=False
        )
        if tribal.exists():
            assert TribeContact.objects.exists()

    def test_nothing_is_dated_after_today_or_before_the_case_opened(self, seeded):
        day0 = today()
        for model, name in RECORDED_DAYS:
            assert not model.objects.filter(**{f"{name}__gt": day0}).exists(), (model, name)
        for model in STAMPED:
            assert not model.objects.filter(created_at__gt=now()).exists(), model
        assert not StepProgress.objects.filter(recorded_at__gt=now()).exists()
        for model, name in (
            (Assessment, "assessed_on"),
            (CasePlan, "adopted_on"),
            (ServiceReferral, "referred_on"),
            (SafetyPlan, "made_on"),
            (DiligentSearch, "searched_on"),
        ):
            for day, opened in model.objects.exclude(**{name: None}).values_list(
                name, "case__opened_on"
            ):
                assert day >= opened, (model, name)


@pytest.mark.django_db
def test_planning_obligations_are_what_the_engine_rebuilds():
    """The seed writes the planning sources' obligations itself (no event announced its
    bulk rows): the same rows as the engine's rebuild, source by source (C1, C3, C5, C7)."""
    make_catalogue()
    call_command("seed", "--scale", "demo", "--families", "6", stdout=StringIO())
    cases = Case.objects.exclude(status__in=["closed", "referred"]).order_by("pk")
    fields = ["case_id", "rule", "due_on", "met_on", "evidence_id", "responsible_id", "unit_id"]
    mine = sorted(Obligation.objects.filter(source="planning").values_list(*fields), key=str)
    assert {row[1] for row in mine} >= {"C1", "C5"}
    assert any(row[3] for row in mine)  # some met by an adopted plan or a meeting
    rebuild(cases)
    assert mine == sorted(
        Obligation.objects.filter(source="planning").values_list(*fields), key=str
    )


@pytest.mark.django_db
def test_without_instruments_or_service_types_the_seed_makes_plans_without_needs():
    """The builder uses the configured instruments and service types: with none, no
    assessments, needs or referrals, and the rest as ever."""
    from hearth.planning.models import Instrument, ServiceType

    Instrument.objects.all().delete()
    ServiceType.objects.all().delete()
    call_command("seed", "--scale", "demo", "--families", "6", stdout=StringIO())
    assert not Assessment.objects.exists() and not ServiceReferral.objects.exists()
    assert not Provider.objects.exists()
    assert CasePlan.objects.exists() or not Case.objects.exclude(status="closed").exists()
