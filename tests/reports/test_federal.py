"""F1, the federal monthly caseworker visit measure, on a real database."""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench import floors
from hearth.contacts.services import contact_note_create
from hearth.placements import services as placements
from hearth.placements.models import RemovalEpisode
from hearth.reports import f1, federal
from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, make_case


def on(day: date):
    return timezone.make_aware(datetime.combine(day, time(11)))


@pytest.fixture
def fy2026(supervisor, worker):
    """FY 2026 (October 2025 to September 2026): two children in care."""
    ann = PersonFactory(first_name="Ann", last_name="Care", date_of_birth=date(2015, 1, 1))
    ben = PersonFactory(first_name="Ben", last_name="Care", date_of_birth=date(2007, 11, 15))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="out_of_home",
        opened_on=date(2025, 8, 1),
        members=[(ann, "child"), (ben, "child")],
    )
    for child in (ann, ben):
        ep = placements.child_remove(
            actor=worker.user,
            case=case,
            child=child,
            removed_on=date(2025, 9, 15),
            legal_basis="court_ordered",
            removal_reasons=["neglect"],
        )
        placements.child_place(
            actor=worker.user,
            episode=ep,
            starts_on=date(2025, 9, 15),
            setting="group_home",
            provider_name="Pine House",
            departure_reason="Only opening",
        )

    def visit(day, location, who=(ann,), method="in_person"):
        contact_note_create(
            actor=worker.user,
            author=worker,
            case=case,
            occurred_at=on(day),
            method=method,
            location=location,
            contact_with=list(who),
            narrative="Monthly visit.",
            finalize=True,
        )

    visit(date(2025, 10, 7), "placement", who=(ann, ben))  # Oct: both, in the residence
    visit(date(2025, 11, 4), "office")  # Nov: Ann, not in the residence
    visit(date(2025, 12, 2), "placement", method="attempted")  # Dec: an attempt only
    ann_episode = RemovalEpisode.objects.get(child=ann)
    placements.episode_exit(
        actor=worker.user,
        episode=ann_episode,
        exited_on=date(2026, 1, 20),
        exit_reason="reunification",
    )
    return {"case": case, "ann": ann, "ben": ben}


def test_f1_counts_full_months_under_18_and_in_person_visits(fy2026):
    rows = federal.f1(RemovalEpisode.objects.all(), 2026, upto=date(2026, 1, 31))
    (row,) = rows
    # Ann: Oct, Nov, Dec (discharged in January: not a full month). Ben: Oct only (18 on
    # 15 November). 4 full months; visited: Ann Oct, Ann Nov, Ben Oct = 3.
    assert (row.months, row.visited, row.in_residence) == (4, 3, 2)
    assert row.visited_pct == 75.0 and not row.meets_visits
    assert row.residence_pct == 66.7 and row.meets_residence


def test_f1_by_worker_and_the_unvisited_months(fy2026, worker):
    (row,) = federal.f1(RemovalEpisode.objects.all(), 2026, group="worker", upto=date(2026, 1, 31))
    assert row.key == worker.pk and row.months == 4
    missing = federal.unvisited(RemovalEpisode.objects.all(), 2026, upto=date(2026, 1, 31))
    assert [(m, e.child.first_name) for m, e in missing] == [(date(2025, 12, 1), "Ann")]


def test_f1_fiscal_year_runs_october_to_september():
    months = federal.fiscal_year_months(2026)
    assert months[0] == date(2025, 10, 1) and months[-1] == date(2026, 9, 1)
    assert federal.fiscal_year_of(date(2025, 10, 1)) == 2026
    assert federal.fiscal_year_of(date(2026, 9, 30)) == 2026


def test_f1_page_shows_the_definition_and_drills_down(client, supervisor, worker, fy2026):
    client.force_login(supervisor.user)
    page = client.get(reverse("f1_report") + "?fy=2026").content.decode()
    assert "How this is counted" in page and "Full months in care" in page
    drill = client.get(reverse("f1_report") + f"?fy=2026&worker={worker.pk}").content.decode()
    assert "Full months without an in-person visit" in drill and "Ann Care" in drill


