"""The state-scale seed at a tiny size (PostgreSQL: it loads with COPY): its year of
contact notes, its obligations (built in bulk from the contact rules) against what
the obligations engine's recompute makes of the same cases, and the bench's SQL floors
against the selectors."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bench import floors
from bench import intake as bench_intake
from hearth.cases.models import Assignment, Case, CaseMember
from hearth.cases.people_selectors import people_matches
from hearth.contacts.models import ContactNote
from hearth.core.services import today
from hearth.demo.state import OBLIGATION_COLUMNS, build_state
from hearth.obligations.engine import recompute
from hearth.obligations.models import Obligation
from hearth.obligations.selectors import dashboard
from hearth.people import matching
from hearth.people.models import Person
from hearth.placements.models import RemovalEpisode
from hearth.reports import federal
from hearth.staff.models import StaffMember

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the state seed loads with COPY (PostgreSQL)"
)

# The obligation columns the seed writes, but its own ids and times.
FIELDS = [c for c in OBLIGATION_COLUMNS if c not in ("id", "refreshed_at")]


@pytest.fixture(scope="module")
def state(django_db_setup, django_db_blocker):
    """A state seed at 1% (300 open cases, 400 closed), rolled back after the module."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            yield build_state(seed=3, factor=0.01, out=StringIO())
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def _by_case(rows) -> dict:
    out = {}
    for row in rows:
        out.setdefault(row[2], []).append(row)
    return {k: sorted(v, key=str) for k, v in out.items()}


