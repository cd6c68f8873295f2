"""In-process scenarios beside the pages: the placement options ranking and the people
matches of search before create (issue 5), each call timed on its own, then its queries
counted."""

import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.timing import WARMUP, result
from hearth.placements.models import RemovalEpisode
from hearth.placements.selectors import rank_for_child
from hearth.staff.models import StaffMember


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
