"""Trends by month (hearth.reports.trends) of F1, the federal monthly caseworker visits,
and of V13, the contact requirements met; the director's reports page, its CSV and XLSX
exports and GET /api/v1/reports/trends."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hearth.contacts.services import contact_note_create
from hearth.core.services import today
from hearth.obligations import selectors as obligations
from hearth.placements import services as placements
from hearth.placements.models import RemovalEpisode
from hearth.reports import federal, trends
from hearth.staff.models import Role
from tests.api.conftest import ApiClient
from tests.factories import AgencyFactory, PersonFactory, StaffFactory, UnitFactory, make_case

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/trends"


def month_start(back: int) -> date:
    """The first day of the month `back` months before today's."""
    first = today().replace(day=1)
    for _ in range(back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def in_care(supervisor, worker, removed_on: date, visits, name="Child"):
    """A child of `worker`'s unit removed on `removed_on`, with an in-person visit on each
    (day, location) of `visits`."""
    child = PersonFactory(first_name=name, last_name="Trend", date_of_birth=date(2016, 3, 1))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="out_of_home",
        opened_on=month_start(4),
        members=[(child, "child")],
    )
    placements.child_remove(
        actor=worker.user,
        case=case,
        child=child,
        removed_on=removed_on,
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    for day, location in visits:
        contact_note_create(
            actor=worker.user,
            author=worker,
            case=case,
            occurred_at=noon(day),
            method="in_person",
            location=location,
            contact_with=[child],
            narrative="Monthly visit.",
            finalize=True,
        )
    return case


@pytest.fixture
def director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


@pytest.fixture
def trend_world(agency, unit, supervisor, worker, director):
    """Unit A's child in care from three months back: visited at the placement, then at
    the office, then not at all. A `<script>` unit's child from two months back: visited at
    the placement both months."""
    m3, m2, m1 = month_start(3), month_start(2), month_start(1)
    in_care(
        supervisor,
        worker,
        m3,
        [(m3 + timedelta(days=4), "placement"), (m2 + timedelta(days=9), "office")],
        "Ann",
    )
    odd = UnitFactory(agency=agency, name="<script>alert(1)</script>")
    odd_sup = StaffFactory(unit=odd, roles=[Role.SUPERVISOR])
    odd_worker = StaffFactory(unit=odd, first_name="Bea", last_name="Odd")
    in_care(
        odd_sup,
        odd_worker,
        m2,
        [(m2 + timedelta(days=5), "placement"), (m1 + timedelta(days=5), "child_residence")],
        "Cal",
    )
    return {"months": [m3, m2, m1], "a": unit, "odd": odd, "odd_sup": odd_sup}


def figures(t: trends.Trend, key) -> list:
    return [
        (r.numerator, r.denominator, r.value) if (r := t.points.get((key, m))) else None
        for m in t.months
    ]


def test_f1_trend_by_unit_for_a_program_director_worked_by_hand(trend_world, director):
    """F1 per month, by unit: A visited 1 of 1, 1 of 1, 0 of 1; the other unit from its
    second month, 1 of 1 each; in the residence: A 1 of 1, 0 of 1, none visited."""
    w = trend_world
    ts = trends.trend_scope(director.user, {})
    assert ts.group == "unit"
    visits = trends.trend(trends.MEASURES["f1_visits"], ts, w["months"])
    assert figures(visits, w["a"].pk) == [(1, 1, 100.0), (1, 1, 100.0), (0, 1, 0.0)]
    assert figures(visits, w["odd"].pk) == [None, (1, 1, 100.0), (1, 1, 100.0)]
    assert [(r.numerator, r.denominator, r.value) for r in visits.totals] == [
        (1, 1, 100.0),
        (2, 2, 100.0),
        (1, 2, 50.0),
    ]
    assert dict(visits.groups) == {w["a"].pk: "Unit A", w["odd"].pk: "<script>alert(1)</script>"}
    residence = trends.trend(trends.MEASURES["f1_residence"], ts, w["months"])
    assert figures(residence, w["a"].pk) == [(1, 1, 100.0), (0, 1, 0.0), (0, 0, None)]
    assert figures(residence, w["odd"].pk) == [None, (1, 1, 100.0), (1, 1, 100.0)]


def test_f1_trend_equals_f1_months_month_by_month(trend_world, director):
    """Each point is federal.f1_months over that one month, the same grouping."""
    w = trend_world
    ts = trends.trend_scope(director.user, {})
    visits = trends.trend(trends.MEASURES["f1_visits"], ts, w["months"])
    for m in w["months"]:
        for row in federal.f1_months(RemovalEpisode.objects.all(), [m], "unit"):
            point = visits.points[(row.key, m)]
            assert (point.numerator, point.denominator) == (row.visited, row.months)
            assert point.value == row.visited_pct


def test_f1_by_month_is_one_query_on_postgresql_for_every_month(trend_world):
    """F1's trend asks the database once for all its months on PostgreSQL (once a month
    elsewhere), and each month's rows are f1_months' for that month alone."""
    months = trend_world["months"]
    episodes = RemovalEpisode.objects.all()
    with CaptureQueriesContext(connection) as ran:
        by_month = federal.f1_by_month(episodes, months, "unit")
    assert len(ran) == (1 if connection.vendor == "postgresql" else len(months))
    for m, rows in by_month:
        expected = federal.f1_months(episodes, [m], "unit")
        assert [(r.key, r.months, r.visited, r.in_residence) for r in rows] == [
            (r.key, r.months, r.visited, r.in_residence) for r in expected
        ]


def test_v13_contact_trend_equals_the_dashboard_month_by_month(trend_world, director):
    """V13: each point is the contacts dashboard's met of total for that month and unit."""
    w = trend_world
    ts = trends.trend_scope(director.user, {})
    t = trends.trend(trends.MEASURES["contacts"], ts, w["months"])
    seen = 0
    for m in w["months"]:
        rows = obligations.dashboard(viewer=director.user, month=m, group="unit", filters={})
        for row in rows:
            point = t.points[(row["key"], m)]
            assert (point.numerator, point.denominator) == (row["met"], row["total"])
            assert point.label == row["label"]
            assert round(point.value) == row["percent"]
            seen += 1
        totals = obligations.dashboard_totals(rows)
        total = t.totals[w["months"].index(m)]
        assert (total.numerator, total.denominator) == (totals["met"], totals["total"])
    assert seen >= 3  # unit A three months, the other unit two


def test_trend_scope_follows_the_viewer_and_the_filters(
    trend_world, director, supervisor, worker, agency
):
    """F1, V13: a supervisor sees their unit by worker; the state every agency by agency;
    a filter outside the viewer's scope leaves nothing, never another agency's figures."""
    w = trend_world
    mine = trends.trend(
        trends.MEASURES["f1_visits"], trends.trend_scope(supervisor.user, {}), w["months"]
    )
    assert mine.group == "worker"
    assert mine.groups == [(worker.pk, f"{worker.first_name} {worker.last_name}")]
    assert sum(r.denominator for r in mine.totals) == 3  # Ann's three months, not Cal's
    state = StaffFactory(
        unit=UnitFactory(agency=AgencyFactory(kind="state_oversight")), roles=[Role.STATE_OVERSIGHT]
    )
    everyone = trends.trend(
        trends.MEASURES["f1_visits"], trends.trend_scope(state.user, {}), w["months"]
    )
    assert everyone.group == "agency" and dict(everyone.groups) == {agency.pk: agency.name}
    narrowed = trends.trend_scope(director.user, {"unit": w["odd"].pk})
    assert narrowed.group == "worker"
    t = trends.trend(trends.MEASURES["contacts"], narrowed, w["months"])
    assert {label for _, label in t.groups} <= {"Bea Odd", trends.UNASSIGNED}
    rival = AgencyFactory()
    nothing = trends.trend(
        trends.MEASURES["f1_visits"],
        trends.trend_scope(director.user, {"agency": rival.pk}),
        w["months"],
    )
    assert nothing.groups == [] and all(r.denominator == 0 for r in nothing.totals)


def test_the_chart_folds_the_smallest_groups_into_one_line(trend_world, director):
    """At most `limit` lines and the total: past it, the smallest groups are summed."""
    w = trend_world
    ts = trends.trend_scope(director.user, {})
    t = trends.trend(trends.MEASURES["f1_visits"], ts, w["months"])
    assert [ln.label for ln in trends.lines(t, 8)] == ["<script>alert(1)</script>", "Unit A", "All"]
    folded = trends.lines(t, 1)
    assert [ln.label for ln in folded] == ["2 other units", "All"] and folded[-1].total
    cells = [(c.numerator, c.denominator, c.value) for c in folded[0].cells]
    assert cells == [(r.numerator, r.denominator, r.value) for r in t.totals]


def test_months_window_and_bad_input():
    last = month_start(1)
    assert trends.months_window(3) == [month_start(3), month_start(2), last]
    assert trends.months_window(1, date(2024, 2, 1)) == [date(2024, 2, 1)]
    assert trends.months_window(2, date(2024, 1, 1)) == [date(2023, 12, 1), date(2024, 1, 1)]
    with pytest.raises(trends.DomainError) as e:
        trends.months_window(1, today().replace(day=1))
    assert set(e.value.errors) == {"end"}
    with pytest.raises(trends.DomainError) as e:
        trends.months_window(37)
    assert set(e.value.errors) == {"months"}
    with pytest.raises(trends.DomainError):
        trends.parse_month("2024-13")


# --- The page ---------------------------------------------------------------------


def test_reports_page_shows_f1_and_v13_charts_with_their_tables(client, trend_world, director):
    client.force_login(director.user)
    page = client.get(reverse("reports_home"), {"months": 3}).content.decode()
    for name in ("f1_visits", "f1_residence", "contacts"):
        start = page.rindex("<svg ", 0, page.index(f'aria-labelledby="chart-{name}-title'))
        svg = ET.fromstring(page[start : page.index("</svg>", start) + 6])
        assert svg.find("{http://www.w3.org/2000/svg}title").text == trends.MEASURES[name].title
        assert (
            f'<table class="usa-table usa-table--borderless usa-table--compact" id="{name}-table">'
            in page
        )
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<th scope="row">' in page and "<caption>" in page
    assert "Federal standard 95%" in page and reverse("f1_report") in page
    assert f'href="{reverse("reports_home")}"' in page  # the navigation's link


def test_the_state_reads_every_agency_and_drills_down_to_its_units(client, trend_world, agency):
    """F1, V13: the state's page is by agency, each agency's row links to its units."""
    state = StaffFactory(
        unit=UnitFactory(agency=AgencyFactory(kind="state_oversight")),
        roles=[Role.STATE_OVERSIGHT],
    )
    client.force_login(state.user)
    page = client.get(reverse("reports_home"), {"months": 3}).content.decode()
    assert "by agency" in page and f"&amp;agency={agency.pk}" in page
    drilled = client.get(reverse("reports_home"), {"months": 3, "agency": agency.pk})
    text = drilled.content.decode()
    assert agency.name in text and "Unit A" in text and f"&amp;unit={trend_world['a'].pk}" in text


def test_the_navigation_marks_one_page_current_under_reports(client, director):
    """F1's page is under /reports/: its own link is the current one, not "Reports"."""
    client.force_login(director.user)
    page = client.get(reverse("f1_report")).content.decode()
    assert page.count('aria-current="page"') == 1
    assert f'href="{reverse("f1_report")}" class="usa-nav-link usa-current"' in page


def test_reports_page_is_for_the_dashboards_readers(client, trend_world, worker, supervisor):
    client.force_login(worker.user)
    assert client.get(reverse("reports_home")).status_code == 403
    assert 'href="/reports/"' not in client.get(reverse("home")).content.decode()
    client.force_login(supervisor.user)
    assert client.get(reverse("reports_home")).status_code == 200


def test_reports_page_refuses_bad_input_naming_the_field(client, director):
    client.force_login(director.user)
    for query, field in (
        ({"months": "x"}, "months"),
        ({"months": "²"}, "months"),
        ({"unit": "¹"}, "unit"),
        ({"months": "40"}, "months"),
        ({"end": "2024-13"}, "end"),
        ({"measure": "f9"}, "measure"),
        ({"format": "pdf"}, "format"),
        ({"agency": "a"}, "agency"),
    ):
        r = client.get(reverse("reports_home"), query)
        assert r.status_code == 400 and f"<li>{field}: " in r.content.decode(), query


def test_reports_csv_has_every_group_month_and_total(client, trend_world, director):
    w = trend_world
    client.force_login(director.user)
    r = client.get(reverse("reports_home"), {"months": 3, "format": "csv", "measure": "f1_visits"})
    assert r["Content-Type"] == "text/csv" and "attachment" in r["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0] == [
        "measure",
        "month",
        "group",
        "key",
        "label",
        "numerator",
        "denominator",
        "value",
        "unit",
        "standard",
    ]
    m1 = f"{w['months'][2]:%Y-%m}"
    assert ["f1_visits", m1, "unit", str(w["a"].pk), "Unit A", "0", "1", "0.0", "%", "95"] in rows
    assert ["f1_visits", m1, "all", "", "All", "1", "2", "50.0", "%", "95"] in rows
    # The unit's name starts with "<", not a formula character: written as it is.
    assert any(row[4] == "<script>alert(1)</script>" for row in rows)
    everything = client.get(
        reverse("reports_home"), {"months": 3, "format": "csv"}
    ).content.decode()
    assert {row[0] for row in list(csv.reader(io.StringIO(everything)))[1:]} == set(trends.MEASURES)


def test_reports_xlsx_has_a_sheet_per_measure_and_numbers_as_numbers(client, trend_world, director):
    w = trend_world
    client.force_login(director.user)
    r = client.get(reverse("reports_home"), {"months": 3, "format": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == list(trends.MEASURES)
    rows = list(book["f1_visits"].values)
    assert rows[0][0] == "measure"
    m1 = f"{w['months'][2]:%Y-%m}"
    assert ("f1_visits", m1, "all", None, "All", 1, 2, 50.0, "%", 95) in rows


def test_reports_page_queries_do_not_grow_with_the_cases(
    client, trend_world, director, supervisor, worker
):
    """A few queries per month and measure, whatever the number of children (F1, V13)."""
    client.force_login(director.user)
    url = reverse("reports_home") + "?months=3"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(3):
        in_care(
            supervisor,
            worker,
            month_start(3),
            [(month_start(2) + timedelta(days=3), "placement")],
            f"More{n}",
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


# --- The API --------------------------------------------------------------------


def test_api_trend_of_f1_in_the_callers_scope(trend_world, director):
    w = trend_world
    r = ApiClient(director.user).get(f"{API}?measure=f1_visits&months=3")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["group"] == "unit" and body["standard"] == 95
    assert body["periods"] == [f"{m:%Y-%m}" for m in w["months"]]
    m1 = body["periods"][2]
    assert {
        "period": m1,
        "key": w["a"].pk,
        "label": "Unit A",
        "numerator": 0,
        "denominator": 1,
        "value": 0.0,
    } in body["rows"]
    assert body["totals"][2] == {
        "period": m1,
        "key": None,
        "label": "All",
        "numerator": 1,
        "denominator": 2,
        "value": 50.0,
    }


def test_api_trend_narrowed_to_a_unit_of_v13(trend_world, director):
    w = trend_world
    r = ApiClient(director.user).get(f"{API}?measure=contacts&months=3&unit={w['odd'].pk}")
    assert r.status_code == 200 and r.json()["group"] == "worker"
    assert {row["label"] for row in r.json()["rows"]} <= {"Bea Odd", trends.UNASSIGNED}


@pytest.mark.parametrize(
    "query,field",
    [
        ("months=3", "measure"),
        ("measure=f9", "measure"),
        ("measure=f1_visits&months=0", "months"),
        ("measure=f1_visits&months=37", "months"),
        ("measure=f1_visits&end=2024-13", "end"),
        ("measure=f1_visits&end=yesterday", "end"),
        ("measure=f1_visits&agency=0", "agency"),
        ("measure=f1_visits&unit=x", "unit"),
    ],
)
def test_api_trend_refuses_bad_input_naming_the_field(director, query, field):
    r = ApiClient(director.user).get(f"{API}?{query}")
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"], r.json()


def test_api_trend_this_month_is_not_over(director):
    r = ApiClient(director.user).get(f"{API}?measure=f1_visits&end={today():%Y-%m}")
    assert r.status_code == 422 and "end" in r.json()["errors"]


def test_api_trend_refuses_a_case_manager(worker):
    assert ApiClient(worker.user).get(f"{API}?measure=f1_visits").status_code == 403


# --- The bench's floors -----------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floors are PostgreSQL SQL")
def test_f1_and_v13_trend_bench_floors_return_the_trends_numbers(trend_world):
    """bench/trends.py: its SQL floors (every month and agency in one query) give the
    trends' F1 and V13 numbers."""
    from bench import trends as bench

    state = StaffFactory(
        unit=UnitFactory(agency=AgencyFactory(kind="state_oversight")),
        roles=[Role.STATE_OVERSIGHT],
    )
    months = trends.months_window(4)
    assert sum(r.denominator for r in bench.f1_trends(state.user, months)[0].totals) == 5
    bench.check(state.user, months)