@pytest.mark.django_db
class TestStateSeed:
    def test_a_year_of_final_notes_about_one_a_month_per_child_and_parent(self, state):
        notes = ContactNote.objects.all()
        assert state["contact notes"] == notes.count() > 1000
        assert not notes.exclude(status="final").exists()
        assert not notes.filter(finalized_at__isnull=True).exists()
        assert not notes.exclude(version=1).exists()
        assert not notes.filter(occurred_at__date__gte=today()).exists()
        months = {
            timezone.localdate(at).replace(day=1)
            for at in notes.values_list("occurred_at", flat=True)
        }
        this_month = today().replace(day=1)
        assert len(months) == (12 if today().day > 1 else 11)
        last_month = (this_month - timedelta(days=1)).replace(day=1)
        assert max(months) == (this_month if today().day > 1 else last_month)
        methods = Counter(notes.filter(kind="contact").values_list("method", flat=True))
        total = sum(methods.values())
        assert methods["in_person"] > 0.75 * total
        assert 0.02 * total < methods["attempted"] < 0.09 * total
        assert methods["phone"] and methods["video"]
        locations = set(notes.values_list("location", flat=True))
        assert {"placement", "child_residence", "parents_home", "office"} <= locations
        locates = notes.filter(kind="locate")
        assert locates.exists()
        assert not locates.filter(locate_subject__isnull=True).exists()
        assert not notes.filter(kind="contact", locate_subject__isnull=False).exists()
        # About one note a month for each child and parent who is a member (8% of
        # person-months have none, and others of the household are seen at home visits):
        # a member of an open case through the whole year has 9 to 15 notes.
        start = min(months)
        steady = list(
            CaseMember.objects.filter(
                case__closed_on__isnull=True, starts_on__lt=start, role__in=["child", "parent"]
            ).values_list("person_id", flat=True)
        )
        named = Counter(
            ContactNote.contact_with.through.objects.filter(person__in=steady).values_list(
                "person_id", flat=True
            )
        )
        named.update(
            locates.filter(locate_subject__in=steady).values_list("locate_subject_id", flat=True)
        )
        per_person = sorted(named[p] for p in steady)
        assert len(per_person) > 100
        assert 9 <= per_person[len(per_person) // 2] <= 15

    def test_notes_are_with_members_by_the_case_worker(self, state):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FROM contacts_contactnote_contact_with w
                JOIN contacts_contactnote n ON n.id = w.contactnote_id
                WHERE NOT EXISTS (
                    SELECT 1 FROM cases_casemember m
                    WHERE m.case_id = n.case_id AND m.person_id = w.person_id
                      AND m.starts_on <= (n.occurred_at AT TIME ZONE %s)::date
                      AND (m.ends_on IS NULL OR m.ends_on >= (n.occurred_at AT TIME ZONE %s)::date)
                )
                """,
                [settings.TIME_ZONE, settings.TIME_ZONE],
            )
            assert cursor.fetchone()[0] == 0
        sample = ContactNote.objects.order_by("?")[:200]
        for note in sample:
            day = timezone.localdate(note.occurred_at)
            worker = (
                Assignment.objects.filter(case=note.case_id, starts_on__lte=day)
                .order_by("-starts_on", "-id")
                .values_list("worker_id", flat=True)
                .first()
            )
            assert note.author_id == worker

    def test_obligations_are_what_the_engine_makes(self, state):
        """Every case, open or closed: the seed's rows, then recompute's."""
        seeded = _by_case(Obligation.objects.values_list(*FIELDS))
        assert state["obligations"] == sum(len(v) for v in seeded.values())
        rules = {row[1] for rows in seeded.values() for row in rows}
        assert {"V1", "V2", "V3", "V4", "V5", "V8"} <= rules
        assert any(row[11] for rows in seeded.values() for row in rows)  # met, with a date
        for case in Case.objects.select_related("agency"):
            recompute(case, now=today())
        assert _by_case(Obligation.objects.values_list(*FIELDS)) == seeded

    def test_people_carry_their_search_keys_and_intake_finds_them(self, state):
        """COPY skips Person.save(): the seed computes the keys itself (issue 5)."""
        people = list(
            Person.objects.values_list("first_name", "last_name", "first_name_key", "last_name_key")
        )
        assert len(people) == state["people"]
        for first, last, first_key, last_key in people:
            assert (first_key, last_key) == matching.person_keys(first, last)
        intake = StaffMember.objects.get(user__username="intake")
        member = (
            CaseMember.objects.filter(case__agency_id=intake.agency_id)
            .select_related("person")
            .order_by("id")
            .first()
        )
        person = member.person
        typo = person.last_name[:-1] + person.last_name[-1] * 2  # Smith -> Smithh
        found = people_matches(
            viewer=intake.user,
            first_name=person.first_name,
            last_name=typo,
            date_of_birth=matching.swapped_date(person.date_of_birth) or person.date_of_birth,
        )
        assert person.pk in [m.person.pk for m in found]

    def test_the_bench_floors_return_the_selectors_numbers(self, state):
        month = today().replace(day=1)
        oversight = StaffMember.objects.get(user__username="oversight")
        supervisor = StaffMember.objects.get(user__username="supervisor")
        for staff, group, sql, unit in (
            (oversight, "agency", floors.DASHBOARD_BY_AGENCY_SQL, None),
            (supervisor, "worker", floors.DASHBOARD_BY_WORKER_SQL, supervisor.unit_id),
        ):
            rows = dashboard(viewer=staff.user, month=month, group=group, filters={})
            assert rows
            floor = floors.run_sql(sql, floors.dashboard_params(month, unit))
            assert floors.dashboard_rows(rows) == sorted(floor, key=str)
        fy = federal.fiscal_year_of(today())
        for year in (fy, fy - 1):
            params = floors.f1_params(year)
            rows = federal.f1(RemovalEpisode.objects.all(), year, group="agency")
            if not params:
                assert rows == []
                continue
            assert sum(r.visited for r in rows) > 0
            floor = floors.run_sql(floors.F1_SQL, params)
            assert floors.f1_rows(rows) == [tuple(r) for r in floor]

    def test_staff_and_cases_carry_the_intake_facts(self, state):
        """Issue 5: the new columns load by COPY ('' or NULL where nothing was drawn); some
        staff have a culture, open cases the family's address and now and then a culture or
        a gender preference; a new case manager (A5) holds cases only from their
        pre-service training on, and no more than the cap allows today."""
        from hearth.policy import assignment as rules
        from hearth.policy.settings import DEFAULTS
        from hearth.staff.models import Role

        staff = StaffMember.objects.all()
        assert staff.exclude(culture="").exists() and staff.filter(culture="").exists()
        opened = Case.objects.exclude(status="closed")
        assert not opened.filter(latitude__isnull=True).exists()
        assert not opened.filter(address_line1="").exists()
        assert opened.exclude(culture="").exists()
        assert opened.exclude(gender_preference="").exists()
        closed = Case.objects.filter(status="closed")
        assert not closed.filter(latitude__isnull=False).exists()
        assert set(closed.values_list("address_line1", "city", "gender_preference")) == {
            ("", "", "")
        }
        assert not Assignment.objects.exclude(limit_override_reason="").exists()
        on = today()
        new = StaffMember.objects.filter(
            roles__role=Role.CASE_MANAGER, hire_date__gt=on - timedelta(days=200)
        )
        assert new.exists()
        for worker in new:
            trained = worker.preservice_training_completed_on
            assert (on - trained).days <= 136
            assert not Assignment.objects.filter(worker=worker, starts_on__lt=trained).exists()
            cap = rules.new_worker_cap(trained, worker.experience_level, on, DEFAULTS).cases
            held = (
                Assignment.objects.filter(worker=worker, ends_on__isnull=True)
                .exclude(case__status="closed")
                .count()
            )
            assert cap is None or held <= cap

    def test_the_bench_intake_rows_run_without_queries_per_worker(self, state):
        """bench/intake.py's intake and assignment rows on the small seed: they run, a
        recommendation across the agency runs the queries of one in a unit, a proposal for
        the whole caseload those of one for five cases, and with room every case is placed."""
        import re

        rows, lines = bench_intake.time_intake(
            requests=2, warmup=1, heavy_requests=2, heavy_warmup=0
        )
        queries = {r["name"]: r["queries"] for r in rows}
        assert queries["recommendation, unit"] == queries["recommendation, agency"]
        assert "(they do not grow with the workers)" in "\n".join(lines)
        proposals = [line for line in lines if re.match(r"(reassignment )?proposal, ", line)]
        assert len(proposals) == 2
        for line in proposals:
            whole, five = re.search(r"(\d+) queries for \d+ cases, (\d+) for 5", line).groups()
            assert whole == five
        placed, of = re.search(r"places (\d+) of (\d+)", proposals[1]).groups()
        assert placed == of != "0"
        assert {"unit balance (supervisor)", "intake queue, first page"} <= set(queries)
