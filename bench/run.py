#!/usr/bin/env python
"""`make bench`: time Hearth's key pages and endpoints through the real HTTP stack on a
state-sized data set in PostgreSQL.

It creates the database when missing (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/hearth_bench), migrates, seeds the state scale once,
starts gunicorn on a free local port, and times each scenario (p50 and p95 over many
requests after a warm-up). Queries per request are counted in-process on the same URL.
In-process scenarios (placement options ranking) call the selector directly.
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
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hearth_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ["DEBUG"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from hearth.api.models import ApiToken  # noqa: E402
from hearth.cases.models import Case  # noqa: E402
from hearth.placements.models import RemovalEpisode  # noqa: E402
from hearth.placements.selectors import rank_for_child  # noqa: E402
from hearth.staff.models import Role, StaffMember  # noqa: E402

WARMUP = int(os.environ.get("BENCH_WARMUP", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
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
    elif not RemovalEpisode.objects.exists():
        name = connection.settings_dict["NAME"]
        sys.exit(
            f"{name} was seeded before placements existed (no removal episodes): drop it "
            f"(psql -c 'DROP DATABASE {name}') and run make bench again to re-seed."
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


def time_requests(port: int, path: str, headers: dict, requests: int) -> list[float]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    samples = []
    for i in range(WARMUP + requests):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        took = (time.perf_counter() - started) * 1000
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}")
        if i >= WARMUP:
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

    scenarios = [
        # name, path, headers, target p95 ms, floor function, timed requests
        ("caseload page", "/caseload/", session, 50, lambda: caseload_floor(worker.pk), REQUESTS),
        ("case page", f"/cases/{case.pk}/", session, 80, None, REQUESTS),
        ("cases list page", "/cases/", session, 100, None, REQUESTS),
        ("people search page", f"/people/?q={last_name}", session, 200, None, 30),
        ("API case list", "/api/v1/cases", bearer, 100, None, REQUESTS),
        ("API case detail", f"/api/v1/cases/{case.pk}", bearer, 80, None, REQUESTS),
    ]
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
    port = free_port()
    server = start_server(port)
    results = []
    try:
        for name, path, headers, target, floor, requests in scenarios:
            samples = time_requests(port, path, headers, requests)
            queries = count_queries(client, path, headers)
            results.append(
                {
                    "name": name,
                    "p50_ms": round(statistics.median(samples), 2),
                    "p95_ms": round(p(samples, 95), 2),
                    "queries": queries,
                    "target_ms": target,
                    "floor_ms": floor() if floor else None,
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=10)

    samples, queries = time_ranking(REQUESTS)
    results.append(
        {
            "name": "placement options ranking",
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(p(samples, 95), 2),
            "queries": max(queries),
            "target_ms": 100,
            "floor_ms": None,
        }
    )

    light_client = Client()
    light_client.force_login(light.user)
    growth = (count_queries(light_client, "/caseload/", {}), held.count(), light.n)

    print(f"\n{'scenario':<27}{'p50 ms':>9}{'p95 ms':>9}{'target':>8}{'queries':>9}{'floor':>8}")
    for r in results:
        target = r["target_ms"]
        ok = "-" if target is None else "ok" if r["p95_ms"] <= target else "SLOW"
        floor = f"{r['floor_ms']:.2f}" if r["floor_ms"] is not None else "-"
        print(
            f"{r['name']:<27}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}{target or '-':>8}"
            f"{r['queries']:>9}{floor:>8}  {ok}"
        )
    print(
        f"\nCaseload queries: {results[0]['queries']} for a worker holding {growth[1]} cases, "
        f"{growth[0]} for one holding {growth[2]}."
    )
    print(
        f"Ranking queries per call: {min(queries)} to {max(queries)} over {len(queries)} "
        "children (the table shows the most)."
    )
    print(
        f"{REQUESTS} timed requests per scenario (people search: 30) after {WARMUP} warm-ups, "
        f"one gunicorn worker; the ranking: {len(samples)} random children in care, in-process."
    )
    for name in skipped:
        print(f"Skipped: {name}.")
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
