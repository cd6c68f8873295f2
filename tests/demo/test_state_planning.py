"""The state seed's case planning records at a tiny size (PostgreSQL: it loads with COPY),
and issue 12's bench rows: the due list floors run, and a page whose URL does not resolve
is skipped with a loud message."""

from io import StringIO

import pytest
from django.db import connection, transaction
from django.db.models import Count

from bench import floors
from bench import planning as bench_planning
from hearth.cases.models import CaseMember
from hearth.core.services import today
from hearth.demo.state import build_state
from hearth.people.models import Person
from hearth.planning.models import (
    ActionStep,
    Assessment,
    CasePlan,
    NeedResponse,
    PlanSignature,
    Provider,
    Rating,
    ServiceReferral,
    TeamMeeting,
    TribeContact,
)
from hearth.staff.models import StaffMember
from tests.demo.planning_catalogue import make_catalogue

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the state seed loads with COPY (PostgreSQL)"
)


@pytest.fixture(scope="module")
def state(django_db_setup, django_db_blocker):
    """A state seed at 1% with a small planning catalogue, rolled back after the module."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            make_catalogue()
            yield build_state(seed=5, factor=0.01, out=StringIO())
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.mark.django_db
class TestStatePlanning:
    def test_planning_rows_for_a_share_of_the_open_cases(self, state):
        assert state["case plans"] == CasePlan.objects.count() > 100
        assert state["ratings"] == Rating.objects.count()
        assert state["providers"] == Provider.objects.count() == 3
        for model in (Assessment, NeedResponse, PlanSignature, ServiceReferral, TeamMeeting):
            assert model.objects.exists(), model
        assert not CasePlan.objects.filter(case__status="closed").exists()
        # The bench's large plan: the demo case manager's, four goals of three objectives
        # of three steps.
        worker = StaffMember.objects.get(user__username="casemanager")
        steps = (
            CasePlan.objects.filter(case__assignments__worker=worker)
            .annotate(n=Count("goals__objectives__steps", distinct=True))
            .values_list("n", flat=True)
        )
        assert max(steps) == 36 and min(steps) < 36
        # The ids the seed handed out: the sequences moved past them.
        plan = CasePlan.objects.order_by("pk").first()
        step = ActionStep.objects.filter(objective__goal__plan=plan).first()
        step.pk = None
        step.save()
        assert step.pk > ActionStep.objects.exclude(pk=step.pk).order_by("-pk")[0].pk

    def test_tribal_children_and_their_tribe_contacts(self, state):
        """C7: the seed gives a few families' children a tribe; most tribes are contacted."""
        tribal = Person.objects.filter(tribes__isnull=False)
        assert tribal.exists()
        assert not tribal.exclude(icwa_applies="yes").exists()
        for t in TribeContact.objects.all():
            assert CaseMember.objects.filter(case=t.case_id, person=t.child_id).exists()
            assert tribal.filter(pk=t.child_id, tribes=t.tribe_id).exists()
            assert t.contacted_on <= today()

    def test_need_responses_and_signatures_are_of_the_plans_case(self, state):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FROM planning_needresponse r
                JOIN planning_caseplan p ON p.id = r.plan_id
                JOIN planning_rating g ON g.id = r.rating_id
                JOIN planning_assessment a ON a.id = g.assessment_id
                WHERE a.case_id <> p.case_id OR g.score < 2
                """
            )
            assert cursor.fetchone()[0] == 0
            cursor.execute(
                """
                SELECT count(*) FROM planning_plansignature s
                JOIN planning_caseplan p ON p.id = s.plan_id
                WHERE s.person_id IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM cases_casemember m
                    WHERE m.case_id = p.case_id AND m.person_id = s.person_id)
                """
            )
            assert cursor.fetchone()[0] == 0

    def test_the_due_floors_run_and_missing_pages_are_skipped_loudly(self, state, capsys):
        worker = StaffMember.objects.get(user__username="casemanager")
        supervisor = StaffMember.objects.get(user__username="supervisor")
        params = floors.due_params(worker.pk, supervisor.unit_id)
        mine = floors.run_sql(floors.DUE_LIST_SQL, params)
        unit = floors.run_sql(floors.UNIT_OVERDUE_SQL, params)
        assert mine and unit
        assert all(row[1] <= params["until"] for row in mine)
        assert all(row[1] < params["today"] for row in unit)
        skipped = []
        rows, info = bench_planning.planning_scenarios(
            worker, supervisor, (None, None), ({}, {}, {}, {}), skipped
        )
        names = {r[0] for r in rows}
        err = capsys.readouterr().err
        for url, what in (
            ("due_list", "due list page"),
            ("unit_due", "unit overdue page"),
        ):
            if bench_planning.page(url, (supervisor.unit_id,) if url == "unit_due" else ()):
                assert any(what in n for n in names)
            else:
                assert any(url in s for s in skipped)
                assert "SKIPPED: the" in err and f"no URL named {url}" in err
        assert info["large"].steps == 36
