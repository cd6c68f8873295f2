"""F1 as data (issue 14): the figures through the API and as CSV, the same as the page's,
and the per-child-month detail, checked against a year worked by hand; scoped like the
page (case manager, supervisor, program director, the state) and written to the access
log when it names children."""

import csv
import io
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.contacts.services import contact_note_create
from hearth.core.models import AccessLog
from hearth.intake import services as intake_services
from hearth.placements import services as placements
from hearth.placements.models import RemovalEpisode
from hearth.reports import f1 as data
from hearth.staff.models import Agency, Role
from tests.api.conftest import ApiClient
from tests.factories import AgencyFactory, PersonFactory, StaffFactory, UnitFactory, make_case

FIGURES = "/api/v1/reports/f1"
DETAIL = "/api/v1/reports/f1/child-months"
FY = 2025  # October 2024 to September 2025: ended whatever day the tests run on


def on(day: date, hour: int = 11):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def remove(worker, case, child, removed_on, setting="resource_family_home"):
    episode = placements.child_remove(
        actor=worker.user,
        case=case,
        child=child,
        removed_on=removed_on,
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    placements.child_place(
        actor=worker.user,
        episode=episode,
        starts_on=removed_on,
        setting=setting,
        provider_name="Pine House",
        departure_reason="Only opening",
    )
    return episode


def leave(worker, child, exited_on, reason="reunification"):
    placements.episode_exit(
        actor=worker.user,
        episode=RemovalEpisode.objects.get(child=child, exited_on__isnull=True),
        exited_on=exited_on,
        exit_reason=reason,
    )


def visit(worker, case, day, location, who, method="in_person"):
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


@pytest.fixture
def year(agency, unit, other_unit, supervisor, worker):
    """FY2025 worked by hand (North Star, unit A: the `worker`'s case; unit B: another
    worker's; a rival agency's case; a state oversight specialist).

    Case 1 (unit A, the worker until 14 April 2025, then `second`):
    - Ann (born 2015): removed 10 Sep 2024, in care all year: 12 full months. Visited in
      October at the placement, in November at the office; December an attempt only,
      January a video call (neither is in person).
    - Ben (born 20 Jan 2007): removed 10 Sep 2024, 18 on 20 Jan 2025, discharged on 31 Jan
      2025: October to December full (October visited with Ann, at the placement);
      January not full (discharged, and 18).
    - Cal (born 2012): removed 15 Mar 2025, discharged 10 Jun 2025: March not full
      (entered; visited on the 20th all the same), April and May full (April visited at
      the child's residence), June not full (discharged).
    Case 2 (unit B): Dee (born 2014), removed 1 Aug 2024, 12 full months, never visited.
    Rival agency: Eve (born 2013), removed 1 Aug 2024, 12 full months, visited monthly at
    the placement.

    North Star: 17 + 12 = 29 full months, 4 visited, 3 in the residence; unit A 17/4/3.
    """
    second = StaffFactory(unit=unit, roles=[Role.CASE_MANAGER])
    ann = PersonFactory(first_name="Ann", last_name="Care", date_of_birth=date(2015, 1, 1))
    ben = PersonFactory(first_name="Ben", last_name="Care", date_of_birth=date(2007, 1, 20))
    cal = PersonFactory(first_name="Cal", last_name="Care", date_of_birth=date(2012, 5, 5))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="out_of_home",
        opened_on=date(2024, 8, 1),
        members=[(ann, "child"), (ben, "child"), (cal, "child")],
    )
    remove(worker, case, ann, date(2024, 9, 10))
    remove(worker, case, ben, date(2024, 9, 10))
    visit(worker, case, date(2024, 10, 7), "placement", (ann, ben))
    visit(worker, case, date(2024, 11, 4), "office", (ann,))
    visit(worker, case, date(2024, 12, 2), "placement", (ann,), method="attempted")
    visit(worker, case, date(2025, 1, 6), "", (ann,), method="video")
    leave(worker, ben, date(2025, 1, 31), "emancipation")
    remove(worker, case, cal, date(2025, 3, 15))
    visit(worker, case, date(2025, 3, 20), "placement", (cal,))
    intake_services.case_assign(
        actor=supervisor.user,
        assigned_by=supervisor,
        case=case,
        worker=second,
        reason="Caseload balance",
        override_reason="Chosen by the test",
        starts_on=date(2025, 4, 15),
    )
    visit(worker, case, date(2025, 4, 2), "child_residence", (cal,))
    leave(worker, cal, date(2025, 6, 10))

    far_worker = StaffFactory(unit=other_unit, roles=[Role.CASE_MANAGER])
    far_sup = StaffFactory(unit=other_unit, roles=[Role.SUPERVISOR])
    dee = PersonFactory(first_name="@Dee", last_name="Far", date_of_birth=date(2014, 3, 3))
    far_case = make_case(
        actor_staff=far_sup,
        worker=far_worker,
        case_type="out_of_home",
        opened_on=date(2024, 7, 1),
        members=[(dee, "child")],
    )
    remove(far_worker, far_case, dee, date(2024, 8, 1))

    rival = AgencyFactory(name="Rival Homes", code="rvl")
    rival_unit = UnitFactory(agency=rival)
    rival_worker = StaffFactory(unit=rival_unit, roles=[Role.CASE_MANAGER])
    rival_sup = StaffFactory(unit=rival_unit, roles=[Role.SUPERVISOR])
    eve = PersonFactory(first_name="Eve", last_name="Rival", date_of_birth=date(2013, 2, 2))
    rival_case = make_case(
        actor_staff=rival_sup,
        worker=rival_worker,
        case_type="out_of_home",
        opened_on=date(2024, 7, 1),
        members=[(eve, "child")],
    )
    remove(rival_worker, rival_case, eve, date(2024, 8, 1))
    for m in range(10, 22):
        day = date(2024 + (m > 12), (m - 1) % 12 + 1, 5)
        visit(rival_worker, rival_case, day, "placement", (eve,))

    state = AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT)
    oversight = StaffFactory(unit=UnitFactory(agency=state), roles=[Role.STATE_OVERSIGHT])
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    return {
        "case": case,
        "far_case": far_case,
        "rival": rival,
        "rival_case": rival_case,
        "second": second,
        "far_worker": far_worker,
        "oversight": oversight,
        "director": director,
        "supervisor": supervisor,
        "worker": worker,
    }


