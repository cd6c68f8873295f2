"""P9, the one due list: a worker's open obligations of every source (contacts V1 to V13,
placements P5, planning C1, C3, C5, C7), by due date, grouped overdue / due this week /
upcoming; a unit's overdue items by worker for its supervisor and the program director;
a case's next obligations on its page. Fixed query counts whatever the caseload."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.placements.services import child_place
from hearth.planning.selectors import due as due_selectors
from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, UnitFactory, make_case
from tests.planning.due.conftest import add


def test_p9_the_engines_rows_of_every_source_are_on_the_workers_due_list(family, removed, worker):
    """The rows the engine writes (the contact requirements V1 to V12 of the month, and
    P5 after a placement) join the list unchanged, by due date."""
    child_place(
        actor=worker.user,
        episode=removed,
        starts_on=today(),
        choice=f"relative:{family['aunt'].pk}",
    )
    due = due_selectors.due_list(viewer=worker.user)
    engine = Obligation.objects.filter(
        case=family["case"],
        met_on__isnull=True,
        excused_reason="",
        due_on__lte=today() + timedelta(days=due_selectors.DEFAULT_HORIZON_DAYS),
    )
    assert {o.pk for o in due.items} == set(engine.values_list("pk", flat=True))
    rules = {o.rule for o in due.items}
    assert "P5" in rules and any(r.startswith("V") for r in rules)
    assert [o.due_on for o in due.items] == sorted(o.due_on for o in due.items)


def test_p9_due_list_orders_and_groups_across_sources(case, worker, clean):
    """Overdue C1 first, then V1 and P5 due this week, then C5 upcoming; C3 beyond the
    horizon, a met C7, an excused V2 and a colleague's item are left out."""
    clean()
    child = case.members.get(role="child").person
    colleague = StaffFactory(unit=worker.unit)
    c1 = add(case, rule="C1", days=-3)
    p5 = add(case, rule="P5", days=5, source="placements", person=child)
    v1 = add(case, rule="V1", days=0, source="contacts", person=child)
    c5 = add(case, rule="C5", days=20)
    add(case, rule="C3", days=40)
    add(case, rule="C7", days=2, met_on=today(), evidence_type="tribe_contact", evidence_id=1)
    add(case, rule="V2", days=1, source="contacts", excused_reason="Exception approved")
    add(case, rule="C9", days=1, responsible=colleague)

    due = due_selectors.due_list(viewer=worker.user, horizon_days=30)

    assert [o.pk for o in due.items] == [c1.pk, v1.pk, p5.pk, c5.pk]
    assert [(o.rule, o.group, o.state, o.days_left) for o in due.items] == [
        ("C1", "overdue", "overdue", -3),
        ("V1", "week", "due", 0),
        ("P5", "week", "due", 5),
        ("C5", "later", "due", 20),
    ]
    assert due.items[0].days_over == 3
    assert due.counts == {"overdue": 1, "week": 2, "later": 1}
    groups = {g: [o.rule for o in items] for g, _, items in due.groups}
    assert groups == {"overdue": ["C1"], "week": ["V1", "P5"], "later": ["C5"]}
    # A longer horizon reaches C3; a state filter keeps only the overdue.
    assert "C3" not in [o.rule for o in due_selectors.due_list(viewer=worker.user).items]
    longer = due_selectors.due_list(viewer=worker.user, horizon_days=60)
    assert "C3" in [o.rule for o in longer.items]
    only = due_selectors.due_list(viewer=worker.user, states=["overdue"])
    assert [o.rule for o in only.items] == ["C1"]


def test_p9_due_list_page_shows_urgency_in_colour_and_words(case, worker, as_user, clean):
    clean()
    child = case.members.get(role="child").person
    add(case, rule="C1", days=-2)
    add(case, rule="P5", days=3, source="placements", person=child)
    add(case, rule="C5", days=15)
    r = as_user(worker).get(reverse("due_list"))
    assert r.status_code == 200
    text = r.content.decode()
    assert '<span class="usa-tag bg-secondary-dark">Overdue</span>' in text
    assert '<span class="usa-tag bg-gold text-ink">Due this week</span>' in text
    assert '<span class="usa-tag bg-base-dark">Upcoming</span>' in text
    assert "2 days overdue" in text and "3 days left" in text and "15 days left" in text
    assert child.full_name in text and case.case_number in text
    assert "1 overdue, 1 due this week, 1 upcoming in the next 30 days" in text
    # The nav links to it; each item shown is in the access log.
    assert f'href="{reverse("due_list")}"' in text
    assert AccessLog.objects.filter(user=worker.user, object_type="obligation").count() == 3


def test_p9_due_list_page_refuses_a_bad_horizon_with_422(worker, as_user):
    r = as_user(worker).get(reverse("due_list"), {"horizon": "-4"})
    assert r.status_code == 422
    assert "usa-error-message" in r.content.decode()


def test_p9_a_worker_sees_only_their_own_items(case, worker, supervisor, as_user, clean):
    clean()
    other_case = make_case(
        actor_staff=supervisor,
        worker=StaffFactory(unit=worker.unit),
        members=[(PersonFactory(first_name="Zed", last_name="Elsewhere"), "child")],
    )
    clean()
    add(case, rule="C1", days=-1)
    add(other_case, rule="C5", days=-1)
    text = as_user(worker).get(reverse("due_list")).content.decode()
    assert case.case_number in text and other_case.case_number not in text
    assert "Elsewhere" not in text


