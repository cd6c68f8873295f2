"""Every role against every case endpoint: allowed, 403, or the same 404 as a missing
record, and lists that hold exactly what the role may see (no counts, no names leaked)."""

import pytest

from hearth.cases import access as case_access
from hearth.cases.models import Case
from hearth.core.services import today
from hearth.placements.models import Placement, RemovalEpisode
from hearth.visitation.models import PlanParticipant
from tests.conftest import EXPECTED_READ, EXPECTED_RESTRICT, EXPECTED_WRITE
from tests.factories import remove_with_plan

API = "/api/v1"
ROLES = sorted(EXPECTED_READ)


@pytest.fixture
def world(world_once):
    """The world built once for this module (tests/conftest.py)."""
    return world_once


@pytest.mark.parametrize("who", ROLES)
def test_case_list_holds_exactly_the_visible_cases(world, api_as, who):
    body = api_as(world["staff"][who].user).get(API + "/cases").json()
    ids = {c["id"] for c in body["items"]}
    assert ids == {world["cases"][n].pk for n in EXPECTED_READ[who]}
    assert body["count"] == len(ids)


@pytest.mark.parametrize("who", ROLES)
def test_case_endpoints_answer_by_scope(world, api_as, who):
    api = api_as(world["staff"][who].user)
    missing = api.get(f"{API}/cases/987654").content
    for name, case in world["cases"].items():
        urls = [
            f"/cases/{case.pk}",
            f"/cases/{case.pk}/members",
            f"/cases/{case.pk}/assignments",
            f"/cases/{case.pk}/history",
        ]
        for url in urls:
            r = api.get(API + url)
            if name in EXPECTED_READ[who]:
                assert r.status_code == 200, (who, name, url)
            else:
                assert r.status_code == 404, (who, name, url)
                assert r.content == missing
                assert case.case_number.encode() not in r.content
        r = api.patch(
            f"{API}/cases/{case.pk}", {"culture": f"edited by {who}", "version": case.version}
        )
        expected = (
            200 if name in EXPECTED_WRITE[who] else (403 if name in EXPECTED_READ[who] else 404)
        )
        assert r.status_code == expected, (who, name, r.content)
        case.refresh_from_db()
        assert (case.culture == f"edited by {who}") == (expected == 200)


@pytest.mark.parametrize("who", ROLES)
def test_assignment_endpoint_follows_a2(world, api_as, who):
    user = world["staff"][who].user
    api = api_as(user)
    for name, case in world["cases"].items():
        r = api.post(
            f"{API}/cases/{case.pk}/assignments",
            {"worker": world["staff"]["worker"].pk, "reason": "matrix", "version": case.version},
        )
        if name not in EXPECTED_READ[who]:
            assert r.status_code == 404
        elif not case_access.can_assign_case(user, case):
            assert r.status_code == 403
        else:
            assert r.status_code in (201, 422), r.content  # 422: rule refusal, never 403/404


@pytest.mark.parametrize("who", ROLES)
def test_people_endpoints_follow_their_cases(world, api_as, who):
    api = api_as(world["staff"][who].user)
    visible = {m.person_id for n in EXPECTED_READ[who] for m in world["cases"][n].members.all()}
    everyone = {m.person_id for c in world["cases"].values() for m in c.members.all()}
    listed = {p["id"] for p in api.get(API + "/people", page_size=200).json()["items"]}
    assert listed == visible
    for pid in everyone:
        assert api.get(f"{API}/people/{pid}").status_code == (200 if pid in visible else 404)