def figures(staff, **params):
    r = ApiClient(staff.user).get(FIGURES, fy=FY, **params)
    assert r.status_code == 200, r.content
    return r.json()


def counts(body) -> dict:
    return {
        row["label"]: (row["months"], row["visited"], row["in_residence"]) for row in body["rows"]
    }


def test_f1_api_figures_by_role_follow_the_viewers_scope(year, agency, unit, other_unit):
    """F1: the state by agency, a program director by unit, a supervisor and a case manager
    by worker (the primary case manager on each month's first day)."""
    state = figures(year["oversight"])
    assert state["grouping"] == "agency" and len(state["months"]) == 12
    assert counts(state) == {agency.name: (29, 4, 3), "Rival Homes": (12, 12, 12)}
    assert (state["total"]["months"], state["total"]["visited"]) == (41, 16)
    assert state["visit_standard_percent"] == 95 and state["residence_standard_percent"] == 50
    assert "full month in foster care" in state["definition"]

    director = figures(year["director"])
    assert director["grouping"] == "unit"
    assert counts(director) == {unit.name: (17, 4, 3), other_unit.name: (12, 0, 0)}

    # Unit A by worker: `second` holds the case from 15 April, so May to September: Ann's
    # five months and Cal's May; the worker the other eleven, with every visit.
    worker, second = year["worker"], year["second"]
    sup = figures(year["supervisor"])
    assert sup["grouping"] == "worker"
    assert counts(sup) == {worker.full_name: (11, 4, 3), second.full_name: (6, 0, 0)}
    row = next(r for r in sup["rows"] if r["key"] == worker.pk)
    assert row["visited_percent"] == 36.4 and not row["meets_visit_standard"]
    assert row["residence_percent"] == 75.0 and row["meets_residence_standard"]

    # The case manager: the cases they hold today (none: the case moved to `second`).
    assert figures(worker)["rows"] == []
    assert counts(figures(second)) == {worker.full_name: (11, 4, 3), second.full_name: (6, 0, 0)}


def test_f1_api_a_filter_outside_the_scope_reveals_nothing(year, agency):
    """F1: another agency's id as a filter counts nothing for a program director or a
    supervisor; the state may filter to any agency."""
    rival = year["rival"].pk
    for who in ("director", "supervisor", "worker"):
        body = figures(year[who], agency=rival)
        assert body["rows"] == [] and body["total"] is None, who
    assert figures(year["supervisor"], unit=year["rival_case"].unit_id)["rows"] == []
    state = figures(year["oversight"], agency=rival)
    assert state["grouping"] == "unit" and state["total"]["months"] == 12


def test_f1_api_worker_filter_counts_that_workers_months(year):
    """F1: with a worker, the child-months they held on the first day, the total theirs."""
    body = figures(year["oversight"], worker=year["second"].pk)
    assert body["grouping"] == "worker"
    assert [(r["key"], r["months"]) for r in body["rows"]] == [(year["second"].pk, 6)]
    assert body["total"]["months"] == 6


