"""Issue 12's walk through case planning in a real Chromium: a case manager assesses a
child, writes the plan that answers the needs, refers a service, holds the family team
meeting and adopts the plan at it, and the due list follows. axe finds no violations
and the Content-Security-Policy blocks nothing on the way."""

import importlib
from datetime import timedelta

import pytest

from hearth.cases import services as case_services
from hearth.core.services import today
from hearth.placements import services as placement_services
from hearth.planning.models import Provider, ServiceType
from tests.browser import test_csp
from tests.browser.test_pages import _violations
from tests.factories import PersonFactory
from tests.placements.conftest import days_ago, make_home
from tests.planning.assessments.conftest import load_defaults

pytestmark = pytest.mark.django_db(transaction=True)

watched = test_csp.watched  # the page, with every CSP violation kept

TRAUMA_NEED = "Was hit, hurt, sexually harmed or badly neglected"
SCHOOL_NEED = "Misses school or is often late"
FIRST_PLAN = "The first case plan, made at a family team meeting (C1)"
STEP = "#f-goals-0-objectives-0-steps-0-"


def _reference_data():
    """The instruments and service types are data migrations, which transactional tests
    flush: loaded again (idempotently) as the planning tests do."""
    load_defaults()
    types = importlib.import_module("hearth.planning.migrations.0002_services_service_types")
    for code, name in types.SERVICE_TYPES:
        ServiceType.objects.get_or_create(code=code, defaults={"name": name})


@pytest.fixture
def placed(family, removed, worker):
    """Noah, removed 60 days ago and placed the same day: his first plan (C1) fell due
    30 days ago; the case's first family team meeting (C5) is overdue too. A second
    parent, not in the home; a trauma therapist in the directory."""
    _reference_data()
    home = make_home("Maple resource home", km_north=4)
    placement_services.child_place(
        actor=worker.user,
        episode=removed,
        starts_on=days_ago(60),
        choice=f"home:{home.pk}",
        departure_reason="The relatives cannot take the child yet.",
    )
    father = PersonFactory(first_name="Jordan", last_name="Brook")
    case_services.case_member_add(
        actor=worker.user,
        case=family["case"],
        person=father,
        role="parent",
        in_household=False,
        starts_on=family["case"].opened_on,
    )
    provider = Provider.objects.create(name="Cedar Counselling Center")
    provider.services.set(ServiceType.objects.filter(code="trauma-therapy"))
    return {**family, "father": father, "provider": provider}


