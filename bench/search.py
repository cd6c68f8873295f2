"""Issue 15's rows (search that finds people): the people search page (also the header's
search box) for a last name alone, a misspelt last name, first and last name, and a case
number; GET /api/v1/search and GET /api/v1/people?q= for the same. Each under 200 ms p95 at
state scale, its query count constant (the matching of intake: candidates from indexes,
hearth.cases.people_selectors)."""

from urllib.parse import quote

from bench.planning import api, page, skip
from bench.timing import REQUESTS

SEARCH_MS = 200  # the p95 target


def misspelt(name: str) -> str:
    """The name with its last two letters swapped (Osborne: Osbonre), or doubled last."""
    return name[:-2] + name[-1] + name[-2] if len(name) > 3 else name + name[-1]


def search_scenarios(client, session, bearer, case, person, skipped) -> list:
    """(name, path, headers, target, floor, requests, client) rows for bench/run.py's server
    loop: `person` is a person of the case manager's `case`."""
    words = {
        "last name alone": person.last_name,
        "misspelt last name": misspelt(person.last_name),
        "first and last name": f"{person.first_name} {person.last_name}",
        "case number": case.case_number,
    }
    out = []
    base = page("people_search")
    if base is None:
        skip(skipped, "the people search page (no URL named people_search)")
        return out
    for what, q in words.items():
        out.append(
            (
                f"search page: {what}",
                f"{base}?q={quote(q)}",
                session,
                SEARCH_MS,
                None,
                REQUESTS,
                client,
            )
        )
    for what in ("last name alone", "case number"):
        path = api(f"/api/v1/search?q={quote(words[what])}")
        if path is None:
            skip(skipped, "the API search (GET /api/v1/search does not exist yet)")
            break
        out.append((f"API search: {what}", path, bearer, SEARCH_MS, None, REQUESTS, client))
    out.append(
        (
            "API people ?q= misspelt",
            f"/api/v1/people?q={quote(words['misspelt last name'])}",
            bearer,
            SEARCH_MS,
            None,
            REQUESTS,
            client,
        )
    )
    return out
