"""Intake and assignment (issue 5), in-process, like the ranking: hearth.intake.selectors
on the state seed. The proposal and the intake queue need what the seed does not hold (a
worker leaving with 40 cases, referrals waiting): each is set up inside a transaction
that is rolled back."""

import random
import time

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.timing import HEAVY_REQUESTS, HEAVY_WARMUP, REQUESTS, WARMUP, queries_of, result, timed
from hearth.cases.models import Case
from hearth.core.services import today
from hearth.staff.models import Role, StaffMember

PROPOSAL_CASES = 40  # the open cases of the leaving worker that the proposal distributes
REFERRALS = 150  # referrals waiting in the program director's intake queue
ROOMY_CASELOAD = 24  # the proposal's second run: a full caseload with room for every case


def sample_cases_across_units(n: int = 50) -> list:
    """One open case in each of `n` case management units (a fixed sample, seed 1), loaded
    as access_case loads a case (with its agency, unit and county)."""
    from hearth.intake.selectors import ROUTED_UNIT_KINDS
    from hearth.staff.models import Unit

    rng = random.Random(1)
    units = Unit.objects.filter(kind__in=ROUTED_UNIT_KINDS, active=True)
    by_unit = {}
    for pk, unit_id in (
        Case.objects.filter(unit__in=units)
        .exclude(status=Case.Status.CLOSED)
        .order_by("id")
        .values_list("id", "unit_id")
    ):
        by_unit.setdefault(unit_id, []).append(pk)
    ids = [rng.choice(by_unit[u]) for u in rng.sample(sorted(by_unit), min(n, len(by_unit)))]
    loaded = Case.objects.select_related("agency", "unit", "county").in_bulk(ids)
    return [loaded[pk] for pk in ids]


def time_recommend(cases: list, agency_wide: bool, runs: int, warmup: int):
    """A2: recommend(case) for `cases` in turn, each call timed on its own after `warmup`
    calls; then each case's queries counted. Returns the samples, the query counts, the
    case managers ranked per call and how many cases had an eligible top recommendation."""
    from hearth.intake.selectors import recommend

    samples = []
    for i in range(warmup + runs):
        case = cases[i % len(cases)]
        started = time.perf_counter()
        recommend(case, agency_wide=agency_wide)
        if i >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    counts, ranked, tops = [], [], 0
    for case in cases:
        with CaptureQueriesContext(connection) as captured:
            recs = recommend(case, agency_wide=agency_wide)
        counts.append(len(captured))
        ranked.append(len(recs.ranked))
        tops += recs.top is not None
    return samples, counts, ranked, tops


