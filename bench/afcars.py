"""Issue 14's F5 rows: the whole state's AFCARS-style extract for the last ended report
period, streamed and consumed in-process, JSON and CSV, under 60 s, with its peak memory.

Each run is its own subprocess (`python bench/afcars.py FRACTION FORMAT`), so that the
peak resident set it quotes (getrusage's ru_maxrss, the process's high-water mark) is the
extract's own and not the bench's: the child reports its peak after Django's start and
after the extract. The run on the first 10% of the children (by id) beside the run on all
of them shows that memory does not grow with the children (one batch of 1,000 is held at
a time). Each extract runs in a transaction rolled back at its end, so its access-log
rows (one EXPORT row per child) are written and timed, then leave no trace in the bench
database. `time_afcars(skipped)` is what bench/run.py calls: (rows, lines)."""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

TARGET_MS = 60_000
RUNS = [(0.1, "json"), (1.0, "json"), (1.0, "csv")]


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux


def measure(fraction: float, fmt: str) -> dict:
    """In this process: the state's extract of the last ended period over the first
    `fraction` of the children in care (by id), consumed chunk by chunk and dropped."""
    from django.db import connection, transaction
    from django.test import RequestFactory

    from hearth.core.services import today
    from hearth.reports import afcars
    from hearth.staff.models import Role, StaffMember

    state = (
        StaffMember.objects.filter(roles__role=Role.STATE_OVERSIGHT, status="active")
        .select_related("user")
        .order_by("id")
        .first()
    )
    if state is None:
        raise LookupError("no state oversight staff member seeded")
    period = afcars.last_period(today())
    episodes = afcars.extract_episodes(state.user)
    children = afcars.in_care(episodes, period).values("child_id").distinct().order_by("child_id")
    total = children.count()
    if fraction < 1 and total:
        cutoff = children[max(0, round(total * fraction) - 1)]["child_id"]
        episodes = episodes.filter(child_id__lte=cutoff)
        total = children.filter(child_id__lte=cutoff).count()
    request = RequestFactory().get("/api/v1/reports/afcars")
    request.user = state.user
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    before = _peak_kb()
    size = 0
    started = time.perf_counter()
    with connection.execute_wrapper(count), transaction.atomic():
        response = afcars.stream(request, episodes, period, fmt)
        for chunk in response.streaming_content:
            size += len(chunk)
        transaction.set_rollback(True)
    return {
        "period": period.code,
        "format": fmt,
        "fraction": fraction,
        "children": total,
        "bytes": size,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "queries": queries,
        "peak_before_kb": before,
        "peak_kb": _peak_kb(),
    }


def _run(fraction: float, fmt: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), str(fraction), fmt],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_afcars(skipped) -> tuple[list, list]:
    """The extract's rows (one run each: a 60 s target) and the memory lines."""
    from bench.planning import skip
    from bench.timing import result

    rows, lines, runs = [], [], []
    for fraction, fmt in RUNS:
        try:
            runs.append(_run(fraction, fmt))
        except (subprocess.CalledProcessError, ValueError) as exc:
            tail = getattr(exc, "stderr", "") or str(exc)
            skip(skipped, f"the AFCARS extract ({fmt}, {fraction:.0%}): {tail.strip()[-300:]}")
            return rows, lines
    for r in runs:
        name = f"AFCARS extract {r['period']}, {r['fraction']:.0%} of the state ({r['format']})"
        rows.append(result(name, [r["ms"]], r["queries"], TARGET_MS))
        grew = (r["peak_kb"] - r["peak_before_kb"]) / 1024
        lines.append(
            f"{name}: {r['children']:,} children, {r['bytes'] / 2**20:,.1f} MB in "
            f"{r['ms'] / 1000:,.1f} s, {r['queries']:,} queries; peak RSS "
            f"{r['peak_kb'] / 1024:,.0f} MB ({r['peak_before_kb'] / 1024:,.0f} MB before the "
            f"extract, +{grew:,.1f} MB)."
        )
    small, full = runs[0], runs[1]
    lines.append(
        f"AFCARS memory: +{(small['peak_kb'] - small['peak_before_kb']) / 1024:,.1f} MB for "
        f"{small['children']:,} children, +{(full['peak_kb'] - full['peak_before_kb']) / 1024:,.1f}"
        f" MB for {full['children']:,}: a batch of 1,000 at a time, whatever the state's size."
    )
    return rows, lines


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hearth_bench")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    import django

    django.setup()
    print(json.dumps(measure(float(sys.argv[1]), sys.argv[2])))