def test_f1_page_query_count_does_not_grow_with_children(
    client, supervisor, fy2026, django_assert_max_num_queries
):
    client.force_login(supervisor.user)
    with django_assert_max_num_queries(40):  # a few per month of the year, whatever the size
        client.get(reverse("f1_report") + "?fy=2026")


def test_f1_a_visit_at_the_parents_home_is_in_the_residence_on_a_trial_home_visit(
    supervisor, worker
):
    """F1: the residence is where the child lives: on a trial home visit (still in foster
    care) the parents' home; before it, a visit at the parents' home is not in the
    residence. FY2025, November to January."""
    kid = PersonFactory(first_name="Kit", last_name="Home", date_of_birth=date(2016, 4, 4))
    mum = PersonFactory(first_name="Meg", last_name="Home", date_of_birth=date(1990, 4, 4))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="out_of_home",
        opened_on=date(2024, 9, 1),
        members=[(kid, "child"), (mum, "parent")],
    )
    episode = placements.child_remove(
        actor=worker.user,
        case=case,
        child=kid,
        removed_on=date(2024, 9, 10),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    placements.child_place(
        actor=worker.user,
        episode=episode,
        starts_on=date(2024, 9, 10),
        setting="group_home",
        provider_name="Pine House",
        departure_reason="Only opening",
    )
    placements.child_place(
        actor=worker.user,
        episode=episode,
        starts_on=date(2024, 12, 10),
        setting="trial_home_visit",
        move_reason="Trial home visit ordered by the court",
    )
    for day in (date(2024, 11, 5), date(2024, 12, 5), date(2025, 1, 7)):
        contact_note_create(
            actor=worker.user,
            author=worker,
            case=case,
            occurred_at=on(day),
            method="in_person",
            location="parents_home",
            contact_with=[kid, mum],
            narrative="Visit at the parents' home.",
            finalize=True,
        )
    by_month = {}
    for first in (date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1)):
        (row,) = federal.f1_months(RemovalEpisode.objects.all(), [first])
        by_month[first.month] = (row.months, row.visited, row.in_residence)
    # November: in the group home. December: the visit on the 5th, before the trial home
    # visit began on the 10th. January: at home on a trial home visit.
    assert by_month == {11: (1, 1, 0), 12: (1, 1, 0), 1: (1, 1, 1)}


def test_f1_page_for_one_worker_shows_that_workers_months_only(client, supervisor, worker, fy2026):
    """F1: the drill-down to a worker counts and lists the months they held on the first
    day, not the unit's; the total is theirs."""
    other = StaffFactory(unit=worker.unit, roles=[Role.CASE_MANAGER])
    client.force_login(supervisor.user)
    page = client.get(reverse("f1_report"), {"fy": 2026, "worker": other.pk})
    assert page.context["rows"] == [] and page.context["total"] is None
    assert page.context["missing"] == []
    page = client.get(reverse("f1_report"), {"fy": 2026, "worker": worker.pk})
    assert [r.key for r in page.context["rows"]] == [worker.pk]
    assert page.context["total"].months == page.context["rows"][0].months


def test_f1_figures_and_detail_are_one_query_each_on_postgresql(
    fy2026, supervisor, django_assert_num_queries
):
    """F1: on PostgreSQL the year's figures are one query and the year's child-month
    detail one more (scope and names inside it), whatever the number of children."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with django_assert_num_queries(1):
        federal.f1(RemovalEpisode.objects.all(), 2026, group="worker", upto=date(2026, 1, 31))
    with django_assert_num_queries(3):  # the viewer (staff, roles), then the detail
        months = list(f1.detail(supervisor.user, 2026, {}))
    assert {m.child_name for m in months} == {"Ann Care", "Ben Care"}


def test_f1_bench_floor_returns_f1s_rows_on_postgresql(fy2026):
    """F1: bench/floors.py's F1_SQL (the floor f1() is timed against) counts as f1()."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    upto = date(2026, 1, 31)
    rows = federal.f1(RemovalEpisode.objects.all(), 2026, group="agency", upto=upto)
    floor = floors.run_sql(floors.F1_SQL, floors.f1_params(2026, upto))
    assert floors.f1_rows(rows) == [tuple(r) for r in floor] and rows[0].months == 4
