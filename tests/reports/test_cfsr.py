"""F2, F3 and F4 (CFSR round 4) on a real database, against a worked example computed by
hand below and against the pure evaluator of hearth.policy.cfsr.

The period is calendar 2023 (fixed past dates, far enough back for every frozen today).

    child  dob         removed     exited      reason          placements
    A      2015-06-01  2023-02-01  2023-02-08  reunification   (7 days: excluded)
    B      2015-06-01  2023-02-01  2023-02-09  reunification   (8 days)  re-enters 2024-02-09
    C      2005-03-01  2023-03-01  2023-04-01  emancipation    (18 on entry: F2, F4 exclude)
    D      2005-03-02  2023-03-01  2023-06-01  emancipation    (17 on entry)
    E      2015-06-01  2023-04-01  2024-05-01  reunification   home 04-01, trial home visit
                                                               from 2024-02-01 (90 days:
                                                               exit taken as 2024-03-02)
    F      (unknown)   2023-05-01  open                        home X 05-01, runaway 06-01,
                                                               X again 06-10, Y 08-01,
                                                               Z 10-01, W 2024-02-01
    G      2015-06-01  2023-06-01  2024-06-01  reunification   (366 days: not in 12 months)
    I      2015-06-01  2022-06-01  2023-03-01  reunification   re-enters 2024-03-01 (day 366)
    J      2015-06-01  2022-01-01  2023-05-01  adoption        (in F4, not back)
    K      2004-01-01  2022-01-01  2023-04-01  reunification   (18 on entry: F4 excludes)

F2: entering in 2023 after the exclusions: B, D, E, F, G = 5; to permanency within 365
    days: B (8 days), E (adjusted: 336 days) = 2 -> 40.0%.
F3: entering in 2023, stays under 8 days out (A): days to the exit or 2024-01-01
    B 8 + C 31 + D 92 + E 275 + F 245 + G 214 = 865; moves: F's Y and Z (the runaway
    spell is no placement, the return to X no move, W is after the period) = 2
    -> 2.31 per 1,000 days.
F4: discharged in 2023 to permanency: B, I, J (adopted) (K 18 on entry, A a short stay,
    E's adjusted exit is in 2024) = 3; re-entered within 365 days: B (day 365), not I
    (day 366), not J = 1 -> 33.3%.
"""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from hearth.core.models import AccessLog
from hearth.placements.models import Placement, RemovalEpisode
from hearth.policy import cfsr as rules
from hearth.reports import cfsr
from tests.api.conftest import ApiClient
from tests.reports.conftest import build

P = date(2023, 1, 1)


def by_name(measure):
    return {k.episode.child.first_name: k for k in cfsr.children(measure, every_episode(), P)}


def every_episode():
    return RemovalEpisode.objects.all()


def one(rows):
    (row,) = rows
    return row.numerator, row.denominator, row.value


def test_f2_worked_example(example):
    """F2: the 7-day stay and the entry at 18 are out; the 8-day stay is in; the trial
    home visit of 90 days puts E's exit 30 days after its start; G's 366 days are not 12 months."""
    assert one(cfsr.f2(RemovalEpisode.objects.all(), P)) == (2, 5, 40.0)
    kids = by_name("f2")
    assert sorted(kids) == ["B", "D", "E", "F", "G"]
    assert kids["E"].exit == date(2024, 3, 2) and kids["E"].counted
    assert not kids["G"].counted and kids["B"].counted


def test_f3_worked_example(example):
    """F3: 2 moves (the runaway spell is no placement, the return to the same home no
    move, a move after the period not counted) in 865 days in care."""
    assert one(cfsr.f3(RemovalEpisode.objects.all(), P)) == (2, 865, 2.31)
    kids = by_name("f3")
    assert (kids["F"].moves, kids["F"].days) == (2, 245)
    assert "A" not in kids and kids["C"].days == 31  # no age exclusion in F3


def test_f4_worked_example(example):
    """F4: a re-entry on day 365 counts, on day 366 does not; an adoption is an exit to
    permanency (RULES.md F4); an entry at 18 is not in the denominator."""
    assert one(cfsr.f4(RemovalEpisode.objects.all(), P)) == (1, 3, 33.3)
    kids = by_name("f4")
    assert sorted(kids) == ["B", "I", "J"]
    assert kids["B"].reentered_on == date(2024, 2, 9) and not kids["I"].counted


