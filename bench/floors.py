"""The SQL floors: hand-written queries returning what a page or a selector computes, in
one query. The bench times each beside its selector (the ratio in its table);
tests/demo/test_state.py runs the dashboard and F1 floors on a small state seed against
the selectors, with the parameter and row-shape helpers below."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from hearth.core.services import today
from hearth.reports import federal

# The caseload page's rows (cases and current members) for a worker (%s: the staff id).
CASELOAD_SQL = """
    SELECT c.id, c.case_number, c.case_type, c.court_involved, c.status,
           p.first_name, p.last_name, m.role
    FROM cases_assignment a
    JOIN cases_case c ON c.id = a.case_id
    LEFT JOIN cases_casemember m ON m.case_id = c.id AND m.ends_on IS NULL
    LEFT JOIN people_person p ON p.id = m.person_id
    WHERE a.worker_id = %s AND a.ends_on IS NULL AND a.kind = 'primary'
      AND c.status <> 'closed'
    ORDER BY c.case_number
"""


# V13 per agency for a month (hearth.obligations.selectors.dashboard, a state viewer): the
# state follows from the evidence, the dates and today (as with_state computes it).
DASHBOARD_BY_AGENCY_SQL = """
    SELECT o.agency_id, a.name,
           count(*) AS total,
           count(*) FILTER (WHERE o.met_on IS NOT NULL) AS met,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on >= %(today)s) AS due,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on < %(today)s) AS overdue,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on > %(today)s) AS upcoming
    FROM obligations_obligation o
    JOIN staff_agency a ON a.id = o.agency_id
    WHERE o.month = %(month)s AND o.source = 'contacts'
    GROUP BY o.agency_id, a.name
    ORDER BY a.name
"""

# The same per worker in one unit (a supervisor's dashboard).
DASHBOARD_BY_WORKER_SQL = """
    SELECT o.responsible_id,
           coalesce(s.first_name || ' ' || s.last_name, 'No worker assigned') AS label,
           count(*) AS total,
           count(*) FILTER (WHERE o.met_on IS NOT NULL) AS met,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on >= %(today)s) AS due,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on <= %(today)s AND o.due_on < %(today)s) AS overdue,
           count(*) FILTER (WHERE o.met_on IS NULL AND o.excused_reason = ''
                            AND o.starts_on > %(today)s) AS upcoming
    FROM obligations_obligation o
    LEFT JOIN staff_staffmember s ON s.id = o.responsible_id
    WHERE o.month = %(month)s AND o.source = 'contacts' AND o.unit_id = %(unit)s
    GROUP BY o.responsible_id, s.first_name, s.last_name
    ORDER BY label
"""

# F1's child-months and visits (F1_SQL's and the trend floor's, bench/trends.py): the
# child-months (in care on the 1st, not discharged in the month, under 18 on its last
# day), each visited when a final in-person note names the child in the month (local
# time), in the residence when one such note was at the residence or placement, or at the
# parents' home on a day of a trial home visit. The children's notes are read once for
# the whole year, not once a month.
F1_CHILD_MONTHS_SQL = """
    WITH months (first, last, born_after) AS (
        SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[], %(born_after)s::date[])
    ),
    child_months AS (
        SELECT mo.first, e.child_id, c.agency_id
        FROM placements_removalepisode e
        JOIN months mo
          ON e.removed_on <= mo.first AND (e.exited_on IS NULL OR e.exited_on > mo.last)
        JOIN people_person p ON p.id = e.child_id
        JOIN cases_case c ON c.id = e.case_id
        WHERE p.date_of_birth IS NULL OR p.date_of_birth > mo.born_after
    ),
    visits AS (
        SELECT w.person_id AS child_id,
               date_trunc('month', n.occurred_at AT TIME ZONE %(tz)s)::date AS first,
               bool_or(n.location IN ('child_residence', 'placement')
                       OR n.location = 'parents_home' AND EXISTS (
                           SELECT 1 FROM placements_placement pl
                           WHERE pl.child_id = w.person_id
                             AND pl.setting = 'trial_home_visit'
                             AND pl.starts_on <= (n.occurred_at AT TIME ZONE %(tz)s)::date
                             AND (pl.ends_on IS NULL
                                  OR pl.ends_on > (n.occurred_at AT TIME ZONE %(tz)s)::date)
                       )) AS in_residence
        FROM (SELECT DISTINCT child_id FROM child_months) ch
        JOIN contacts_contactnote_contact_with w ON w.person_id = ch.child_id
        JOIN contacts_contactnote n ON n.id = w.contactnote_id
        WHERE n.status = 'final' AND n.method = 'in_person'
          AND n.occurred_at >= %(start)s AND n.occurred_at < %(end)s
        GROUP BY 1, 2
    )
"""

F1_SQL = (
    F1_CHILD_MONTHS_SQL
    + """
    SELECT cm.agency_id, count(*) AS months, count(v.child_id) AS visited,
           count(*) FILTER (WHERE v.in_residence) AS in_residence
    FROM child_months cm
    LEFT JOIN visits v ON v.child_id = cm.child_id AND v.first = cm.first
    GROUP BY cm.agency_id
    ORDER BY cm.agency_id