def _submit(page, selector):
    """Click a submit button; the status of the page it posts to."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click(selector)
    page.wait_for_load_state()
    return posted.value.status


def _check(page, name):
    """Axe on the page, and no CSP violation so far."""
    assert _violations(page) == [], name
    assert page.violations() == [], name


def _due(page) -> list[tuple[str, str]]:
    """The open items of the due list: (rule, what is needed)."""
    page.goto("/due/")
    page.wait_for_load_state()
    rows = page.locator("main table tbody tr", has=page.locator("td[data-label=Rule]"))
    return [
        (
            r.locator("td[data-label=Rule]").inner_text(),
            r.locator("td[data-label='What is needed']").inner_text(),
        )
        for r in rows.all()
    ]


def test_c1_c3_c5_c9_p9_assess_plan_refer_meet_and_adopt(watched, sign_in, placed, worker):
    """C3: the child is assessed with the child strengths and needs instrument. C9: the
    actionable needs (the trauma need named as such) are answered by the plan, and a
    service is referred for one. C2: a step without "who" or a date is refused naming
    them (422). P9: the due list shows the first plan (C1) and the family team meeting
    (C5) owed; after the meeting (its P7 visitation review included) and the plan's
    adoption at it (C5) they leave it, and the plan awaits its signatures."""
    page = watched
    case, child, parent, father = (placed[k] for k in ("case", "child", "parent", "father"))
    sign_in("cm")

    # P9: the due list before: the first plan and the meeting are owed (overdue).
    due = _due(page)
    assert ("C1", FIRST_PLAN) in due
    assert [what for rule, what in due if rule == "C5"] == ["First family team meeting (C5)"]
    _check(page, "due list")

    # C3: assess the child through the pages.
    page.goto(f"/cases/{case.pk}/assessments/")
    assert page.locator("h1").inner_text() == "Assessments"
    _check(page, "assessments")
    page.click("text=Record an assessment")
    page.wait_for_load_state()
    page.select_option("#id_instrument", label="Child strengths and needs (a child)")
    page.select_option("#id_subject", str(child.pk))
    _check(page, "choose an instrument")
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Child strengths and needs: {child.full_name}"
    scores = {"harmed": 3, "attendance": 2, "sleep": 1}
    items = page.locator("fieldset[id^=item-]")
    assert items.count() > 20
    for code in [i.removeprefix("item-") for i in items.evaluate_all("l => l.map(e => e.id)")]:
        page.click(f"label[for='id_score_{code}_{scores.get(code, 0)}']")
    page.fill("#id_note_harmed", "Bruises seen at the removal; he startles at loud voices.")
    _check(page, "rate the items")
    assert _submit(page, "button:has-text('Record the assessment')") == 302
    assert "Child strengths and needs recorded." in page.content()
    needs = page.locator("#needs + ul").inner_text()
    assert TRAUMA_NEED in needs and SCHOOL_NEED in needs
    _check(page, "assessment")
    page.goto(f"/cases/{case.pk}/assessments/")
    table = page.locator("#needs + p + table")
    trauma_row = table.locator("tr", has_text=TRAUMA_NEED)
    assert trauma_row.locator("th .usa-tag").text_content() == "Trauma"
    assert "3 ·" in trauma_row.inner_text()
    assert table.locator("tr", has_text=SCHOOL_NEED).locator(".usa-tag").count() == 0
    assert "Sleep" not in table.inner_text()  # rated 1: watched, not actionable

    # C2, C9: a draft plan that answers the needs.
    page.goto(f"/cases/{case.pk}/plans/")
    _check(page, "case plans")
    page.click("button:has-text('Begin a new draft version')")
    page.wait_for_load_state()
    assert "Draft version 1 begun." in page.content()
    assert page.locator("h1").inner_text() == "Draft case plan, version 1"
    due_on = (today() + timedelta(days=21)).isoformat()
    page.fill("#f-permanency_goal", "Reunification with his mother")
    page.fill("#f-summary", "Noah goes to school every day and sleeps safely at home.")
    page.fill("#f-trauma_approach", "Weekly trauma-focused therapy for Noah.")
    page.select_option("#f-goals-0-area", "well_being")
    page.fill("#f-goals-0-statement", "Noah attends school every day and talks about his fears.")
    page.fill("#f-goals-0-objectives-0-statement", "Noah meets a trauma therapist weekly.")
    page.fill("#f-goals-0-objectives-0-target_on", (today() + timedelta(days=60)).isoformat())
    page.fill("#f-goals-0-objectives-0-measure", "Sessions attended each month")
    page.fill(STEP + "who_name", "Dana Brook")  # no "who" nor date yet
    page.fill(STEP + "what", "Takes Noah to the therapist every Tuesday at 16:00.")
    page.fill(STEP + "outcome", "Noah attends four sessions a month.")
    trauma = page.locator("#plan-editor div", has_text=TRAUMA_NEED).locator("select")
    trauma.select_option("o:0.0")
    school = page.locator("#plan-editor div", has_text=SCHOOL_NEED).locator("select")
    school.select_option("g:0")
    for p in (parent, father):
        page.fill(f"#f-parent-{p.pk}-arrangements", "Saturdays 10:00-12:00 at the visit center")
        page.fill(f"#f-parent-{p.pk}-behaviours_assessed", "Plays calmly and sets limits")
    _check(page, "edit the draft")
    assert _submit(page, "button:has-text('Save the draft')") == 422
    assert "Nothing was saved" in page.locator("[role=alert]").inner_text()
    assert page.locator(STEP + "who_error").inner_text() == (
        "C2: say who does it (parent, provider, caseworker, ...)."
    )
    assert page.locator(STEP + "due_on_error").inner_text() == "C2: say by when."
    assert page.locator(STEP + "what").input_value().startswith("Takes Noah")  # input kept
    _check(page, "the refused draft")
    page.select_option(STEP + "who", "parent")
    page.fill(STEP + "due_on", due_on)
    assert _submit(page, "button:has-text('Save the draft')") == 302
    assert "Draft version 1 saved." in page.content()
    assert page.locator("#plan-status").inner_text() == "Draft"
    assert page.locator("#needs-unanswered").count() == 0
    plan_url = page.url
    _check(page, "the draft")

    # C9: a service for the trauma need.
    page.goto(f"/cases/{case.pk}/services/")
    assert TRAUMA_NEED in page.locator("#needs-unmet").inner_text()
    _check(page, "services")
    page.select_option("#pick-service", label="Trauma-focused therapy")
    page.click("button:has-text('Show its providers')")
    page.wait_for_load_state()
    page.select_option("#id_person", label=child.full_name)
    page.select_option("#id_service", label="Trauma-focused therapy")
    page.select_option("#id_provider", label="Cedar Counselling Center")
    page.locator("form[aria-label='Refer a service'] label", has_text=TRAUMA_NEED).click()
    page.fill("#id_specific_needs", "Noah sleeps through the night and names his fears.")
    page.select_option("#id_plan", index=1)
    assert _submit(page, "button:has-text('Send the referral')") == 302
    assert "The referral was sent to the provider." in page.content()
    assert TRAUMA_NEED in page.locator("#needs-met").inner_text()
    assert TRAUMA_NEED not in page.locator("#needs-unmet").inner_text()
    _check(page, "services after the referral")

    # C5, P7: the family team meeting, the mother there and heard in her words.
    page.goto(f"/cases/{case.pk}/teaming/")
    _check(page, "teaming")
    page.select_option("#id_type", "initial")
    page.fill("#id_location", "Family visit center")
    page.select_option("#id_p0_person", label=parent.full_name)
    page.select_option("#id_p0_role", "parent")
    page.fill("#id_p0_input", "I want Noah home by summer and I will take him to therapy.")
    page.fill("#id_p1_name", worker.full_name)
    page.select_option("#id_p1_role", "caseworker")
    page.select_option(f"#id_decision_{child.pk}", "continue")
    page.fill(f"#id_obstacles_{child.pk}", "The bus ride is long on Saturdays.")
    page.fill("#id_decisions", "The plan of version 1 is agreed; visits stay on Saturdays.")
    assert _submit(page, "button:has-text('Record the meeting')") == 302
    assert "Family team meeting recorded." in page.content()
    assert f"{parent.full_name} (Parent)" in page.locator("#meeting table").inner_text()
    _check(page, "teaming after the meeting")
    page.locator("#meeting table tbody a").first.click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "I want Noah home by summer and I will take him to therapy." in main
    assert f"{child.full_name}: Continue the schedule; obstacles: The bus ride" in main
    _check(page, "the meeting")

    # C5: the draft adopted at that meeting.
    page.goto(plan_url)
    page.select_option("#id_meeting", index=1)
    assert _submit(page, "button:has-text('Adopt version 1')") == 302
    assert "Version 1 adopted at the meeting." in page.content()
    assert page.locator("#plan-status").inner_text() == "Adopted, awaiting approval"
    signatures = page.locator("#signatures + ul").inner_text()
    for name in (parent.full_name, father.full_name, worker.full_name):
        assert f"{name} (" in signatures
    assert signatures.count("not signed yet") == 3
    _check(page, "the adopted plan")

    # P9: the due list moved: the first plan and the meeting are met; signatures awaited.
    due = _due(page)
    assert ("C1", FIRST_PLAN) not in due
    assert [what for rule, what in due if rule == "C5"] == []
    # Three signatures awaited; the due list (and so the digest and the feed) names no one.
    assert due.count(("C2", "Signature on case plan 1: parent")) == 2
    assert ("C2", "Signature on case plan 1: case manager") in due
    assert not any(parent.last_name in what for _, what in due)
    _check(page, "due list after")