@pytest.mark.parametrize("who", ROLES)
def test_restriction_endpoints_by_role(world, api_as, who):
    """A restricted case: the list says so to those who see it; its named staff are read
    like the case; restricting, lifting and naming answer the program director and the
    supervisor of the case's unit (bodies the services refuse: 422), 403 to others who see
    the case, the 404 of a missing case to everyone else; nothing changes."""
    api = api_as(world["staff"][who].user)
    listed = api.get(API + "/cases").json()["items"]
    assert {c["id"] for c in listed if c["restricted"]} == (
        {world["cases"]["restricted"].pk} if "restricted" in EXPECTED_READ[who] else set()
    )
    missing = api.get(f"{API}/cases/987654/named-staff").content
    stranger = world["staff"]["admin"].pk  # no contractor sees them: "Unknown staff member"
    for name, case in world["cases"].items():
        r = api.get(f"{API}/cases/{case.pk}/named-staff")
        if name in EXPECTED_READ[who]:
            assert r.status_code == 200, (who, name)
            assert len(r.json()) == (1 if name == "restricted" else 0)
        else:
            assert r.status_code == 404 and r.content == missing, (who, name)
        if name in EXPECTED_RESTRICT.get(who, set()):
            expected = 422
        else:
            expected = 403 if name in EXPECTED_READ[who] else 404
        writes = [
            (
                f"/cases/{case.pk}/restriction",
                {"restricted": case.restricted, "reason": "x", "version": case.version},
            ),
            (f"/cases/{case.pk}/named-staff", {"staff": stranger, "reason": "x"}),
            (f"/cases/{case.pk}/named-staff/{stranger}/end", {"reason": "x"}),
        ]
        for url, body in writes:
            r = api.post(API + url, body)
            assert r.status_code == expected, (who, name, url, r.content)
    assert set(Case.objects.filter(restricted=True)) == {world["cases"]["restricted"]}
    assert world["cases"]["restricted"].access_grants.filter(purpose="named").count() == 1


@pytest.fixture(scope="module")
def in_care(module_world, django_db_blocker):
    """Each case's child removed into care, with a visitation plan awaiting signatures
    (made once, in the module's world)."""
    with django_db_blocker.unblock():
        actor = module_world["staff"]["supervisor"].user
        made = {}
        for name, case in module_world["cases"].items():
            child = case.members.get(role="child").person
            episode, plan = remove_with_plan(actor=actor, case=case, child=child)
            made[name] = (episode, plan, plan.participants.get())
    return made


@pytest.mark.parametrize("who", ROLES)
def test_placement_endpoints_answer_by_scope(world, in_care, api_as, who):
    """P2 to P7: reads 200 or the same 404 as a missing case; writes 403 on a case one
    may see but not change; an editor's refused body is a 422, and nothing is written."""
    api = api_as(world["staff"][who].user)
    assert api.get(API + "/resource-homes").status_code == 200  # any staff member
    missing = api.get(f"{API}/cases/987654/removals").content
    on = today().isoformat()
    for name, case in world["cases"].items():
        episode, plan, participant = in_care[name]
        reads = [
            f"/cases/{case.pk}/removals",
            f"/cases/{case.pk}/children/{episode.child_id}/placement-options",
            f"/removals/{episode.pk}/placements",
            f"/cases/{case.pk}/goals",
            f"/cases/{case.pk}/schools",
            f"/cases/{case.pk}/visitation-plans",
            f"/visitation-plans/{plan.pk}",
            f"/cases/{case.pk}/family-visits",
        ]
        for url in reads:
            r = api.get(API + url)
            if name in EXPECTED_READ[who]:
                assert r.status_code == 200, (who, name, url, r.content)
            else:
                assert r.status_code == 404, (who, name, url)
                assert r.content == missing
        # Bodies right in shape that the services refuse: an editor gets their 422.
        child = episode.child_id
        writes = [
            (
                f"/cases/{case.pk}/removals",
                {
                    "child": child,
                    "removed_on": on,
                    "legal_basis": "voluntary",
                    "removal_reasons": ["neglect"],
                },
            ),
            (
                f"/removals/{episode.pk}/exit",
                {"exited_on": on, "exit_reason": "transfer", "version": episode.version},
            ),
            (f"/removals/{episode.pk}/placements", {"setting": "group_home", "starts_on": on}),
            (
                f"/cases/{case.pk}/goals",
                {"child": child, "goal": "adoption", "starts_on": on, "reason": ""},
            ),
            (f"/cases/{case.pk}/schools", {"child": child, "school_name": ""}),
            (
                f"/cases/{case.pk}/visitation-plans",
                {
                    "child": child,
                    "made_at": "other",
                    "made_on": on,
                    "arrangements": [],
                    "participants": [],
                },
            ),
            (
                f"/visitation-plans/{plan.pk}/participants/{participant.pk}/sign",
                {
                    "method": "electronic",
                    "signed_on": on,
                    "signed_as": "Not the name",
                    "version": plan.version,
                },
            ),
            (
                f"/cases/{case.pk}/family-visits",
                {"child": child, "visit_on": on, "status": "missed"},
            ),
            (
                f"/cases/{case.pk}/placement-conferences",
                {"held_on": on, "participants": "x", "decisions": "x", "reviews": []},
            ),
        ]
        for url, body in writes:
            r = api.post(API + url, body)
            if name in EXPECTED_WRITE[who]:
                expected = 422
            else:
                expected = 403 if name in EXPECTED_READ[who] else 404
            assert r.status_code == expected, (who, name, url, r.content)
    assert RemovalEpisode.objects.count() == len(world["cases"])
    assert not Placement.objects.exists()
    assert not PlanParticipant.objects.filter(signed_on__isnull=False).exists()


