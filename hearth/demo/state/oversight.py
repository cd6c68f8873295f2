"""The state seed's oversight (issue 13): the regions the counties are grouped in, each
court-involved family's oversight grant to a specialist of its county's region (O4,
about 80 families each), closure recommendations awaiting the state's review (O1),
hearings (O2: held ones since the case opened, the next one scheduled in the coming
weeks for most), and a year of quality assurance (O3, C8): a sample a month of about 80
cases, each reviewed and finalized with an answer to every item of the practice fidelity
instrument. Made in memory from the seed's rows, then loaded with COPY like the rest; no
history rows, no case events.

It draws from a random source of its own, so the other steps' rows stay as they were."""

import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from hearth.cases.models import Assignment, Case, CaseAccessGrant
from hearth.obligations.engine import months_between
from hearth.obligations.models import Obligation
from hearth.obligations.registry import sources as registered_sources
from hearth.oversight.models import (
    Hearing,
    QaAnswer,
    QaReview,
    QaSample,
    QaSampleCase,
    Recommendation,
    RecommendationRound,
)
from hearth.planning.instruments import fidelity_instruments, load
from hearth.planning.models import Instrument, InstrumentDomain, InstrumentItem
from hearth.policy.settings import DEFAULTS
from hearth.reference.models import County, Region

FIDELITY_CODE = "case-planning-fidelity"
# The made-up state's oversight regions, east to west; the counties are shared among
# them by longitude (a county an administrator already put in a region stays there).
REGIONS = [
    ("eastern", "Eastern Region"),
    ("east-central", "East Central Region"),
    ("west-central", "West Central Region"),
    ("western", "Western Region"),
]
PENDING_CLOSURES = 1200  # closure recommendations awaiting review, at full scale
QA_MONTHS = 12
QA_CASES = 80  # cases per monthly sample
HEARING_TYPES = ["shelter", "adjudication", "disposition", "review", "permanency"]
COURTS = "{} County Juvenile Court"
CLOSURE_REASONS = (
    "The family completed the services in the plan; the safety threats that brought them "
    "in are resolved, and the parents have cared for the children safely for six months "
    "with aftercare in place."
)
QA_COMMENTS = {
    "yes": "",
    "no": "Not found in the record for the period reviewed.",
    "na": "Does not apply to this case in the period.",
}


def regions(s) -> int:
    """The regions, and every county without one put in one (by longitude, east first);
    `s.region_of` maps a county id to its region id."""
    made = [Region.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in REGIONS]
    counties = sorted(s.counties, key=lambda c: (-(c.longitude or 0), c.code))
    for i, county in enumerate(counties):
        if county.region_id is None:
            county.region_id = made[i * len(made) // len(counties)].pk
            County.objects.filter(pk=county.pk).update(region_id=county.region_id)
    s.region_of = {c.pk: c.region_id for c in s.counties}
    return len(made)


def _business_days(start, days: int):
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _at(day, hour: int, tz) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), tz)


