"""Access to the contacts API: sign-in and the OpenAPI document; 404 for what one may not
see, 403 for what one may not change, and the access log."""

import pytest

from hearth.contacts.models import (
    ContactNote,
    NoteAmendment,
    ParentContactException,
    ParentContactPlan,
)
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.staff.models import Role
from tests.api.contacts.helpers import API, api_logs, note, visit_body, written
from tests.factories import StaffFactory

# --- Sign-in and the OpenAPI document ---------------------------------------------------


def test_anonymous_requests_are_refused(removed, family, worker, api_as):
    anon = api_as()
    case = family["case"].pk
    n = note(worker, family["case"], method="phone", contact_with=[family["parent"]])
    before = written()
    for url in (
        f"/cases/{case}/notes",
        f"/notes/{n.pk}",
        f"/people/{family['parent'].pk}/notes",
        f"/cases/{case}/contact-requirements",
        "/contacts/dashboard",
        "/contacts/unmet",
        "/obligations/mine",
    ):
        assert anon.get(API + url).status_code == 401, url
    for url in (
        f"/cases/{case}/notes",
        f"/notes/{n.pk}/finalize",
        f"/notes/{n.pk}/amendments",
        f"/cases/{case}/contact-exceptions",
        f"/cases/{case}/parent-contact-plans",
    ):
        assert anon.post(API + url, {}).status_code == 401, url
    assert anon.patch(f"{API}/notes/{n.pk}", {"narrative": "x"}).status_code == 401
    assert written() == before


def test_openapi_still_builds_and_lists_the_contact_endpoints(worker, api_as):
    r = api_as(worker.user).get(API + "/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/cases/{case_id}/notes",
        "/api/v1/notes/{note_id}",
        "/api/v1/notes/{note_id}/finalize",
        "/api/v1/notes/{note_id}/amendments",
        "/api/v1/people/{person_id}/notes",
        "/api/v1/cases/{case_id}/contact-exceptions",
        "/api/v1/cases/{case_id}/parent-contact-plans",
        "/api/v1/cases/{case_id}/contact-requirements",
        "/api/v1/contacts/dashboard",
        "/api/v1/contacts/unmet",
        "/api/v1/obligations/mine",
    ):
        assert path in paths, path
    assert {"get", "patch"} <= set(paths["/api/v1/notes/{note_id}"])


# --- Access: 404 for what one may not see, 403 for what one may not change --------------


def _endpoints(family, draft, final):
    case = family["case"].pk
    parent = family["parent"].pk
    on = today().isoformat()
    return [
        ("get", f"/cases/{case}/notes", None),
        ("get", f"/notes/{draft.pk}", None),
        ("get", f"/notes/{final.pk}", None),
        ("get", f"/cases/{case}/contact-requirements", None),
        ("post", f"/cases/{case}/notes", visit_body(family)),
        ("patch", f"/notes/{draft.pk}", {"narrative": "Changed", "version": draft.version}),
        # Finalized after the correction above: the version it made.
        ("post", f"/notes/{draft.pk}/finalize", {"version": draft.version + 1}),
        ("post", f"/notes/{final.pk}/amendments", {"text": "Added"}),
        (
            "post",
            f"/cases/{case}/contact-exceptions",
            {"person": parent, "kind": "exception", "reason": "Far away", "starts_on": on},
        ),
        (
            "post",
            f"/cases/{case}/parent-contact-plans",
            {"person": parent, "need": "in_person", "starts_on": on},
        ),
    ]


@pytest.fixture
def two_notes(removed, family, worker):
    draft = note(worker, family["case"], method="phone", contact_with=[family["parent"]])
    final = note(
        worker,
        family["case"],
        method="in_person",
        location="placement",
        contact_with=[family["child"]],
        finalize=True,
    )
    return draft, final


def _send(api, method, url, body):
    return getattr(api, method)(API + url, **({} if body is None else {"body": body}))


def test_a_case_one_may_not_see_answers_404_everywhere(family, two_notes, api_as):
    stranger = api_as(StaffFactory(roles=[Role.SUPERVISOR]).user)
    missing = stranger.get(f"{API}/notes/987654")
    assert missing.status_code == 404
    before = written()
    for method, url, body in _endpoints(family, *two_notes):
        r = _send(stranger, method, url, body)
        assert r.status_code == 404, (url, r.content)
        assert r.content == missing.content, url
    assert stranger.get(f"{API}/people/{family['child'].pk}/notes").content == missing.content
    assert written() == before
    # Nothing was disclosed; the refused reads of the existing case are logged as such.
    logged = AccessLog.objects.filter(case=family["case"])
    assert logged.exists() and set(logged.values_list("kind", flat=True)) == {"refused"}


def test_a_visible_case_one_may_not_change_answers_403_on_writes(family, two_notes, unit, api_as):
    colleague = StaffFactory(unit=unit)  # a case manager of the unit: reads, cannot change
    api = api_as(colleague.user)
    before = written()
    for method, url, body in _endpoints(family, *two_notes):
        r = _send(api, method, url, body)
        if method == "get":
            assert r.status_code == 200, (url, r.content)
        else:
            assert r.status_code == 403, (url, r.content)
    assert written() == before
    # Every read was logged, tied to the case: the list's two notes one row each.
    logs = api_logs(colleague.user)
    assert set(logs.values_list("case_id", flat=True)) == {family["case"].pk}
    assert sorted(logs.values_list("kind", "object_type")) == [
        ("list", "contactnote"),
        ("list", "contactnote"),
        ("view", "case"),
        ("view", "case"),
        ("view", "contactnote"),
        ("view", "contactnote"),
    ]


def test_the_same_bodies_succeed_for_those_who_may(family, two_notes, supervisor, api, api_as):
    """The 403 above is about access, not the bodies: the case manager writes, finalizes
    and amends; the supervisor approves the exception and the plan."""
    sup = api_as(supervisor.user)
    for method, url, body in _endpoints(family, *two_notes):
        who = sup if "contact-" in url else api
        r = _send(who, method, url, body)
        assert r.status_code in (200, 201), (url, r.content)
    assert ContactNote.objects.filter(status="final").count() == 2
    assert NoteAmendment.objects.count() == 1
    assert ParentContactException.objects.count() == ParentContactPlan.objects.count() == 1