def time_proposal(runs: int, warmup: int) -> tuple[list[dict], list[str]]:
    """A6: proposal_for(worker) for a case manager of a unit of about 15 who leaves with 40
    open cases. Inside a transaction rolled back at the end: open cases of the unit held by
    the others are moved onto the worker (a bulk update of their current assignments) until
    they hold 40. The proposal is timed with the agency's policy as seeded (its case
    managers carry more than a full caseload: few cases find room), then with a full
    caseload of ROOMY_CASELOAD (room for every case: the larger assignment problem). After
    each, its moves are applied (and rolled back) to read the loads as the unit balance
    computes them."""
    from collections import Counter

    from django.db import transaction

    from hearth.cases.models import Assignment
    from hearth.intake import selectors as intake
    from hearth.policy import assignment as rules
    from hearth.staff.models import Agency, Unit

    sizes = Counter(
        StaffMember.objects.filter(
            roles__role=Role.CASE_MANAGER, unit__kind=Unit.Kind.CASE_MANAGEMENT
        )
        .exclude(status=StaffMember.Status.DEPARTED)
        .values_list("unit_id", flat=True)
    )
    unit_id = min(sizes, key=lambda u: (abs(sizes[u] - 15), u))
    worker = (
        StaffMember.objects.select_related("agency", "unit")
        .filter(unit_id=unit_id, roles__role=Role.CASE_MANAGER, experience_level__gt=1)
        .order_by("id")
        .first()
    )
    on, rows, lines = today(), [], []
    current = Assignment.objects.filter(ends_on__isnull=True, kind=Assignment.Kind.PRIMARY)
    others = intake.case_managers(worker.agency_id, unit_id=unit_id).exclude(pk=worker.pk)

    def loads(s) -> tuple[list[int], list[int]]:
        """The load percents of the other active case managers: those at a full caseload,
        and the new workers under the A5 cap."""
        full, capped = [], []
        for w in intake.worker_facts(others, s):
            if w.status == StaffMember.Status.ACTIVE:
                percent = round(100 * w.weighted_load / rules.capacity(w, s))
                cap = rules.new_worker_cap(w.trained_on, w.experience, on, s).cases
                (full if cap is None else capped).append(percent)
        return full, capped

    def propose(name: str) -> None:
        leaving = StaffMember.objects.select_related("agency", "unit").get(pk=worker.pk)
        s = leaving.agency.policy
        before, _ = loads(s)
        samples, proposal = timed(lambda: intake.proposal_for(leaving), runs, warmup)
        queries = queries_of(lambda: intake.proposal_for(leaving))
        some = [m.case.pk for m in proposal.moves[:5]]
        few = queries_of(lambda: intake.proposal_for(leaving, case_ids=some))
        placed = [m for m in proposal.moves if m.worker_id is not None]
        with transaction.atomic():
            for m in placed:
                current.filter(case_id=m.case.pk).update(worker_id=m.worker_id)
            after, capped = loads(s)
            transaction.set_rollback(True)
        n = len(proposal.moves)
        rows.append(result(name, samples, queries, 2000))
        lines.append(
            f"{name}: places {len(placed)} of {n} ({n - len(placed)} find no eligible worker "
            f"with room); the {len(after)} others at a full caseload of {s.full_caseload}: "
            f"{min(before, default=0)}-{max(before, default=0)}% before, "
            f"{min(after, default=0)}-{max(after, default=0)}% after (spread "
            f"{max(after, default=0) - min(after, default=0)} points); {len(capped)} new "
            f"worker(s) under the A5 cap at {capped}%; {queries} queries for {n} cases, "
            f"{few} for {len(some)}."
        )

    with transaction.atomic():
        open_ = current.exclude(case__status=Case.Status.CLOSED)
        held = open_.filter(worker=worker).count()
        moved = list(
            open_.filter(case__unit_id=unit_id)
            .exclude(worker=worker)
            .order_by("case_id")
            .values_list("id", flat=True)[: max(0, PROPOSAL_CASES - held)]
        )
        Assignment.objects.filter(pk__in=moved).update(worker_id=worker.pk)
        n = held + len(moved)
        lines.append(
            f"Reassignment proposals: {worker.full_name} of {worker.unit.name} (agency "
            f"{worker.agency_id}, {sizes[unit_id]} case managers) leaves holding {n} open "
            f"cases ({len(moved)} moved onto them from the others)."
        )
        propose(f"reassignment proposal, {n} cases")
        Agency.objects.filter(pk=worker.agency_id).update(
            policy_overrides={**worker.agency.policy_overrides, "full_caseload": ROOMY_CASELOAD}
        )
        propose(f"proposal, {n} cases, caseload {ROOMY_CASELOAD}")
        transaction.set_rollback(True)
    return rows, lines


