"""F5: the AFCARS-style extract and its data-quality report, on a real database, against
records worked out by hand. The period is 2026A (October 2025 to March 2026), in the
past whatever day the suite runs on."""

import csv
import io
import json
from datetime import date, datetime, time

import jsonschema
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hearth.contacts.services import contact_note_create
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.placements import services as placements
from hearth.placements.models import RemovalEpisode
from hearth.reports import afcars, quality
from hearth.staff.models import Role
from tests.api.conftest import ApiClient
from tests.factories import PersonFactory, StaffFactory, TribeFactory, make_case

PERIOD = afcars.parse_period("2026A")
URL = "/api/v1/reports/afcars"


def on(day: date):
    return timezone.make_aware(datetime.combine(day, time(11)))


def remove(worker, case, child, removed_on, **kw):
    return placements.child_remove(
        actor=worker.user,
        case=case,
        child=child,
        removed_on=removed_on,
        legal_basis=kw.pop("legal_basis", "court_ordered"),
        removal_reasons=kw.pop("removal_reasons", ["neglect"]),
        **kw,
    )


def place(worker, episode, starts_on, setting="group_home", **kw):
    kw.setdefault("provider_name", "Pine House")
    kw.setdefault("departure_reason", "Only opening")
    return placements.child_place(
        actor=worker.user, episode=episode, starts_on=starts_on, setting=setting, **kw
    )


@pytest.fixture
def period_2026a(supervisor, worker):
    """Four children of one case, each made to show the elements or their gaps.
    Ann: two episodes, three placements (the last of the first a trial home visit), ICWA
    known, visits in October, November and February. Ben: removed, never placed, no date
    of birth, ICWA unknown. Cara: entered care after her exit, ICWA inquiry made and not
    determined. Dan: a gap between placements, no established plan, ICWA applies with
    no tribe named nor notified."""
    tribe = TribeFactory(code="river-band", name="River Band")
    ann = PersonFactory(
        first_name="Ann",
        last_name="Extract",
        date_of_birth=date(2015, 1, 1),
        sex="female",
        icwa_inquiry_made=True,
        icwa_inquiry_date=date(2025, 7, 2),
        icwa_membership="eligible",
        icwa_applies="yes",
        tribe_notified_on=date(2025, 7, 10),
    )
    ann.tribes.add(tribe)
    ben = PersonFactory(
        first_name="Ben", last_name="Extract", date_of_birth=None, dob_precision="unknown"
    )
    cara = PersonFactory(
        first_name="Cara",
        last_name="Extract",
        icwa_inquiry_made=True,
        icwa_inquiry_date=date(2025, 9, 1),
    )
    dan = PersonFactory(
        first_name="Dan", last_name="Extract", icwa_inquiry_made=True, icwa_applies="yes"
    )
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="out_of_home",
        opened_on=date(2025, 6, 1),
        members=[(ann, "child"), (ben, "child"), (cara, "child"), (dan, "child")],
    )
    first = remove(
        worker,
        case,
        ann,
        date(2025, 7, 1),
        entered_care_on=date(2025, 7, 1),
        removal_reasons=["neglect", "housing"],
    )
    place(worker, first, date(2025, 7, 1))
    place(worker, first, date(2025, 11, 1), setting="trial_home_visit", move_reason="Going home.")
    placements.episode_exit(
        actor=worker.user, episode=first, exited_on=date(2025, 12, 15), exit_reason="reunification"
    )
    second = remove(worker, case, ann, date(2026, 2, 1), legal_basis="voluntary")
    place(worker, second, date(2026, 2, 3), setting="shelter", provider_name="Oak Shelter")

    remove(worker, case, ben, date(2025, 9, 15))

    cara_episode = remove(worker, case, cara, date(2025, 10, 1), entered_care_on=date(2025, 10, 20))
    place(worker, cara_episode, date(2025, 10, 1))
    placements.episode_exit(
        actor=worker.user,
        episode=cara_episode,
        exited_on=date(2025, 10, 10),
        exit_reason="living_with_relatives",
    )

    dan_episode = remove(
        worker,
        case,
        dan,
        date(2025, 10, 1),
        goal="not_established",
        goal_reason="The court has not yet ruled.",
    )
    place(worker, dan_episode, date(2025, 10, 1), ends_on=date(2025, 10, 20))
    place(worker, dan_episode, date(2025, 11, 1), move_reason="A bed opened.")

    def visit(day, location, method="in_person"):
        contact_note_create(
            actor=worker.user,
            author=worker,
            case=case,
            occurred_at=on(day),
            method=method,
            location=location,
            contact_with=[ann],
            narrative="Monthly visit.",
            finalize=True,
        )

    visit(date(2025, 10, 7), "placement")
    visit(date(2025, 11, 4), "office")
    visit(date(2025, 12, 2), "placement", method="attempted")  # not a visit
    visit(date(2026, 2, 10), "child_residence")
    return {"case": case, "ann": ann, "ben": ben, "cara": cara, "dan": dan}


