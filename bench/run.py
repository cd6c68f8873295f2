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
"""

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from http.client import HTTPConnection
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from hearth.api.models import ApiToken  # noqa: E402
from hearth.cases.models import Case  # noqa: E402
from hearth.contacts.models import ContactNote  # noqa: E402
from hearth.core.services import today  # noqa: E402
from hearth.obligations.models import Obligation  # noqa: E402
from hearth.obligations.selectors import dashboard  # noqa: E402
from hearth.placements.models import RemovalEpisode  # noqa: E402
from hearth.placements.selectors import rank_for_child  # noqa: E402
from hearth.reports import federal  # noqa: E402
from hearth.staff.models import Role, StaffMember  # noqa: E402

WARMUP = int(os.environ.get("BENCH_WARMUP", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
# F1 runs for seconds: fewer runs, after fewer warm-ups.
HEAVY_WARMUP = int(os.environ.get("BENCH_HEAVY_WARMUP", "2"))
HEAVY_REQUESTS = int(os.environ.get("BENCH_HEAVY_REQUESTS", "10"))
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
    if not Obligation.objects.filter(month=today().replace(day=1)).exists():
        sys.exit(
            f"{name} holds no obligations for this month (the seed builds them for the "
            f"month it ran in and the one before, and its notes end on its day): {drop}"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "hearth.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--threads",
            "1",
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("gunicorn did not start")


def time_requests(
    port: int, path: str, headers: dict, requests: int, warmup: int = WARMUP
) -> list[float]:
    conn = HTTPConnection("127.0.0.1", port, timeout=300)
    samples = []
    for i in range(warmup + requests):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        took = (time.perf_counter() - started) * 1000
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}")
        if i >= warmup:
            samples.append(took)
    conn.close()
    return samples


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def count_queries(client: Client, path: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, headers=headers).status_code == 200, path
    return len(captured)


def caseload_floor(staff_id: int) -> float:
    """Hand-written SQL returning the caseload rows (cases and current members)."""
    sql = """
        SELECT c.id, c.case_number, c.case_type, c.court_involved, c.status,
               p.first_name, p.last_name, m.role
        FROM cases_assignment a
        JOIN cases_case c ON c.id = a.case_id
        LEFT JOIN cases_casemember m ON m.case_id = c.id AND m.ends_on IS NULL
        LEFT JOIN people_person p ON p.id = m.person_id
        WHERE a.worker_id = %s AND a.ends_on IS NULL AND a.kind = 'primary'
          AND c.status <> 'closed'
        ORDER BY c.case_number
    """
    samples = []
    with connection.cursor() as cursor:
        for _ in range(WARMUP + 100):
            started = time.perf_counter()
            cursor.execute(sql, [staff_id])
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples[WARMUP:]), 2)


def time_ranking(requests: int) -> tuple[list[float], list[int]]:
    """rank_for_child for random open removal episodes state-wide, in-process: each call
    timed on its own (the episode and its child loaded beforehand), then its queries
    counted in a second pass."""
    ids = list(
        RemovalEpisode.objects.filter(exited_on__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    sample = random.Random(1).sample(ids, min(len(ids), WARMUP + requests))
    loaded = RemovalEpisode.objects.select_related("child").in_bulk(sample)
    episodes = [loaded[pk] for pk in sample]
    samples = []
    for i, episode in enumerate(episodes):
        started = time.perf_counter()
        rank_for_child(episode)
        if i >= WARMUP:
            samples.append((time.perf_counter() - started) * 1000)
    queries = []
    for episode in episodes[WARMUP:]:
        with CaptureQueriesContext(connection) as captured:
            rank_for_child(episode)
        queries.append(len(captured))
    return samples, queries


def time_people_matches(requests: int = 50, warmup: int = WARMUP) -> tuple[dict, str]:
    """Search before create (issue 5), in-process: people_matches for the state intake
    coordinator (`intake`: their agency's cases) over `requests` queries built from real
    people in those cases (a fixed sample, seed 1), each with a typo injected in the last
    name (a letter dropped, doubled, swapped with the next or replaced), the first name as
    a nickname where the table knows one (else a typo for one query in three), and the date
    of birth with day and month swapped, exact or left out in turn. Each call is timed on
    its own after `warmup` others; then its queries are counted. Returns the result row and
    a line saying how often the person typed was found, and ranked first."""
    from hearth.cases.models import CaseMember
    from hearth.cases.people_selectors import people_matches
    from hearth.people import matching
    from hearth.people.models import Person

    intake = StaffMember.objects.select_related("user").get(user__username="intake")
    ids = list(
        CaseMember.objects.filter(case__agency_id=intake.agency_id)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    rng = random.Random(1)
    people = Person.objects.in_bulk(rng.sample(ids, min(len(ids), warmup + requests)))
    nicknames = {name: shorts[0] for name, shorts in matching.NICKNAMES.items()}

    def typo(word: str) -> str:
        i = rng.randrange(1, max(2, len(word) - 1))
        kind = rng.choice(["drop", "double", "swap", "replace"])
        if kind == "drop" and len(word) > 3:
            return word[:i] + word[i + 1 :]
        if kind == "swap" and i + 1 < len(word):
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == "replace":
            return word[:i] + rng.choice("aeiouy") + word[i + 1 :]
        return word[:i] + word[i] + word[i:]

    queries = []
    for n, person in enumerate(people.values()):
        first = nicknames.get(matching.normalize(person.first_name))
        if first is None:
            first = typo(person.first_name) if n % 3 == 0 else person.first_name
        dob = person.date_of_birth
        dob = [matching.swapped_date(dob) or dob, dob, None][n % 3]
        queries.append((person.pk, first.title(), typo(person.last_name), dob))
    samples, counts, found, first_place = [], [], 0, 0
    for n, (pk, first, last, dob) in enumerate(queries):
        started = time.perf_counter()
        matches = people_matches(
            viewer=intake.user, first_name=first, last_name=last, date_of_birth=dob
        )
        if n >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
            ranked = [m.person.pk for m in matches]
            found += pk in ranked
            first_place += bool(ranked) and ranked[0] == pk
    for _pk, first, last, dob in queries[warmup:]:
        with CaptureQueriesContext(connection) as captured:
            people_matches(viewer=intake.user, first_name=first, last_name=last, date_of_birth=dob)
        counts.append(len(captured))
    row = result("people matches (intake), typos", samples, max(counts), 200)
    line = (
        f"People matches: {len(samples)} typo'd queries for the intake coordinator "
        f"({len(ids):,} people in reach); the person was found {found} times, ranked first "
        f"{first_place}; {min(counts)} to {max(counts)} queries a call. "
        f"Example: {queries[warmup][1]} {queries[warmup][2]} {queries[warmup][3]}."
    )
    return row, line


# --- The SQL floors of the contacts dashboard and of F1 ---------------------------------
# Each returns the numbers its selector computes, in one query; tests/demo/test_state.py
# runs them on a small state seed against the selectors (keep them plain string literals).

# V13 per agency for a month (hearth.obligations.selectors.dashboard, a state viewer): the
# state follows from the evidence, the dates and today (as with_state computes it).
DASHBOARD_BY_AGENCY_SQL = """
    SELECT o.agency_id, a.name,
           count(*) AS total,
           count(*) FILTER (WHERE o.met_on IS NOT NULL) AS met,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on >= %(today)s) AS due,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on < %(today)s) AS overdue,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on > %(today)s) AS upcoming
    FROM obligations_obligation o
    JOIN staff_agency a ON a.id = o.agency_id
    WHERE o.month = %(month)s AND o.source = 'contacts'
    GROUP BY o.agency_id, a.name
    ORDER BY a.name
