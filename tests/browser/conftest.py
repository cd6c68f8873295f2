"""Browser tests: Playwright for Python driving Debian's Chromium, headless.

Chromium is found at $HEARTH_CHROMIUM or /usr/bin/chromium. Without it these tests are
skipped with a note in the summary, unless HEARTH_REQUIRE_BROWSER=1 (CI), where a missing
browser fails the run.
"""

import os
import shutil

import pytest

from tests.placements.conftest import family, removed  # noqa: F401 (shared fixtures)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("HEARTH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AVAILABLE = os.path.exists(CHROMIUM)
REQUIRED = os.environ.get("HEARTH_REQUIRE_BROWSER") == "1"
SKIP_NOTE = (
    "Browser tests skipped: Chromium not found. Install it (Debian: apt-get install chromium) "
    "or set HEARTH_CHROMIUM to a Chromium binary to run them."
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not AVAILABLE:
        if REQUIRED:
            pytest.fail(f"HEARTH_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
        pytest.skip(SKIP_NOTE)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    def go(username, password="pass-word-123"):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return go
