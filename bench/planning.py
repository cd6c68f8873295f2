"""Issue 12's rows (case planning and teaming, P9's one due list): a worker's due list and a
unit's overdue list, as pages and through the API, beside their SQL floors; the case plan
page for a large plan; and the plan page's query count for a small and a large plan (it
must not grow with the plan).

The pages are found by their URL names (due_list, unit_due, case_plan_detail), the API
operations by their paths. A scenario whose URL does not resolve is skipped with a loud
message, printed at once and again under the table: never silently."""

import sys

from django.db.models import Count
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from bench.floors import DUE_LIST_SQL, UNIT_OVERDUE_SQL, due_params
from bench.timing import REQUESTS, sql_floor
from hearth.cases.models import Case
from hearth.planning.models import CasePlan

# The p95 targets (ms).
DUE_LIST_MS, UNIT_DUE_MS, PLAN_PAGE_MS = 50, 100, 80


def skip(skipped: list, what: str) -> None:
    line = f"SKIPPED: {what}"
    skipped.append(what)
    print(f"\n{'!' * 78}\n!!! {line}\n{'!' * 78}", file=sys.stderr, flush=True)


def page(name: str, args=()) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def api(path: str) -> str | None:
    """The path when an API operation answers it (the API's catch-all `unknown_path`
    answers every other path under /api/v1/)."""
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    return None if match.func.__name__ == "unknown_path" else path


def plans_of(worker):
    """The plans of the worker's open cases, each with its number of action steps."""
    held = Case.objects.filter(
        assignments__worker=worker, assignments__ends_on__isnull=True
    ).exclude(status="closed")
    return CasePlan.objects.filter(case__in=held).annotate(
        steps=Count("goals__objectives__steps", distinct=True),
        needs=Count("need_responses", distinct=True),
    )


def planning_scenarios(worker, supervisor, clients, headers, skipped) -> tuple[list, dict]:
    """The issue 12 scenarios: (name, path, headers, target, floor, requests, client) for
    the server loop of bench/run.py, and what the report's lines need (the plans)."""
    session, sup_session, bearer, sup_bearer = headers
    client, sup_client = clients
    params = due_params(worker.pk, supervisor.unit_id)
    due_floor = sql_floor(DUE_LIST_SQL, params)
    unit_floor = sql_floor(UNIT_OVERDUE_SQL, params)
    out = []
    rows = (
        (
            "due list page (worker)",
            page("due_list"),
            "the due list page (no URL named due_list yet)",
            session,
            DUE_LIST_MS,
            due_floor,
            client,
        ),
        (
            "unit overdue page (supervisor)",
            page("unit_due", (supervisor.unit_id,)),
            "the unit's overdue list page (no URL named unit_due yet)",
            sup_session,
            UNIT_DUE_MS,
            unit_floor,
            sup_client,
        ),
        (
            "API due list (worker)",
            api("/api/v1/due"),
            "the API due list (GET /api/v1/due does not exist yet)",
            bearer,
            DUE_LIST_MS,
            due_floor,
            client,
        ),
        (
            "API unit due (supervisor)",
            api(f"/api/v1/units/{supervisor.unit_id}/due"),
            "the API unit due list (GET /api/v1/units/{id}/due does not exist yet)",
            sup_bearer,
            UNIT_DUE_MS,
            unit_floor,
            sup_client,
        ),
    )
    for name, path, missing, head, target, floor, who in rows:
        if path is None:
            skip(skipped, missing)
        else:
            out.append((name, path, head, target, floor, REQUESTS, who))
    plans = plans_of(worker).filter(steps__gte=1)
    large = plans.order_by("-steps", "-needs", "pk").first()
    small = plans.order_by("steps", "needs", "pk").first()
    info = {"large": large, "small": small, "large_path": None, "small_path": None}
    if large is None:
        skip(skipped, "the case plan page (the case manager's cases hold no plan)")
        return out, info
    info["large_path"] = page("case_plan_detail", (large.pk,))
    info["small_path"] = page("case_plan_detail", (small.pk,))
    if info["large_path"] is None:
        skip(skipped, "the case plan page (no URL named case_plan_detail yet)")
        return out, info
    out.append(
        (
            f"case plan page ({large.steps} steps)",
            info["large_path"],
            session,
            PLAN_PAGE_MS,
            None,
            REQUESTS,
            client,
        )
    )
    return out, info


def plan_query_line(info, count) -> list[str]:
    """The plan page's queries for the smallest and the largest plan: equal, or flagged."""
    if not info.get("large_path"):
        return []
    small, large = info["small"], info["large"]
    few, many = count(info["small_path"]), count(info["large_path"])
    flag = "equal" if few == many else "NOT EQUAL: the count grows with the plan"
    return [
        f"Case plan page queries: {few} for a plan of {small.steps} steps and {small.needs} "
        f"needs answered, {many} for one of {large.steps} steps and {large.needs} ({flag})."
    ]


def unit_line(supervisor) -> str:
    """How large the supervisor's unit is: its open cases and its open overdue items."""
    from hearth.core.services import today
    from hearth.obligations.models import Obligation

    cases = Case.objects.filter(unit_id=supervisor.unit_id).exclude(status="closed").count()
    overdue = Obligation.objects.filter(
        unit_id=supervisor.unit_id, met_on__isnull=True, excused_reason="", due_on__lt=today()
    ).count()
    return (
        f"Unit due list: the supervisor's unit ({supervisor.unit_id}) holds {cases:,} open "
        f"cases and {overdue:,} open overdue obligations."
    )