"""

# The same per worker in one unit (a supervisor's dashboard).
DASHBOARD_BY_WORKER_SQL = """
    SELECT o.responsible_id, s.last_name,
           count(*) AS total,
           count(*) FILTER (WHERE o.met_on IS NOT NULL) AS met,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on >= %(today)s) AS due,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on < %(today)s) AS overdue,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on > %(today)s) AS upcoming
    FROM obligations_obligation o
    LEFT JOIN staff_staffmember s ON s.id = o.responsible_id
    WHERE o.month = %(month)s AND o.source = 'contacts' AND o.unit_id = %(unit)s
    GROUP BY o.responsible_id, s.last_name
    ORDER BY s.last_name
"""

# F1 per agency over the full months of a fiscal year (hearth.reports.federal.f1): the
# child-months (in care on the 1st, not discharged in the month, under 18 on its last
# day), each visited when a final in-person note names the child in the month (local
# time), in the residence when one such note was at the residence or placement. The
# children's notes are read once for the whole year, not once a month.
F1_SQL = """
    WITH months (first, last, born_after) AS (
        SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[], %(born_after)s::date[])
    ),
    child_months AS (
        SELECT mo.first, e.child_id, c.agency_id
        FROM placements_removalepisode e
        JOIN months mo
          ON e.removed_on <= mo.first AND (e.exited_on IS NULL OR e.exited_on > mo.last)
        JOIN people_person p ON p.id = e.child_id
        JOIN cases_case c ON c.id = e.case_id
        WHERE p.date_of_birth IS NULL OR p.date_of_birth > mo.born_after
    ),
    visits AS (
        SELECT w.person_id AS child_id,
               date_trunc('month', n.occurred_at AT TIME ZONE %(tz)s)::date AS first,
               bool_or(n.location IN ('child_residence', 'placement')) AS in_residence
        FROM (SELECT DISTINCT child_id FROM child_months) ch
        JOIN contacts_contactnote_contact_with w ON w.person_id = ch.child_id
        JOIN contacts_contactnote n ON n.id = w.contactnote_id
        WHERE n.status = 'final' AND n.method = 'in_person'
          AND n.occurred_at >= %(start)s AND n.occurred_at < %(end)s
        GROUP BY 1, 2
    )
    SELECT cm.agency_id, count(*) AS months, count(v.child_id) AS visited,
           count(*) FILTER (WHERE v.in_residence) AS in_residence
    FROM child_months cm
    LEFT JOIN visits v ON v.child_id = cm.child_id AND v.first = cm.first
    GROUP BY cm.agency_id
    ORDER BY cm.agency_id
