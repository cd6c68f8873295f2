"""Each role's home (issue 15): the urgent first, with a text label; the API says the
same (GET /api/v1/me/home); a fixed number of queries whatever the caseload; the policy
settings page validates as the API does."""

from datetime import timedelta

import pytest
from django.urls import reverse

from hearth.core.services import today
from hearth.placements.models import RemovalEpisode, ResourceHome
from hearth.placements.services import placements as placement_services
from hearth.placements.services import removals as removal_services
from hearth.reports import homes
from hearth.staff.models import Agency, Role
from tests.api.conftest import ApiClient
from tests.factories import PersonFactory, StaffFactory, make_case, remove_with_plan


def _in_care(supervisor, worker, *, shelter_days=None, plan=True):
    """A case of the worker's with a child removed on its opening day (60 days ago), with a
    visitation plan awaiting signatures (or none), placed in a shelter `shelter_days` ago."""
    child = PersonFactory()
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[(child, "child")],
    )
    if plan:
        episode, _ = remove_with_plan(actor=supervisor.user, case=case, child=child)
    else:
        episode = removal_services.child_remove(
            actor=supervisor.user,
            case=case,
            child=child,
            removed_on=case.opened_on,
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )
    if shelter_days is not None:
        placement_services.child_place(
            actor=supervisor.user,
            episode=episode,
            starts_on=today() - timedelta(days=shelter_days),
            setting="shelter",
            provider_name="County shelter",
            departure_reason="No family home free tonight",
        )
    return case, child


def test_days_label_is_words():
    assert homes.days_label(-12) == "Overdue 12 days"
    assert homes.days_label(-1) == "Overdue 1 day"
    assert homes.days_label(0) == "Due today"
    assert homes.days_label(3) == "Due in 3 days"


def test_case_manager_home_puts_overdue_first_then_children_needing_action(
    supervisor, worker, as_user
):
    # P2, P6: a child in a shelter 40 days with no visitation plan; another whose plan
    # awaits signatures. The cases were opened 60 days ago: their first case plan (C1) is
    # overdue.
    _, sheltered = _in_care(supervisor, worker, shelter_days=40, plan=False)
    _, waiting = _in_care(supervisor, worker)
    home = homes.case_manager_home(worker.user)
    urgencies = [i.urgency for i in home.items]
    assert urgencies == sorted(urgencies, key=homes.RANK.get)
    first = home.items[0]
    assert first.urgency == "overdue" and first.label.startswith("Overdue ")
    kinds = {(i.kind, i.person_id): i for i in home.items}
    assert kinds[("no_visitation_plan", sheltered.pk)].label == "No plan, in care 60 days"
    assert kinds[("long_shelter_stay", sheltered.pk)].label == "In a shelter 40 days"  # P2
    assert kinds[("long_shelter_stay", sheltered.pk)].rule == "P2"
    assert ("plan_signatures", waiting.pk) in kinds  # P6
    assert ("long_shelter_stay", waiting.pk) not in kinds
    page = as_user(worker).get("/").content.decode()
    assert page.index(first.label) < page.index("In a shelter 40 days")
    assert "Needs action" in page and "Overdue" in page


def test_shelter_stay_limit_is_the_agencys_setting(supervisor, worker):
    _in_care(supervisor, worker, shelter_days=20)
    assert not [i for i in homes.case_manager_home(worker.user).items if i.rule == "P2"]
    worker.agency.policy_overrides = {"shelter_stay_days": 14}
    worker.agency.save()
    worker.refresh_from_db()
    items = [i for i in homes.case_manager_home(worker.user).items if i.rule == "P2"]
    assert [i.label for i in items] == ["In a shelter 20 days"]


