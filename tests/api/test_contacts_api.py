"""The contacts API against a real database: contact notes (draft, final, amended;
locate efforts), supervisor exceptions and contact plans, a case's requirements for a
month with their compliance (V1 to V13), the dashboard figures and my obligations, with
access scoping, the access log and clear 4xx errors that name the field and leave
nothing written."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from hearth.cases.models import Case, CaseEvent
from hearth.contacts import services
from hearth.contacts.models import (
    Collateral,
    ContactNote,
    NoteAmendment,
    ParentContactException,
    ParentContactPlan,
)
from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.obligations.engine import recompute
from hearth.placements.services import goal_change
from hearth.staff.models import Agency, Role
from tests.factories import (
    AgencyFactory,
    PersonFactory,
    StaffFactory,
    UnitFactory,
    UserFactory,
    make_case,
)

API = "/api/v1"


def recently() -> datetime:
    """Local noon today if it has passed, else yesterday's: a past moment whose date is
    the same in UTC as in the agency's time zone (notes near midnight are not tested here)."""
    now = timezone.localtime()
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return noon if noon < now else noon - timedelta(days=1)


def month_of(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m}"


def note(worker, case, **kw):
    """A note written through the service, as the worker."""
    kw.setdefault("occurred_at", recently())
    kw.setdefault("narrative", "Visit went well.")
    return services.contact_note_create(actor=worker.user, author=worker, case=case, **kw)


def visit_body(family, **kw):
    body = {
        "occurred_at": recently().isoformat(),
        "method": "in_person",
        "location": "placement",
        "contact_with": [family["child"].pk, family["parent"].pk],
        "collaterals": [{"kind": "resource_parent", "name": "Sam Foster"}],
        "purpose": "Monthly visit",
        "narrative": "Saw Noah and his mother at the resource home.",
    }
    body.update(kw)
    return body


def written() -> dict[str, int]:
    """Row counts of everything these endpoints write."""
    counts = {
        m.__name__: m.objects.count()
        for m in (
            ContactNote,
            Collateral,
            NoteAmendment,
            ParentContactException,
            ParentContactPlan,
            CaseEvent,
        )
    }
    counts["contact_with"] = ContactNote.contact_with.through.objects.count()
    counts["final"] = ContactNote.objects.filter(status="final").count()
    counts["note_versions"] = sum(ContactNote.objects.values_list("version", flat=True))
    return counts


def api_logs(user, **filters):
    return AccessLog.objects.filter(user=user, channel="api", **filters)


def requirements(api, case, month):
    params = {} if month is None else {"month": month}
    r = api.get(f"{API}/cases/{case.pk}/contact-requirements", **params)
    assert r.status_code == 200, r.content
    return r.json()["requirements"]


def one(reqs, rule, person):
    found = [r for r in reqs if r["rule"] == rule and (r["person"] or {}).get("id") == person.pk]
    assert len(found) == 1, (rule, person, reqs)
    return found[0]


@pytest.fixture
def api(worker, api_as):
    return api_as(worker.user)


@pytest.fixture
def hidden():
    """A person in another agency's case: no one at the family's agency may see them."""
    rival_sup = StaffFactory(unit=UnitFactory(), roles=[Role.SUPERVISOR])
    person = PersonFactory(first_name="Hugo", last_name="Hidden")
    make_case(actor_staff=rival_sup, members=[(person, "parent")])
    return person


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


# --- Notes and compliance (V9, V10) -----------------------------------------------------


