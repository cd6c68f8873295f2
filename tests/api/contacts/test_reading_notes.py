"""Reading notes: a case's and a person's notes, their queries and the access log."""

from datetime import timedelta

import pytest

from hearth.contacts import services
from hearth.staff.models import Role
from tests.api.contacts.helpers import API, api_logs, note, recently
from tests.factories import PersonFactory, StaffFactory, UnitFactory, make_case


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