def test_the_api_says_what_the_home_shows(supervisor, worker):
    case, child = _in_care(supervisor, worker, plan=False)
    body = ApiClient(worker.user).get("/api/v1/me/home").json()
    assert body["role"] == "case_manager"
    assert body["items"][0]["urgency"] == "overdue"
    assert body["items"][0]["label"].startswith("Overdue ")
    no_plan = [i for i in body["items"] if i["kind"] == "no_visitation_plan"]
    assert no_plan and no_plan[0]["person_id"] == child.pk and no_plan[0]["tag"] == "Needs action"
    assert body["counts"]["overdue"] >= 1


def test_the_api_names_the_landing_of_other_roles(agency):
    intake = StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])
    body = ApiClient(intake.user).get("/api/v1/me/home").json()
    assert body == {**body, "role": "none", "landing": reverse("intake_queue")}


def test_supervisor_home_shows_overdue_by_worker_and_referrals(supervisor, worker, as_user):
    make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    referral = make_case(actor_staff=supervisor, unit=supervisor.unit)
    home = homes.supervisor_home(supervisor.user)
    mine = [w for w in home.overdue_by_worker if w.worker_id == worker.pk]
    assert mine and mine[0].overdue >= 1  # the referral's, with no worker yet, too
    assert [r.case_number for r in home.referrals] == [referral.case_number]
    assert home.referrals[0].age_days == 60 and home.referrals[0].flagged
    body = ApiClient(supervisor.user).get("/api/v1/me/home").json()
    assert body["role"] == "supervisor" and body["referrals"][0]["age_days"] == 60
    page = as_user(supervisor).get("/").content.decode()
    assert "Waiting 60 days" in page and worker.full_name in page


def test_supervisor_sees_workers_over_capacity(supervisor, worker):
    for _ in range(2):
        make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    worker.agency.policy_overrides = {"full_caseload": 1, "new_worker_cap_ramp": [[31, 1]]}
    worker.agency.save()
    home = homes.supervisor_home(supervisor.user)
    assert [w.worker_id for w in home.over_capacity] == [worker.pk]
    assert home.over_capacity[0].load_percent == 200


def test_director_home_has_queue_age_and_workers_at_limits(supervisor, worker, agency, as_user):
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    make_case(actor_staff=supervisor, unit=supervisor.unit)
    make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
    agency.policy_overrides = {"full_caseload": 1, "new_worker_cap_ramp": [[31, 1]]}
    agency.save()
    home = homes.director_home(director.user)
    assert home.queue.waiting == 1 and home.queue.oldest_days == 60 and home.queue.over_flag == 1
    assert worker.pk in [w.worker_id for w in home.at_limits]
    assert {f.measure for f in home.figures} == set(homes.MONTHLY_MEASURES)
    assert all(f.trend for f in home.figures)
    page = as_user(director).get("/").content.decode()
    assert "waiting more than 3 days" in page and "Policy settings" in page


def test_a_lapsed_licence_warns_the_placing_worker_and_the_director(
    supervisor, worker, agency, as_user
):
    # P2 (a licensed resource family home): the case manager whose child lives in a home
    # whose licence has expired sees it overdue; one expiring within licence_warning_days
    # needs action; the director sees both homes to renew, expired first.
    lapsed = ResourceHome.objects.create(
        name="Lapsed home",
        setting="resource_family_home",
        capacity=2,
        agency=agency,
        licence_expires_on=today() - timedelta(days=3),
    )
    soon = ResourceHome.objects.create(
        name="Renewing home",
        setting="resource_family_home",
        capacity=2,
        agency=agency,
        licence_expires_on=today() + timedelta(days=10),
    )
    later = ResourceHome.objects.create(
        name="Licensed home",
        setting="resource_family_home",
        capacity=2,
        agency=agency,
        licence_expires_on=today() + timedelta(days=365),
    )
    children = {}
    for home in (lapsed, soon, later):
        case, child = _in_care(supervisor, worker)
        episode = RemovalEpisode.objects.get(child=child, exited_on__isnull=True)
        placement_services.child_place(
            actor=supervisor.user,
            episode=episode,
            starts_on=today() - timedelta(days=20),
            choice=f"home:{home.pk}",
        )
        children[home.name] = child
    items = {
        i.person_id: i
        for i in homes.case_manager_home(worker.user).items
        if i.kind == "home_licence"
    }
    assert set(items) == {children["Lapsed home"].pk, children["Renewing home"].pk}
    expired = items[children["Lapsed home"].pk]
    assert (expired.urgency, expired.label, expired.rule) == (
        "overdue",
        "Licence expired 3 days ago",
        "P2",
    )
    assert items[children["Renewing home"].pk].label == "Licence expires in 10 days"
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    assert [h.name for h in homes.director_home(director.user).licences] == [
        "Lapsed home",
        "Renewing home",
    ]
    page = as_user(director).get("/").content.decode()
    assert "Licences to renew (2)" in page and "Lapsed home" in page
    body = ApiClient(director.user).get("/api/v1/me/home").json()
    assert [h["licence_state"] for h in body["licences"]] == ["expired", "expiring"]


