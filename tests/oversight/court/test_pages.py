"""O2: the court pages: the case's hearings and reports, a hearing's forms, the report's
draft editor and its PDF; refusals answer 422 with nothing stored; access."""

from django.urls import reverse

from hearth.core.models import AccessLog
from hearth.oversight.models import CourtReport, Hearing
from hearth.oversight.services import court as services
from hearth.staff.models import Role
from tests.factories import StaffFactory
from tests.oversight.court.conftest import at
from tests.placements.conftest import days_ago

FMT = "%Y-%m-%dT%H:%M"


def test_o2_case_page_links_to_court_and_schedules(as_user, family, worker, specialist):
    client = as_user(worker)
    case = family["case"]
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("case_court", args=[case.pk]) in page
    url = reverse("case_court", args=[case.pk])
    r = client.post(url, {"action": "hearing", "type": "review", "court": "", "scheduled_at": ""})
    assert r.status_code == 422 and not Hearing.objects.exists()
    r = client.post(
        url,
        {
            "action": "hearing",
            "type": "review",
            "court": "Juvenile Court",
            "scheduled_at": at(10).strftime(FMT),
            "child": family["child"].pk,
            "state_attendee": specialist.pk,
        },
    )
    hearing = Hearing.objects.get()
    assert r.status_code == 302 and hearing.state_attendee == specialist
    page = client.get(url).content.decode()
    assert "Juvenile Court" in page and "Schedule a hearing" in page


def test_o2_hearing_outcome_form_refused_before_the_hearing(as_user, hearing, worker):
    client = as_user(worker)
    url = reverse("hearing_detail", args=[hearing.pk])
    r = client.post(url, {"action": "outcome", "version": hearing.version, "outcome": "x"})
    assert r.status_code == 422 and "O2: the outcome is recorded once" in r.content.decode()
    hearing.refresh_from_db()
    assert hearing.status == "scheduled"


def test_o2_hearing_outcome_recorded_and_next_scheduled(as_user, past_hearing, worker):
    client = as_user(worker)
    url = reverse("hearing_detail", args=[past_hearing.pk])
    r = client.post(
        url,
        {
            "action": "outcome",
            "version": past_hearing.version,
            "outcome": "Care continues.",
            "reasonable_efforts_finding": "not_made",
            "best_interest_finding": "made",
            "next_hearing_at": at(80).strftime(FMT),
        },
    )
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "The court did not find reasonable efforts." in page
    assert Hearing.objects.filter(status="scheduled", type="review").exists()


def test_o2_hearing_continue_and_cancel(as_user, hearing, worker):
    client = as_user(worker)
    url = reverse("hearing_detail", args=[hearing.pk])
    r = client.post(url, {"action": "continue", "version": hearing.version, "scheduled_at": ""})
    assert r.status_code == 422
    r = client.post(
        url,
        {"action": "continue", "version": hearing.version, "scheduled_at": at(30).strftime(FMT)},
    )
    assert r.status_code == 302
    new = Hearing.objects.get(status="scheduled")
    r = client.post(
        reverse("hearing_detail", args=[new.pk]), {"action": "cancel", "version": new.version}
    )
    assert r.status_code == 302
    new.refresh_from_db()
    assert new.status == "cancelled"


def test_o2_report_draft_editor_and_pdf(as_user, family, worker):
    client = as_user(worker)
    url = reverse("case_court", args=[family["case"].pk])
    r = client.post(
        url,
        {"action": "report", "period_start": days_ago(30), "period_end": days_ago(-3)},
    )
    assert r.status_code == 422 and not CourtReport.objects.exists()
    r = client.post(
        url, {"action": "report", "period_start": days_ago(30), "period_end": days_ago(0)}
    )
    report = CourtReport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "court_report_detail", args=[report.pk]
    )
    page = client.get(r["Location"]).content.decode()
    assert 'name="recommendation"' in page and "Write the sections again" in page
    data = {"version": report.version, **report.sections, "recommendation": "Return home."}
    r = client.post(r["Location"], {**data, "action": "save"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.sections["recommendation"] == "Return home."
    pdf = reverse("court_report_pdf", args=[report.pk])
    assert client.get(pdf).status_code == 409
    # submitted for review: the editor is gone and a save is refused
    CourtReport.objects.filter(pk=report.pk).update(status="submitted")
    page = client.get(reverse("court_report_detail", args=[report.pk])).content.decode()
    assert 'name="recommendation"' not in page
    data["version"] = report.version
    r = client.post(reverse("court_report_detail", args=[report.pk]), {**data, "action": "save"})
    assert r.status_code == 422 and "only a draft is edited" in r.content.decode()
    CourtReport.objects.filter(pk=report.pk).update(status="approved", approved_on=days_ago(0))
    r = client.get(pdf)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(path=pdf).exists()


def test_o2_pages_refuse_another_unit_and_a_specialist_without_grant(
    as_user, hearing, family, other_unit, idle_specialist
):
    far = StaffFactory(unit=other_unit, roles=[Role.CASE_MANAGER])
    report = services.court_report_generate(
        actor=hearing.recorded_by.user,
        case=family["case"],
        period_start=days_ago(30),
        period_end=days_ago(0),
    )
    for staff in (far, idle_specialist):
        client = as_user(staff)
        for url in (
            reverse("case_court", args=[family["case"].pk]),
            reverse("hearing_detail", args=[hearing.pk]),
            reverse("court_report_detail", args=[report.pk]),
            reverse("court_report_pdf", args=[report.pk]),
        ):
            assert client.get(url).status_code == 404, (staff, url)


def test_o2_case_court_page_queries_do_not_grow(
    as_user, family, worker, specialist, django_assert_max_num_queries
):
    client = as_user(worker)
    url = reverse("case_court", args=[family["case"].pk])
    for days in range(5, 30, 5):
        services.hearing_schedule(
            actor=worker.user, case=family["case"], type="review", scheduled_at=at(days), court="C"
        )
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured)
    for days in range(31, 60, 5):
        services.hearing_schedule(
            actor=worker.user, case=family["case"], type="review", scheduled_at=at(days), court="C"
        )
    with django_assert_max_num_queries(few):
        client.get(url)
