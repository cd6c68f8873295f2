"""The central map of every page URL to who may use it. A new URL without an entry
fails here; anonymous requests are sent to sign in."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import EXPECTED_READ, EXPECTED_RESTRICT, EXPECTED_WRITE
from tests.factories import remove_with_plan

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
    # Resource homes: any staff member reads a home; home.manage keeps the agency's (403
    # for the others, tests/placements/test_homes.py); the home's manager answers for it.
    "resource_home_new": ("GET", "any"),
    "resource_home_detail": ("GET", "any"),
    "resource_home_edit": ("GET", "any"),
    "resource_home_action": ("POST", "any"),
    "note_new": ("POST", "case-write"),
    "note_detail": ("GET", "case-read"),
    "note_finalize": ("POST", "case-write"),
    "note_amend": ("POST", "case-write"),
    "my_contacts": ("GET", "any"),
    "contacts_dashboard": ("GET", "any"),
    "f1_report": ("GET", "any"),
    "cfsr_f2_report": ("GET", "any"),
    "cfsr_f3_report": ("GET", "any"),
    "cfsr_f4_report": ("GET", "any"),
    # F5: the extract's page (the state and program directors; others 403) and the
    # data-quality report (every reporting role): tests/reports/test_afcars.py
    "afcars_report": ("GET", "any"),
    "afcars_data_quality": ("GET", "any"),
    "reports_home": ("GET", "any"),  # F1, V13 trends (403 without report.dashboard)
    # Issue 15: the agency's policy settings (403 without agency.manage_own or _all)
    "policy_settings": ("GET", "any"),
    "exception_new": ("POST", "case-write"),
    "contact_plan_new": ("POST", "case-write"),
    "case_route": ("POST", "case-assign"),
    "intake_queue": ("GET", "any"),
    "referral_new": ("GET", "any"),
    "unit_balance": ("GET", "unit-read"),
    "staff_reassign": ("GET", "unit-read"),
    "case_access_log": ("GET", "case-read"),
    "person_access_log": ("GET", "person-read"),
    # P9: the due list (hearth/planning/views/due.py); the feed's token is its credential.
    "due_list": ("GET", "any"),
    "due_calendar": ("GET", "any"),
    "due_calendar_revoke": ("POST", "any"),
    "unit_due": ("GET", "unit-read"),
    "calendar_feed": ("GET", "public"),
    # planning: services (P8, C9)
    "providers": ("GET", "any"),
    "provider_detail": ("GET", "any"),
    "provider_deactivate": ("POST", "any"),
    "case_services": ("GET", "case-read"),
    "service_referral_status": ("POST", "case-write"),
    "service_referral_report": ("POST", "case-write"),
    # planning: assessments (C3)
    "case_assessments": ("GET", "case-read"),
    "assessment_new": ("POST", "case-write"),
    "assessment_detail": ("GET", "case-read"),
    "instruments": ("GET", "any"),
    "instrument_detail": ("GET", "any"),
    # planning: plans
    "case_plans": ("GET", "case-read"),
    "case_plan_new": ("POST", "case-write"),
    "safety_plan_new": ("POST", "case-write"),
    "case_plan_detail": ("GET", "case-read"),
    "case_plan_edit": ("POST", "case-write"),
    "case_plan_adopt": ("POST", "case-write"),
    "case_plan_approve": ("POST", "case-write"),
    "case_plan_sign": ("POST", "case-write"),
    "case_plan_progress": ("POST", "case-write"),
    "case_plan_pdf": ("GET", "case-read"),
    "safety_plan_detail": ("GET", "case-read"),
    "safety_plan_end": ("POST", "case-write"),
    # planning: teaming
    "case_teaming": ("GET", "case-read"),
    "team_meeting_detail": ("GET", "case-read"),
    # oversight: caseloads (O4) and the oversight home
    "oversight_home": ("GET", "any"),
    "oversight_caseloads": ("GET", "any"),
    "oversight_specialist": ("GET", "any"),
    "case_oversight": ("GET", "case-read"),
    # oversight: court (O2)
    "case_court": ("GET", "case-read"),
    "hearing_detail": ("GET", "case-read"),
    "court_report_detail": ("GET", "case-read"),
    "court_report_pdf": ("GET", "case-read"),
    # oversight: recommendations (O1, O2)
    "case_recommendations": ("GET", "case-read"),
    "recommendation_detail": ("GET", "case-read"),
    "oversight_reviews": ("GET", "any"),
    # oversight: qa (O3, C8, P9): scoped by hearth.oversight.selectors.qa (tests/oversight/qa)
    "qa_home": ("GET", "any"),
    "qa_sample_new": ("GET", "any"),
    "qa_sample_detail": ("GET", "any"),
    "qa_review": ("GET", "any"),
    "qa_compliance": ("GET", "any"),
    "qa_actions": ("GET", "any"),
    "qa_action_detail": ("GET", "any"),
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
        "case_teaming",
        "case_court",  # oversight: court
        "case_recommendations",
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
    if name in ("unit_detail", "unit_balance", "unit_due"):
        return reverse(name, args=[world["staff"]["worker"].unit_id])
    if name in (
        "api_token_revoke",
        "provider_detail",
        "provider_deactivate",
        "team_meeting_detail",
        "hearing_detail",  # oversight: court
        "court_report_detail",
        "court_report_pdf",
        "recommendation_detail",
    ):
        return reverse(name, args=[1])
    if name == "case_services":
        return reverse(name, args=[world["cases"]["mine"].pk])
    if name.startswith("service_referral_"):
        return reverse(name, args=[1])
    if name in ("case_assessments", "assessment_new"):  # planning: assessments
        return reverse(name, args=[world["cases"]["mine"].pk])
    if name in ("assessment_detail", "instrument_detail"):
        return reverse(name, args=[1])
    if name in ("case_plans", "case_plan_new", "safety_plan_new"):
        return reverse(name, args=[world["cases"]["mine"].pk])
    if name.startswith(("case_plan", "safety_plan")):
        return reverse(name, args=[1, "en"] if name == "case_plan_pdf" else [1])
    if name == "case_oversight":  # oversight: caseloads
        return reverse(name, args=[world["cases"]["mine"].pk])
    if name == "oversight_specialist":
        return reverse(name, args=[world["staff"]["oversight"].pk])
    if name in ("qa_sample_detail", "qa_review", "qa_action_detail"):  # oversight: qa
        return reverse(name, args=[1])
    if name.startswith("resource_home_") and name not in (
        "resource_home_list",
        "resource_home_new",
    ):
        return reverse(name, args=[1, "licence"] if name == "resource_home_action" else [1])
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


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_f1_csv_exports_name_only_visible_cases(world, client, who):
    """F1 (issue 14): the page's figures CSV and its child-months CSV answer every role
    that reports (403 otherwise); the child-months name only cases the role sees."""
    actor = world["staff"]["supervisor"].user
    for case in world["cases"].values():
        member = case.members.get(role="child")
        remove_with_plan(actor=actor, case=case, child=member.person)
    client.force_login(world["staff"][who].user)
    figures = client.get(reverse("f1_report"), {"format": "csv"})
    detail = client.get(reverse("f1_report"), {"format": "csv", "detail": "child-months"})
    assert figures.status_code == detail.status_code, who
    if figures.status_code == 403:
        return
    assert figures["Content-Type"].startswith("text/csv"), who
    text = b"".join(detail.streaming_content).decode()
    for name, case in world["cases"].items():
        if name not in EXPECTED_READ[who]:
            assert case.case_number not in text, (who, name)
