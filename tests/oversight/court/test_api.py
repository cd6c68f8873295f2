"""O2: the court endpoints: hearings and court reports, 4xx naming the field with nothing
stored, version checks, access (an unseen case answers 404) and the access log."""

from hearth.core.models import AccessLog
from hearth.oversight.models import CourtReport, Hearing
from hearth.staff.models import Role
from tests.factories import StaffFactory
from tests.oversight.court.conftest import at
from tests.placements.conftest import days_ago

API = "/api/v1"


def test_o2_schedule_read_and_list_hearings(api_as, family, worker, specialist):
    api = api_as(worker.user)
    case = family["case"]
    r = api.post(
        f"{API}/cases/{case.pk}/hearings",
        {
            "type": "review",
            "scheduled_at": at(10).isoformat(),
            "court": "Juvenile Court",
            "child": family["child"].pk,
            "state_attendee": specialist.pk,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "scheduled" and body["child"]["id"] == family["child"].pk
    assert body["state_attendee"]["id"] == specialist.pk
    r = api.get(f"{API}/hearings/{body['id']}")
    assert r.status_code == 200 and r["ETag"] == '"1"'
    r = api.get(f"{API}/cases/{case.pk}/hearings")
    assert [h["id"] for h in r.json()] == [body["id"]]
    assert AccessLog.objects.filter(object_type__icontains="hearing").exists()


def test_o2_bad_input_names_the_field_and_stores_nothing(api_as, family, worker):
    api = api_as(worker.user)
    url = f"{API}/cases/{family['case'].pk}/hearings"
    r = api.post(url, {"type": "review", "scheduled_at": at(5).isoformat(), "court": ""})
    assert r.status_code == 422 and "court" in str(r.json())
    r = api.post(
        url,
        {
            "type": "review",
            "scheduled_at": at(5).isoformat(),
            "court": "C",
            "child": family["parent"].pk,
        },
    )
    assert r.status_code == 422 and "child" in r.json()["errors"]
    assert not Hearing.objects.exists()


def test_o2_outcome_after_the_hearing_and_version_checked(api_as, past_hearing, hearing, worker):
    api = api_as(worker.user)
    r = api.post(f"{API}/hearings/{hearing.pk}/outcome", {"version": 1, "outcome": "x"})
    assert r.status_code == 422 and "scheduled_at" in r.json()["errors"]
    r = api.post(f"{API}/hearings/{past_hearing.pk}/outcome", {"version": 7, "outcome": "x"})
    assert r.status_code == 409
    r = api.post(f"{API}/hearings/{past_hearing.pk}/outcome", {"outcome": "x"})
    assert r.status_code == 428
    r = api.post(
        f"{API}/hearings/{past_hearing.pk}/outcome",
        {
            "version": past_hearing.version,
            "outcome": "Care continues.",
            "reasonable_efforts_finding": "made",
            "best_interest_finding": "",
            "next_hearing_at": at(60).isoformat(),
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "held"
    assert body["findings_gaps"] == ["The court did not address best interest."]
    assert Hearing.objects.filter(type="review", status="scheduled").count() == 2


def test_o2_patch_moves_continues_cancels(api_as, hearing, worker):
    api = api_as(worker.user)
    url = f"{API}/hearings/{hearing.pk}"
    r = api.patch(url, {"version": 1, "judge": "Judge Park"})
    assert r.status_code == 200 and r.json()["judge"] == "Judge Park" and r["ETag"] == '"2"'
    r = api.patch(url, {"version": 1, "judge": "Other"})
    assert r.status_code == 409
    r = api.patch(url, {"version": 2, "court": None})
    assert r.status_code == 422 and "court" in r.json()["errors"]
    r = api.patch(url, {"version": 2, "change": "continue", "scheduled_at": at(40).isoformat()})
    assert r.status_code == 200 and r.json()["status"] == "continued"
    r = api.patch(url, {"version": 3, "change": "cancel"})
    assert r.status_code == 422 and "status" in r.json()["errors"]


def test_o2_state_staff_overseeing_record_hearings(api_as, past_hearing, specialist):
    r = api_as(specialist.user).post(
        f"{API}/hearings/{past_hearing.pk}/outcome",
        {
            "version": 1,
            "outcome": "Held.",
            "state_attendee": specialist.pk,
            "state_testifies": True,
        },
    )
    assert r.status_code == 200 and r.json()["state_testifies"] is True


def test_o2_access_another_unit_and_a_specialist_without_grant_get_404(
    api_as, hearing, family, other_unit, idle_specialist
):
    far = StaffFactory(unit=other_unit, roles=[Role.CASE_MANAGER])
    report = CourtReport.objects.create(
        case=family["case"],
        period_start=days_ago(30),
        period_end=days_ago(0),
        prepared_by=hearing.recorded_by,
    )
    for staff in (far, idle_specialist):
        api = api_as(staff.user)
        for url in (
            f"{API}/cases/{family['case'].pk}/hearings",
            f"{API}/hearings/{hearing.pk}",
            f"{API}/cases/{family['case'].pk}/court-reports",
            f"{API}/court-reports/{report.pk}",
            f"{API}/court-reports/{report.pk}/pdf",
        ):
            assert api.get(url).status_code == 404, (staff, url)
        r = api.patch(f"{API}/hearings/{hearing.pk}", {"version": 1, "judge": "x"})
        assert r.status_code == 404
    hearing.refresh_from_db()
    assert hearing.judge == "Judge Lane"


def test_o2_specialist_reads_but_does_not_write_reports(api_as, family, specialist, worker):
    r = api_as(specialist.user).post(
        f"{API}/cases/{family['case'].pk}/court-reports",
        {"period_start": days_ago(30).isoformat(), "period_end": days_ago(0).isoformat()},
    )
    assert r.status_code == 403
    assert not CourtReport.objects.exists()


def test_o2_court_report_generate_edit_and_pdf(api_as, family, worker, specialist):
    api = api_as(worker.user)
    case = family["case"]
    r = api.post(
        f"{API}/cases/{case.pk}/court-reports",
        {"period_start": days_ago(30).isoformat(), "period_end": days_ago(-1).isoformat()},
    )
    assert r.status_code == 422 and "period_end" in r.json()["errors"]
    r = api.post(
        f"{API}/cases/{case.pk}/court-reports",
        {"period_start": days_ago(30).isoformat(), "period_end": days_ago(0).isoformat()},
    )
    assert r.status_code == 201, r.content
    report = r.json()
    assert report["status"] == "draft" and "recommendation" in report["sections"]
    url = f"{API}/court-reports/{report['id']}"
    r = api.patch(url, {"version": 1, "sections": {"nonsense": "x"}})
    assert r.status_code == 422 and "nonsense" in str(r.json()["errors"])
    r = api.patch(url, {"version": 1, "sections": {"recommendation": "Return home in May."}})
    assert r.status_code == 200 and r.json()["sections"]["recommendation"] == "Return home in May."
    r = api.patch(url, {"version": 2, "regenerate": True})
    assert r.status_code == 200 and r.json()["version"] == 3
    assert r.json()["sections"]["recommendation"] == "Return home in May."
    r = api.get(f"{url}/pdf")
    assert r.status_code == 409 and "approved" in r.json()["errors"]["status"]
    # submitted for review (the recommendations area): no more edits
    CourtReport.objects.filter(pk=report["id"]).update(status="submitted")
    r = api.patch(url, {"version": 3, "sections": {"family": "x"}})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    CourtReport.objects.filter(pk=report["id"]).update(status="approved", approved_on=days_ago(0))
    r = api_as(specialist.user).get(f"{url}/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = api.get(f"{API}/cases/{case.pk}/court-reports")
    assert [x["status"] for x in r.json()] == ["approved"]