@pytest.fixture
def unit_world(world, clean):
    """Overdue items of unit A's two workers and of unit B's, and one not yet due."""
    clean()
    w = world["staff"]
    mine, colleagues = world["cases"]["mine"], world["cases"]["colleagues"]
    others = world["cases"]["other_units"]
    add(mine, rule="C1", days=-5)
    add(mine, rule="C5", days=4)
    add(colleagues, rule="V1", days=-2, source="contacts")
    add(others, rule="P5", days=-1, source="placements")
    return {"unit_a": w["worker"].unit, "unit_b": others.unit, **w}


def test_p9_the_supervisor_sees_their_units_overdue_items_by_worker(unit_world, as_user):
    r = as_user(unit_world["supervisor"]).get(reverse("unit_due", args=[unit_world["unit_a"].pk]))
    assert r.status_code == 200
    text = r.content.decode()
    assert unit_world["worker"].full_name in text and unit_world["holder"].full_name in text
    assert "2 overdue items, 2 workers" in text
    assert 'data-label="Rule">C5<' not in text  # not overdue
    workers = due_selectors.unit_overdue(
        viewer=unit_world["supervisor"].user, unit=unit_world["unit_a"]
    )
    assert sorted((w.worker_id, [o.rule for o in w.items]) for w in workers) == sorted(
        [(unit_world["worker"].pk, ["C1"]), (unit_world["holder"].pk, ["V1"])]
    )


def test_p9_another_units_overdue_list_is_a_404(unit_world, as_user):
    """due.unit reaches the supervisor's own unit only; a case manager reads none; the
    program director (due.agency) every unit of the agency, no other agency's."""
    a, b = unit_world["unit_a"].pk, unit_world["unit_b"].pk
    rival = unit_world["rival_sup"].unit_id
    expected = {
        "supervisor": {a: 200, b: 404, rival: 404},
        "far_sup": {a: 404, b: 200, rival: 404},
        "worker": {a: 404, b: 404, rival: 404},
        "director": {a: 200, b: 200, rival: 404},
        "rival_sup": {a: 404, b: 404, rival: 200},
    }
    for who, answers in expected.items():
        client = as_user(unit_world[who])
        for unit_id, status in answers.items():
            r = client.get(reverse("unit_due", args=[unit_id]))
            assert r.status_code == status, (who, unit_id)


def test_p9_the_nav_links_each_role_to_its_due_list(world, as_user):
    w = world["staff"]
    worker_text = as_user(w["worker"]).get(reverse("due_list")).content.decode()
    assert "My due list" in worker_text and "Overdue in my unit" not in worker_text
    sup_text = as_user(w["supervisor"]).get(reverse("due_list")).content.decode()
    assert f'href="{reverse("unit_due", args=[w["supervisor"].unit_id])}"' in sup_text
    director_text = as_user(w["director"]).get(reverse("due_list")).content.decode()
    assert "Due lists" in director_text
    assert f'href="{reverse("unit_due", args=[w["far_sup"].unit_id])}"' in director_text


def _caseload(supervisor, worker, n):
    cases = [
        make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])
        for _ in range(n)
    ]
    for case in cases:
        add(case, rule="C1", days=-1)
        add(case, rule="C5", days=3)
    return cases


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_p9_due_list_query_count_does_not_grow_with_the_caseload(
    supervisor, worker, as_user, django_assert_max_num_queries
):
    """One case or twelve: the same queries for the page and for the unit's list (one for
    the obligations with their cases and people; the rest are the session, the viewer and
    the access log's one insert)."""
    client = as_user(worker)
    client.get(reverse("home"))  # the session's clocks start
    boss = as_user(supervisor)
    boss.get(reverse("home"))
    _caseload(supervisor, worker, 1)
    small = _queries(client, reverse("due_list"))
    small_unit = _queries(boss, reverse("unit_due", args=[worker.unit_id]))
    _caseload(supervisor, worker, 11)
    with django_assert_max_num_queries(small):
        client.get(reverse("due_list"))
    with django_assert_max_num_queries(small_unit):
        boss.get(reverse("unit_due", args=[worker.unit_id]))
    assert small <= 16


def test_p9_the_case_page_shows_its_next_obligations_of_every_source(case, worker, as_user, clean):
    clean()
    child = case.members.get(role="child").person
    add(case, rule="C1", days=-1)
    add(case, rule="P5", days=2, source="placements", person=child)
    add(case, rule="C7", days=1, met_on=today(), evidence_type="tribe_contact", evidence_id=1)
    text = as_user(worker).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="planning"' in text and 'id="next-due"' in text
    section = text.split('id="next-due"')[1].split('id="contacts"')[0]
    assert "C1" in section and "P5" in section and "C7" not in section
    assert section.index("C1") < section.index("P5")
    assert "Overdue" in section and "Due this week" in section


def test_p9_case_due_lists_open_items_by_date(case, clean):
    clean()
    later = add(case, rule="C5", days=60)
    soon = add(case, rule="C1", days=1)
    assert [o.pk for o in due_selectors.case_due(case)] == [soon.pk, later.pk]
    assert [o.pk for o in due_selectors.case_due(case, horizon_days=30)] == [soon.pk]


def test_p9_due_list_of_someone_without_a_staff_record_is_empty(db, django_user_model):
    user = django_user_model.objects.create_user("nobody")
    assert due_selectors.due_list(viewer=user).items == []


def test_p9_a_case_of_another_unit_does_not_reach_a_supervisors_unit_list(world, clean):
    clean()
    unit_c = UnitFactory(agency=world["staff"]["worker"].agency, name="Unit C")
    StaffFactory(unit=unit_c, roles=[Role.SUPERVISOR])
    add(world["cases"]["other_units"], rule="C1", days=-3)
    assert due_selectors.unit_overdue(viewer=world["staff"]["supervisor"].user, unit=unit_c) == []
