#!/usr/bin/env python
"""`make bench`: time Hearth's key pages and endpoints through the real HTTP stack on a
state-sized data set in PostgreSQL.

It creates the database when missing (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/hearth_bench), migrates, seeds the state scale once,
starts gunicorn on a free local port, and times each scenario (p50 and p95 over many
requests after a warm-up). Queries per request are counted in-process on the same URL.
In-process scenarios (placement options ranking, the contacts dashboard, F1) call the
selector directly. Where a hand-written SQL query returns the same numbers (the "SQL
floor"), it is timed the same way and the ratio printed beside it; the F1 and dashboard
floors are checked to return the selectors' numbers first.
Results: a table on stdout and bench/results.json. Later issues add rows to SCENARIOS.

This is the entry point (it sets up Django); the SQL floors are in bench/floors.py, the
timing in bench/timing.py, the HTTP side in bench/server.py, the in-process scenarios in
bench/inprocess.py and bench/intake.py, the report in bench/report.py.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hearth_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ["DEBUG"] = "0"
os.environ["SECURE_SSL_REDIRECT"] = "0"  # gunicorn answers plain HTTP on 127.0.0.1 here
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
# The bench signs in with force_login and measures pages, not the second-factor step
# (docs/adr/0009-sign-in-and-two-factor.md).
os.environ.setdefault("HEARTH_2FA_ROLES", "")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench import report  # noqa: E402
from bench.afcars import time_afcars  # noqa: E402
from bench.cfsr import time_cfsr  # noqa: E402
from bench.federal import f1_api_scenarios  # noqa: E402
from bench.floors import (  # noqa: E402
    DASHBOARD_BY_AGENCY_SQL,
    DASHBOARD_BY_WORKER_SQL,
    F1_SQL,
    dashboard_params,
    dashboard_rows,
    f1_params,
    f1_rows,
)
from bench.homes import home_rows  # noqa: E402
from bench.inprocess import time_people_matches, time_ranking  # noqa: E402
from bench.intake import time_intake  # noqa: E402
from bench.oversight import home_line, home_scenarios, time_oversight  # noqa: E402
from bench.planning import plan_query_line, planning_scenarios, unit_line  # noqa: E402
from bench.search import search_scenarios  # noqa: E402
from bench.server import count_queries, free_port, start_server, time_requests  # noqa: E402
from bench.timing import (  # noqa: E402
    HEAVY_REQUESTS,
    HEAVY_WARMUP,
    REQUESTS,
    WARMUP,
    caseload_floor,
    result,
    time_against_floor,
)
from bench.trends import page_entry, time_trends  # noqa: E402
from hearth.api.models import ApiToken  # noqa: E402
from hearth.cases.models import Case  # noqa: E402
from hearth.contacts.models import ContactNote  # noqa: E402
from hearth.core.services import today  # noqa: E402
from hearth.obligations.models import Obligation  # noqa: E402
from hearth.obligations.selectors import dashboard  # noqa: E402
from hearth.oversight.models import QaReview  # noqa: E402
from hearth.placements.models import RemovalEpisode  # noqa: E402
from hearth.planning.models import CasePlan  # noqa: E402
from hearth.reports import federal  # noqa: E402
from hearth.staff.models import Role, StaffMember  # noqa: E402

STATE_OPEN_CASES = 25000  # below this, the database is not a state-sized set


def prepare() -> None:
    if connection.vendor != "postgresql":
        sys.exit("make bench runs on PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("ensure_database")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    open_cases = Case.objects.exclude(status="closed").count()
    if open_cases < STATE_OPEN_CASES:
        if open_cases:
            sys.exit(
                f"{connection.settings_dict['NAME']} holds {open_cases} open cases, not a "
                "state-sized set: drop it or point DATABASE_URL at an empty database."
            )
        print("Seeding the state-scale data set (once)...", flush=True)
        call_command("seed", "--scale", "state")
        return
    name = connection.settings_dict["NAME"]
    drop = f"drop it (psql -c 'DROP DATABASE {name}') and run make bench again to re-seed."
    if not RemovalEpisode.objects.exists():
        sys.exit(f"{name} was seeded before placements existed (no removal episodes): {drop}")
    if not ContactNote.objects.exists():
        sys.exit(f"{name} was seeded before contact notes existed: {drop}")
    if not CasePlan.objects.exists():
        sys.exit(f"{name} was seeded before case planning existed (no case plans): {drop}")
    if not QaReview.objects.exists():
        sys.exit(f"{name} was seeded before the state oversight seed (no QA reviews): {drop}")
    if not Obligation.objects.filter(month=today().replace(day=1)).exists():
        sys.exit(
            f"{name} holds no obligations for this month (the seed builds them for the "
            f"month it ran in and the one before, and its notes end on its day): {drop}"
        )


def main() -> None:
    prepare()
    worker = StaffMember.objects.get(user__username="casemanager")
    light = (
        StaffMember.objects.filter(roles__role=Role.CASE_MANAGER, status="active")
        .annotate(n=Count("assignments", filter=Q(assignments__ends_on__isnull=True)))
        .filter(n__gte=1)
        .order_by("n", "id")
        .first()
    )
    held = Case.objects.filter(assignments__worker=worker, assignments__ends_on__isnull=True)
    case = held.order_by("id").first()
    client = Client()
    client.force_login(worker.user)
    session = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    _, token = ApiToken.issue(worker.user, label="bench")
    bearer = {"Authorization": f"Bearer {token}"}
    last_name = case.members.first().person.last_name
    in_care = (
        RemovalEpisode.objects.filter(case__in=held, exited_on__isnull=True)
        .order_by("case_id", "child_id")
        .first()
    )
    skipped, child_path = [], None
    if in_care is None:
        skipped.append("child placement page (the case manager holds no child in care)")
    else:
        try:
            child_path = reverse("case_child", args=(in_care.case_id, in_care.child_id))
        except NoReverseMatch:
            skipped.append("child placement page (no URL named case_child yet)")

    # The contacts dashboard (V13) and F1, in-process, each against its SQL floor: for a
    # state viewer by agency and a supervisor by worker this month; F1 by agency for this
    # fiscal year and the last (twelve months: the heavy case).
    month = today().replace(day=1)
    fy = federal.fiscal_year_of(today())
    oversight = StaffMember.objects.select_related("user").get(user__username="oversight")
    supervisor = StaffMember.objects.select_related("user").get(user__username="supervisor")
    state_client = Client()
    state_client.force_login(oversight.user)
    state_session = {"Cookie": f"sessionid={state_client.cookies['sessionid'].value}"}
    _, state_token = ApiToken.issue(oversight.user, label="bench")
    state_bearer = {"Authorization": f"Bearer {state_token}"}
    sup_client = Client()
    sup_client.force_login(supervisor.user)
    sup_session = {"Cookie": f"sessionid={sup_client.cookies['sessionid'].value}"}
    _, sup_token = ApiToken.issue(supervisor.user, label="bench")
    sup_bearer = {"Authorization": f"Bearer {sup_token}"}
    checks, floors, measured = [], {}, []
    dashboards = [
        ("contacts dashboard, state", oversight, "agency", DASHBOARD_BY_AGENCY_SQL, None),
        ("contacts dashboard, supervisor", supervisor, "worker", DASHBOARD_BY_WORKER_SQL, 1),
    ]
    for name, staff, group, sql, unit in dashboards:
        measured.append(
            time_against_floor(
                name,
                lambda staff=staff, group=group: dashboard(
                    viewer=staff.user, month=month, group=group, filters={}
                ),
                sql,
                dashboard_params(month, staff.unit_id if unit else None),
                dashboard_rows,
                REQUESTS,
                WARMUP,
                2000,
                checks,
            )
        )
        floors[name] = measured[-1]["floor_ms"]
    f1_years = []
    for year in (fy, fy - 1):
        params = f1_params(year)
        if not params:
            skipped.append(f"F1 for FY{year} (none of its months has ended yet)")
            continue
        name = f"F1 FY{year} ({len(params['firsts'])} mo), f1()"
        measured.append(
            time_against_floor(
                name,
                lambda year=year: federal.f1(RemovalEpisode.objects.all(), year, group="agency"),
                F1_SQL,
                params,
                f1_rows,
                HEAVY_REQUESTS,
                HEAVY_WARMUP,
                2000,
                checks,
            )
        )
        floors[year] = measured[-1]["floor_ms"]
        f1_years.append(year)
    # F2, F3, F4 (issue 14) statewide for each page's default period, against their floors.
    measured += time_cfsr(checks)
    # The reports page's trends (issue 14): F1's two shares and V13 by agency for 12 months,
    # in-process against floors that compute every month in one query.
    trend_rows, trend_lines = time_trends(oversight)
    measured += trend_rows

    scenarios = [
        # name, path, headers, target p95 ms, floor function, timed requests
        ("caseload page", "/caseload/", session, 50, lambda: caseload_floor(worker.pk), REQUESTS),
        ("case page", f"/cases/{case.pk}/", session, 80, None, REQUESTS),
        ("cases list page", "/cases/", session, 100, None, REQUESTS),
        ("people search page", f"/people/?q={last_name}", session, 200, None, 30),
        (
            "API people matches",
            f"/api/v1/people/matches?last_name={last_name}x&first_name=Bill",
            bearer,
            200,
            None,
            REQUESTS,
        ),
        ("API case list", "/api/v1/cases", bearer, 100, None, REQUESTS),
        ("API case detail", f"/api/v1/cases/{case.pk}", bearer, 80, None, REQUESTS),
    ]
    # Search before create, in-process beside the people search page (issue 5).
    matches_row, matches_line = time_people_matches()
    if child_path:
        # No p95 target is set for these pages yet (None). With ?action=place the page
        # also ranks the placement options (the ranking's own timing is below).
        scenarios += [
            ("child placement page", child_path, session, None, None, REQUESTS),
            (
                "child page, place options",
                f"{child_path}?action=place",
                session,
                None,
                None,
                REQUESTS,
            ),
        ]
    # Issue 12 (P9, C1 to C9): the due lists, pages and API, beside their SQL floors, and
    # the plan page for the case manager's largest plan. A scenario whose URL does not
    # resolve yet is skipped with a loud message (bench/planning.py).
    planning_rows, plans = planning_scenarios(
        worker,
        supervisor,
        (client, sup_client),
        (session, sup_session, bearer, sup_bearer),
        skipped,
    )
    # Issue 13 (O1 to O4): the oversight home of the demo specialist, page and API
    # (bench/oversight.py; skipped loudly while not available).
    planning_rows += home_scenarios(state_client, state_session, state_bearer, skipped)
    # Issue 14 (F1 as data): the F1 API for the state, beside the F1 page (bench/federal.py).
    planning_rows += f1_api_scenarios(state_client, state_bearer, floors, f1_years, skipped)
    # Issue 15: each role's home, page and API, and the intake coordinator's queue
    # (bench/homes.py).
    planning_rows += home_rows(skipped)
    # Issue 15: the people search page and the header's search box, page and API, for a
    # last name alone, a misspelling, both names and a case number (bench/search.py).
    planning_rows += search_scenarios(
        client, session, bearer, case, case.members.first().person, skipped
    )
    # Pages signed in as the state oversight user, beside the floor of their numbers.
    pages = [
        (
            "contacts dashboard page, state",
            "/contacts/dashboard/",
            floors["contacts dashboard, state"],
            REQUESTS,
            WARMUP,
        )
    ]
    for year in f1_years:
        path = "/reports/monthly-visits/" + ("" if year == fy else f"?fy={year}")
        pages.append((f"F1 page FY{year}, state", path, floors[year], HEAVY_REQUESTS, HEAVY_WARMUP))
    # The reports page also draws F2 to F4 for 12 periods each: no one floor covers it all,
    # so it is timed against its 2 s target only.
    pages.append(page_entry())
    port = free_port()
    server = start_server(port)
    results = []
    try:
        for name, path, headers, target, floor, requests in scenarios:
            samples = time_requests(port, path, headers, requests)
            queries = count_queries(client, path, headers)
            results.append(result(name, samples, queries, target, floor() if floor else None))
        for name, path, headers, target, floor, requests, who in planning_rows:
            samples = time_requests(port, path, headers, requests)
            queries = count_queries(who, path, headers)
            results.append(result(name, samples, queries, target, floor))
        for name, path, floor, requests, warmup in pages:
            samples = time_requests(port, path, state_session, requests, warmup)
            queries = count_queries(state_client, path, {})
            results.append(result(name, samples, queries, 2000, floor))
    finally:
        server.terminate()
        server.wait(timeout=10)

    samples, queries = time_ranking(REQUESTS)
    results.append(result("placement options ranking", samples, max(queries), 100))
    results.append(matches_row)
    results += measured
    # Intake and assignment (issue 5), in-process.
    intake_rows, intake_lines = time_intake()
    results += intake_rows
    # State oversight (issue 13), in-process: the QA sample and compliance.
    oversight_rows, oversight_lines = time_oversight(skipped)
    results += oversight_rows
    # F5 (issue 14): the state's AFCARS extract, each run in its own process (peak RSS).
    afcars_rows, afcars_lines = time_afcars(skipped)
    results += afcars_rows

    light_client = Client()
    light_client.force_login(light.user)
    growth = (count_queries(light_client, "/caseload/", {}), held.count(), light.n)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]

    report.table(results)
    print()
    for line in [
        f"Caseload queries: {results[0]['queries']} for a worker holding {growth[1]} cases, "
        f"{growth[0]} for one holding {growth[2]}.",
        f"Ranking queries per call: {min(queries)} to {max(queries)} over {len(queries)} "
        "children (the table shows the most).",
        *report.check_lines(checks),
        f"{REQUESTS} timed requests per scenario (people search: 30; F1: {HEAVY_REQUESTS} after "
        f"{HEAVY_WARMUP}) after {WARMUP} warm-ups, one gunicorn worker; the ranking: "
        f"{len(samples)} random children in care, in-process; dashboards and F1 in-process "
        f"for {month:%Y-%m} and FY{fy}. ratio = p50 / floor. PostgreSQL jit: {jit}.",
        *plan_query_line(plans, lambda path: count_queries(client, path, {})),
        unit_line(supervisor),
        matches_line,
        *intake_lines,
        home_line(oversight),
        *oversight_lines,
        *trend_lines,
        *afcars_lines,
        *(f"!!! SKIPPED (not timed): {name}." for name in skipped),
    ]:
        print(line)
    report.save(results, ROOT)


if __name__ == "__main__":
    main()
