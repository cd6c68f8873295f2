"""Issue 14's rows for F1 as data: the F1 API (`GET /api/v1/reports/f1`) for the state
viewer with a bearer token, for the current fiscal year and the last, in the server loop
of bench/run.py beside the F1 page. Each row's floor is F1_SQL's for its year (timed in
bench/run.py against federal.f1), so its ratio reads against the same floor as the
page's: the issue asks the API within 1.2x of the page (compare the two rows' p50) and
f1() within 1.3x of its floor.

The operation is found by its path; when it does not answer (not available, or not 200),
the row is skipped with a loud message, never silently."""

from bench.planning import api, skip
from bench.timing import HEAVY_REQUESTS

# The page's target (bench/run.py's pages loop): a fiscal year for the state under 2 s.
F1_API_MS = 2000


def f1_api_scenarios(state_client, state_bearer: dict, floors: dict, years, skipped) -> list:
    """The F1 API for each of `years` (those F1 was timed for: floors[year] is its SQL
    floor), as the state viewer with a bearer token: (name, path, headers, target, floor,
    requests, client) for the server loop of bench/run.py."""
    out = []
    for year in years:
        name = f"API F1 FY{year}, state"
        path = api(f"/api/v1/reports/f1?fy={year}")
        if path is None:
            skip(skipped, f"{name} (GET /api/v1/reports/f1 not available)")
            continue
        status = state_client.get(path, headers=state_bearer).status_code
        if status != 200:
            skip(skipped, f"{name}: {path} answered {status} (not available)")
            continue
        out.append(
            (name, path, state_bearer, F1_API_MS, floors[year], HEAVY_REQUESTS, state_client)
        )
    return out
