"""The assessments tests' family and instruments (C3): the default instruments loaded
(idempotently: a transactional test elsewhere may have emptied the tables), a case with
a child of eleven, a youth of fifteen and a parent, and helpers that rate every item."""

from datetime import date, timedelta

import pytest

from hearth.cases import services as case_services
from hearth.core.services import today
from hearth.planning.instruments import default_instruments, load
from hearth.planning.models import Instrument, InstrumentDomain, InstrumentItem
from hearth.planning.services import assessments as services
from tests.factories import PersonFactory, make_case


def load_defaults() -> dict[str, Instrument]:
    load(default_instruments(), Instrument=Instrument, Domain=InstrumentDomain, Item=InstrumentItem)
    return {i.code: i for i in Instrument.objects.filter(agency__isnull=True)}


@pytest.fixture
def instruments(db):
    return load_defaults()


def years_ago(n: int, days: int = 0) -> date:
    t = today()
    try:
        born = t.replace(year=t.year - n)
    except ValueError:  # 29 February
        born = t.replace(year=t.year - n, day=28)
    return born - timedelta(days=days)


@pytest.fixture
def family(supervisor, worker, instruments):
    child = PersonFactory(first_name="Ava", last_name="Rivera", date_of_birth=years_ago(11, 30))
    youth = PersonFactory(first_name="Leo", last_name="Rivera", date_of_birth=years_ago(15, 30))
    parent = PersonFactory(first_name="Maria", last_name="Rivera", date_of_birth=date(1988, 3, 1))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[(child, "child"), (youth, "child"), (parent, "parent")],
    )
    return {"case": case, "child": child, "youth": youth, "parent": parent}


def ratings_for(instrument: Instrument, subject=None, on: date | None = None, **scores):
    """A rating of every item that applies to `subject` on `on`: 0 unless `scores` gives
    the item's code (with - as _) another."""
    age = subject.age_on(on or today()) if subject is not None else None
    out = []
    for item in InstrumentItem.objects.filter(domain__instrument=instrument).select_related(
        "domain"
    ):
        if item.domain.min_age is not None and (age is None or age < item.domain.min_age):
            continue
        out.append({"item": item.code, "score": scores.get(item.code.replace("-", "_"), 0)})
    return out


def record(actor, case, instrument, subject=None, on=None, reason="initial", **kwargs):
    on = on or today()
    scores = kwargs.pop("scores", {})
    kwargs.setdefault("ratings", ratings_for(instrument, subject, on, **scores))
    if instrument.kind == "safety":
        kwargs.setdefault("risk_level", "moderate")
    if reason != "initial":
        kwargs.setdefault("situation", "The family moved to a new apartment.")
    return services.assessment_record(
        actor=actor,
        case=case,
        instrument=instrument,
        subject=subject,
        assessed_on=on,
        reason=reason,
        **kwargs,
    )


def add_member(supervisor, case, role, starts_on):
    return case_services.case_member_add(
        actor=supervisor.user, case=case, person=PersonFactory(), role=role, starts_on=starts_on
    )
