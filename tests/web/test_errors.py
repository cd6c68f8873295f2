"""Branded error pages, API errors in JSON, and every 500 logged with its traceback and
the request id that its page shows (issue 10 §7)."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from hearth.core.request_id import RequestIdFilter
from tests.factories import StaffFactory


def test_404_is_the_products_page_and_its_log_line_carries_the_id(worker, as_user, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        r = as_user(worker).get("/no-such-page/")
    assert r.status_code == 404
    page = r.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'class="usa-header' in page and "Sign out" in page  # the layout, signed in
    assert "Using the URLconf" not in page  # never Django's list of addresses
    # Django logs 4xx answers after the middleware has returned: the id comes from the
    # request the record names.
    [record] = [rec for rec in caplog.records if rec.name == "django.request"]
    assert record.request_id == r["X-Request-ID"]


def test_a_record_out_of_sight_answers_the_same_branded_404(case, as_user):
    stranger = StaffFactory()
    r = as_user(stranger).get(reverse("case_detail", args=[case.pk]))
    assert r.status_code == 404
    assert "<h1>Page not found</h1>" in r.content.decode()


def test_403_is_the_products_page_not_a_bare_forbidden(case, unit, as_user):
    colleague = StaffFactory(unit=unit)
    r = as_user(colleague).post(reverse("case_edit", args=[case.pk]), {"edit-version": 1})
    assert r.status_code == 403
    page = r.content.decode()
    assert "<h1>You may not do this</h1>" in page and 'class="usa-header' in page
    assert r["X-Request-ID"] in page


def test_a_form_without_its_csrf_token_gets_the_products_403(worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker.user)
    r = client.post(reverse("logout"))
    assert r.status_code == 403
    page = r.content.decode()
    assert "<h1>You may not do this</h1>" in page and "reload the page" in page
    assert "CSRF verification failed" not in page


def test_api_errors_stay_json(worker, as_user):
    r = as_user(worker).get("/api/v1/no-such-endpoint")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["detail"] == "Not found."


def _console_handler() -> logging.Handler:
    """The handler settings.LOGGING configures on the root logger."""
    return next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in h.filters)
    )


@pytest.mark.urls("tests.web.error_urls")
def test_a_server_error_shows_the_branded_page_and_logs_traceback_and_id(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        r = client.get("/broken/")
    assert r.status_code == 500
    request_id = r["X-Request-ID"]
    page = r.content.decode()
    assert "<h1>Something went wrong</h1>" in page and 'class="usa-header' in page
    assert f'<code id="request-id">{request_id}</code>' in page
    assert "no-store" in r["Cache-Control"]
    [record] = [rec for rec in caplog.records if rec.name == "django.request"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert record.request_id == request_id
    line = _console_handler().format(record)
    assert f"[{request_id}]" in line
    assert "Traceback" in line and "Boom: a page failed" in line


@pytest.mark.urls("tests.web.error_urls")
def test_a_server_error_in_the_api_answers_json_with_the_id(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        r = client.get("/api/test/broken")
    assert r.status_code == 500
    assert r.json() == {
        "detail": "Server error. Quote the request id to support.",
        "errors": {},
        "request_id": r["X-Request-ID"],
    }
    [record] = [rec for rec in caplog.records if rec.name == "django.request"]
    assert record.request_id == r["X-Request-ID"] and record.exc_info is not None