def test_f1_api_figures_equal_the_pages(year, client):
    """F1: the API and the page (and its CSV) show the same rows and total."""
    for who, params in (("oversight", {}), ("director", {}), ("oversight", {"agency": "x"})):
        staff = year[who]
        if params.get("agency"):
            params = {"agency": year["rival"].pk}
        client.force_login(staff.user)
        page = client.get(reverse("f1_report"), {"fy": FY, **params})
        api = figures(staff, **params)
        assert [
            (r.key, r.label, r.months, r.visited, r.in_residence) for r in page.context["rows"]
        ] == [
            (r["key"], r["label"], r["months"], r["visited"], r["in_residence"])
            for r in api["rows"]
        ]
        assert page.context["total"].months == api["total"]["months"]
        assert page.context["group"] == api["grouping"]


def test_f1_page_csv_is_the_figures_table(year, client):
    client.force_login(year["director"].user)
    r = client.get(reverse("f1_report"), {"fy": FY, "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][:4] == ["unit", "id", "full months in care", "visited"]
    assert rows[-1][0] == "All" and rows[-1][2:4] == ["29", "4"]
    assert len(rows) == 4  # the header, two units, the total


def detail(staff, **params) -> list[dict]:
    r = ApiClient(staff.user).get(DETAIL, fy=FY, **params)
    assert r.status_code == 200, r.content
    return r.json()["items"]


def test_f1_detail_reproduces_the_year_worked_by_hand(year):
    """F1: each child-month of the year, full or not and why, visited, in the residence,
    the worker on the first day."""
    worker, second = year["worker"].full_name, year["second"].full_name
    items = detail(year["supervisor"])
    got = {
        (i["child"]["name"], i["month"]): (
            i["full_month"],
            tuple(i["not_full_because"]),
            i["visited"],
            i["visited_in_residence"],
            i["worker"]["name"] if i["worker"] else None,
        )
        for i in items
    }
    assert len(items) == len(got) == 12 + 4 + 4  # Ann, Ben, Cal
    assert got[("Ann Care", "2024-10")] == (True, (), True, True, worker)
    assert got[("Ann Care", "2024-11")] == (True, (), True, False, worker)
    assert got[("Ann Care", "2024-12")] == (True, (), False, False, worker)  # an attempt
    assert got[("Ann Care", "2025-01")] == (True, (), False, False, worker)  # a video call
    assert got[("Ann Care", "2025-05")] == (True, (), False, False, second)
    assert got[("Ben Care", "2024-10")] == (True, (), True, True, worker)
    assert got[("Ben Care", "2024-12")] == (True, (), False, False, worker)
    assert got[("Ben Care", "2025-01")] == (False, ("discharged", "age_18"), False, False, worker)
    assert ("Ben Care", "2025-02") not in got
    assert got[("Cal Care", "2025-03")] == (False, ("entered",), True, True, worker)
    assert got[("Cal Care", "2025-04")] == (True, (), True, True, worker)
    assert got[("Cal Care", "2025-05")] == (True, (), False, False, second)
    assert got[("Cal Care", "2025-06")] == (False, ("discharged",), False, False, second)
    # The full months listed are the figures' (unit A: 17 months, 4 visited, 3 in the
    # residence), and the order is stable: case number, child, month.
    full = [i for i in items if i["full_month"]]
    assert (len(full), sum(i["visited"] for i in full)) == (17, 4)
    assert sum(i["visited_in_residence"] for i in full) == 3
    keys = [(i["case"]["case_number"], i["child"]["id"], i["month"]) for i in items]
    assert keys == sorted(keys)


def test_f1_detail_pages_in_a_stable_order(year):
    client = ApiClient(year["supervisor"].user)
    everything = detail(year["supervisor"])
    first = client.get(DETAIL, fy=FY, limit=7).json()
    assert first["next_offset"] == 7 and first["items"] == everything[:7]
    pages = []
    offset = 0
    while offset is not None:
        body = client.get(DETAIL, fy=FY, limit=7, offset=offset).json()
        pages += body["items"]
        offset = body["next_offset"]
    assert pages == everything
    assert first["reasons"]["age_18"] == data.NOT_FULL["age_18"]


def test_f1_detail_names_only_the_cases_the_viewer_may_see(year):
    """F1: the state counts every agency's months but names only the cases it may see
    (here none); a supervisor's worker filter lists that worker's months."""
    assert figures(year["oversight"])["total"]["months"] == 41
    assert detail(year["oversight"]) == []
    names = {i["child"]["name"] for i in detail(year["director"])}
    assert names == {"Ann Care", "Ben Care", "Cal Care", "@Dee Far"}
    assert {i["child"]["name"] for i in detail(year["supervisor"])} == {
        "Ann Care",
        "Ben Care",
        "Cal Care",
    }
    theirs = detail(year["supervisor"], worker=year["second"].pk)
    assert {(i["child"]["name"], i["month"]) for i in theirs} == {
        ("Ann Care", m) for m in ("2025-05", "2025-06", "2025-07", "2025-08", "2025-09")
    } | {("Cal Care", "2025-05"), ("Cal Care", "2025-06")}
    assert detail(year["director"], agency=year["rival"].pk) == []


def test_f1_detail_is_in_the_access_log(year):
    detail(year["supervisor"], limit=5)
    logged = AccessLog.objects.filter(kind=AccessLog.Kind.LIST, object_type="removalepisode")
    assert set(logged.values_list("object_id", flat=True)) == {
        RemovalEpisode.objects.get(child__first_name="Ann").pk
    }
    assert logged.get().channel == AccessLog.Channel.API


def test_f1_detail_csv_is_streamed_neutralised_and_logged(year, client):
    client.force_login(year["director"].user)
    r = client.get(reverse("f1_report"), {"fy": FY, "format": "csv", "detail": "child-months"})
    assert r.status_code == 200 and r.streaming and r["Content-Type"].startswith("text/csv")
    exported = set(
        AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).values_list("object_id", flat=True)
    )
    assert exported == set(
        RemovalEpisode.objects.filter(case__agency=year["case"].agency).values_list("pk", flat=True)
    )
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert rows[0][:5] == ["month", "case number", "child id", "child", "full month in care"]
    assert len(rows) == 1 + 20 + 12
    ben = next(row for row in rows if row[3] == "Ben Care" and row[0] == "2025-01")
    assert ben[4:8] == [
        "no",
        "Discharged during the month; 18 or older by the month's last day",
        "no",
        "no",
    ]
    assert {row[3] for row in rows if row[2] == str(year["far_case"].members.get().person_id)} == {
        "'@Dee Far"
    }


def test_f1_page_links_to_both_csvs(year, client):
    client.force_login(year["supervisor"].user)
    page = client.get(reverse("f1_report"), {"fy": FY}).content.decode()
    assert f"?fy={FY}&amp;format=csv" in page and "detail=child-months" in page


@pytest.mark.parametrize(
    "params, field",
    [
        ({"fy": "abc"}, "fy"),
        ({"fy": "1999"}, "fy"),
        ({"agency": "x"}, "agency"),
        ({"unit": "-1"}, "unit"),
        ({"worker": "1.5"}, "worker"),
    ],
)
def test_f1_api_bad_input_is_a_422_naming_the_field(worker, params, field):
    for path in (FIGURES, DETAIL):
        r = ApiClient(worker.user).get(path, **params)
        assert r.status_code == 422 and field in r.json()["errors"], (path, r.content)


@pytest.mark.parametrize("params, field", [({"limit": "0"}, "limit"), ({"offset": "-1"}, "offset")])
def test_f1_detail_bad_paging_is_a_422(worker, params, field):
    r = ApiClient(worker.user).get(DETAIL, **params)
    assert r.status_code == 422 and field in r.json()["errors"]


def test_f1_api_refuses_a_viewer_without_reporting(agency, unit):
    admin = StaffFactory(unit=unit, roles=[Role.ADMINISTRATOR])
    for path in (FIGURES, DETAIL):
        assert ApiClient(admin.user).get(path).status_code == 403


def test_f1_bench_rows_time_the_api_for_the_state(year):
    """bench/federal.py: the F1 API rows for bench/run.py's server loop."""
    from django.test import Client

    from bench.federal import f1_api_scenarios
    from hearth.api.models import ApiToken

    _, token = ApiToken.issue(year["oversight"].user, label="bench")
    bearer = {"Authorization": f"Bearer {token}"}
    skipped = []
    rows = f1_api_scenarios(Client(), bearer, {FY: 12.5}, [FY], skipped)
    assert skipped == []
    ((name, path, headers, target, floor, requests, _),) = rows
    assert path == f"/api/v1/reports/f1?fy={FY}" and headers == bearer and floor == 12.5


def test_f1_page_ignores_a_filter_that_is_not_a_number(client, worker):
    """The page shows the current year for an `fy` it cannot read (the API refuses it)."""
    client.force_login(worker.user)
    for params in ({"fy": "²"}, {"fy": "abc", "unit": "²"}, {"worker": "9" * 30}):
        assert client.get(reverse("f1_report"), params).status_code == 200, params