def time_intake(
    requests: int = REQUESTS,
    warmup: int = WARMUP,
    heavy_requests: int = HEAVY_REQUESTS,
    heavy_warmup: int = HEAVY_WARMUP,
) -> tuple[list[dict], list[str]]:
    """The intake and assignment rows: recommendations in a unit and agency-wide, the
    reassignment proposal, the unit balance, and, with REFERRALS referrals waiting (open
    cases of the director's agency turned into referrals, each with its routing, in a
    transaction rolled back), the intake queue's first page and routing a referral. Each
    is timed `requests` times after `warmup` calls (the proposal `heavy_requests` times
    after `heavy_warmup`)."""
    from django.core.paginator import Paginator
    from django.db import transaction

    from hearth.intake import selectors as intake
    from hearth.intake.models import Routing

    rows, lines = [], []
    cases = sample_cases_across_units()
    counts = {}
    for name, agency_wide, target in (
        ("recommendation, unit", False, 30),
        ("recommendation, agency", True, 150),
    ):
        samples, queries, ranked, tops = time_recommend(cases, agency_wide, requests, warmup)
        rows.append(result(name, samples, max(queries), target))
        counts[agency_wide] = (min(queries), max(queries), min(ranked), max(ranked))
        lines.append(
            f"{name}: {len(cases)} open cases of {len(cases)} units in turn; "
            f"{min(ranked)} to {max(ranked)} case managers ranked a call, an eligible top "
            f"for {tops} of {len(cases)} cases; {min(queries)} to {max(queries)} queries."
        )
    unit_q, agency_q = counts[False], counts[True]
    lines.append(
        f"Recommendation queries: {unit_q[0]}-{unit_q[1]} ranking {unit_q[2]}-{unit_q[3]} "
        f"workers, {agency_q[0]}-{agency_q[1]} ranking {agency_q[2]}-{agency_q[3]} "
        f"(they {'do not grow' if unit_q[1] == agency_q[1] else 'GROW'} with the workers)."
    )

    proposal_rows, proposal_lines = time_proposal(heavy_requests, heavy_warmup)
    rows += proposal_rows
    lines += proposal_lines

    supervisor = StaffMember.objects.select_related("user").get(user__username="supervisor")

    def balance():
        return intake.unit_balance(viewer=supervisor.user, unit_id=supervisor.unit_id)

    samples, (unit, balanced) = timed(balance, requests, warmup)
    rows.append(result("unit balance (supervisor)", samples, queries_of(balance), None))
    over = sum(1 for r in balanced if r.limits)
    lines.append(
        f"Unit balance: {unit.name}, {len(balanced)} case managers "
        f"(load {min((r.load_percent for r in balanced), default=0)}-"
        f"{max((r.load_percent for r in balanced), default=0)}%, {over} at a hard limit)."
    )

    director = StaffMember.objects.select_related("user").get(user__username="director")
    with transaction.atomic():
        waiting = list(
            Case.objects.filter(agency_id=director.agency_id)
            .exclude(status=Case.Status.CLOSED)
            .order_by("-opened_on", "-id")
            .values_list("id", "unit_id")[:REFERRALS]
        )
        Case.objects.filter(pk__in=[pk for pk, _ in waiting]).update(status=Case.Status.REFERRED)
        Routing.objects.bulk_create(
            Routing(
                case_id=pk,
                unit_id=unit_id,
                rule=Routing.Rule.A1,
                strategy="caseload",
                explanation="By caseload: the unit has the lightest load (A1).",
            )
            for pk, unit_id in waiting
        )

        def first_page():
            queue = intake.intake_queue(viewer=director.user)
            return list(Paginator(queue, settings.HEARTH_PAGE_SIZE).get_page(1).object_list)

        samples, page = timed(first_page, requests, warmup)
        rows.append(result("intake queue, first page", samples, queries_of(first_page), None))
        referral = Case.objects.select_related("agency").get(pk=waiting[0][0])
        samples, decision = timed(lambda: intake.decide_routing(referral), requests, warmup)
        queries = queries_of(lambda: intake.decide_routing(referral))
        rows.append(result("routing a referral (A1-A4)", samples, queries, None))
        transaction.set_rollback(True)
    lines.append(
        f"Intake queue: {len(waiting)} referrals waiting for the program director "
        f"(agency {director.agency_id}), first page of {len(page)}; routing one: "
        f"{decision.rule} {decision.strategy}, unit {decision.unit_id}."
    )
    return rows, lines
