"""How the bench times: the counts of runs (BENCH_* environment variables), percentiles,
timing a call and counting its queries, a result row, and a selector timed against its
SQL floor."""

import os
import statistics
import sys
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.floors import CASELOAD_SQL, dashboard_rows, run_sql

WARMUP = int(os.environ.get("BENCH_WARMUP", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
# F1 runs for seconds: fewer runs, after fewer warm-ups.
HEAVY_WARMUP = int(os.environ.get("BENCH_HEAVY_WARMUP", "2"))
HEAVY_REQUESTS = int(os.environ.get("BENCH_HEAVY_REQUESTS", "10"))


def p(samples: list[float], q: int) -> float:
    """The q-th percentile; one sample is every percentile of itself."""
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


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


def sql_floor(sql: str, params) -> float:
    """A page's SQL floor: the median of 100 runs of its query after WARMUP."""
    samples = []
    with connection.cursor() as cursor:
        for _ in range(WARMUP + 100):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples[WARMUP:]), 2)


def caseload_floor(staff_id: int) -> float:
    """The caseload page's SQL floor for a worker: the median of 100 runs after WARMUP."""
    return sql_floor(CASELOAD_SQL, [staff_id])
