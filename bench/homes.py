"""Issue 15's rows: each role's home at state scale, page (/) and API (/api/v1/me/home),
for the demo case manager, supervisor and program director (target 100 ms p95, with a
query count that does not grow with the caseload: tests/reports/test_homes.py), and the
intake coordinator's landing, the intake queue with each referral's age.

A scenario that is not available (no URL, the page answering other than 200, a user
missing from the seed) is skipped with a loud message, never silently."""

from django.test import Client

from bench.planning import api, page, skip
from bench.timing import REQUESTS
from hearth.api.models import ApiToken
from hearth.staff.models import StaffMember

HOME_MS = 100  # the issue's p95 target for each role's home


def _signed_in(username: str):
    """A client signed in as the demo user, its session cookie and a bearer token."""
    staff = StaffMember.objects.select_related("user").filter(user__username=username).first()
    if staff is None:
        return None
    client = Client()
    client.force_login(staff.user)
    session = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    _, token = ApiToken.issue(staff.user, label="bench")
    return client, session, {"Authorization": f"Bearer {token}"}


def home_rows(skipped) -> list:
    """(name, path, headers, target, floor, requests, client) for the server loop of
    bench/run.py: each role's home page and API, and the intake coordinator's queue."""
    out = []
    for role, username in (
        ("case manager", "casemanager"),
        ("supervisor", "supervisor"),
        ("program director", "director"),
        ("intake coordinator", "intake"),
    ):
        signed_in = _signed_in(username)
        if signed_in is None:
            skip(skipped, f"the {role}'s home (no user {username} in the seed)")
            continue
        client, session, bearer = signed_in
        rows = [(f"home page ({role})", page("home"), session)]
        if role == "intake coordinator":  # lands on the queue (home redirects there)
            rows = [(f"intake queue page ({role})", page("intake_queue"), session)]
        else:
            rows.append((f"API me/home ({role})", api("/api/v1/me/home"), bearer))
        for name, path, head in rows:
            status = client.get(path, headers=head).status_code if path else None
            if status != 200:
                skip(skipped, f"{name}: {path} answered {status} (not available)")
                continue
            out.append((name, path, head, HOME_MS, None, REQUESTS, client))
    return out
