"""The due list's tests: obligations of several sources written straight into the one
Obligation table (as the engine writes them), dated from the frozen today."""

from datetime import timedelta

import pytest

from hearth.core.services import today
from hearth.obligations.models import Obligation
from tests.placements.conftest import family, removed  # noqa: F401 (shared fixtures)


def add(case, *, rule, days, source="planning", person=None, responsible="primary", **fields):
    """An obligation of `case` due `days` from today (negative: in the past), owed by the
    case's worker unless `responsible` is given."""
    due = today() + timedelta(days=days)
    if responsible == "primary":
        responsible = case.assignments.get(ends_on__isnull=True, kind="primary").worker
    return Obligation.objects.create(
        source=source,
        rule=rule,
        case=case,
        person=person,
        need=fields.pop("need", rule.lower()),
        description=fields.pop("description", f"What {rule} asks"),
        month=due.replace(day=1),
        starts_on=fields.pop("starts_on", due - timedelta(days=30)),
        due_on=due,
        responsible=responsible,
        unit=case.unit,
        agency=case.agency,
        **fields,
    )


@pytest.fixture
def clean(db):
    """No obligation but the test's own (the engine wrote the cases' contact months)."""

    def wipe():
        Obligation.objects.all().delete()

    return wipe
