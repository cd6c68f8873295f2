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
from django.db.models import F, Q
from django.utils import timezone

from bench import floors
from bench import intake as bench_intake
from hearth.cases.models import Assignment, Case, CaseMember
from hearth.cases.people_selectors import people_matches
from hearth.contacts.models import ContactNote
from hearth.core.services import now, today
from hearth.demo.state import OBLIGATION_COLUMNS, build_state
from hearth.obligations.engine import rebuild, recompute
from hearth.obligations.models import Obligation
from hearth.obligations.selectors import dashboard
from hearth.people import matching
from hearth.people.models import Person
from hearth.placements.models import RemovalEpisode
from hearth.reference.models import County
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
        written = sum(
            state[k] for k in ("obligations", "planning obligations", "oversight obligations")
        )
        assert written == sum(len(v) for v in seeded.values())
        rules = {row[1] for rows in seeded.values() for row in rows}
        assert {"V1", "V2", "V3", "V4", "V5", "V8"} <= rules
        assert any(row[11] for rows in seeded.values() for row in rows)  # met, with a date
        for case in Case.objects.select_related("agency"):
            recompute(case, now=today())
        assert _by_case(Obligation.objects.values_list(*FIELDS)) == seeded

    def test_planning_obligations_are_what_the_engine_rebuilds(self, state):
        """The planning rows (C1, C2 signatures, C3, C5, C7), made in memory from the pure
        rules, of every month: the engine's rebuild of the same cases makes the same
        (rolled back after)."""
        since = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
        cases = Case.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=since)
        ).select_related("agency")
        planning = Obligation.objects.filter(source="planning")
        seeded = _by_case(planning.values_list(*FIELDS))
        assert state["planning obligations"] == planning.count()
        rules = Counter(row[1] for rows in seeded.values() for row in rows)
        assert {"C1", "C2", "C3", "C5", "C7"} <= set(rules), rules
        assert planning.filter(met_on__isnull=False).exists()
        assert planning.filter(met_on__isnull=True, due_on__lt=today()).exists()
        with transaction.atomic():
            rebuild(cases.order_by("pk"))
            rebuilt = _by_case(planning.values_list(*FIELDS))
            transaction.set_rollback(True)
        assert rebuilt == seeded

    def test_oversight_regions_specialists_and_their_families(self, state):
        """Issue 13's oversight seed (O4): every county in a region; specialists with
        offices in every region; every open court-involved case (half the open cases)
        holds one current oversight grant, to a specialist of its county's region; the
        demo specialist carries a typical load."""
        from hearth.cases.models import CaseAccessGrant
        from hearth.staff.models import Role

        assert not County.objects.filter(region__isnull=True).exists()
        specialists = StaffMember.objects.filter(roles__role=Role.STATE_OVERSIGHT)
        regions = set(specialists.values_list("office_county__region", flat=True))
        assert regions == set(County.objects.values_list("region", flat=True))
        assert StaffMember.objects.filter(roles__role=Role.STATE_SUPERVISOR).exists()
        court = Case.objects.exclude(status="closed").filter(court_involved=True)
        opened = Case.objects.exclude(status="closed").count()
        assert 0.4 * opened < court.count() < 0.6 * opened
        grants = CaseAccessGrant.objects.filter(purpose="oversight", ends_on__isnull=True)
        per_case = Counter(grants.values_list("case_id", flat=True))
        assert all(per_case[pk] == 1 for pk in court.values_list("pk", flat=True))
        assert not grants.exclude(staff__office_county__region=F("case__county__region")).exists()
        assert not grants.exclude(staff__roles__role=Role.STATE_OVERSIGHT).exists()
        loads = Counter(grants.values_list("staff_id", flat=True))
        demo = StaffMember.objects.get(user__username="oversight")
        assert abs(loads[demo.pk] - sum(loads.values()) / len(loads)) <= 0.5 * max(loads.values())
        assert state["oversight grants (O4)"] == grants.count()

    def test_oversight_recommendations_hearings_and_a_year_of_qa(self, state):
        """O1: closure recommendations awaiting review, the reviewer the case's oversight
        specialist, some overdue; O2: hearings held and scheduled; O3, C8: a sample a month
        for a year, each review finalized with one answer for every item of the fidelity
        instrument."""
        from hearth.cases.models import CaseAccessGrant
        from hearth.oversight.models import (
            Hearing,
            QaAnswer,
            QaReview,
            QaSample,
            Recommendation,
            RecommendationRound,
        )
        from hearth.planning.models import InstrumentItem

        recs = Recommendation.objects.all()
        assert state["recommendations"] == recs.count() > 0
        assert not recs.exclude(status="submitted").exists()
        assert recs.filter(due_on__lt=today()).exists()
        assert recs.filter(due_on__gte=today()).exists()
        for rec in recs.select_related("case"):
            assert rec.case.status == "closure_recommended"
            assert rec.case.closure_recommended_on is not None
            grant = CaseAccessGrant.objects.get(
                case=rec.case, purpose="oversight", ends_on__isnull=True
            )
            assert rec.reviewer_id == grant.staff_id
        assert RecommendationRound.objects.filter(number=1).count() == recs.count()
        assert not Case.objects.filter(
            status="closure_recommended", recommendations__isnull=True
        ).exists()
        hearings = Hearing.objects.all()
        assert state["hearings"] == hearings.count()
        assert hearings.filter(status="held", scheduled_at__lt=now()).exists()
        ahead = hearings.filter(status="scheduled")
        assert not ahead.filter(scheduled_at__date__lt=today()).exists()
        court = Case.objects.exclude(status="closed").filter(court_involved=True)
        assert ahead.values("case").distinct().count() > 0.7 * court.count()
        assert not hearings.filter(case__court_involved=False).exists()
        samples = QaSample.objects.order_by("period_start")
        assert samples.count() == 12
        assert samples.last().period_end < today().replace(day=1)
        items = set(
            InstrumentItem.objects.filter(
                domain__instrument__code="case-planning-fidelity"
            ).values_list("pk", flat=True)
        )
        assert len(items) == 46
        reviews = QaReview.objects.all()
        assert not reviews.exclude(status="finalized").exists()
        assert state["QA reviews"] == reviews.count() >= 12
        per_review = Counter(QaAnswer.objects.values_list("review_id", flat=True))
        assert set(per_review.values()) == {len(items)}
        assert len(per_review) == reviews.count()
        answers = Counter(QaAnswer.objects.values_list("answer", flat=True))
        assert answers["yes"] > answers["no"] > 0 and answers["na"] > 0

    def test_the_qa_floor_counts_the_years_answers(self, state):
        """bench/floors.py QA_COMPLIANCE_SQL: yes, and yes or no, per contractor and item
        of the reviews finalized in the year, as counted from the rows."""
        from hearth.oversight.models import QaAnswer

        params = floors.qa_year_params()
        want = Counter()
        for agency, item, answer in QaAnswer.objects.filter(
            review__status="finalized",
            review__finalized_on__range=(params["start"], params["end"]),
        ).values_list("review__sample_case__agency_id", "item_id", "answer"):
            want[(agency, item, "yes")] += answer == "yes"
            want[(agency, item, "answered")] += answer in ("yes", "no")
        rows = floors.run_sql(floors.QA_COMPLIANCE_SQL, params)
        assert len(rows) == len(want) // 2 >= 4 * 46  # every contractor
        for agency, item, yes, answered in rows:
            assert (yes, answered) == (
                want[(agency, item, "yes")],
                want[(agency, item, "answered")],
            )

    def test_the_oversight_bench_rows_run_or_skip_loudly(self, state, capsys, monkeypatch):
        """bench/oversight.py: the home page and API, the QA sample and the compliance are
        timed where they exist and skipped with a loud message where not (other branches
        write them); where compliance exists it returns the floor's rows."""
        from django.test import Client

        from bench import oversight as bench_oversight
        from bench import planning as bench_planning
        from hearth.api.models import ApiToken

        for name in ("REQUESTS", "WARMUP", "HEAVY_REQUESTS", "HEAVY_WARMUP"):
            monkeypatch.setattr(bench_oversight, name, 1)
        specialist = StaffMember.objects.select_related("user").get(user__username="oversight")
        client = Client()
        client.force_login(specialist.user)
        _, token = ApiToken.issue(specialist.user, label="bench test")
        skipped = []
        rows = bench_oversight.home_scenarios(
            client, {}, {"Authorization": f"Bearer {token}"}, skipped
        )
        rows_, lines = bench_oversight.time_oversight(skipped)
        names = [r[0] for r in rows] + [r["name"] for r in rows_]
        err = capsys.readouterr().err
        assert len(names) + len(skipped) == 4
        for what in skipped:
            assert "not available" in what and what in err
        if bench_planning.page("oversight_home") is None:
            assert any("oversight_home" in s for s in skipped)
        assert "families" in bench_oversight.home_line(specialist)
        for row in rows_:
            assert row["queries"] > 0
        if any(n.startswith("QA compliance") for n in names):
            assert any("the SQL floor returns the selector's rows" in line for line in lines)

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


@pytest.mark.django_db
def test_f5_the_seeded_states_extract_validates_against_its_schema(state):
    """F5: the seed's date entered care is the removal day (its first placement's), about
    one episode in a hundred unrecorded; the extract of the last period validates against
    the schema, in batches, and every data-quality check runs on PostgreSQL."""
    import jsonschema

    from hearth.reports import afcars, quality

    episodes = RemovalEpisode.objects.all()
    recorded = episodes.filter(entered_care_on__isnull=False)
    assert not recorded.exclude(entered_care_on=F("removed_on")).exists()
    assert 0 < episodes.filter(entered_care_on__isnull=True).count() < 0.05 * episodes.count()
    period = afcars.last_period(today())
    records = list(afcars.records(episodes, period, batch=100))
    assert len(records) > 100
    jsonschema.validate(records, afcars.schema(), format_checker=jsonschema.FormatChecker())
    assert all(len(afcars.csv_row(r)) == len(afcars.CSV_COLUMNS) for r in records)
    counts = {c.check.code: c.count for c in quality.counts(episodes, period)}
    assert counts["no_entry_date"] > 0 and set(counts) == set(quality.BY_CODE)