"""


def dashboard_params(month, unit=None) -> dict:
    return {"month": month, "today": today(), "unit": unit}


def f1_params(fy: int, upto=None) -> dict:
    """F1_SQL's parameters: the fiscal year's months that have ended (by `upto`, default
    the last day of last month, as federal.f1), and the year's bounds in local time."""
    upto = upto or today().replace(day=1) - timedelta(days=1)
    firsts, lasts, born_after = [], [], []
    for first in federal.fiscal_year_months(fy):
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if last > upto:
            break
        firsts.append(first)
        lasts.append(last)
        try:
            born_after.append(last.replace(year=last.year - 18))
        except ValueError:  # 29 February
            born_after.append(last.replace(year=last.year - 18, day=28))
    if not firsts:
        return {}
    tz = timezone.get_current_timezone()
    return {
        "firsts": firsts,
        "lasts": lasts,
        "born_after": born_after,
        "start": timezone.make_aware(datetime.combine(firsts[0], datetime.min.time()), tz),
        "end": timezone.make_aware(
            datetime.combine(lasts[-1] + timedelta(days=1), datetime.min.time()), tz
        ),
        "tz": settings.TIME_ZONE,
    }


def run_sql(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def timed(fn, runs: int, warmup: int) -> tuple[list[float], object]:
    """Call `fn` warmup + runs times; the timed calls' milliseconds and the last result."""
    samples, result = [], None
    for i in range(warmup + runs):
        started = time.perf_counter()
        result = fn()
        took = (time.perf_counter() - started) * 1000
        if i >= warmup:
            samples.append(took)
    return samples, result


def queries_of(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def dashboard_rows(rows: list[dict]) -> list[tuple]:
    keys = ("key", "label", "total", "met", "due", "overdue", "upcoming")
    return sorted((tuple(r[k] for k in keys) for r in rows), key=str)


def f1_rows(rows) -> list[tuple]:
    return [(r.key, r.months, r.visited, r.in_residence) for r in rows]


def check_same(name: str, selector: list, floor: list) -> None:
    """The floor must return the selector's numbers, or its time means nothing."""
    if selector != floor:
        print(f"\n{name}: the SQL floor and the selector disagree:")
        print(f"  selector: {selector}")
        print(f"  SQL:      {floor}")
        sys.exit(1)


def result(name, samples, queries, target, floor=None, max_ratio=None) -> dict:
    p50 = round(statistics.median(samples), 2)
    return {
        "name": name,
        "p50_ms": p50,
        "p95_ms": round(p(samples, 95), 2),
        "queries": queries,
        "target_ms": target,
        "floor_ms": floor,
        "ratio": round(p50 / floor, 2) if floor else None,
        "max_ratio": max_ratio,
    }


def time_against_floor(name, fn, sql, params, shape, runs, warmup, target, checks) -> dict:
    """An in-process selector and its SQL floor: checked to agree, then each timed over
    the same runs after the same warm-ups (the floor's median is `floor_ms`)."""
    selector, floor = shape(fn()), run_sql(sql, params)
    check_same(name, selector, sorted(floor, key=str) if shape is dashboard_rows else floor)
    checks.append((name, selector))
    samples, _ = timed(fn, runs, warmup)
    floor_samples, _ = timed(lambda: run_sql(sql, params), runs, warmup)
    floor_ms = round(statistics.median(floor_samples), 2)
    return result(name, samples, queries_of(fn), target, floor_ms, max_ratio=2)


# --- Intake and assignment (issue 5) ----------------------------------------------------
# In-process, like the ranking: hearth.intake.selectors on the state seed. The proposal and
# the intake queue need what the seed does not hold (a worker leaving with 40 cases,
# referrals waiting): each is set up inside a transaction that is rolled back.

PROPOSAL_CASES = 40  # the open cases of the leaving worker that the proposal distributes
REFERRALS = 150  # referrals waiting in the program director's intake queue
ROOMY_CASELOAD = 24  # the proposal's second run: a full caseload with room for every case


def sample_cases_across_units(n: int = 50) -> list:
    """One open case in each of `n` case management units (a fixed sample, seed 1), loaded
    as access_case loads a case (with its agency, unit and county)."""
    from hearth.intake.selectors import ROUTED_UNIT_KINDS
    from hearth.staff.models import Unit

    rng = random.Random(1)
    units = Unit.objects.filter(kind__in=ROUTED_UNIT_KINDS, active=True)
    by_unit = {}
    for pk, unit_id in (
        Case.objects.filter(unit__in=units)
        .exclude(status=Case.Status.CLOSED)
        .order_by("id")
        .values_list("id", "unit_id")
    ):
        by_unit.setdefault(unit_id, []).append(pk)
    ids = [rng.choice(by_unit[u]) for u in rng.sample(sorted(by_unit), min(n, len(by_unit)))]
    loaded = Case.objects.select_related("agency", "unit", "county").in_bulk(ids)
    return [loaded[pk] for pk in ids]


def time_recommend(cases: list, agency_wide: bool, runs: int, warmup: int):
    """A2: recommend(case) for `cases` in turn, each call timed on its own after `warmup`
    calls; then each case's queries counted. Returns the samples, the query counts, the
    case managers ranked per call and how many cases had an eligible top recommendation."""
    from hearth.intake.selectors import recommend

    samples = []
    for i in range(warmup + runs):
        case = cases[i % len(cases)]
        started = time.perf_counter()
        recommend(case, agency_wide=agency_wide)
        if i >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    counts, ranked, tops = [], [], 0
    for case in cases:
        with CaptureQueriesContext(connection) as captured:
            recs = recommend(case, agency_wide=agency_wide)
        counts.append(len(captured))
        ranked.append(len(recs.ranked))
        tops += recs.top is not None
    return samples, counts, ranked, tops


def time_proposal(runs: int, warmup: int) -> tuple[list[dict], list[str]]:
    """A6: proposal_for(worker) for a case manager of a unit of about 15 who leaves with 40
    open cases. Inside a transaction rolled back at the end: open cases of the unit held by
    the others are moved onto the worker (a bulk update of their current assignments) until
    they hold 40. The proposal is timed with the agency's policy as seeded (its case
    managers carry more than a full caseload: few cases find room), then with a full
    caseload of ROOMY_CASELOAD (room for every case: the larger assignment problem). After
    each, its moves are applied (and rolled back) to read the loads as the unit balance
    computes them."""
    from collections import Counter

    from django.db import transaction

    from hearth.cases.models import Assignment
    from hearth.intake import selectors as intake
    from hearth.policy import assignment as rules
    from hearth.staff.models import Agency, Unit

    sizes = Counter(
        StaffMember.objects.filter(
            roles__role=Role.CASE_MANAGER, unit__kind=Unit.Kind.CASE_MANAGEMENT
        )
        .exclude(status=StaffMember.Status.DEPARTED)
        .values_list("unit_id", flat=True)
    )
    unit_id = min(sizes, key=lambda u: (abs(sizes[u] - 15), u))
    worker = (
        StaffMember.objects.select_related("agency", "unit")
        .filter(unit_id=unit_id, roles__role=Role.CASE_MANAGER, experience_level__gt=1)
        .order_by("id")
        .first()
    )
    on, rows, lines = today(), [], []
    current = Assignment.objects.filter(ends_on__isnull=True, kind=Assignment.Kind.PRIMARY)
    others = intake.case_managers(worker.agency_id, unit_id=unit_id).exclude(pk=worker.pk)

    def loads(s) -> tuple[list[int], list[int]]:
        """The load percents of the other active case managers: those at a full caseload,
        and the new workers under the A5 cap."""
        full, capped = [], []
        for w in intake.worker_facts(others, s):
            if w.status == StaffMember.Status.ACTIVE:
                percent = round(100 * w.weighted_load / rules.capacity(w, s))
                cap = rules.new_worker_cap(w.trained_on, w.experience, on, s).cases
                (full if cap is None else capped).append(percent)
        return full, capped

    def propose(name: str) -> None:
        leaving = StaffMember.objects.select_related("agency", "unit").get(pk=worker.pk)
        s = leaving.agency.policy
        before, _ = loads(s)
        samples, proposal = timed(lambda: intake.proposal_for(leaving), runs, warmup)
        queries = queries_of(lambda: intake.proposal_for(leaving))
        some = [m.case.pk for m in proposal.moves[:5]]
        few = queries_of(lambda: intake.proposal_for(leaving, case_ids=some))
        placed = [m for m in proposal.moves if m.worker_id is not None]
        with transaction.atomic():
            for m in placed:
                current.filter(case_id=m.case.pk).update(worker_id=m.worker_id)
            after, capped = loads(s)
            transaction.set_rollback(True)
        n = len(proposal.moves)
        rows.append(result(name, samples, queries, 2000))
        lines.append(
            f"{name}: places {len(placed)} of {n} ({n - len(placed)} find no eligible worker "
            f"with room); the {len(after)} others at a full caseload of {s.full_caseload}: "
            f"{min(before, default=0)}-{max(before, default=0)}% before, "
            f"{min(after, default=0)}-{max(after, default=0)}% after (spread "
            f"{max(after, default=0) - min(after, default=0)} points); {len(capped)} new "
            f"worker(s) under the A5 cap at {capped}%; {queries} queries for {n} cases, "
            f"{few} for {len(some)}."
        )

    with transaction.atomic():
        open_ = current.exclude(case__status=Case.Status.CLOSED)
        held = open_.filter(worker=worker).count()
        moved = list(
            open_.filter(case__unit_id=unit_id)
            .exclude(worker=worker)
            .order_by("case_id")
            .values_list("id", flat=True)[: max(0, PROPOSAL_CASES - held)]
        )
        Assignment.objects.filter(pk__in=moved).update(worker_id=worker.pk)
        n = held + len(moved)
        lines.append(
            f"Reassignment proposals: {worker.full_name} of {worker.unit.name} (agency "
            f"{worker.agency_id}, {sizes[unit_id]} case managers) leaves holding {n} open "
            f"cases ({len(moved)} moved onto them from the others)."
        )
        propose(f"reassignment proposal, {n} cases")
        Agency.objects.filter(pk=worker.agency_id).update(
            policy_overrides={**worker.agency.policy_overrides, "full_caseload": ROOMY_CASELOAD}
        )
        propose(f"proposal, {n} cases, caseload {ROOMY_CASELOAD}")
        transaction.set_rollback(True)
    return rows, lines


def time_intake() -> tuple[list[dict], list[str]]:
    """The intake and assignment rows: recommendations in a unit and agency-wide, the
    reassignment proposal, the unit balance, and, with REFERRALS referrals waiting (open
    cases of the director's agency turned into referrals, each with its routing, in a
    transaction rolled back), the intake queue's first page and routing a referral."""
    from django.core.paginator import Paginator
    from django.db import transaction

    from hearth.intake import selectors as intake
    from hearth.intake.models import Routing

    rows, lines = [], []
    cases = sample_cases_across_units()
    counts = {}
    for name, agency_wide, target in (
        ("recommendation, unit", False, 30),
        ("recommendation, agency", True, 150),
    ):
        samples, queries, ranked, tops = time_recommend(cases, agency_wide, REQUESTS, WARMUP)
        rows.append(result(name, samples, max(queries), target))
        counts[agency_wide] = (min(queries), max(queries), min(ranked), max(ranked))
        lines.append(
            f"{name}: {len(cases)} open cases of {len(cases)} units in turn; "
            f"{min(ranked)} to {max(ranked)} case managers ranked a call, an eligible top "
            f"for {tops} of {len(cases)} cases; {min(queries)} to {max(queries)} queries."
        )
    unit_q, agency_q = counts[False], counts[True]
    lines.append(
        f"Recommendation queries: {unit_q[0]}-{unit_q[1]} ranking {unit_q[2]}-{unit_q[3]} "
        f"workers, {agency_q[0]}-{agency_q[1]} ranking {agency_q[2]}-{agency_q[3]} "
        f"(they {'do not grow' if unit_q[1] == agency_q[1] else 'GROW'} with the workers)."
    )

    proposal_rows, proposal_lines = time_proposal(HEAVY_REQUESTS, HEAVY_WARMUP)
    rows += proposal_rows
    lines += proposal_lines

    supervisor = StaffMember.objects.select_related("user").get(user__username="supervisor")

    def balance():
        return intake.unit_balance(viewer=supervisor.user, unit_id=supervisor.unit_id)

    samples, (unit, balanced) = timed(balance, REQUESTS, WARMUP)
    rows.append(result("unit balance (supervisor)", samples, queries_of(balance), None))
    over = sum(1 for r in balanced if r.limits)
    lines.append(
        f"Unit balance: {unit.name}, {len(balanced)} case managers "
        f"(load {min((r.load_percent for r in balanced), default=0)}-"
        f"{max((r.load_percent for r in balanced), default=0)}%, {over} at a hard limit)."
    )

    director = StaffMember.objects.select_related("user").get(user__username="director")
    with transaction.atomic():
        waiting = list(
            Case.objects.filter(agency_id=director.agency_id)
            .exclude(status=Case.Status.CLOSED)
            .order_by("-opened_on", "-id")
            .values_list("id", "unit_id")[:REFERRALS]
        )
        Case.objects.filter(pk__in=[pk for pk, _ in waiting]).update(status=Case.Status.REFERRED)
        Routing.objects.bulk_create(
            Routing(
                case_id=pk,
                unit_id=unit_id,
                rule=Routing.Rule.A1,
                strategy="caseload",
                explanation="By caseload: the unit has the lightest load (A1).",
            )
            for pk, unit_id in waiting
        )

        def first_page():
            queue = intake.intake_queue(viewer=director.user)
            return list(Paginator(queue, settings.HEARTH_PAGE_SIZE).get_page(1).object_list)

        samples, page = timed(first_page, REQUESTS, WARMUP)
        rows.append(result("intake queue, first page", samples, queries_of(first_page), None))
        referral = Case.objects.select_related("agency").get(pk=waiting[0][0])
        samples, decision = timed(lambda: intake.decide_routing(referral), REQUESTS, WARMUP)
        queries = queries_of(lambda: intake.decide_routing(referral))
        rows.append(result("routing a referral (A1-A4)", samples, queries, None))
        transaction.set_rollback(True)
    lines.append(
        f"Intake queue: {len(waiting)} referrals waiting for the program director "
        f"(agency {director.agency_id}), first page of {len(page)}; routing one: "
        f"{decision.rule} {decision.strategy}, unit {decision.unit_id}."
    )
    return rows, lines


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
    port = free_port()
    server = start_server(port)
    results = []
    try:
        for name, path, headers, target, floor, requests in scenarios:
            samples = time_requests(port, path, headers, requests)
            queries = count_queries(client, path, headers)
            results.append(result(name, samples, queries, target, floor() if floor else None))
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

    light_client = Client()
    light_client.force_login(light.user)
    growth = (count_queries(light_client, "/caseload/", {}), held.count(), light.n)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]

    print(
        f"\n{'scenario':<34}{'p50 ms':>10}{'p95 ms':>10}{'target':>8}{'queries':>9}"
        f"{'floor':>10}{'ratio':>7}"
    )
    for r in results:
        target, max_ratio = r["target_ms"], r["max_ratio"]
        flags = []
        if target is not None:
            flags.append("ok" if r["p95_ms"] <= target else "SLOW")
        if max_ratio is not None and r["ratio"] is not None and r["ratio"] > max_ratio:
            flags.append(f"over {max_ratio}x")
        floor = f"{r['floor_ms']:.2f}" if r["floor_ms"] is not None else "-"
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        print(
            f"{r['name']:<34}{r['p50_ms']:>10.2f}{r['p95_ms']:>10.2f}{target or '-':>8}"
            f"{r['queries']:>9}{floor:>10}{ratio:>7}  {' '.join(flags) or '-'}"
        )
    print(
        f"\nCaseload queries: {results[0]['queries']} for a worker holding {growth[1]} cases, "
        f"{growth[0]} for one holding {growth[2]}."
    )
    print(
        f"Ranking queries per call: {min(queries)} to {max(queries)} over {len(queries)} "
        "children (the table shows the most)."
    )
    for name, rows in checks:
        if name.startswith("F1"):
            n = sum(r[1] for r in rows)
            print(
                f"{name}: the SQL floor returns f1's numbers ({len(rows)} agencies, {n:,} "
                f"child-months, {sum(r[2] for r in rows):,} visited, "
                f"{sum(r[3] for r in rows):,} in the residence)."
            )
        else:
            n = sum(r[2] for r in rows)
            print(
                f"{name}: the SQL floor returns the selector's rows ({len(rows)} rows, "
                f"{n:,} requirements, {sum(r[3] for r in rows):,} met)."
            )
    print(
        f"{REQUESTS} timed requests per scenario (people search: 30; F1: {HEAVY_REQUESTS} after "
        f"{HEAVY_WARMUP}) after {WARMUP} warm-ups, one gunicorn worker; the ranking: "
        f"{len(samples)} random children in care, in-process; dashboards and F1 in-process "
        f"for {month:%Y-%m} and FY{fy}. ratio = p50 / floor. PostgreSQL jit: {jit}."
    )
    print(matches_line)
    for line in intake_lines:
        print(line)
    for name in skipped:
        print(f"Skipped: {name}.")
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