@pytest.fixture(scope="module")
def contact_notes(module_world, in_care, django_db_blocker):
    """In each case (its child in care, so seen in person each month: V2), a draft call
    and a final call by the case's worker; neither meets the visit (made once, in the
    module's world)."""
    from datetime import timedelta

    from django.utils import timezone

    from hearth.cases.models import Assignment
    from hearth.contacts import services as contact_services

    with django_db_blocker.unblock():
        made = {}
        for name, case in module_world["cases"].items():
            worker = Assignment.objects.get(case=case, ends_on__isnull=True, kind="primary").worker
            child = in_care[name][0].child
            notes = [
                contact_services.contact_note_create(
                    actor=worker.user,
                    author=worker,
                    case=case,
                    occurred_at=timezone.now() - timedelta(hours=1),
                    method="phone",
                    contact_with=[child],
                    narrative="Called the child.",
                    finalize=final,
                )
                for final in (False, True)
            ]
            made[name] = (child, *notes)
    return made


@pytest.mark.parametrize("who", ROLES)
def test_contact_endpoints_answer_by_scope(world, contact_notes, api_as, who):
    """V8 to V13: note and requirement reads 200 or the same 404 as a missing record;
    writes 403 on a case one may see but not change, an editor's refused body 422 and
    nothing written; the figures answer everyone with staff, the unmet list names only
    the visible cases."""
    from hearth.contacts.models import ContactNote, NoteAmendment, ParentContactException

    api = api_as(world["staff"][who].user)
    missing = api.get(f"{API}/notes/987654").content
    on = today().isoformat()
    future = f"{today().year + 1}-01-01T12:00:00"
    for name, case in world["cases"].items():
        child, draft, final = contact_notes[name]
        reads = [
            f"/cases/{case.pk}/notes",
            f"/notes/{draft.pk}",
            f"/notes/{final.pk}",
            f"/cases/{case.pk}/contact-requirements",
            f"/people/{child.pk}/notes",
        ]
        for url in reads:
            r = api.get(API + url)
            if name in EXPECTED_READ[who]:
                assert r.status_code == 200, (who, name, url, r.content)
            else:
                assert r.status_code == 404, (who, name, url)
                assert r.content == missing
        writes = [
            (
                "post",
                f"/cases/{case.pk}/notes",
                {
                    "occurred_at": future,
                    "method": "in_person",
                    "contact_with": [child.pk],
                    "narrative": "x",
                },
            ),
            ("patch", f"/notes/{final.pk}", {"narrative": "edited", "version": final.version}),
            ("post", f"/notes/{final.pk}/finalize", {"version": final.version}),
            ("post", f"/notes/{draft.pk}/amendments", {"text": "x"}),
            (
                "post",
                f"/cases/{case.pk}/contact-exceptions",
                {"person": child.pk, "kind": "exception", "reason": "x", "starts_on": on},
            ),
            (
                "post",
                f"/cases/{case.pk}/parent-contact-plans",
                {"person": child.pk, "need": "in_person", "starts_on": on},
            ),
        ]
        for method, url, body in writes:
            r = getattr(api, method)(API + url, body)
            if name in EXPECTED_WRITE[who]:
                expected = 422
            else:
                expected = 403 if name in EXPECTED_READ[who] else 404
            assert r.status_code == expected, (who, name, url, r.content)
    month = f"{today():%Y-%m}"
    assert api.get(API + "/contacts/dashboard", month=month).status_code == 200
    assert api.get(API + "/obligations/mine", month=month).status_code == 200
    unmet = api.get(API + "/contacts/unmet", month=month, page_size=100).json()["items"]
    assert {o["case"]["id"] for o in unmet} == {world["cases"][n].pk for n in EXPECTED_READ[who]}
    assert ContactNote.objects.count() == 2 * len(world["cases"])
    assert ContactNote.objects.filter(status="final").count() == len(world["cases"])
    assert not ContactNote.objects.filter(narrative="edited").exists()
    assert not NoteAmendment.objects.exists() and not ParentContactException.objects.exists()