def test_v10_one_final_note_meets_every_requirement_it_serves(removed, family, worker, api):
    case = family["case"]
    moment = recently()
    month = month_of(moment)
    before = {r["rule"]: r for r in requirements(api, case, month)}
    assert before["V2"]["state"] != "met" and before["V5"]["state"] != "met"
    r = api.post(
        f"{API}/cases/{case.pk}/notes",
        visit_body(family, finalize=True, occurred_at=moment.isoformat()),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "final" and body["finalized_at"] and body["case"] == case.pk
    assert body["author"] == {"id": worker.pk, "name": worker.full_name}
    assert sorted(body["contact_with"], key=lambda p: p["id"]) == [
        {"id": family["child"].pk, "name": "Noah Brook"},
        {"id": family["parent"].pk, "name": "Dana Brook"},
    ]
    assert body["collaterals"] == [{"kind": "resource_parent", "name": "Sam Foster"}]
    assert body["kind"] == "contact" and body["locate_subject"] is None
    reqs = requirements(api, case, month)
    v2, v5 = one(reqs, "V2", family["child"]), one(reqs, "V5", family["parent"])
    assert v2["state"] == v5["state"] == "met"
    assert v2["evidence"] == v5["evidence"] == body["id"]
    assert v2["person"]["name"] == "Noah Brook" and v2["need"] == "in_person"
    assert v2["text"] == "seen in person (V2)" and v2["days_left"] == 0
    # The stored obligations agree (refreshed when the note was finalized).
    mine = api.get(f"{API}/obligations/mine", month=month).json()
    met = {(o["rule"], o["person"]["id"]) for o in mine if o["evidence_id"] == body["id"]}
    assert met >= {("V2", family["child"].pk), ("V5", family["parent"].pk)}
    assert all(o["state"] == "met" for o in mine if o["evidence_id"] == body["id"])


def test_v9_an_attempt_does_not_meet_the_visit_but_is_its_reason(removed, family, api):
    case = family["case"]
    moment = recently()
    r = api.post(
        f"{API}/cases/{case.pk}/notes",
        visit_body(
            family,
            method="attempted",
            contact_with=[family["child"].pk],
            collaterals=[],
            narrative="No answer at the door.",
            occurred_at=moment.isoformat(),
            finalize=True,
        ),
    )
    assert r.status_code == 201, r.content
    v2 = one(requirements(api, case, month_of(moment)), "V2", family["child"])
    assert v2["state"] in ("open", "missed") and v2["evidence"] is None
    assert "attempted on" in v2["reason"] and "No answer at the door." in v2["reason"]
    assert v2["attempts"] == [r.json()["id"]]


def test_a_draft_counts_for_nothing_until_finalized(removed, family, api):
    case = family["case"]
    moment = recently()
    r = api.post(f"{API}/cases/{case.pk}/notes", visit_body(family, occurred_at=moment.isoformat()))
    assert r.status_code == 201 and r.json()["status"] == "draft"
    assert one(requirements(api, case, month_of(moment)), "V2", family["child"])["state"] != "met"
    # The body is optional: a bare POST with the ETag read as If-Match finalizes.
    url = f"{API}/notes/{r.json()['id']}"
    etag = api.get(url)["ETag"]
    r = api.client.generic("POST", f"{url}/finalize", b"", headers={"If-Match": etag})
    assert r.status_code == 200 and r.json()["status"] == "final", r.content
    v2 = one(requirements(api, case, month_of(moment)), "V2", family["child"])
    assert v2["state"] == "met" and v2["evidence"] == r.json()["id"]


def test_v8_locate_effort_for_a_parent_whose_whereabouts_are_unknown(removed, family, api):
    parent, case = family["parent"], family["case"]
    parent.whereabouts_known = False
    parent.save()
    recompute(case)
    moment = recently()
    month = month_of(moment)
    assert one(requirements(api, case, month), "V8", parent)["need"] == "locate"
    body = {
        "kind": "locate",
        "occurred_at": moment.isoformat(),
        "locate_subject": parent.pk,
        "locate_method": "letter_last_address",
        "narrative": "Letter sent to the last known address.",
        "finalize": True,
    }
    r = api.post(f"{API}/cases/{case.pk}/notes", body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["method"] == "letter" and out["locate_subject"] == {
        "id": parent.pk,
        "name": "Dana Brook",
    }
    v8 = one(requirements(api, case, month), "V8", parent)
    assert v8["state"] == "met" and v8["evidence"] == out["id"]


def test_a_time_without_an_offset_is_the_agencys_local_time(removed, family, api):
    moment = timezone.localtime(recently())
    naive = moment.replace(tzinfo=None).isoformat()
    r = api.post(f"{API}/cases/{family['case'].pk}/notes", visit_body(family, occurred_at=naive))
    assert r.status_code == 201, r.content
    assert ContactNote.objects.get().occurred_at == moment


def _bad_note_bodies(family, hidden):
    future = (timezone.now() + timedelta(days=2)).isoformat()
    return [
        ("future time", {"occurred_at": future}, "occurred_at"),
        ("non-member", {"contact_with": [family["aunt"].pk]}, "contact_with"),
        ("hidden person", {"contact_with": [hidden.pk]}, "contact_with"),
        ("unknown id", {"contact_with": [987654]}, "contact_with"),
        ("in person with nobody", {"contact_with": [], "collaterals": []}, "contact_with"),
        (
            "phone at the parents' home",
            {"method": "phone", "location": "parents_home"},
            "location",
        ),
        ("no method", {"method": None}, "method"),
        ("unknown method", {"method": "telepathy"}, "method"),
        ("unknown collateral", {"collaterals": [{"kind": "alien"}]}, "collaterals.0.kind"),
        ("no narrative", {"narrative": ""}, "narrative"),
        (
            "locate subject on a contact",
            {"locate_subject": family["parent"].pk},
            "locate_subject",
        ),
        (
            "locate without its method",
            {"kind": "locate", "locate_subject": family["parent"].pk, "method": None},
            "locate_method",
        ),
        (
            "locate of someone outside the case",
            {
                "kind": "locate",
                "locate_subject": family["aunt"].pk,
                "locate_method": "relatives",
                "method": None,
            },
            "locate_subject",
        ),
        ("not a date", {"occurred_at": "yesterday"}, "occurred_at"),
    ]


def test_bad_notes_name_the_field_and_store_nothing(removed, family, hidden, api):
    url = f"{API}/cases/{family['case'].pk}/notes"
    before = written()
    for label, change, field in _bad_note_bodies(family, hidden):
        r = api.post(url, visit_body(family, finalize=True, **change))
        assert r.status_code == 422, (label, r.content)
        assert field in r.json()["errors"], (label, r.json())
        assert "Hidden" not in r.content.decode(), label
    assert api.post(url, "{not json").status_code in (400, 422)
    assert written() == before


def test_a_note_on_a_closed_case_is_refused(removed, family, api):
    Case.objects.filter(pk=family["case"].pk).update(status="closed", closed_on=today())
    before = written()
    r = api.post(f"{API}/cases/{family['case'].pk}/notes", visit_body(family))
    assert r.status_code == 422 and "case" in r.json()["errors"], r.content
    assert written() == before


# --- Reading notes ----------------------------------------------------------------------


def test_notes_list_newest_first_with_people_and_amendments_and_logged(
    removed, family, worker, api
):
    case = family["case"]
    old = note(
        worker,
        case,
        occurred_at=recently() - timedelta(days=3),
        method="phone",
        contact_with=[family["parent"]],
        finalize=True,
    )
    services.contact_note_amend(actor=worker.user, note=old, text="Mother asked for a call back.")
    mid = note(
        worker,
        case,
        occurred_at=recently() - timedelta(days=2),
        method="in_person",
        location="child_residence",
        contact_with=[family["sibling"]],
    )
    new = note(
        worker,
        case,
        method="phone",
        collaterals=[{"kind": "teacher", "name": "Ms Ray"}],
    )
    r = api.get(f"{API}/cases/{case.pk}/notes")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 3
    assert [n["id"] for n in body["items"]] == [new.pk, mid.pk, old.pk]
    first, last = body["items"][0], body["items"][2]
    assert first["contact_with"] == [] and first["collaterals"] == [
        {"kind": "teacher", "name": "Ms Ray"}
    ]
    assert last["contact_with"] == [{"id": family["parent"].pk, "name": "Dana Brook"}]
    assert [a["text"] for a in last["amendments"]] == ["Mother asked for a call back."]
    assert last["amendments"][0]["author"] == worker.full_name
    only = api.get(f"{API}/cases/{case.pk}/notes", person=family["sibling"].pk).json()
    assert [n["id"] for n in only["items"]] == [mid.pk]
    page = api.get(f"{API}/cases/{case.pk}/notes", page_size=2).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert api_logs(worker.user, object_type="case", case_id=case.pk).count() == 3
    r = api.get(f"{API}/notes/{old.pk}")
    assert r.status_code == 200 and r.json()["amendments"][0]["note"] == old.pk
    log = api_logs(worker.user, object_type="contactnote", object_id=old.pk, kind="view").get()
    assert log.case_id == case.pk
    # Each page of the list logged its notes, as listed.
    listed = api_logs(worker.user, object_type="contactnote", kind="list")
    assert listed.filter(object_id=old.pk).count() == 1  # not on the 2-note page, nor `only`
    assert listed.count() == 3 + 1 + 2


@pytest.mark.parametrize("n", [2, 12])
def test_notes_lists_do_not_grow_in_queries(
    removed, family, worker, api, django_assert_max_num_queries, n
):
    for i in range(n):
        made = note(
            worker,
            family["case"],
            occurred_at=recently() - timedelta(hours=i),
            method="phone",
            contact_with=[family["parent"]],
            collaterals=[{"kind": "provider"}],
            finalize=True,
        )
        services.contact_note_amend(actor=worker.user, note=made, text=f"Amendment {i}")
    for url in (
        f"/cases/{family['case'].pk}/notes",
        f"/people/{family['parent'].pk}/notes",
        f"/cases/{family['case'].pk}/contact-requirements",
    ):
        # 20 for the list, 5 for its access log entry (one insert for the page).
        with django_assert_max_num_queries(25):
            assert api.get(API + url).status_code == 200, url


def test_person_notes_hold_only_the_cases_the_caller_may_see(removed, family, worker, api_as):
    parent = family["parent"]
    mine = note(worker, family["case"], method="phone", contact_with=[parent])
    note(worker, family["case"], method="phone", contact_with=[family["child"]])
    rival_unit = UnitFactory()
    rival_sup = StaffFactory(unit=rival_unit, roles=[Role.SUPERVISOR])
    rival_worker = StaffFactory(unit=rival_unit)
    other = make_case(actor_staff=rival_sup, worker=rival_worker, members=[(parent, "parent")])
    theirs = note(rival_worker, other, method="phone", contact_with=[parent])
    api = api_as(worker.user)
    r = api.get(f"{API}/people/{parent.pk}/notes")
    assert r.status_code == 200, r.content
    assert [n["id"] for n in r.json()["items"]] == [mine.pk]
    log = api_logs(worker.user, object_type="person", object_id=parent.pk).get()
    assert log.case_id is None
    rival = api_as(rival_sup.user).get(f"{API}/people/{parent.pk}/notes").json()
    assert [n["id"] for n in rival["items"]] == [theirs.pk]
    missing = api.get(f"{API}/people/987654/notes")
    assert missing.status_code == 404
    stranger = PersonFactory()
    make_case(actor_staff=rival_sup, members=[(stranger, "child")])
    r = api.get(f"{API}/people/{stranger.pk}/notes")
    assert r.status_code == 404 and r.content == missing.content


# --- Drafts, finalizing and amending ----------------------------------------------------


def test_a_draft_is_corrected_with_its_version_then_finalized_then_amended(
    removed, family, worker, api
):
    r = api.post(
        f"{API}/cases/{family['case'].pk}/notes",
        visit_body(family, contact_with=[family["child"].pk], collaterals=[]),
    )
    assert r.status_code == 201, r.content
    nid, url = r.json()["id"], f"{API}/notes/{r.json()['id']}"
    assert r.json()["version"] == 1
    r = api.patch(
        url,
        {
            "version": 1,
            "narrative": "Corrected draft.",
            "contact_with": [family["child"].pk, family["parent"].pk],
            "location": None,
        },
    )
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["version"] == 2 and out["narrative"] == "Corrected draft." and out["location"] == ""
    assert {p["id"] for p in out["contact_with"]} == {family["child"].pk, family["parent"].pk}
    # A stale version: 409, nothing changes.
    r = api.patch(url, {"version": 1, "narrative": "Lost update"})
    assert r.status_code == 409 and "version" in r.json()["errors"]
    assert ContactNote.objects.get(pk=nid).narrative == "Corrected draft."
    # The draft's corrections are checked like a new note.
    for change, field in (
        ({"method": "phone", "location": "parents_home"}, "location"),
        ({"contact_with": [family["aunt"].pk]}, "contact_with"),
        ({"narrative": None}, "narrative"),
        ({"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()}, "occurred_at"),
    ):
        r = api.patch(url, {**change, "version": 2})
        assert r.status_code == 422 and field in r.json()["errors"], (change, r.content)
    note_ = ContactNote.objects.get(pk=nid)
    assert note_.version == 2 and note_.method == "in_person" and note_.contact_with.count() == 2
    # Finalize with a stale version: 409; with the right one: final.
    assert api.post(f"{url}/finalize", {"version": 1}).status_code == 409
    r = api.post(f"{url}/finalize", {"version": 2})
    assert r.status_code == 200 and r.json()["status"] == "final", r.content
    assert CaseEvent.objects.filter(case=family["case"], type="contact_note_finalized").exists()
    # A final note is not edited, nor finalized twice: 422, nothing changes.
    before = written()
    history = note_.history.count()
    final_version = r.json()["version"]
    r = api.patch(url, {"narrative": "Changed after the fact", "version": final_version})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    r = api.post(f"{url}/finalize", {"version": final_version})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    assert written() == before and note_.history.count() == history
    assert ContactNote.objects.get(pk=nid).narrative == "Corrected draft."
    # It is amended: the note stays, the amendment says who and when.
    r = api.post(f"{url}/amendments", {"text": "  Noah mentioned a new school.  "})
    assert r.status_code == 201, r.content
    amendment = r.json()
    assert amendment["text"] == "Noah mentioned a new school." and amendment["note"] == nid
    assert amendment["author"] == worker.full_name and amendment["created_at"]
    got = api.get(url).json()
    assert got["narrative"] == "Corrected draft." and len(got["amendments"]) == 1
    r = api.post(f"{url}/amendments", {"text": "   "})
    assert r.status_code == 422 and "text" in r.json()["errors"]
    assert NoteAmendment.objects.count() == 1


def test_a_draft_is_not_amended(removed, family, worker, api):
    n = note(worker, family["case"], method="phone", contact_with=[family["parent"]])
    r = api.post(f"{API}/notes/{n.pk}/amendments", {"text": "More"})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    assert not NoteAmendment.objects.exists()


def test_only_the_author_edits_or_finalizes_a_draft(removed, family, worker, supervisor, api_as):
    n = note(worker, family["case"], method="phone", contact_with=[family["parent"]])
    sup = api_as(supervisor.user)  # may change the case, but did not write the note
    before = written()
    r = sup.patch(f"{API}/notes/{n.pk}", {"narrative": "Supervisor's words", "version": n.version})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    r = sup.post(f"{API}/notes/{n.pk}/finalize", {"version": n.version})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    assert written() == before


def test_a_locate_efforts_method_follows_from_how_it_locates(removed, family, worker, api):
    parent = family["parent"]
    n = note(
        worker,
        family["case"],
        kind="locate",
        locate_subject=parent,
        locate_method="call_last_number",
        narrative="Number disconnected.",
    )
    r = api.patch(f"{API}/notes/{n.pk}", {"method": "in_person", "version": n.version})
    assert r.status_code == 422 and "method" in r.json()["errors"]
    body = {
        "kind": "locate",
        "occurred_at": recently().isoformat(),
        "locate_subject": parent.pk,
        "locate_method": "call_last_number",
        "method": "in_person",
        "narrative": "x",
    }
    r = api.post(f"{API}/cases/{family['case'].pk}/notes", body)
    assert r.status_code == 422 and "method" in r.json()["errors"]
    assert ContactNote.objects.get().method == "phone"


# --- Exceptions and contact plans (V6, V7, V8) ------------------------------------------


def test_v7_a_supervisor_approves_an_exception_a_case_manager_cannot(
    removed, family, supervisor, api, api_as
):
    case, parent = family["case"], family["parent"]
    body = {
        "person": parent.pk,
        "kind": "exception",
        "reason": "Parent in residential treatment out of state.",
        "starts_on": (today() - timedelta(days=40)).isoformat(),
    }
    url = f"{API}/cases/{case.pk}/contact-exceptions"
    before = written()
    r = api.post(url, body)  # the case manager may change the case, but is no supervisor
    assert r.status_code == 422 and "approved_by" in r.json()["errors"]
    assert written() == before
    r = api_as(supervisor.user).post(url, body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["approved_by"] == {"id": supervisor.pk, "name": supervisor.full_name}
    assert out["person"] == {"id": parent.pk, "name": "Dana Brook"} and out["kind"] == "exception"
    reqs = requirements(api, case, f"{today():%Y-%m}")
    rules = {r["rule"] for r in reqs if (r["person"] or {}).get("id") == parent.pk}
    assert rules == {"V7"}
    v7 = one(reqs, "V7", parent)
    assert v7["need"] == "call_or_letter"
    assert v7["state"] == "open" and v7["reason"] == "approved exception"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person": "child"}, "person"),
        ({"person": "hidden"}, "person"),
        ({"reason": "  "}, "reason"),
        ({"ends_on": "before"}, "ends_on"),
        ({"kind": "forever"}, "kind"),
        ({"starts_on": None}, "starts_on"),
    ],
)
def test_bad_exceptions_name_the_field_and_store_nothing(
    removed, family, hidden, supervisor, api_as, change, field
):
    start = today() - timedelta(days=10)
    body = {
        "person": family["parent"].pk,
        "kind": "far_away",
        "reason": "Lives in another state.",
        "starts_on": start.isoformat(),
    }
    for key, value in change.items():
        body[key] = {
            "child": family["child"].pk,
            "hidden": hidden.pk,
            "before": (start - timedelta(days=1)).isoformat(),
        }.get(value, value)
    before = written()
    r = api_as(supervisor.user).post(f"{API}/cases/{family['case'].pk}/contact-exceptions", body)
    assert r.status_code == 422 and field in r.json()["errors"], r.content
    assert "Hidden" not in r.content.decode()
    assert written() == before


def test_v6_contact_plan_when_the_goal_is_not_reunification(
    removed, family, worker, supervisor, api, api_as
):
    case, parent = family["case"], family["parent"]
    goal_change(
        actor=worker.user,
        case=case,
        child=family["child"],
        goal="adoption",
        starts_on=today() - timedelta(days=40),
        reason="Court changed the goal.",
    )
    month = f"{today():%Y-%m}"
    assert one(requirements(api, case, month), "V6", parent)["need"] == "contact_plan"
    body = {
        "person": parent.pk,
        "need": "call_or_letter",
        "every_months": 1,
        "starts_on": (today() - timedelta(days=40)).isoformat(),
        "notes": "Monthly call.",
    }
    url = f"{API}/cases/{case.pk}/parent-contact-plans"
    r = api.post(url, body)
    assert r.status_code == 422 and "agreed_by" in r.json()["errors"]
    sup = api_as(supervisor.user)
    for bad, field in (({"every_months": 13}, "every_months"), ({"need": "smoke"}, "need")):
        r = sup.post(url, {**body, **bad})
        assert r.status_code == 422 and field in r.json()["errors"], r.content
    assert not ParentContactPlan.objects.exists()
    r = sup.post(url, body)
    assert r.status_code == 201, r.content
    assert r.json()["need"] == "call_or_letter" and r.json()["agreed_by"]["id"] == supervisor.pk
    assert one(requirements(api, case, month), "V6", parent)["need"] == "call_or_letter"


# --- Month parameters -------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2024-13", "May 2024", "2024-1", "24-05", "2024-00", ""])
def test_bad_months_name_the_month(removed, family, supervisor, api_as, month):
    api = api_as(supervisor.user)
    for url in (
        f"/cases/{family['case'].pk}/contact-requirements",
        "/contacts/dashboard",
        "/contacts/unmet",
        "/obligations/mine",
    ):
        r = api.get(API + url, month=month)
        assert r.status_code == 422 and "month" in r.json()["errors"], (url, r.content)


def test_requirements_of_another_month_and_of_a_month_before_the_case(removed, family, api):
    case = family["case"]
    earlier = requirements(api, case, "2001-01")
    assert earlier == []  # the case was not open
    last = (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    v2 = one(requirements(api, case, last), "V2", family["child"])
    assert v2["state"] == "missed" and v2["days_left"] == 0
    this = one(requirements(api, case, None), "V2", family["child"])  # default: this month
    assert this["state"] == "open" and this["days_left"] >= 1


# --- Dashboard figures and my obligations (V13) -----------------------------------------


def test_v13_dashboard_counts_by_worker_and_unmet_names_who_and_why(
    removed, family, worker, supervisor, api_as
):
    moment = recently()
    month = month_of(moment)
    sup = api_as(supervisor.user)
    r = sup.get(f"{API}/contacts/dashboard", month=month)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["group"] == "worker" and body["month"] == month
    [row] = body["rows"]
    assert row["key"] == worker.pk and row["label"] == worker.last_name
    assert row["total"] >= 2 and row["met"] == 0 and row["percent"] == 0
    assert body["totals"]["total"] == row["total"]
    unmet = sup.get(f"{API}/contacts/unmet", month=month, worker=worker.pk).json()
    named = {(o["rule"], o["person"]["name"]) for o in unmet["items"]}
    assert {("V2", "Noah Brook"), ("V5", "Dana Brook")} <= named
    assert unmet["items"][0]["case"] == {
        "id": family["case"].pk,
        "case_number": family["case"].case_number,
    }
    note(
        worker,
        family["case"],
        occurred_at=moment,
        method="in_person",
        location="placement",
        contact_with=[family["child"], family["parent"]],
        finalize=True,
    )
    after = sup.get(f"{API}/contacts/dashboard", month=month).json()["rows"][0]
    assert after["met"] == 2 and after["total"] == row["total"]
    unmet = sup.get(f"{API}/contacts/unmet", month=month, worker=worker.pk).json()
    assert not {o["rule"] for o in unmet["items"]} & {"V2", "V5"}
    by_agency = sup.get(f"{API}/contacts/dashboard", month=month, group="agency").json()
    assert [r["label"] for r in by_agency["rows"]] == [supervisor.agency.name]
    r = sup.get(f"{API}/contacts/dashboard", month=month, group="county")
    assert r.status_code == 422 and "group" in r.json()["errors"]
    other = sup.get(f"{API}/contacts/dashboard", month=month, worker=supervisor.pk).json()
    assert other["rows"] == [] and other["totals"]["percent"] is None


def test_v13_my_obligations_most_urgent_first(removed, family, worker, api, api_as):
    month = f"{today():%Y-%m}"
    r = api.get(f"{API}/obligations/mine", month=month)
    assert r.status_code == 200, r.content
    rows = r.json()
    assert {(o["rule"], o["person"]["id"]) for o in rows} >= {
        ("V2", family["child"].pk),
        ("V5", family["parent"].pk),
    }
    assert all(o["responsible"] == worker.pk and o["state"] in ("due", "met") for o in rows)
    assert api.get(f"{API}/obligations/mine").json() == rows  # default: this month
    colleague = api_as(StaffFactory(unit=worker.unit).user)
    assert colleague.get(f"{API}/obligations/mine", month=month).json() == []


def test_the_state_sees_counts_without_names(removed, family, api_as):
    state = AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT)
    oversight = StaffFactory(unit=UnitFactory(agency=state), roles=[Role.STATE_OVERSIGHT])
    api = api_as(oversight.user)
    month = f"{today():%Y-%m}"
    body = api.get(f"{API}/contacts/dashboard", month=month).json()
    assert body["group"] == "agency" and body["totals"]["total"] >= 2
    unmet = api.get(f"{API}/contacts/unmet", month=month)
    assert unmet.status_code == 200 and unmet.json()["count"] == 0
    assert "Brook" not in unmet.content.decode()
    rival = api_as(StaffFactory(unit=UnitFactory(), roles=[Role.SUPERVISOR]).user)
    assert rival.get(f"{API}/contacts/dashboard", month=month).json()["rows"] == []
    assert rival.get(f"{API}/contacts/unmet", month=month).json()["count"] == 0


def test_reporting_needs_a_staff_record(db, api_as):
    api = api_as(UserFactory())
    for url in ("/contacts/dashboard", "/contacts/unmet", "/obligations/mine"):
        assert api.get(API + url).status_code == 403, url


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
