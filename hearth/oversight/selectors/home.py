"""The state oversight home (issue 13): one function per section, each taking the viewer:
the reviews due (the recommendations area), the hearings this week (the court area) and
the specialist's families (O4, set-based: the query count does not grow with them)."""

from datetime import date, timedelta

from hearth.core.services import today
from hearth.oversight.selectors import caseloads, court, recommendations
from hearth.staff.access import staff_for


def reviews_due(*, viewer, now=None) -> list:
    """O1, O2: the recommendations awaiting the viewer's review, overdue ones flagged."""
    return recommendations.reviews_due(viewer=viewer, now=now)


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `day`."""
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def hearings_this_week(*, viewer, on: date | None = None) -> list:
    """O2: the scheduled hearings of the viewer's cases this week (Monday to Sunday)."""
    start, end = week_of(on or today())
    return court.hearings_between(viewer=viewer, start=start, end=end)


def families(*, viewer) -> list:
    """O4: the families the viewer carries as a state oversight specialist (their
    current oversight grants' open cases), each with `family_name` and its next hearing.
    Empty for anyone who carries none (the supervisor balances them on the caseloads
    page)."""
    staff = staff_for(viewer)
    if staff is None:
        return []
    rows = list(caseloads.families(staff))
    for case in rows:
        case.family_name = caseloads.family_name(case)
    return rows
