"""The obligations engine: keeps each case's Obligation rows equal to what the sources
say (hearth.obligations.registry), driven by the case's events (hearth.cases.events).

- A change effective on a day (CaseChanged) recomputes the case's months from the
  earliest month the change can touch (the day's month, or earlier when a source says
  so: P5) to the latest due date any source can produce (not "today": a child placed on
  the 30th owes a first family contact next month).
- A change of who answers for the case (CaseStaffed) sets the responsible worker and the
  unit on every row of the case, in one UPDATE, but the state's: a row of source
  "oversight" is answered for by the state staff member its source names, with no unit.
- `rebuild` recomputes every month of every case from nothing (manage.py
  rebuild_obligations); `recompute` a given set of months (manage.py
  refresh_obligations, the job at each month's start that writes the new month's
  contact requirements, which no event announces).
- `deferred()` is for a generator that makes many records through the services (the
  demo seed): inside it, the events only note their case, and each case noted is
  rebuilt once on leaving, instead of recomputed at every event.

Incremental and rebuilt agree: tests/obligations/test_incremental_equals_rebuilt.py.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

from django.db import transaction

from hearth.cases.events import CaseChanged, CaseStaffed
from hearth.cases.models import Assignment, Case
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.obligations.registry import sources

# The cases whose events came inside `deferred()` (None outside it).
_noted: ContextVar[set[int] | None] = ContextVar("obligations_noted", default=None)


def _first(day: date) -> date:
    return day.replace(day=1)


def months_between(since: date, until: date) -> list[date]:
    """The first day of every month from `since`'s to `until`'s."""
    first, last, out = _first(since), _first(until), []
    while first <= last:
        out.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return out


def _worker(case: Case) -> int | None:
    return (
        Assignment.objects.filter(case=case, ends_on__isnull=True, kind=Assignment.Kind.PRIMARY)
        .values_list("worker_id", flat=True)
        .first()
    )


def _rows(case: Case, months: list[date], now: date) -> list[Obligation]:
    """What every source says the case owes in `months`, each up to its horizon."""
    rows = []
    for source in sources():
        last = _first(source.horizon(case, now=now))
        own = [m for m in months if m <= last]
        if own:
            rows += source.produce(case, own, now=now)
    worker = _worker(case)
    for o in rows:
        o.case = case
        o.agency_id = case.agency_id
        if o.source == Obligation.Source.OVERSIGHT:
            o.unit_id = None
            continue
        o.unit_id = case.unit_id
        o.responsible_id = worker
    return rows


def span(case: Case, since: date, *, now: date) -> list[date]:
    """The months a change to the case effective `since` can alter (none when it is
    effective after the latest due date any source can produce)."""
    start = min(s.reaches_back(case, since) for s in sources())
    end = max(s.horizon(case, now=now) for s in sources())
    return months_between(start, end)


@transaction.atomic
def recompute(case: Case, *, months: Iterable[date] | None = None, now: date | None = None) -> int:
    """Replace the case's obligations in the months of `months` (days in them; default
    this month and the last) with what the sources say now. Returns how many there are."""
    now = now or today()
    if months is None:
        months = [now, _first(now) - timedelta(days=1)]
    months = sorted({_first(m) for m in months})
    rows = _rows(case, months, now)
    Obligation.objects.filter(case=case, month__in=months).delete()
    Obligation.objects.bulk_create(rows)
    return len(rows)


def changed(event: CaseChanged) -> None:
    """A fact of the case changed from `event.on`: recompute every month it can alter."""
    if (noted := _noted.get()) is not None:
        noted.add(event.case.pk)
        return
    now = today()
    months = span(event.case, event.on, now=now)
    if months:
        recompute(event.case, months=months, now=now)


def staffed(event: CaseStaffed) -> None:
    """Every obligation of the case is answered for by its current worker and unit."""
    if (noted := _noted.get()) is not None:
        noted.add(event.case.pk)
        return
    Obligation.objects.filter(case=event.case).exclude(source=Obligation.Source.OVERSIGHT).update(
        responsible_id=_worker(event.case), unit_id=event.case.unit_id
    )


def rebuild(
    cases: Iterable[Case],
    *,
    batch_size: int = 200,
    now: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Recompute every month of `cases` from nothing, a batch of cases per transaction:
    one DELETE and one bulk INSERT per batch. Returns (cases, obligations)."""
    now = now or today()
    done = written = 0
    batch: list[Case] = []

    def flush():
        nonlocal done, written
        with transaction.atomic():
            rows = [o for c in batch for o in _rows(c, span(c, c.opened_on, now=now), now)]
            Obligation.objects.filter(case__in=[c.pk for c in batch]).delete()
            Obligation.objects.bulk_create(rows, batch_size=1000)
        done += len(batch)
        written += len(rows)
        batch.clear()
        if progress:
            progress(done, written)

    for case in cases:
        batch.append(case)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return done, written


@contextmanager
def deferred() -> Iterator[set[int]]:
    """Note the cases the events inside name, without recomputing; on leaving (without an
    error), rebuild each noted case once: the rows the events would have left
    (tests/obligations/test_incremental_equals_rebuilt.py), for one recomputation a case
    instead of one an event. Yields the set of noted case ids."""
    noted: set[int] = set()
    token = _noted.set(noted)
    try:
        yield noted
    finally:
        _noted.reset(token)
    cases = Case.objects.filter(pk__in=noted).select_related("agency").order_by("pk")
    rebuild(cases.iterator(chunk_size=200))
