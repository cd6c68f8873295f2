#!/usr/bin/env python
"""`make bench`: time Hearth's key pages and endpoints through the real HTTP stack on a
state-sized data set in PostgreSQL.

It creates the database when missing (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/hearth_bench), migrates, seeds the state scale once,
starts gunicorn on a free local port, and times each scenario (p50 and p95 over many
requests after a warm-up). Queries per request are counted in-process on the same URL.
Results: a table on stdout and bench/results.json. Later issues add rows to SCENARIOS.
"""

import json
import os
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

from hearth.api.models import ApiToken  # noqa: E402
from hearth.cases.models import Case  # noqa: E402
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

    scenarios = [
        # name, path, headers, target p95 ms, floor function, timed requests
        ("caseload page", "/caseload/", session, 50, lambda: caseload_floor(worker.pk), REQUESTS),
        ("case page", f"/cases/{case.pk}/", session, 80, None, REQUESTS),
        ("cases list page", "/cases/", session, 100, None, REQUESTS),
        ("people search page", f"/people/?q={last_name}", session, 200, None, 30),
        ("API case list", "/api/v1/cases", bearer, 100, None, REQUESTS),
        ("API case detail", f"/api/v1/cases/{case.pk}", bearer, 80, None, REQUESTS),
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

    light_client = Client()
    light_client.force_login(light.user)
    growth = (count_queries(light_client, "/caseload/", {}), held.count(), light.n)

    print(f"\n{'scenario':<22}{'p50 ms':>9}{'p95 ms':>9}{'target':>8}{'queries':>9}{'floor':>8}")
    for r in results:
        ok = "ok" if r["p95_ms"] <= r["target_ms"] else "SLOW"
        floor = f"{r['floor_ms']:.2f}" if r["floor_ms"] is not None else "-"
        print(
            f"{r['name']:<22}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}{r['target_ms']:>8}"
            f"{r['queries']:>9}{floor:>8}  {ok}"
        )
    print(
        f"\nCaseload queries: {results[0]['queries']} for a worker holding {growth[1]} cases, "
        f"{growth[0]} for one holding {growth[2]}."
    )
    print(
        f"{REQUESTS} timed requests per scenario (people search: 30) after {WARMUP} warm-ups, "
        "one gunicorn worker."
    )
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