"""
)


# P9: a worker's due list: every open obligation of theirs (neither met nor excused) due
# from `since` (the overdue ones of the last months) to `until` (the days ahead), by date,
# with the case and the person it is about.
DUE_LIST_SQL = """
    SELECT o.id, o.due_on, o.rule, o.need, o.description, o.case_id, c.case_number,
           o.person_id, p.first_name, p.last_name, o.source
    FROM obligations_obligation o
    JOIN cases_case c ON c.id = o.case_id
    LEFT JOIN people_person p ON p.id = o.person_id
    WHERE o.responsible_id = %(worker)s AND o.met_on IS NULL AND o.excused_reason = ''
      AND o.starts_on <= %(until)s AND o.due_on >= %(since)s AND o.due_on <= %(until)s
    ORDER BY o.due_on, o.id
"""

# P9: a unit's overdue items (a supervisor's view): every open obligation of the unit due
# before today and from `since`, by date, with the case, the person and the worker.
UNIT_OVERDUE_SQL = """
    SELECT o.id, o.due_on, o.rule, o.need, o.description, o.case_id, c.case_number,
           o.person_id, p.first_name, p.last_name, o.responsible_id, s.first_name,
           s.last_name, o.source
    FROM obligations_obligation o
    JOIN cases_case c ON c.id = o.case_id
    LEFT JOIN people_person p ON p.id = o.person_id
    LEFT JOIN staff_staffmember s ON s.id = o.responsible_id
    WHERE o.unit_id = %(unit)s AND o.met_on IS NULL AND o.excused_reason = ''
      AND o.due_on < %(today)s AND o.due_on >= %(since)s
    ORDER BY o.due_on, o.id
"""

# The due lists' window: overdue items from DUE_BACK_DAYS ago, and the next
# DUE_AHEAD_DAYS. Align them with the due list's own bounds (hearth.planning.selectors.due)
# when it lands, so that the floor returns the page's rows.
DUE_BACK_DAYS, DUE_AHEAD_DAYS = 365, 30


def due_params(worker: int, unit: int | None) -> dict:
    day = today()
    return {
        "worker": worker,
        "unit": unit,
        "today": day,
        "since": day - timedelta(days=DUE_BACK_DAYS),
        "until": day + timedelta(days=DUE_AHEAD_DAYS),
    }


def dashboard_params(month, unit=None) -> dict:
    return {"month": month, "today": today(), "unit": unit}


def f1_params(fy: int, upto=None) -> dict:
    """F1_SQL's parameters: the fiscal year's months that have ended (by `upto`, default
    the last day of last month, as federal.f1), and the year's bounds in local time."""
    upto = upto or today().replace(day=1) - timedelta(days=1)
    ended = [m for m in federal.fiscal_year_months(fy) if _month_last(m) <= upto]
    return months_params(ended) if ended else {}


def _month_last(first):
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def months_params(firsts: list) -> dict:
    """F1's parameters for any months (their first days, in order): each month's last
    day, the birth date after which a child is under 18 on it, the months' bounds."""
    lasts, born_after = [], []
    for first in firsts:
        last = _month_last(first)
        lasts.append(last)
        try:
            born_after.append(last.replace(year=last.year - 18))
        except ValueError:  # 29 February
            born_after.append(last.replace(year=last.year - 18, day=28))
    tz = timezone.get_current_timezone()
    return {
        "firsts": list(firsts),
        "lasts": lasts,
        "born_after": born_after,
        "start": timezone.make_aware(datetime.combine(firsts[0], datetime.min.time()), tz),
        "end": timezone.make_aware(
            datetime.combine(lasts[-1] + timedelta(days=1), datetime.min.time()), tz
        ),
        "tz": settings.TIME_ZONE,
    }


def run_sql(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def dashboard_rows(rows: list[dict]) -> list[tuple]:
    keys = ("key", "label", "total", "met", "due", "overdue", "upcoming")
    return sorted((tuple(r[k] for k in keys) for r in rows), key=str)


def f1_rows(rows) -> list[tuple]:
    return [(r.key, r.months, r.visited, r.in_residence) for r in rows]


# QA compliance by contractor and item (hearth.oversight.selectors.qa.compliance, by agency
# and item) over the reviews finalized from %(start)s to %(end)s: yes answers, and yes or
# no answers (not applicable is left out of compliance).
QA_COMPLIANCE_SQL = """
    SELECT s.agency_id, a.item_id,
           count(*) FILTER (WHERE a.answer = 'yes') AS yes,
           count(*) FILTER (WHERE a.answer IN ('yes', 'no')) AS answered
    FROM oversight_qaanswer a
    JOIN oversight_qareview r ON r.id = a.review_id
    JOIN oversight_qasamplecase s ON s.id = r.sample_case_id
    WHERE r.status = 'finalized' AND r.finalized_on BETWEEN %(start)s AND %(end)s
    GROUP BY 1, 2
    ORDER BY 1, 2
"""


def qa_year_params() -> dict:
    """A year of QA to today: from the first day of this month twelve months ago."""
    day0 = today()
    start = day0.replace(day=1)
    start = start.replace(year=start.year - 1)
    return {"start": start, "end": day0}


def compliance_rows(report) -> list[tuple]:
    """compliance()'s rows as the floor's: (agency, item, yes, yes + no), in order."""
    return sorted((r.agency, r.item, r.yes, r.yes + r.no) for r in report.rows)
