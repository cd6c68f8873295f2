"""Visitation plans made on the child's page, their signatures and PDF, placement
conferences and the caseload's visit adherence, through the Django test client against a
real database."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from hearth.core.models import AccessLog
from hearth.visitation import services
from hearth.visitation.documents import visitation_plan_html, visitation_plan_pdf
from hearth.visitation.models import VisitationPlan
from tests.placements.conftest import days_ago
from tests.placements.test_pages import child_url
from tests.visitation.test_services import plan_kwargs


def test_p6_plan_form_sign_and_pdf(client, worker, removed, family):
    client.force_login(worker.user)
    page = client.get(child_url(family) + "?action=plan").content.decode()
    assert "Participants, who each sign (P6)" in page
    form = {
        "made_at": "family_team_meeting",
        "made_on": days_ago(1).isoformat(),
        "arr-TOTAL_FORMS": "2",
        "arr-INITIAL_FORMS": "0",
        "arr-0-visitor": str(family["parent"].pk),
        "arr-0-visitor_role": "parent",
        "arr-0-frequency": "weekly",
        "arr-0-location": "Visit center",
        "arr-0-supervised": "on",
        "arr-0-transport": "arranged",
        "arr-1-visitor": str(family["sibling"].pk),
        "arr-1-visitor_role": "sibling",
        "arr-1-frequency": "weekly",
        "arr-1-location": "Resource home",
        "par-TOTAL_FORMS": "2",
        "par-INITIAL_FORMS": "0",
        "par-0-name": "Dana Brook",
        "par-0-role": "parent",
        "par-1-name": "Sam Foster",
        "par-1-role": "resource_parent",
    }
    r = client.post(child_url(family, "plan"), form)
    assert r.status_code == 302, r.content.decode()[:2000]
    plan = VisitationPlan.objects.get()
    for p in plan.participants.all():
        plan.refresh_from_db()  # each signature is a new version of the plan
        r = client.post(
            reverse("visit_plan_sign", args=[plan.pk]),
            {
                "participant": p.pk,
                "version": plan.version,
                "method": "electronic",
                "signed_as": p.name,
                "signed_on": days_ago(0).isoformat(),
                "copy_given": "on",
            },
        )
        assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "in_effect"
    r = client.get(reverse("visit_plan_pdf", args=[plan.pk, "es"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(path=reverse("visit_plan_pdf", args=[plan.pk, "es"])).exists()


def test_sign_with_a_wrong_name_is_refused(client, worker, removed, family):
    plan = services.visit_plan_create(actor=worker.user, **plan_kwargs(family))
    p = plan.participants.first()
    client.force_login(worker.user)
    r = client.post(
        reverse("visit_plan_sign", args=[plan.pk]),
        {
            "participant": p.pk,
            "version": plan.version,
            "method": "electronic",
            "signed_as": "Not Them",
            "signed_on": days_ago(0).isoformat(),
        },
    )
    assert r.status_code == 422 and "Type the participant" in r.content.decode()
    p.refresh_from_db()
    assert not p.signed


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) not installed")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_p6_plan_pdf_renders_in_english_and_spanish(tmp_path, worker, removed, family, lang):
    plan = services.visit_plan_create(actor=worker.user, **plan_kwargs(family))
    html = visitation_plan_html(plan, lang)
    assert ("Plan de visitas" in html) == (lang == "es")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(visitation_plan_pdf(plan, lang))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", pdf, tmp_path / "page"], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 2000  # a rendered page with text, not a blank one
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    assert "Dana Brook" in text.stdout


def test_p7_conference_page_reviews_each_child_in_care(client, worker, removed, family):
    client.force_login(worker.user)
    url = reverse("case_conference", args=[family["case"].pk])
    page = client.get(url).content.decode()
    assert f"Visitation schedule of {family['child'].full_name} (P7)" in page
    data = {"held_on": days_ago(0).isoformat(), "participants": "Worker", "decisions": "Stay."}
    assert client.post(url, data).status_code == 422
    data[f"decision_{family['child'].pk}"] = "continue"
    data[f"obstacles_{family['child'].pk}"] = "Bus fare"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("case_detail", args=[family["case"].pk])).content.decode()
    assert "Placement conference" in page and "obstacles: Bus fare" in page


def test_p5_caseload_shows_visit_adherence_per_child(
    client, worker, removed, family, django_assert_max_num_queries
):
    plan = services.visit_plan_create(
        actor=worker.user, **plan_kwargs(family, made_on=days_ago(20))
    )
    for p in plan.participants.all():
        services.visit_plan_sign(
            actor=worker.user, participant=p, method="paper", signed_on=days_ago(20)
        )
    for n in (18, 11):
        services.family_visit_record(
            actor=worker.user,
            case=family["case"],
            child=family["child"],
            visit_on=days_ago(n),
            status="held",
            visitors=[family["parent"]],
        )
    services.family_visit_record(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        visit_on=days_ago(4),
        status="missed",
        reason="Parent at work",
    )
    client.force_login(worker.user)
    client.get(reverse("home"))  # the session's clocks start (written once, not on each page)
    # 12 for the page, 5 for its access log entry (one insert for all the cases listed).
    with django_assert_max_num_queries(17):
        page = client.get(reverse("caseload")).content.decode()
    # 21 days in effect: 3 weekly visits expected, 2 held
    assert "2 (67% of planned)" in page
    child_page = client.get(child_url(family)).content.decode()
    assert "67%" in child_page