def facts() -> list[rules.EpisodeFacts]:
    places: dict[int, list] = {}
    for p in Placement.objects.all():
        places.setdefault(p.episode_id, []).append(
            rules.PlacementFacts(
                p.setting, p.starts_on, p.ends_on, f"{p.home_id}|{p.caregiver_id}|{p.provider_name}"
            )
        )
    return [
        rules.EpisodeFacts(
            e.child_id,
            e.removed_on,
            e.exited_on,
            e.exit_reason,
            e.child.date_of_birth,
            tuple(places.get(e.pk, ())),
        )
        for e in RemovalEpisode.objects.select_related("child")
    ]


def test_f2_f3_f4_sql_equals_the_pure_evaluator_over_periods(example):
    """The set-based trend (one query for all the periods) gives the per-child
    evaluator's numbers for every period around the example."""
    starts = [rules.add_months(date(2022, 1, 1), n) for n in range(0, 30, 3)]
    every = facts()
    for measure in cfsr.MEASURES:
        for start, rows in cfsr.trend(measure, RemovalEpisode.objects.all(), starts):
            got = (rows[0].numerator, rows[0].denominator) if rows else (0, 0)
            assert got == getattr(rules, measure)(every, start), (measure, start)


def test_f2_trend_is_one_query(example, django_assert_num_queries):
    starts = [date(2022, 1, 1), date(2023, 1, 1), date(2023, 6, 1)]
    with django_assert_num_queries(1):
        cfsr.trend("f2", RemovalEpisode.objects.all(), starts)


def test_cfsr_policy_dates():
    """F2, F4: 365 days is within 12 months, 366 is not; periods and defaults."""
    assert rules.within_12_months(date(2023, 3, 1), date(2024, 2, 29))
    assert not rules.within_12_months(date(2023, 3, 1), date(2024, 3, 1))
    assert rules.period_end(date(2023, 1, 1)) == date(2023, 12, 31)
    assert rules.period_end(date(2023, 3, 1)) == date(2024, 2, 29)
    assert rules.adult_at(date(2008, 2, 29), date(2026, 2, 28))
    assert not rules.adult_at(date(2008, 3, 1), date(2026, 2, 28))
    day = date(2026, 6, 15)
    start = rules.latest_followed_period(day)
    assert start == date(2024, 6, 1)  # ends 2025-05-31; followed to 2026-05-31
    assert rules.period_end(start) + timedelta(days=365) < day
    assert rules.last_full_year(day) == date(2025, 6, 1)


def test_f2_f3_f4_by_agency_and_unit(example, world):
    """Grouped by the case's agency and unit; the state row is their sum."""
    for measure in cfsr.MEASURES:
        by_unit = getattr(cfsr, measure)(RemovalEpisode.objects.all(), P, group="unit")
        (state,) = getattr(cfsr, measure)(RemovalEpisode.objects.all(), P)
        assert [r.label for r in by_unit] == ["Unit A"]
        assert (by_unit[0].numerator, by_unit[0].denominator) == (
            state.numerator,
            state.denominator,
        )
        (agency,) = getattr(cfsr, measure)(RemovalEpisode.objects.all(), P, group="agency")
        assert agency.label == "North Star Family Services"


PAGES = {"f2": "cfsr_f2_report", "f3": "cfsr_f3_report", "f4": "cfsr_f4_report"}


@pytest.mark.parametrize("measure", cfsr.MEASURES)
def test_cfsr_page_shows_definition_national_and_figures(client, supervisor, example, measure):
    """F2, F3, F4 pages: the definition, the national performance, the figures."""
    client.force_login(supervisor.user)
    page = client.get(reverse(PAGES[measure]) + "?period=2023-01").content.decode()
    assert "How this is counted" in page
    assert str(rules.NATIONAL[measure]) in page
    expected = {"f2": "2 of 5 children", "f3": "2 moves in 865 days", "f4": "1 of 3 children"}
    assert expected[measure] in page


def test_cfsr_page_default_period_is_said(client, supervisor, example):
    client.force_login(supervisor.user)
    assert "follow-up has ended" in client.get(reverse("cfsr_f2_report")).content.decode()
    assert "last 12 full months" in client.get(reverse("cfsr_f3_report")).content.decode()


