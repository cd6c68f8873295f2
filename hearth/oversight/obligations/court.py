"""Obligations of the court area (O2): each hearing scheduled (or held) falls due on its
day twice: in the worker's due list (source COURT, the engine fills in the case's
worker) and in the state specialist's (source OVERSIGHT, answered for by the staff of the
case's current oversight grant; none while the case has no grant). A row is met when the
hearing is held (evidence_type "hearing", the hearing's id); a continued or cancelled
hearing owes nothing (its continuation is a hearing of its own).

The description holds the hearing's type, time and court, never a person's name: the
calendar feed (hearth.planning.views.due.calendar_ics) shows it as the event's summary,
so the time reads there though the feed's events are all-day.

Horizon: the latest day any hearing of the case was ever set for (its history included),
so that a hearing moved earlier or cancelled recomputes the month it left.
"""

from datetime import date

from django.db.models import Max
from django.utils import timezone

from hearth.cases.models import Case
from hearth.obligations.models import Obligation
from hearth.obligations.registry import Source
from hearth.oversight.models import Hearing
from hearth.oversight.selectors.court import oversight_staff_id

OWING = (Hearing.Status.SCHEDULED, Hearing.Status.HELD)


def _description(h: Hearing, at) -> str:
    return f"{h.get_type_display()} hearing at {at:%H:%M}, {h.court} (O2)"[:300]


def hearing_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """O2: one COURT row and (with an oversight grant) one OVERSIGHT row per hearing
    scheduled or held whose day falls in `months`; two queries (none for a case that is
    not court-involved: it has no hearings)."""
    if not case.court_involved:
        return []
    wanted = set(months)
    specialist = None
    rows = []
    for h in Hearing.objects.filter(case=case, status__in=OWING).order_by("scheduled_at", "id"):
        at = timezone.localtime(h.scheduled_at)
        day = at.date()
        if day.replace(day=1) not in wanted:
            continue
        if specialist is None:
            specialist = oversight_staff_id(case) or 0
        held = h.status == Hearing.Status.HELD
        common = dict(
            rule="O2",
            person_id=h.child_id,
            need="court_hearing",
            description=_description(h, at),
            month=day.replace(day=1),
            starts_on=min(timezone.localtime(h.created_at).date(), day),
            due_on=day,
            evidence_type="hearing" if held else "",
            evidence_id=h.pk if held else None,
            met_on=day if held else None,
        )
        rows.append(Obligation(source=Obligation.Source.COURT, **common))
        if specialist:
            rows.append(
                Obligation(source=Obligation.Source.OVERSIGHT, responsible_id=specialist, **common)
            )
    return rows


def hearing_horizon(case: Case, *, now: date) -> date:
    """O2: the latest day a hearing of the case was set for, in any version of it (no
    query for a case that is not court-involved)."""
    if not case.court_involved:
        return case.opened_on
    latest = Hearing.history.filter(case_id=case.pk).aggregate(at=Max("scheduled_at"))["at"]
    return timezone.localtime(latest).date() if latest else case.opened_on


SOURCES: list = [Source("oversight.o2_hearings", hearing_obligations, horizon=hearing_horizon)]
