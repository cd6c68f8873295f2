"""The central map of every page URL to who may use it. A new URL without an entry
fails here; anonymous requests are sent to sign in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import EXPECTED_READ, EXPECTED_RESTRICT, EXPECTED_WRITE

# url name -> (method, kind). kind: "public", "any" (any signed-in user), "case-read",
# "case-write", "case-assign", "case-restrict", "person-read", "person-write", "unit-read"
URL_RULES = {
    "login": ("GET", "public"),
    "logout": ("POST", "public"),
    "account": ("GET", "any"),
    "password_change": ("GET", "any"),
    "two_factor_setup": ("GET", "any"),
    "two_factor_verify": ("GET", "any"),
    "two_factor_recovery_codes": ("POST", "any"),
    "api_tokens": ("GET", "any"),
    "api_token_revoke": ("POST", "any"),
    "home": ("GET", "any"),
    "caseload": ("GET", "any"),
    "case_list": ("GET", "any"),
    "people_search": ("GET", "any"),
    "unit_list": ("GET", "any"),
    "case_detail": ("GET", "case-read"),
    "case_edit": ("POST", "case-write"),
    "case_status": ("POST", "case-write"),
    "case_restrict": ("POST", "case-restrict"),
    "case_named_staff_add": ("POST", "case-restrict"),
    "case_named_staff_end": ("POST", "case-restrict"),
    "case_member_add": ("POST", "case-write"),
    "case_assign": ("POST", "case-assign"),
    "person_detail": ("GET", "person-read"),
    "person_edit": ("POST", "person-write"),
    "unit_detail": ("GET", "unit-read"),
    "case_child": ("GET", "case-read"),
    "case_child_action": ("POST", "case-write"),
    "case_conference": ("POST", "case-write"),
    "visit_plan_detail": ("GET", "case-read"),
    "visit_plan_sign": ("POST", "case-write"),
    "visit_plan_pdf": ("GET", "case-read"),
    "resource_home_list": ("GET", "any"),
    "note_new": ("POST", "case-write"),
    "note_detail": ("GET", "case-read"),
    "note_finalize": ("POST", "case-write"),
    "note_amend": ("POST", "case-write"),
    "my_contacts": ("GET", "any"),
    "contacts_dashboard": ("GET", "any"),
    "f1_report": ("GET", "any"),
    "exception_new": ("POST", "case-write"),
    "contact_plan_new": ("POST", "case-write"),
    "case_route": ("POST", "case-assign"),
    "intake_queue": ("GET", "any"),
    "referral_new": ("GET", "any"),
    "unit_balance": ("GET", "unit-read"),
    "staff_reassign": ("GET", "unit-read"),
    "case_access_log": ("GET", "case-read"),
    "person_access_log": ("GET", "person-read"),
}


@pytest.fixture
def world(world_once):
    """The world built once for this module (tests/conftest.py)."""
    return world_once


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api"):  # the API: tests/api/test_api_paths_access.py
                continue
            yield from _names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_page_url_has_an_access_rule():
    names = set(_names(get_resolver().url_patterns))
    assert names == set(URL_RULES), names ^ set(URL_RULES)


def _url(name, world):
    if name in (
        "case_detail",
        "case_edit",
        "case_status",
        "case_member_add",
        "case_assign",
        "case_route",
        "case_access_log",
        "case_restrict",
        "case_named_staff_add",
        "case_named_staff_end",
    ):
        return reverse(name, args=[world["cases"]["mine"].pk])
    if name in ("person_detail", "person_edit", "person_access_log"):
        return reverse(name, args=[world["cases"]["mine"].members.first().person_id])
    if name in ("case_child", "case_child_action"):
        case = world["cases"]["mine"]
        extra = ["goal"] if name == "case_child_action" else []
        return reverse(name, args=[case.pk, case.members.first().person_id, *extra])
    if name in ("case_conference", "note_new", "exception_new", "contact_plan_new"):
        return reverse(name, args=[world["cases"]["mine"].pk])
    if name.startswith("note_"):
        return reverse(name, args=[1])
    if name.startswith("visit_plan"):
        return reverse(name, args=[1, "en"] if name == "visit_plan_pdf" else [1])
    if name in ("unit_detail", "unit_balance"):
        return reverse(name, args=[world["staff"]["worker"].unit_id])
    if name == "api_token_revoke":
        return reverse(name, args=[1])
    if name == "staff_reassign":
        return reverse(name, args=[world["staff"]["worker"].pk])
    return reverse(name)


@pytest.mark.parametrize("name", sorted(URL_RULES))
def test_anonymous_is_sent_to_sign_in(world, client, name):
    method, kind = URL_RULES[name]
    if kind == "public":
        return
    url = _url(name, world)
    r = client.get(url) if method == "GET" else client.post(url, {})
    assert r.status_code == 302 and r.url.startswith(reverse("login")), name


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_case_pages_by_role(world, client, who):
    client.force_login(world["staff"][who].user)
    for name, case in world["cases"].items():
        r = client.get(reverse("case_detail", args=[case.pk]))
        assert r.status_code == (200 if name in EXPECTED_READ[who] else 404), (who, name)
        r = client.post(reverse("case_status", args=[case.pk]), {})
        expected = (
            422 if name in EXPECTED_WRITE[who] else (403 if name in EXPECTED_READ[who] else 404)
        )
        assert r.status_code == expected, (who, name)
        if r.status_code == 404:
            assert case.case_number not in r.content.decode()


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_case_list_page_shows_only_visible_cases(world, client, who):
    client.force_login(world["staff"][who].user)
    text = client.get(reverse("case_list")).content.decode()
    for name, case in world["cases"].items():
        assert (case.case_number in text) == (name in EXPECTED_READ[who]), (who, name)


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_child_placement_pages_by_role(world, client, who):
    """The child's placement page follows the case's access; its actions its edit rights."""
    client.force_login(world["staff"][who].user)
    for name, case in world["cases"].items():
        child = case.members.first().person_id
        r = client.get(reverse("case_child", args=[case.pk, child]))
        assert r.status_code == (200 if name in EXPECTED_READ[who] else 404), (who, name)
        r = client.post(reverse("case_child_action", args=[case.pk, child, "goal"]), {})
        expected = (
            422 if name in EXPECTED_WRITE[who] else (403 if name in EXPECTED_READ[who] else 404)
        )
        assert r.status_code == expected, (who, name)


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_restriction_pages_by_role(world, client, who):
    """Restricting, lifting and naming staff: the program director and the supervisor of
    the case's unit (a refused form is a 422), a 403 for others who see the case, the 404 of
    a missing case for everyone else; the restricted label for those who see the case."""
    client.force_login(world["staff"][who].user)
    for name, case in world["cases"].items():
        if name in EXPECTED_RESTRICT.get(who, set()):
            expected = 422
        else:
            expected = 403 if name in EXPECTED_READ[who] else 404
        for url in ("case_restrict", "case_named_staff_add", "case_named_staff_end"):
            r = client.post(reverse(url, args=[case.pk]), {})
            assert r.status_code == expected, (who, name, url)
        page = client.get(reverse("case_detail", args=[case.pk]))
        if page.status_code == 200:
            text = page.content.decode()
            assert ("Restricted case." in text) == (name == "restricted"), (who, name)
            offered = "?action=restrict" in text or "?action=unrestrict" in text
            assert offered == (expected == 422), (who, name)
    case = world["cases"]["restricted"]
    case.refresh_from_db()
    assert case.restricted and case.access_grants.filter(purpose="named").count() == 1


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_person_pages_follow_their_cases(world, client, who):
    """The people of a restricted case are seen through it only by those who see it."""
    client.force_login(world["staff"][who].user)
    for name, case in world["cases"].items():
        for m in case.members.all():
            r = client.get(reverse("person_detail", args=[m.person_id]))
            assert r.status_code == (200 if name in EXPECTED_READ[who] else 404), (who, name)
