from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseMeeting
from hearth.demo import reference as ref
from hearth.people.models import Person
from hearth.placements.models import (
    PermanencyGoal,
    Placement,
    RemovalEpisode,
    ResourceHome,
    Setting,
)
from hearth.policy import placement as rules
from hearth.staff.models import Role, StaffMember, Unit
from hearth.visitation.models import FamilyVisit, VisitationPlan

DIRECTORY_SETTINGS = set(Setting.values) - {"relative_home"} - rules.STATUS_SETTINGS


def _seed(seed=1, families=24) -> str:
    out = StringIO()
    call_command(
        "seed", "--scale", "demo", "--seed", str(seed), "--families", str(families), stdout=out
    )
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """One demo agency (40 families) shared by the tests of a class, rolled back after
    them: seeding is the slow part. Yields what the seed command printed."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            yield _seed(families=40)
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.mark.django_db
class TestDemoAgency:
    def test_every_role_has_a_sign_in_and_the_seed_prints_them(self, demo):
        User = get_user_model()
        for username, _ in ref.DEMO_SIGNINS:
            assert User.objects.get(username=username).check_password(ref.DEMO_PASSWORD)
            assert username in demo
            # The demo sign-ins keep the printed password (no first-sign-in change).
            assert not StaffMember.objects.get(user__username=username).must_change_password
        assert len(ref.DEMO_PASSWORD) >= 12
        roles = {
            "casemanager": Role.CASE_MANAGER,
            "supervisor": Role.SUPERVISOR,
            "director": Role.PROGRAM_DIRECTOR,
            "intake": Role.INTAKE_COORDINATOR,
            "oversight": Role.STATE_OVERSIGHT,
            "qa": Role.QA_REVIEWER,
            "admin": Role.ADMINISTRATOR,
        }
        for username, role in roles.items():
            assert StaffMember.objects.get(user__username=username).has_role(role)
        # Other synthetic staff cannot sign in with a password.
        others = User.objects.exclude(username__in=roles)
        assert not others.filter(password__startswith="pbkdf").exists()

    def test_covers_types_statuses_reopenings_and_the_support_unit(self, demo):
        assert set(Case.objects.values_list("case_type", flat=True)) == set(Case.Type.values)
        assert {"referred", "assigned", "open", "closed"} <= set(
            Case.objects.values_list("status", flat=True)
        )
        reopened = Case.objects.filter(prior_case__isnull=False).first()
        assert reopened and reopened.prior_case.status == "closed"
        icpc = Case.objects.filter(icpc=True).first()
        assert icpc.unit.kind == Unit.Kind.CASE_MANAGEMENT_SUPPORT  # A4
        assert StaffMember.objects.filter(status="departed").exists()
        assert CaseAccessGrant.objects.filter(purpose="oversight").exists()
        assert CaseAccessGrant.objects.filter(purpose="qa_review").exists()
        held = Assignment.objects.filter(worker__user__username="casemanager", ends_on__isnull=True)
        assert held.count() >= 3
        assert Case.history.exists() and Person.history.exists()

    def test_resource_directory(self, demo):
        homes = ResourceHome.objects.all()
        assert homes.count() == 40
        assert set(homes.values_list("setting", flat=True)) == DIRECTORY_SETTINGS
        assert homes.filter(indian_operated=True).count() == 1
        assert 2 <= homes.filter(tribes_approving__isnull=False).distinct().count() <= 3
        assert homes.filter(languages__code="es").exists()
        assert all(h.capacity >= 1 and h.min_age <= h.max_age for h in homes)
        assert ResourceHome.history.exists()

    def test_children_of_out_of_home_cases_are_removed_and_placed(self, demo):
        for case in Case.objects.filter(case_type="out_of_home").exclude(
            status__in=["closed", "referred"]
        ):
            children = set(case.members.filter(role="child").values_list("person", flat=True))
            assert set(case.episodes.values_list("child", flat=True)) == children
        # Placements follow one another inside their removal, never overlapping; the
        # last is open while the child is in care, and ends on the exit date after.
        episodes = RemovalEpisode.objects.prefetch_related("placements")
        assert episodes.filter(exited_on__isnull=True).count() >= 10
        assert episodes.filter(exited_on__isnull=False).exists()
        for episode in episodes:
            spans = sorted((p.starts_on, p.ends_on) for p in episode.placements.all())
            assert spans[0][0] == episode.removed_on
            for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False):
                assert end == next_start
            assert spans[-1][1] == episode.exited_on
            goals = PermanencyGoal.objects.filter(case=episode.case, child=episode.child)
            assert goals.filter(ends_on__isnull=True).count() == 1
        placements = Placement.objects.all()
        assert placements.exclude(move_reason="").exists()
        assert placements.exclude(departure_reason="").exists()
        assert placements.filter(setting="runaway", ends_on__isnull=True).exists()  # V11
        assert placements.filter(out_of_state=True, state="OH").exists()  # V12
        assert PermanencyGoal.objects.exclude(reason="").filter(ends_on__isnull=True).exists()

    def test_case_manager_holds_a_signed_plan_and_a_child_without_one(self, demo):
        held = Case.objects.filter(
            assignments__worker__user__username="casemanager", assignments__ends_on__isnull=True
        )
        in_care = RemovalEpisode.objects.filter(case__in=held, exited_on__isnull=True)
        plan = VisitationPlan.objects.filter(case__in=held, status="in_effect").first()
        assert plan is not None
        assert not plan.participants.filter(signed_on__isnull=True).exists()
        roles = set(plan.participants.values_list("role", flat=True))
        assert {"resource_parent", "provider"} & roles
        assert in_care.exclude(child__visit_plans__isnull=False).exists()
        visits = FamilyVisit.objects.filter(plan=plan)
        assert visits.filter(status="held").exists() and visits.filter(status="missed").exists()
        meeting = CaseMeeting.objects.get(kind="placement_conference", case=plan.case)
        assert meeting.visitation_reviews.filter(child=plan.child).exists()


class _Rollback(Exception):
    pass


def _fingerprint(seed: int) -> tuple:
    """Seed inside a savepoint, read what was made, then roll it back."""
    result = None
    try:
        with transaction.atomic():
            _seed(seed=seed, families=8)
            result = (
                sorted(Person.objects.values_list("first_name", "last_name", "date_of_birth")),
                sorted(Case.objects.values_list("case_number", "case_type", "status")),
                sorted(ResourceHome.objects.values_list("name", "setting", "capacity")),
                sorted(
                    Placement.objects.values_list(
                        "child__first_name", "starts_on", "setting", "home__name"
                    ),
                    key=str,
                ),
            )
            assert result[2] and result[3]
            raise _Rollback
    except _Rollback:
        pass
    return result


@pytest.mark.django_db
def test_demo_is_deterministic_for_a_seed_and_differs_between_seeds():
    first = _fingerprint(7)
    assert first == _fingerprint(7)
    assert first != _fingerprint(8)


@pytest.mark.django_db
def test_seed_if_empty_leaves_existing_data_alone():
    _seed(families=4)
    cases = Case.objects.count()
    out = StringIO()
    call_command("seed", "--scale", "demo", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert Case.objects.count() == cases
    # make demo runs this, and prints the sign-ins once, whether it seeded or not.
    for username, _ in ref.DEMO_SIGNINS:
        assert out.getvalue().count(f"  {username} ") == 1
