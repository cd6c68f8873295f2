"""Contact notes and compliance (V8, V9, V10): what a final note meets, attempts, drafts,
locate efforts, and bad notes (422 naming the field, nothing stored)."""

from datetime import timedelta

from django.utils import timezone

from hearth.cases.models import Case
from hearth.contacts.models import ContactNote
from hearth.core.services import today
from hearth.obligations.engine import recompute
from tests.api.contacts.helpers import (
    API,
    month_of,
    one,
    recently,
    requirements,
    visit_body,
    written,
)


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
