"""F5: the AFCARS-style extract, one record per child in foster care during a report
period, with the AFCARS 2020 elements Hearth holds (docs/reports/afcars.md).

A report period is half a federal fiscal year, named by the fiscal year and a letter:
`2027A` runs from 1 October 2026 to 31 March 2027, `2027B` from 1 April to 30 September
2027. A child is in the extract when one of their removal episodes (in the viewer's
scope) overlaps the period: removed on or before its last day, and not discharged before
its first.

Missing data is written as missing (JSON null, an empty CSV cell), never as a default
that reads as an answer: an unknown date of birth, sex or ethnicity, an unrecorded entry
date, an ICWA inquiry not yet recorded, membership or applicability not yet known.

The records are built batch by batch (`BATCH` children at a time, in child id order,
with a keyset on the id), each batch in a fixed number of queries whatever its size (the
children, their races and tribes, their episodes, the episodes' placements, their
permanency goals and their visits), so that memory holds one batch, never the state.
"""

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from hearth.contacts.models import ContactNote
from hearth.core import audit
from hearth.core.errors import Forbidden
from hearth.core.exports import csv_writer
from hearth.people.models import Person
from hearth.placements.models import PermanencyGoal, Placement
from hearth.reports import scope
from hearth.reports.federal import RESIDENCE

BATCH = 1000
PERIOD = re.compile(r"^(\d{4})([AB])$")


@dataclass(frozen=True)
class Period:
    """An AFCARS report period: `code` as "2027A" (October to March) or "2027B" (April to
    September), from `start` to `end` inclusive."""

    code: str
    start: date
    end: date


def parse_period(code: str) -> Period:
    """The period named `code` ("2027A", "2027B"); ValueError when it is not one."""
    match = PERIOD.match(code or "")
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise ValueError("A period is a federal fiscal year and A or B, as 2027A or 2027B.")
    fy, half = int(match.group(1)), match.group(2)
    if half == "A":
        return Period(code, date(fy - 1, 10, 1), date(fy, 3, 31))
    return Period(code, date(fy, 4, 1), date(fy, 9, 30))


def last_period(day: date) -> Period:
    """The latest period that ended before `day` (the one a state files next)."""
    if 4 <= day.month <= 9:
        return parse_period(f"{day.year}A")
    fy = day.year + 1 if day.month >= 10 else day.year
    return parse_period(f"{fy - 1}B")


def in_care(episodes: QuerySet, period: Period) -> QuerySet:
    """The episodes that overlap the period."""
    return episodes.filter(removed_on__lte=period.end).filter(
        Q(exited_on__isnull=True) | Q(exited_on__gte=period.start)
    )


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _known(value: str, unknown: str = "unknown"):
    """A choice whose "unknown" (or blank) means not recorded: None, never the default."""
    return None if value in ("", unknown) else value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def records(
    episodes: QuerySet,
    period: Period,
    *,
    batch: int = BATCH,
    on_batch: Callable[[list[int]], None] | None = None,
) -> Iterator[dict]:
    """The extract's records, one per child in care during `period` among `episodes`
    (the viewer's scope), in child id order. `on_batch(child_ids)` is called before each
    batch is yielded (the access log)."""
    overlapping = in_care(episodes, period)
    after = 0
    while True:
        ids = list(
            overlapping.filter(child_id__gt=after)
            .order_by("child_id")
            .values_list("child_id", flat=True)
            .distinct()[:batch]
        )
        if not ids:
            return
        after = ids[-1]
        if on_batch is not None:
            on_batch(ids)
        yield from _batch(overlapping, period, ids)