class OversightBuilder:
    def __init__(self, s):
        self.s, self.L, self.day0 = s, s.loader, s.day0
        self.rng = random.Random(s.seed * 7919 + 97)
        self.tz = timezone.get_default_timezone()
        self.rows = defaultdict(list)  # model -> dict rows
        self.answers = []  # QaAnswer tuples (the largest table)
        self.county_name = {c.pk: c.name for c in s.counties}
        self.specialists_of = defaultdict(list)  # region id -> specialist ids
        staff = {row["id"]: row for row in s.staff}
        for sid in s.oversight_staff:
            self.specialists_of[s.region_of[staff[sid]["office_county_id"]]].append(sid)
        self.load = defaultdict(int)  # specialist id -> families granted
        self.worker_of = {}
        for a in s.assigns:
            if a["ends_on"] is None and a["kind"] == "primary":
                self.worker_of[a["case_id"]] = a["worker_id"]
        self.children_of = defaultdict(list)
        for m in s.members:
            if m["role"] == "child":
                self.children_of[m["case_id"]].append(m["person_id"])

    def add(self, model, **row) -> dict:
        row["id"] = self.L.ids(model, 1)[0]
        self.rows[model].append(row)
        return row

    # O4: the grants ------------------------------------------------------------------------
    def grant(self, case: dict, on) -> int:
        """The case's oversight grant, to the specialist of its region with the fewest
        families so far (the one with the lowest id among equals)."""
        pool = self.specialists_of[self.s.region_of[case["county_id"]]] or self.s.oversight_staff
        specialist = min(pool, key=lambda sid: (self.load[sid], sid))
        self.load[specialist] += 1
        self.s.grants.append(
            {
                "id": self.L.ids(CaseAccessGrant, 1)[0],
                "case_id": case["id"],
                "staff_id": specialist,
                "purpose": CaseAccessGrant.Purpose.OVERSIGHT,
                "starts_on": on,
                "granted_by_id": self.s.state_supervisors[0],
                "reason": "Court-involved family in the specialist's region"
                if case.get("court_involved")
                else "Closure recommended",
            }
        )
        return specialist

    # O1: closure recommendations awaiting review -----------------------------------------
    def recommendations(self, opened: list[dict], reviewer_of: dict) -> None:
        """PENDING_CLOSURES of the cases at closure_recommended keep that status, with a
        closure recommendation submitted 0 to 12 days ago (due 5 business days later:
        some overdue); the others go back to open."""
        rng, day0 = self.rng, self.day0
        days = DEFAULTS.recommendation_review_business_days
        recommended = [c for c in opened if c["status"] == "closure_recommended"]
        count = min(len(recommended), self.s.n(PENDING_CLOSURES))
        keep = {c["id"] for c in rng.sample(recommended, count)}
        for case in recommended:
            if case["id"] not in keep:
                case["status"] = "open"
                continue
            worker = self.worker_of.get(case["id"])
            if worker is None:
                case["status"] = "open"
                continue
            on = max(case["opened_on"], day0 - timedelta(days=rng.randint(0, 12)))
            case["closure_recommended_on"] = on
            reviewer = reviewer_of.get(case["id"]) or self.grant(case, on)
            submitted = _at(on, rng.randint(9, 16), self.tz)
            rec = self.add(
                Recommendation,
                case_id=case["id"],
                kind=Recommendation.Kind.CLOSURE,
                status=Recommendation.Status.SUBMITTED,
                reasons=CLOSURE_REASONS,
                submitted_by_id=worker,
                reviewer_id=reviewer,
                due_on=_business_days(on, days),
            )
            self.add(
                RecommendationRound,
                recommendation_id=rec["id"],
                number=1,
                reasons=CLOSURE_REASONS,
                submitted_by_id=worker,
                submitted_at=submitted,
                sent_to_state_at=submitted,
                reviewer_id=reviewer,
            )

    # O2: hearings ---------------------------------------------------------------------------
    def hearings(self, case: dict, specialist: int) -> None:
        """Held hearings every 90 to 180 days since the case opened (shelter or
        adjudication first), and for most families the next one scheduled in the coming
        six weeks."""
        rng, day0 = self.rng, self.day0
        court = COURTS.format(self.county_name[case["county_id"]])
        judge = f"Judge {rng.choice(self.s.lasts)}"
        kids = self.children_of[case["id"]]
        day = case["opened_on"] + timedelta(days=rng.randint(1, 20))
        held = []
        while day < day0:
            held.append(day)
            day += timedelta(days=rng.randint(90, 180))
        upcoming = day0 + timedelta(days=rng.randint(0, 42)) if rng.random() < 0.85 else None
        dates = held + ([upcoming] if upcoming else [])
        for n, on in enumerate(dates):
            at = _at(on, rng.choice([9, 10, 11, 13, 14, 15]), self.tz)
            kind = (
                HEARING_TYPES[min(n, len(HEARING_TYPES) - 1)]
                if n < 3
                else rng.choice(["review", "review", "permanency"])
            )
            past = on in held and on < day0
            attends = rng.random() < 0.6
            nxt = dates[n + 1] if n + 1 < len(dates) else None
            self.add(
                Hearing,
                case_id=case["id"],
                child_id=rng.choice(kids) if kids and rng.random() < 0.3 else None,
                type=kind,
                status=Hearing.Status.HELD if past else Hearing.Status.SCHEDULED,
                scheduled_at=at,
                court=court,
                judge=judge,
                state_attendee_id=specialist if attends else None,
                state_testifies=attends and rng.random() < 0.3,
                outcome="The court reviewed the case plan and the children's progress."
                if past
                else "",
                orders="The children remain as placed; services continue as planned."
                if past
                else "",
                reasonable_efforts_finding="made" if past else "",
                best_interest_finding="made" if past else "",
                next_hearing_at=_at(nxt, 10, self.tz) if nxt and past else None,
                recorded_by_id=specialist,
            )

    # O3, C8: a year of QA ----------------------------------------------------------------
    def qa(self, items: list[int], instrument: int) -> None:
        """A sample a month for the last QA_MONTHS months (before this one) of cases open in
        that month, stratified by contractor (round-robin over them), each reviewed by a QA
        reviewer and finalized within qa_review_days, an answer for every item: mostly
        yes, each contractor and item with a compliance of its own."""
        s, rng, day0 = self.s, self.rng, self.day0
        if not items or not s.qa_staff:
            return
        per = max(8, self.s.n(QA_CASES))  # every contractor in each month's sample
        review_days = DEFAULTS.qa_review_days
        by_agency = defaultdict(list)
        for c in s.cases:
            by_agency[c["agency_id"]].append(c)
        agencies = sorted(by_agency)
        # How often each contractor's practice meets each item (some under 80%).
        rate = {(a, i): rng.uniform(0.7, 0.97) for a in agencies for i in items}
        first = day0.replace(day=1)
        for k in range(QA_MONTHS, 0, -1):
            start = first
            for _ in range(k):
                start = (start - timedelta(days=1)).replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            sample = self.add(
                QaSample,
                instrument_id=instrument,
                period_start=start,
                period_end=end,
                size=per,
                seed=rng.randint(1, 2**31),
                agency_id=None,
                drawn_by_id=s.qa_staff[0],
                created_at=_at(end + timedelta(days=1), 9, self.tz),
            )
            pools = [
                [
                    c
                    for c in by_agency[a]
                    if c["opened_on"] <= end and (c["closed_on"] is None or c["closed_on"] >= start)
                ]
                for a in agencies
            ]
            drawn = []
            for j in range(per):
                pool = pools[j % len(pools)]
                if pool:
                    drawn.append(pool.pop(rng.randrange(len(pool))))
            for j, case in enumerate(drawn):
                reviewer = s.qa_staff[j % len(s.qa_staff)]
                sc = self.add(
                    QaSampleCase,
                    sample_id=sample["id"],
                    case_id=case["id"],
                    agency_id=case["agency_id"],
                    unit_id=case["unit_id"],
                    reviewer_id=reviewer,
                )
                due = end + timedelta(days=review_days)
                done = min(day0 - timedelta(days=1), end + timedelta(days=rng.randint(3, 35)))
                review = self.add(
                    QaReview,
                    sample_case_id=sc["id"],
                    reviewer_id=reviewer,
                    status=QaReview.Status.FINALIZED,
                    due_on=due,
                    finalized_on=done,
                    summary="Practice reviewed against the fidelity measures for the period.",
                )
                ids = self.L.ids(QaAnswer, len(items))
                for aid, item in zip(ids, items, strict=True):
                    roll = rng.random()
                    answer = (
                        "na"
                        if roll < 0.06
                        else ("yes" if rng.random() < rate[(case["agency_id"], item)] else "no")
                    )
                    self.answers.append((aid, review["id"], item, answer, QA_COMMENTS[answer]))

    def summary(self) -> dict:
        return {
            "oversight grants (O4)": sum(self.load.values()),
            "recommendations": len(self.rows[Recommendation]),
            "hearings": len(self.rows[Hearing]),
            "QA reviews": len(self.rows[QaReview]),
            "QA answers": len(self.answers),
        }


