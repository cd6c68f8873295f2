"""Drafts, finalizing and amending contact notes."""

from datetime import timedelta

from django.utils import timezone

from hearth.cases.models import CaseEvent
from hearth.contacts.models import ContactNote, NoteAmendment
from tests.api.contacts.helpers import API, note, recently, visit_body, written


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