def _batch(overlapping: QuerySet, period: Period, ids: list[int]) -> Iterable[dict]:
    """The records of the children `ids`: seven queries, however many children."""
    races, tribes = defaultdict(list), defaultdict(list)
    for pid, code in (
        Person.races.through.objects.filter(person_id__in=ids)
        .order_by("race__code")
        .values_list("person_id", "race__code")
    ):
        races[pid].append(code)
    for pid, code in (
        Person.tribes.through.objects.filter(person_id__in=ids)
        .order_by("tribe__code")
        .values_list("person_id", "tribe__code")
    ):
        tribes[pid].append(code)

    episodes = defaultdict(list)
    by_id = {}
    agency = {}
    for e in (
        overlapping.filter(child_id__in=ids)
        .order_by("child_id", "removed_on", "id")
        .values(
            "id",
            "child_id",
            "case__agency__code",
            "removed_on",
            "entered_care_on",
            "removal_reasons",
            "legal_basis",
            "exited_on",
            "exit_reason",
            "transfer_agency",
        )
    ):
        record = {
            "removal_date": _iso(e["removed_on"]),
            "entered_care_date": _iso(e["entered_care_on"]),
            "removal_reasons": list(e["removal_reasons"] or []),
            "legal_basis": _known(e["legal_basis"]),
            "exit_date": _iso(e["exited_on"]),
            "exit_reason": _known(e["exit_reason"]),
            "transfer_agency": _known(e["transfer_agency"]),
            "placements": [],
        }
        episodes[e["child_id"]].append(record)
        by_id[e["id"]] = record
        agency[e["child_id"]] = e["case__agency__code"]  # the latest episode's agency

    for p in (
        Placement.objects.filter(episode_id__in=list(by_id))
        .order_by("episode_id", "starts_on", "id")
        .values("episode_id", "setting", "starts_on", "ends_on")
    ):
        by_id[p["episode_id"]]["placements"].append(
            {
                "setting": p["setting"],
                "start_date": _iso(p["starts_on"]),
                "end_date": _iso(p["ends_on"]),
            }
        )

    goals = defaultdict(list)
    for g in (
        PermanencyGoal.objects.filter(child_id__in=ids, starts_on__lte=period.end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
        .order_by("child_id", "starts_on", "id")
        .values("child_id", "goal", "starts_on", "ends_on")
    ):
        goals[g["child_id"]].append(
            {
                "goal": g["goal"],
                "start_date": _iso(g["starts_on"]),
                "end_date": _iso(g["ends_on"]),
            }
        )

    visits = defaultdict(list)
    for pid, occurred, location in (
        ContactNote.contact_with.through.objects.filter(
            person_id__in=ids,
            contactnote__status=ContactNote.Status.FINAL,
            contactnote__method=ContactNote.Method.IN_PERSON,
            contactnote__occurred_at__gte=_aware(period.start),
            contactnote__occurred_at__lt=_aware(period.end + timedelta(days=1)),
        )
        .order_by("person_id", "contactnote__occurred_at", "contactnote_id")
        .values_list("person_id", "contactnote__occurred_at", "contactnote__location")
    ):
        visits[pid].append(
            {
                "date": timezone.localtime(occurred).date().isoformat(),
                "in_residence": location in RESIDENCE if location else None,
            }
        )

    for c in (
        Person.objects.filter(pk__in=ids)
        .order_by("pk")
        .values(
            "pk",
            "date_of_birth",
            "sex",
            "ethnicity",
            "icwa_inquiry_made",
            "icwa_inquiry_date",
            "icwa_membership",
            "icwa_applies",
            "tribe_notified_on",
        )
    ):
        pid = c["pk"]
        yield {
            "child_id": pid,
            "report_period": period.code,
            "agency": agency.get(pid),
            "date_of_birth": _iso(c["date_of_birth"]),
            "sex": _known(c["sex"]),
            "race": races.get(pid) or None,
            "ethnicity": _known(c["ethnicity"]),
            "episodes": episodes[pid],
            "permanency_plans": goals[pid],
            "visits": visits[pid],
            "icwa": {
                "inquiry_made": c["icwa_inquiry_made"],
                "inquiry_date": _iso(c["icwa_inquiry_date"]),
                "membership": _known(c["icwa_membership"]),
                "tribes": tribes[pid],
                "applies": _known(c["icwa_applies"]),
                "tribe_notified_date": _iso(c["tribe_notified_on"]),
            },
        }


# CSV: one row per child; a repeating element's fields are columns whose cells hold the
# items' values in order, separated by " | " (an empty value between separators is
# missing); an episode's removal reasons are joined by "+"; a placement's `episode` is the
# 1-based position of its episode in the row.
SEP = " | "
CSV_COLUMNS = [
    "child_id",
    "report_period",
    "agency",
    "date_of_birth",
    "sex",
    "race",
    "ethnicity",
    "episode_removal_date",
    "episode_entered_care_date",
    "episode_removal_reasons",
    "episode_legal_basis",
    "episode_exit_date",
    "episode_exit_reason",
    "episode_transfer_agency",
    "placement_episode",
    "placement_setting",
    "placement_start_date",
    "placement_end_date",
    "permanency_plan_goal",
    "permanency_plan_start_date",
    "permanency_plan_end_date",
    "visit_date",
    "visit_in_residence",
    "icwa_inquiry_made",
    "icwa_inquiry_date",
    "icwa_membership",
    "icwa_tribes",
    "icwa_applies",
    "icwa_tribe_notified_date",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _joined(values) -> str:
    return SEP.join(_cell(v) for v in values)


def csv_row(r: dict) -> list:
    """The record `r` as one CSV row in CSV_COLUMNS order (missing: an empty cell)."""
    eps, icwa = r["episodes"], r["icwa"]
    placements = [(i, p) for i, e in enumerate(eps, 1) for p in e["placements"]]
    return [
        r["child_id"],
        r["report_period"],
        _cell(r["agency"]),
        _cell(r["date_of_birth"]),
        _cell(r["sex"]),
        "+".join(r["race"] or []),
        _cell(r["ethnicity"]),
        _joined(e["removal_date"] for e in eps),
        _joined(e["entered_care_date"] for e in eps),
        _joined("+".join(e["removal_reasons"]) for e in eps),
        _joined(e["legal_basis"] for e in eps),
        _joined(e["exit_date"] for e in eps),
        _joined(e["exit_reason"] for e in eps),
        _joined(e["transfer_agency"] for e in eps),
        _joined(i for i, _ in placements),
        _joined(p["setting"] for _, p in placements),
        _joined(p["start_date"] for _, p in placements),
        _joined(p["end_date"] for _, p in placements),
        _joined(g["goal"] for g in r["permanency_plans"]),
        _joined(g["start_date"] for g in r["permanency_plans"]),
        _joined(g["end_date"] for g in r["permanency_plans"]),
        _joined(v["date"] for v in r["visits"]),
        _joined(v["in_residence"] for v in r["visits"]),
        _cell(icwa["inquiry_made"]),
        _cell(icwa["inquiry_date"]),
        _cell(icwa["membership"]),
        "+".join(icwa["tribes"]),
        _cell(icwa["applies"]),
        _cell(icwa["tribe_notified_date"]),
    ]


# Who may extract, and the streamed response ----------------------------------------------


def extract_episodes(viewer, agency: int | None = None) -> QuerySet:
    """The episodes whose children `viewer` may extract: the state's staff every agency's
    (or `agency`'s), a viewer with the agency's reports (a program director) their own
    agency's; anyone else is refused (Forbidden). The extract is the federal filing of
    whole records, so it is not narrowed to the cases the viewer may name."""
    episodes, group = scope.scoped_episodes(viewer)
    if group not in ("agency", "unit"):  # "unit": the agency's reports (report.agency)
        raise Forbidden()
    if agency is not None:
        episodes, _ = scope.narrowed(episodes, group, {"agency": agency})
    return episodes


class _Line:
    """A file-like object whose write returns the line (csv.writer into a stream)."""

    def write(self, value):
        return value


def stream(request, episodes: QuerySet, period: Period, fmt: str) -> StreamingHttpResponse:
    """The extract as a streamed download, JSON (one array) or CSV, built `BATCH`
    children at a time. Each batch's children are written to the access log as an
    EXPORT (one row per child, in one insert per batch) as the batch is sent."""

    def log(ids):
        audit.log_access(request, audit.EXPORT, [Person(pk=pk) for pk in ids])

    rows = records(episodes, period, on_batch=log)
    name = f"afcars-{period.code}"
    if fmt == "csv":
        writer = csv_writer(_Line())

        def lines():
            yield writer.writerow(CSV_COLUMNS)
            for r in rows:
                yield writer.writerow(csv_row(r))

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def chunks():
        yield "["
        first = True
        for r in rows:
            yield ("\n" if first else ",\n") + json.dumps(r, separators=(",", ":"))
            first = False
        yield "\n]\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


SCHEMA_PATH = Path(__file__).with_name("afcars_schema.json")


def schema() -> dict:
    """The extract's JSON Schema (the committed file)."""
    return json.loads(SCHEMA_PATH.read_text())