ANN = {
    "report_period": "2026A",
    "agency": "nsf",
    "date_of_birth": "2015-01-01",
    "sex": "female",
    "race": None,
    "ethnicity": None,
    "episodes": [
        {
            "removal_date": "2025-07-01",
            "entered_care_date": "2025-07-01",
            "removal_reasons": ["neglect", "housing"],
            "legal_basis": "court_ordered",
            "exit_date": "2025-12-15",
            "exit_reason": "reunification",
            "transfer_agency": None,
            "placements": [
                {"setting": "group_home", "start_date": "2025-07-01", "end_date": "2025-11-01"},
                {
                    "setting": "trial_home_visit",
                    "start_date": "2025-11-01",
                    "end_date": "2025-12-15",
                },
            ],
        },
        {
            "removal_date": "2026-02-01",
            "entered_care_date": "2026-02-03",  # filled by the first placement
            "removal_reasons": ["neglect"],
            "legal_basis": "voluntary",
            "exit_date": None,
            "exit_reason": None,
            "transfer_agency": None,
            "placements": [{"setting": "shelter", "start_date": "2026-02-03", "end_date": None}],
        },
    ],
    "permanency_plans": [
        {"goal": "reunification", "start_date": "2025-07-01", "end_date": "2026-02-01"},
        {"goal": "reunification", "start_date": "2026-02-01", "end_date": None},
    ],
    "visits": [
        {"date": "2025-10-07", "in_residence": True},
        {"date": "2025-11-04", "in_residence": False},
        {"date": "2026-02-10", "in_residence": True},
    ],
    "icwa": {
        "inquiry_made": True,
        "inquiry_date": "2025-07-02",
        "membership": "eligible",
        "tribes": ["river-band"],
        "applies": "yes",
        "tribe_notified_date": "2025-07-10",
    },
}


def extract(client, **params):
    response = client.get(URL, **{"period": "2026A", **params})
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def by_name(records, fixture):
    ids = {fixture[k].pk: k for k in ("ann", "ben", "cara", "dan")}
    return {ids[r["child_id"]]: r for r in records}


def test_f5_extract_of_a_hand_built_child_is_the_expected_record(period_2026a):
    records = by_name(afcars.records(RemovalEpisode.objects.all(), PERIOD), period_2026a)
    assert records["ann"] == {"child_id": period_2026a["ann"].pk, **ANN}
    assert set(records) == {"ann", "ben", "cara", "dan"}


def test_f5_missing_data_stays_null_never_a_default(period_2026a):
    """F5: Ben's unknown date of birth, sex, entry date and ICWA answers are null."""
    ben = by_name(afcars.records(RemovalEpisode.objects.all(), PERIOD), period_2026a)["ben"]
    assert ben["date_of_birth"] is None and ben["sex"] is None and ben["race"] is None
    (episode,) = ben["episodes"]
    assert episode["entered_care_date"] is None and episode["placements"] == []
    assert episode["exit_date"] is None and episode["exit_reason"] is None
    assert ben["icwa"] == {
        "inquiry_made": None,
        "inquiry_date": None,
        "membership": None,
        "tribes": [],
        "applies": None,
        "tribe_notified_date": None,
    }
    assert ben["visits"] == []


def test_f5_period_codes():
    assert afcars.parse_period("2027A") == afcars.Period(
        "2027A", date(2026, 10, 1), date(2027, 3, 31)
    )
    assert afcars.parse_period("2027B").end == date(2027, 9, 30)
    for bad in ("2027", "2027C", "27A", "x2027A", "1999A"):
        with pytest.raises(ValueError):
            afcars.parse_period(bad)
    assert afcars.last_period(date(2026, 11, 30)).code == "2026B"
    assert afcars.last_period(date(2027, 3, 31)).code == "2026B"
    assert afcars.last_period(date(2027, 4, 1)).code == "2027A"