ANSWER_COLUMNS = ["id", "review_id", "item_id", "answer", "comment"]
MODELS = [Recommendation, RecommendationRound, Hearing, QaSample, QaSampleCase, QaReview]


def state_oversight(s) -> int:
    """The state seed's step (in memory, after the families): the grants, the pending
    closure recommendations, the hearings and the year of QA."""
    b = s.oversight = OversightBuilder(s)
    opened = [c for c in s.cases if c["status"] != "closed"]
    reviewer_of = {}
    for case in opened:
        if case.get("court_involved"):
            reviewer_of[case["id"]] = b.grant(case, case["opened_on"])
    b.recommendations(opened, reviewer_of)
    for case in opened:
        if case["id"] in reviewer_of:
            b.hearings(case, reviewer_of[case["id"]])
    # A migration made the fidelity instrument; a database flushed since (a browser
    # test's) lacks it: make it again (idempotent, by code).
    load(
        fidelity_instruments(), Instrument=Instrument, Domain=InstrumentDomain, Item=InstrumentItem
    )
    instrument = (
        Instrument.objects.filter(code=FIDELITY_CODE, agency__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    items = list(
        InstrumentItem.objects.filter(domain__instrument=instrument)
        .order_by("domain__order", "order", "id")
        .values_list("pk", flat=True)
    )
    b.qa(items, instrument)
    return sum(len(v) for v in b.rows.values()) + len(b.answers)


def state_oversight_copy(s) -> int:
    """The state seed's step: COPY the oversight rows made in memory. The hearings get
    their first history row too: the court area's obligations reach as far as the latest
    day a hearing was ever set for, which it reads from the history."""
    total = 0
    for model in MODELS:
        total += s.loader.copy(model, s.oversight.rows[model])
    history = Hearing.history.model
    hearings = s.oversight.rows[Hearing]
    ids = s.loader.ids(history, len(hearings))
    s.loader.copy(
        history,
        [
            {**row, "history_id": hid, "history_date": s.loader.now, "history_type": "+"}
            for hid, row in zip(ids, hearings, strict=True)
        ],
    )
    return total + s.loader.copy_tuples(QaAnswer, ANSWER_COLUMNS, s.oversight.answers)


def oversight_obligations(s) -> int:
    """The state seed's step, after the load: the obligations of the oversight app's
    registered sources (hearth.oversight.obligations: the state's reviews, the
    hearings), run as the engine would (every month from the case's opening to each
    source's horizon) for the cases they concern: the court-involved ones and those whose
    closure is recommended. A few queries a case (the sources' own); none when no source
    is registered."""
    from hearth.oversight.obligations import SOURCES

    names = {source.name for source in SOURCES}
    own = [source for source in registered_sources() if source.name in names]
    if not own:
        s.out.write(
            "\nNOTE: no oversight obligation sources are registered: the state seed wrote "
            "no review or hearing obligations.\n"
        )
        return 0
    cases = (
        Case.objects.filter(Q(court_involved=True) | Q(closure_recommended_on__isnull=False))
        .exclude(status="closed")
        .select_related("agency")
        .order_by("pk")
    )
    workers = {}
    for case_id, worker in Assignment.objects.filter(
        ends_on__isnull=True, kind="primary", case__in=cases
    ).values_list("case_id", "worker_id"):
        workers[case_id] = worker
    written, rows = 0, []
    for case in cases.iterator(chunk_size=2000):
        start = min(source.reaches_back(case, case.opened_on) for source in own)
        for source in own:
            months = months_between(start, source.horizon(case, now=s.day0))
            for o in source.produce(case, months, now=s.day0) if months else ():
                o.case, o.agency_id = case, case.agency_id
                if o.source == Obligation.Source.OVERSIGHT:
                    o.unit_id = None  # as the engine: the state's, with its responsible
                else:
                    o.unit_id, o.responsible_id = case.unit_id, workers.get(case.pk)
                rows.append(o)
        if len(rows) >= 5000:
            Obligation.objects.bulk_create(rows, batch_size=5000)
            written, rows = written + len(rows), []
    Obligation.objects.bulk_create(rows, batch_size=5000)
    s.oversight_obligations = written + len(rows)
    return s.oversight_obligations
