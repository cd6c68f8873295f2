"""The bench's report: the table of results on stdout, the notes under it, and
bench/results.json."""

import json
from pathlib import Path


def table(results: list[dict]) -> None:
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


def check_lines(checks: list[tuple]) -> list[str]:
    """What each SQL floor was checked to return, as the selector did."""
    lines = []
    for name, rows in checks:
        if name.startswith("F1"):
            n = sum(r[1] for r in rows)
            lines.append(
                f"{name}: the SQL floor returns f1's numbers ({len(rows)} agencies, {n:,} "
                f"child-months, {sum(r[2] for r in rows):,} visited, "
                f"{sum(r[3] for r in rows):,} in the residence)."
            )
        elif name.startswith(("F2", "F3", "F4")):
            lines.append(
                f"{name}: the SQL floor returns the measure's numbers "
                f"({', '.join(f'{r[-2]:,} of {r[-1]:,}' for r in rows)})."
            )
        else:
            n = sum(r[2] for r in rows)
            lines.append(
                f"{name}: the SQL floor returns the selector's rows ({len(rows)} rows, "
                f"{n:,} requirements, {sum(r[3] for r in rows):,} met)."
            )
    return lines


def save(results: list[dict], root: Path) -> None:
    out = root / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {out.relative_to(root)}")