def _grow(supervisor, worker, n):
    for _ in range(n):
        case, _ = _in_care(supervisor, worker, shelter_days=40, plan=False)
    make_case(actor_staff=supervisor, unit=supervisor.unit)  # a referral waiting


@pytest.mark.parametrize("n", [1, 5])
def test_each_home_takes_a_fixed_number_of_queries(
    supervisor, worker, agency, as_user, n, django_assert_max_num_queries
):
    agency.policy_overrides = {"full_caseload": 40}
    agency.save()
    _grow(supervisor, worker, n)
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    # The page's own queries, then its access log entry (5; 3 outside a test's
    # transaction); the same whatever the caseload.
    for staff, most in ((worker, 13), (supervisor, 18), (director, 14)):
        c = as_user(staff)
        c.get(reverse("account"))  # the session's clocks start
        with django_assert_max_num_queries(most):
            r = c.get("/")
        assert r.status_code == 200


# --- The policy settings page --------------------------------------------------------


@pytest.fixture
def director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


def _post(c, agency, **fields):
    data = {"version": agency.version, **fields}
    return c.post(reverse("policy_settings"), data)


def test_policy_page_saves_a_change_with_its_history(director, agency, as_user):
    c = as_user(director)
    assert c.get(reverse("policy_settings")).status_code == 200
    r = _post(c, agency, new_worker_case_cap="4", shelter_stay_days="21")
    assert r.status_code == 302
    agency.refresh_from_db()
    assert agency.policy_overrides == {"new_worker_case_cap": 4, "shelter_stay_days": 21}
    assert agency.history.first().history_user == director.user
    page = c.get(reverse("policy_settings")).content.decode()
    assert "shelter_stay_days" in page and director.user.username in page


def test_policy_page_refuses_as_the_api_does_naming_each_field(director, agency, as_user):
    c = as_user(director)
    r = _post(c, agency, new_worker_case_cap="four", new_worker_cap_ramp="[[45, 8], [91, 15]]")
    assert r.status_code == 422
    form = r.context["form"]
    assert form.errors["new_worker_case_cap"] == ["must be a whole number, zero or more"]
    r = _post(c, agency, new_worker_cap_ramp="[[45, 8], [91, 15]]")
    api = ApiClient(director.user).put(
        f"/api/v1/agencies/{agency.code}/policy",
        {"overrides": {"new_worker_cap_ramp": [[45, 8], [91, 15]]}, "version": agency.version},
    )
    assert api.status_code == 422
    message = r.context["form"].errors["new_worker_cap_ramp"][0]
    assert f"new_worker_cap_ramp: {message}" in api.json()["errors"]["overrides"]
    agency.refresh_from_db()
    assert agency.policy_overrides == {}


def test_policy_page_is_the_directors(world, as_user):
    assert as_user(world["staff"]["worker"]).get(reverse("policy_settings")).status_code == 403
    assert as_user(world["staff"]["supervisor"]).get(reverse("policy_settings")).status_code == 403
    assert Agency.objects.filter(pk=world["staff"]["director"].agency_id).exists()