def test_cfsr_drill_down_names_only_visible_cases_and_is_logged(client, world, example):
    """F2 drill-down: the worker holding the case sees the children, logged; a case
    manager of another unit sees none of them (and no figures of theirs)."""
    client.force_login(world["staff"]["worker"].user)
    before = AccessLog.objects.count()
    page = client.get(reverse("cfsr_f2_report") + "?period=2023-01&children=1")
    assert page.status_code == 200 and "B Cfsr" in page.content.decode()
    assert AccessLog.objects.count() == before + 5  # one row per child listed
    client.force_login(world["staff"]["far_sup"].user)
    page = client.get(reverse("cfsr_f2_report") + "?period=2023-01&children=1").content.decode()
    assert "B Cfsr" not in page


def test_cfsr_csv_figures_and_children(client, supervisor, example):
    """F2, F4 CSV: the figures, and the children (an export logged)."""
    client.force_login(supervisor.user)
    response = client.get(reverse("cfsr_f4_report") + "?period=2023-01&format=csv")
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["measure", "period_start", "unit"]
    assert rows[1][3:6] == ["1", "3", "33.3"]
    response = client.get(reverse("cfsr_f2_report") + "?period=2023-01&format=csv&children=1")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 6 and rows[0][1] == "child"
    assert AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


@pytest.mark.parametrize(
    "query, field",
    [
        ("period=2023-13", "period"),
        ("period=abc", "period"),
        ("period=2999-01", "period"),
        ("agency=x", "agency"),
        ("unit=-1", "unit"),
    ],
)
def test_cfsr_bad_input_is_422_naming_the_field(client, supervisor, query, field):
    """F2, F3, F4: bad input answers 422 naming the field, on the page and the API."""
    client.force_login(supervisor.user)
    page = client.get(reverse("cfsr_f3_report") + "?" + query)
    assert page.status_code == 422 and field in page.content.decode()
    api = ApiClient(supervisor.user).get(f"/api/v1/reports/f3?{query}")
    assert api.status_code == 422 and field in api.json()["errors"]


@pytest.mark.parametrize("measure", cfsr.MEASURES)
def test_cfsr_api_equals_page(client, supervisor, example, measure):
    """F2, F3, F4: the API's figures are the page's, and its children the page's."""
    client.force_login(supervisor.user)
    body = ApiClient(supervisor.user).get(f"/api/v1/reports/{measure}?period=2023-01").json()
    rows = getattr(cfsr, measure)(RemovalEpisode.objects.all(), P, group="unit")
    assert [(r["numerator"], r["denominator"], r["value"]) for r in body["rows"]] == [
        (r.numerator, r.denominator, r.value) for r in rows
    ]
    assert body["national"] == rules.NATIONAL[measure] and body["period_end"] == "2023-12-31"
    kids = (
        ApiClient(supervisor.user).get(f"/api/v1/reports/{measure}/children?period=2023-01").json()
    )
    page = client.get(reverse(PAGES[measure]) + "?period=2023-01&children=1").content.decode()
    assert kids and all(k["child_name"] in page for k in kids)


def test_cfsr_page_query_count_does_not_grow(
    client, supervisor, example, django_assert_max_num_queries
):
    client.force_login(supervisor.user)
    with django_assert_max_num_queries(25):
        client.get(reverse("cfsr_f3_report") + "?period=2023-01&children=1")


def test_f2_leap_day_birthday_is_18_on_28_february(example, worker):
    """F2: a child born on 29 February 2004 is 18 on 28 February 2022 (excluded); one
    born on 1 March 2004 is 17 that day (counted). 2022: I to permanency, J not (485
    days), K 18 on entry: 1 of 2, with the second child 1 of 3."""
    for name, dob in (("L", date(2004, 2, 29)), ("M", date(2004, 3, 1))):
        build(worker.user, example["case"], name, "2022-02-28", dob=dob)
    assert one(cfsr.f2(every_episode(), date(2022, 1, 1))) == (1, 3, 33.3)
    assert rules.f2(facts(), date(2022, 1, 1)) == (1, 3)


def test_f2_f3_f4_over_no_episodes():
    """F2, F3, F4 over an empty scope: no rows, a trend of empty periods."""
    for measure in cfsr.MEASURES:
        assert getattr(cfsr, measure)(RemovalEpisode.objects.none(), P) == []
        assert cfsr.trend(measure, RemovalEpisode.objects.none(), [P]) == [(P, [])]
        assert cfsr.children(measure, RemovalEpisode.objects.none(), P) == []
