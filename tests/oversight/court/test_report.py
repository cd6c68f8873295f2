"""O2: a court report generated from the record of its period, and its PDF."""

import shutil
import subprocess

import pytest

from hearth.contacts import services as contact_services
from hearth.oversight.documents import court_report_pdf
from hearth.oversight.models import CourtReport
from hearth.oversight.selectors import court as selectors
from hearth.oversight.services import court as services
from hearth.placements import services as placement_services
from hearth.planning.services import services as planning_services
from hearth.visitation import services as visitation_services
from tests.oversight.court.conftest import at
from tests.placements.conftest import days_ago, make_home
from tests.planning.services.conftest import actionable_need, make_provider


@pytest.fixture
def record(family, removed, worker):
    """Two placements (a move 20 days ago), contacts inside and outside the period, a
    family visit, a service referral with a progress report, an assessment."""
    child, parent = family["child"], family["parent"]
    first = make_home("Oak family home")
    second = make_home("Birch family home")
    placement_services.child_place(
        actor=worker.user,
        episode=removed,
        starts_on=days_ago(60),
        choice=f"home:{first.pk}",
        departure_reason="Closest home with room.",
    )
    placement_services.child_place(
        actor=worker.user,
        episode=removed,
        starts_on=days_ago(20),
        choice=f"home:{second.pk}",
        move_reason="The first home closed.",
        departure_reason="Closest home with room.",
    )
    for days, method, people in (
        (5, "in_person", [child]),
        (12, "phone", [parent]),
        (15, "in_person", [child, parent]),
        (100, "in_person", [child]),  # before the period
    ):
        contact_services.contact_note_create(
            actor=worker.user,
            author=worker,
            case=family["case"],
            occurred_at=at(-days, 14),
            method=method,
            contact_with=people,
            narrative="Visit.",
            finalize=True,
        )
    visitation_services.family_visit_record(
        actor=worker.user,
        case=family["case"],
        child=child,
        visit_on=days_ago(7),
        status="held",
        visitors=[parent],
    )
    need = actionable_need(family["case"], child, worker)
    provider = make_provider("Bright Path Counselling")
    referral = planning_services.service_referral_create(
        actor=worker.user,
        case=family["case"],
        person=child,
        provider=provider,
        service=provider.services.get(),
        needs=[need.pk],
        specific_needs="Weekly sessions on the child's sleep and school worries.",
        referred_on=days_ago(30),
    )
    planning_services.service_referral_status(
        actor=worker.user, referral=referral, status="accepted", on=days_ago(25)
    )
    planning_services.progress_report_record(
        actor=worker.user,
        referral=referral,
        reported_on=days_ago(3),
        reporter="The counsellor",
        progress="improving",
        narrative="Attends every week.",
    )
    return family


def test_o2_report_generated_from_the_record_of_the_period(record, worker):
    report = services.court_report_generate(
        actor=worker.user, case=record["case"], period_start=days_ago(30), period_end=days_ago(0)
    )
    s = report.sections
    assert report.status == "draft"
    assert set(s) == {
        "family",
        "placements",
        "contacts",
        "visitation",
        "plan_progress",
        "services",
        "assessments",
        "recommendation",
    }
    assert "Noah Brook, child in the case" in s["family"]
    assert "Dana Brook, parent" in s["family"]
    # the placements in the period, the move and its reason
    assert "Oak family home" in s["placements"] and "Birch family home" in s["placements"]
    assert "1 move" in s["placements"] and "The first home closed." in s["placements"]
    # three contacts in the period (the one 100 days ago is not), counted by person and kind
    assert "3 contacts" in s["contacts"]
    assert "Noah Brook: in person: 2" in s["contacts"]
    assert "Dana Brook: in person: 1" in s["contacts"] and "phone call: 1" in s["contacts"]
    assert days_ago(100).isoformat() not in s["contacts"]
    assert "1 family visit held" in s["visitation"]
    assert "Bright Path Counselling" in s["services"]
    assert "improving" in s["services"]
    assert "Noah Brook" in s["assessments"] and "Needs to act on" in s["assessments"]
    assert "[Write the agency's recommendation" in s["recommendation"]


def test_o2_report_facts_are_set_based(record, worker, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        selectors.report_facts(record["case"], days_ago(90), days_ago(0), today=days_ago(0))


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) not installed")
def test_o2_approved_report_pdf_renders_with_its_sections(tmp_path, record, worker):
    report = services.court_report_generate(
        actor=worker.user, case=record["case"], period_start=days_ago(30), period_end=days_ago(0)
    )
    CourtReport.objects.filter(pk=report.pk).update(status="approved", approved_on=days_ago(0))
    report.refresh_from_db()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(court_report_pdf(report))
    subprocess.run(["pdftoppm", "-png", "-r", "40", pdf, tmp_path / "page"], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 2000  # a rendered page with text
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    for title in (
        "Report to the court",
        "The family",
        "Placements and moves",
        "Contacts in the period",
        "Family visits",
        "Case plan progress",
        "Services",
        "Assessment results",
        "Recommendation",
    ):
        assert title in text.stdout, title
    assert record["case"].case_number in text.stdout
    assert "Birch family home" in text.stdout