def test_f5_json_extract_validates_against_the_schema_and_is_logged(world, period_2026a):
    director = world["staff"]["director"]
    body = extract(ApiClient(director.user))
    records = json.loads(body)
    jsonschema.validate(records, afcars.schema(), format_checker=jsonschema.FormatChecker())
    assert by_name(records, period_2026a)["ann"]["episodes"] == ANN["episodes"]
    logged = AccessLog.objects.filter(kind="export", user=director.user, object_type="person")
    assert {r["child_id"] for r in records} <= set(logged.values_list("object_id", flat=True))
    schema = ApiClient(director.user).get(URL + "/schema")
    assert schema.status_code == 200 and schema.json()["$defs"]["record"]


def test_f5_csv_extract_parses_one_row_per_child(world, period_2026a):
    body = extract(ApiClient(world["staff"]["director"].user), format="csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == afcars.CSV_COLUMNS
    ann = next(r for r in rows if r["child_id"] == str(period_2026a["ann"].pk))
    assert ann["episode_removal_date"] == "2025-07-01 | 2026-02-01"
    assert ann["episode_removal_reasons"] == "neglect+housing | neglect"
    assert ann["episode_exit_reason"] == "reunification | "
    assert ann["placement_episode"] == "1 | 1 | 2"
    assert ann["placement_setting"] == "group_home | trial_home_visit | shelter"
    assert ann["placement_end_date"] == "2025-11-01 | 2025-12-15 | "
    assert ann["visit_in_residence"] == "true | false | true"
    assert ann["icwa_tribes"] == "river-band" and ann["icwa_inquiry_made"] == "true"
    ben = next(r for r in rows if r["child_id"] == str(period_2026a["ben"].pk))
    assert ben["date_of_birth"] == "" and ben["icwa_inquiry_made"] == ""
    assert ben["episode_entered_care_date"] == ""


def test_f5_extract_is_streamed_in_batches_with_a_fixed_query_count(supervisor, worker):
    """F5: the queries per batch do not grow with the children (5 against 50), and the
    batches (two children each) give the same records as one batch."""

    def make(n):
        kids = [PersonFactory() for _ in range(n)]
        case = make_case(
            actor_staff=supervisor,
            worker=worker,
            case_type="out_of_home",
            opened_on=date(2025, 6, 1),
            members=[(k, "child") for k in kids],
        )
        for k in kids:
            place(worker, remove(worker, case, k, date(2025, 9, 1)), date(2025, 9, 1))
        return kids

    request = RequestFactory().get(URL)
    request.user = worker.user
    episodes = RemovalEpisode.objects.all()

    def run():
        response = afcars.stream(request, episodes, PERIOD, "json")
        assert isinstance(response, StreamingHttpResponse)
        return json.loads(b"".join(response.streaming_content))

    counted = []
    for n in (5, 45):
        make(n)
        run()  # the access log's chain exists from the first export on
        with CaptureQueriesContext(connection) as queries:
            records = run()
        counted.append(len(queries))
    assert len(records) == 50
    assert counted[0] == counted[1]
    assert list(afcars.records(episodes, PERIOD, batch=2)) == records


def test_f5_extract_scoping_and_403(world, period_2026a):
    staff = world["staff"]
    for role in ("worker", "supervisor", "admin"):
        assert ApiClient(staff[role].user).get(URL).status_code == 403, role
    assert ApiClient().get(URL).status_code == 401
    assert ApiClient(staff["director"].user).get(URL, period="2026C").status_code == 422
    # The state sees every agency's children; a director of another agency none of these.
    state = json.loads(extract(ApiClient(staff["oversight"].user)))
    assert {period_2026a["ann"].pk, period_2026a["ben"].pk} <= {r["child_id"] for r in state}
    rival_director = StaffFactory(
        unit=None, agency=world["cases"]["rival"].agency, roles=[Role.PROGRAM_DIRECTOR]
    )
    assert json.loads(extract(ApiClient(rival_director.user))) == []
    other = period_2026a["case"].agency_id + 1000
    assert json.loads(extract(ApiClient(staff["oversight"].user), agency=other)) == []


def test_f5_extract_page_for_the_director_not_the_supervisor(client, world, period_2026a):
    client.force_login(world["staff"]["director"].user)
    page = client.get(reverse("afcars_report") + "?period=2026A").content.decode()
    assert "4 children in care during the period" in page
    assert "/api/v1/reports/afcars?period=2026A&amp;format=csv" in page
    assert "No date the child entered care" in page
    client.force_login(world["staff"]["supervisor"].user)
    assert client.get(reverse("afcars_report")).status_code == 403


FOUND = {
    "no_entry_date": {"ben"},
    "entry_after_exit": {"cara"},
    "no_placement": {"ben"},
    "placement_gap": {"dan"},
    "no_permanency_plan": {"dan"},
    "dob_unknown": {"ben"},
    "sex_unknown": {"ben", "cara", "dan"},
    "icwa_inquiry_unknown": {"ben"},
    "icwa_undetermined": {"cara"},
    "icwa_no_tribe": {"dan"},
    "icwa_not_notified": {"dan"},
    "visit_month_missed": {"ann", "ben", "dan"},
}


def test_f5_data_quality_finds_each_check_on_the_hand_built_children(period_2026a, worker):
    names = {period_2026a[k].pk: k for k in ("ann", "ben", "cara", "dan")}
    found = quality.findings(RemovalEpisode.objects.all(), PERIOD)
    by_check = {}
    for f in found:
        by_check.setdefault(f.check.code, set()).add(names[f.episode.child_id])
        assert f.worker_id == worker.pk and f.agency_id == worker.agency_id
    assert by_check == FOUND
    assert {f.detail for f in found if f.check.code == "placement_gap"} == {"2025-10-20"}
    months = sorted(
        (names[f.episode.child_id], f.detail) for f in found if f.check.code == "visit_month_missed"
    )
    assert [m for n, m in months if n == "ann"] == ["2026-03"]
    assert len(months) == 13  # Ann March; Ben and Dan October to March
    counts = {c.check.code: c for c in quality.counts(RemovalEpisode.objects.all(), PERIOD)}
    assert {k: c.count for k, c in counts.items()} == {
        k: 13 if k == "visit_month_missed" else len(v) for k, v in FOUND.items()
    }
    assert counts["sex_unknown"].by_worker == {(worker.agency_id, worker.pk): 3}


def test_f5_data_quality_page_api_and_csv(client, world, period_2026a, worker):
    supervisor = world["staff"]["supervisor"]
    client.force_login(supervisor.user)
    url = reverse("afcars_data_quality") + "?period=2026A"
    page = client.get(url).content.decode()
    assert "Gap between placements" in page and worker.full_name in page
    drill = client.get(url + "&check=placement_gap").content.decode()
    assert "Dan Extract" in drill and "2025-10-20" in drill
    assert AccessLog.objects.filter(kind="list", object_id=period_2026a["dan"].pk).exists()
    body = client.get(url + "&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["check"] for r in rows} == set(FOUND)
    api = ApiClient(supervisor.user).get("/api/v1/reports/data-quality", period="2026A")
    assert api.status_code == 200
    assert {c["code"]: c["count"] for c in api.json()["checks"]}["icwa_no_tribe"] == 1
    drill = ApiClient(supervisor.user).get(
        "/api/v1/reports/data-quality", period="2026A", check="no_placement"
    )
    assert [f["child_name"] for f in drill.json()["findings"]] == ["Ben Extract"]
    bad = ApiClient(supervisor.user).get("/api/v1/reports/data-quality", check="nope")
    assert bad.status_code == 422 and "check" in bad.json()["errors"]
    # A viewer of another agency counts nothing of ours.
    rival = ApiClient(world["staff"]["rival_sup"].user)
    checks = rival.get("/api/v1/reports/data-quality", period="2026A").json()["checks"]
    assert all(c["count"] == 0 for c in checks)


def test_f5_data_quality_page_query_count_is_fixed(
    client, world, period_2026a, django_assert_max_num_queries
):
    client.force_login(world["staff"]["director"].user)
    with django_assert_max_num_queries(45):  # one per check (per month for visits)
        client.get(reverse("afcars_data_quality") + "?period=2026A")


def test_f5_bench_measures_the_states_extract_in_process(world, period_2026a):
    """F5: bench/afcars.py's measure, the extract of the last ended period as the state
    sees it, streamed and consumed; its access-log rows are rolled back."""
    from bench.afcars import measure

    period = afcars.last_period(today())
    expected = afcars.in_care(RemovalEpisode.objects.all(), period).values("child_id").distinct()
    logged = AccessLog.objects.count()
    run = measure(1.0, "json")
    assert run["period"] == period.code and run["children"] == expected.count() >= 1
    assert run["bytes"] > 0 and run["peak_kb"] >= run["peak_before_kb"] > 0
    assert AccessLog.objects.count() == logged
