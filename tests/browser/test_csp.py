"""The Content-Security-Policy blocks nothing the product needs (issue 10 §3): key pages,
the USWDS mobile menu and the API's interactive docs run in Chromium with no CSP
violation, reported either as a `securitypolicyviolation` event or on the console."""

import pytest

from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)

# Runs in every document before its own scripts (through the browser's debugging
# protocol, which the page's CSP does not govern) and keeps each violation.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(LISTEN)

    def violations() -> list[str]:
        return page.evaluate("window.__csp") + console

    page.violations = violations
    return page


@pytest.fixture
def staff(unit):
    supervisor = StaffFactory(unit=unit, roles=[Role.SUPERVISOR], user__username="sup")
    worker = StaffFactory(unit=unit, user__username="cm")
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[(PersonFactory(first_name="Ava", last_name="Rivera"), "child")],
    )
    return {"case": case}


def test_key_pages_run_under_the_csp(watched, sign_in, staff):
    page = watched
    page.goto("/accounts/login/")
    assert page.violations() == []
    sign_in("cm")
    assert "Act on these first" in page.locator("main").inner_text()  # the home (issue 15)
    assert page.violations() == []
    page.goto("/caseload/")
    # USWDS's script ran (it marks the page ready) and its stylesheet applies.
    assert page.evaluate("document.body.classList.contains('usa-js-loading')") is False
    assert "Source Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.violations() == []
    case = staff["case"]
    for url in (f"/cases/{case.pk}/", f"/cases/{case.pk}/?action=edit", "/people/?q=rivera"):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert page.violations() == [], url
    page.goto("/no-such-page/")
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.violations() == []


def test_the_mobile_menu_opens_under_the_csp(watched, sign_in, staff):
    page = watched
    page.set_viewport_size({"width": 400, "height": 800})
    sign_in("cm")
    page.click("button.usa-menu-btn")
    assert page.locator("nav.usa-nav").is_visible()
    page.click("button.usa-nav__close")
    assert not page.locator("nav.usa-nav").is_visible()
    assert page.violations() == []


def test_the_api_docs_render_from_local_files_under_the_csp(watched, sign_in, staff, live_server):
    page = watched
    outside = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    sign_in("cm")
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock")  # Swagger UI loaded the document and drew it
    assert "Hearth API" in page.locator(".swagger-ui .info").inner_text()
    assert page.violations() == []
    assert outside == []  # no CDN: a closed network has none
