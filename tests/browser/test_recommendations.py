"""Issue 13's walk through a closure recommendation in a real Chromium (O1, P1): the case
manager recommends the closure from the case page, the state's specialist returns it with
reasons, the case manager revises and resubmits it, the specialist approves it with the
four findings citing the record, and the case shows closed. The Content-Security-Policy
blocks nothing on the way."""

import pytest

from hearth.oversight.models import Recommendation
from tests.browser import test_csp
from tests.oversight.recommendations.conftest import REASONS, note, overseen, state  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

FOUR = ("reasonable_efforts", "threats_mitigated", "aftercare", "best_interest")


def _as(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.add_init_script(test_csp.LISTEN)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _status(page) -> str:
    return page.locator("[data-testid=recommendation-status]").inner_text()


def test_o1_p1_recommend_return_revise_approve_close(browser, live_server, overseen, note):  # noqa: F811
    case = overseen
    cm = _as(browser, live_server, "cm")
    cm.goto(f"/cases/{case.pk}/")
    cm.click("text=Recommend closure")
    cm.wait_for_load_state()
    cm.fill("#id_recommend-reasons", REASONS)
    cm.click("button:has-text('Submit the recommendation')")
    cm.wait_for_load_state()
    assert _status(cm) == "Submitted to the state"
    rec = Recommendation.objects.get()

    specialist = _as(browser, live_server, "specialist")
    specialist.goto("/oversight/reviews/")
    specialist.click(f"a[href='/recommendations/{rec.pk}/']")
    specialist.wait_for_load_state()
    specialist.click("label[for='id_review-decision_1']")
    specialist.fill("#id_review-reasons", "Aftercare is not arranged yet: name the provider.")
    specialist.click("button:has-text('Record the review')")
    specialist.wait_for_load_state()
    assert _status(specialist) == "Returned for revision"

    cm.goto(f"/recommendations/{rec.pk}/")
    assert "Aftercare is not arranged yet" in cm.content()
    cm.fill("#id_resubmit-reasons", REASONS + " Aftercare: weekly sessions at the family centre.")
    cm.click("button:has-text('Resubmit')")
    cm.wait_for_load_state()
    assert _status(cm) == "Submitted to the state"

    specialist.goto(f"/recommendations/{rec.pk}/")
    for code in FOUR:
        specialist.click(f"#finding-{code} label:has-text('Yes')")
        specialist.locator(f"#finding-{code} .usa-checkbox__label").first.click()
    specialist.click("label[for='id_review-decision_0']")
    specialist.click("button:has-text('Record the review')")
    specialist.wait_for_load_state()
    assert _status(specialist) == "Approved"
    assert specialist.locator("[data-testid=case-status]").inner_text() == "Closed"
    assert "Round 1" in specialist.content() and "Round 2" in specialist.content()

    cm.goto(f"/cases/{case.pk}/")
    assert "Status: Closed" in cm.locator("main").inner_text()
    for page in (cm, specialist):
        assert page.evaluate("window.__csp") == []
