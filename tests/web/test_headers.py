"""Headers and production settings (issue 10 §3): CSP, no-store, request ids, HTTPS in
production, `check --deploy` clean, and the API's docs behind a sign-in."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from tests.api.conftest import ApiClient

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
NO_STORE = "no-store"


def _production(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` under hearth.settings in production mode (DEBUG unset, a long random
    SECRET_KEY, none of our HTTPS switches set unless given)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        # The browser tests allow async-unsafe calls in this process: not in production.
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not k.startswith("SECURE_")
    }
    clean.update(
        SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_SETTINGS_MODULE="hearth.settings",
        DATABASE_URL="sqlite://:memory:",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_check_deploy_is_clean_in_production_mode():
    result = _production(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# An anonymous API call: answered without templates (production static files need
# collectstatic) and without the database.
SERVE = """
import json, django
django.setup()
from django.test import Client
c = Client()
out = {}
plain = c.get("/api/v1/cases")
out["plain"] = [plain.status_code, plain.get("Location")]
tls = c.get("/api/v1/cases", secure=True)
out["tls"] = [tls.status_code, tls.get("Strict-Transport-Security")]
proxied = c.get("/api/v1/cases", headers={"X-Forwarded-Proto": "https"})
out["proxied"] = [proxied.status_code, proxied.get("Strict-Transport-Security")]
print(json.dumps(out))
"""


def _serve(**env) -> dict:
    result = _production(SERVE, ALLOWED_HOSTS="testserver", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_to_https_and_sends_hsts():
    out = _serve()
    assert out["plain"] == [301, "https://testserver/api/v1/cases"]
    status, hsts = out["tls"]
    assert status == 401
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    # X-Forwarded-Proto is not trusted unless the deployment says its proxy sets it.
    assert out["proxied"][0] == 301


def test_behind_a_tls_proxy_the_forwarded_proto_header_is_trusted_when_configured():
    out = _serve(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert out["proxied"] == [401, "max-age=31536000; includeSubDomains; preload"]
    assert out["plain"][0] == 301


def test_the_redirect_can_be_turned_off_for_a_plain_http_run():
    out = _serve(SECURE_SSL_REDIRECT="0")  # as bench/run.py does
    assert out["plain"] == [401, None]


def test_pages_carry_a_csp_without_inline_script_or_style(worker, as_user):
    r = as_user(worker).get(reverse("caseload"))
    assert r.status_code == 200
    csp = dict(
        part.strip().split(" ", 1) for part in r["Content-Security-Policy"].split(";") if part
    )
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe" not in r["Content-Security-Policy"]
    # Templates keep script and style in static files.
    page = r.content.decode()
    assert "<script>" not in page and "<style" not in page and " style=" not in page
    assert 'name="htmx-config"' in page and '"includeIndicatorStyles": false' in page


def test_every_response_with_data_is_no_store_and_static_files_are_not(case, worker, as_user):
    c = as_user(worker)
    responses = {
        "page": c.get(reverse("case_detail", args=[case.pk])),
        "missing page": c.get("/no-such-page/"),
        "redirect": c.get(reverse("home")),
        "api": ApiClient(worker.user).get(f"{API}/cases/{case.pk}"),
        "api error": ApiClient().get(f"{API}/cases"),
    }
    for name, r in responses.items():
        assert NO_STORE in r["Cache-Control"], name
        assert "private" in r["Cache-Control"], name
    static = c.get("/static/web/hearth.css")
    assert static.status_code == 200
    assert NO_STORE not in static.get("Cache-Control", "")


def test_every_response_has_its_own_request_id(worker, as_user):
    c = as_user(worker)
    first, second = c.get(reverse("caseload")), c.get(reverse("caseload"))
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
    # The id is ours, never the client's.
    sent = c.get(reverse("caseload"), headers={"X-Request-ID": "forged\nline"})
    assert sent["X-Request-ID"] != "forged\nline"


def test_the_api_document_and_docs_need_a_sign_in(worker, client):
    r = client.get(f"{API}/openapi.json")
    assert r.status_code == 401
    assert r.json() == {"detail": "Sign in or send a valid bearer token.", "errors": {}}
    r = client.get(f"{API}/docs")
    assert r.status_code == 302
    assert r.url == f"{reverse('login')}?next={API}/docs"
    assert ApiClient(worker.user).get(f"{API}/openapi.json").status_code == 200
    client.force_login(worker.user)
    assert client.get(f"{API}/openapi.json").status_code == 200
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    # Swagger UI from our own static files (closed network, CSP 'self'), not a CDN.
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
