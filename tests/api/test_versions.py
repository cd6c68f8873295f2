"""No lost update (issue 10, section 5): every operation of the OpenAPI document that
changes an existing record needs the version its client read, as `version` in the body
or as If-Match with the ETag of the record's GET. Without it: 428 and nothing changes;
with a version someone else has since changed: 409 naming the current version and who
changed it, and nothing changes; with the right ETag: the change, and the new ETag.

The walk reads the operations from the OpenAPI document itself, so an endpoint added
without a version check (and without a scenario here) fails it."""

from dataclasses import dataclass

import pytest
from django.db.models import Model

from hearth.api.api import api
from hearth.cases import services as case_services
from hearth.cases.models import Case, CaseMember
from hearth.core.services import validated_save
from hearth.placements import services as placement_services
from hearth.staff.models import Role, StaffMember
from hearth.visitation.models import VisitationPlan
from tests.api.conftest import ApiClient
from tests.api.contacts.helpers import note
from tests.api.test_placements_api import iso, place
from tests.api.test_visitation_api import plan_body
from tests.factories import CountyFactory, StaffFactory, UnitFactory
from tests.placements.conftest import make_home

API = "/api/v1"

# POSTs that create a new record need no version: nobody else can have changed what does
# not exist yet. Every other PATCH, PUT, DELETE, and every POST on a path naming an
# existing record, must have a scenario in SCENARIOS below.
EXEMPT = {
    "hearth_people_api_create_relationship": "records a new relationship",
    "hearth_cases_api_add_member": "adds a new membership",
    "hearth_placements_api_create_removal": "records a new removal episode",
    "hearth_placements_api_create_placement": "a new placement (the current one ends on its "
    "start; overlaps are refused)",
    "hearth_placements_api_change_goal": "a new permanency goal (the current one ends)",
    "hearth_placements_api_create_visit_plan": "a new plan, in effect once all have signed",
    "hearth_placements_api_record_family_visit": "records a new visit",
    "hearth_placements_api_record_placement_conference": "records a new meeting",
    "hearth_contacts_api_create_note": "writes a new note",
    "hearth_contacts_api_amend_note": "adds an amendment; the final note is never edited",
    "hearth_contacts_api_approve_exception": "records a new approved exception",
    "hearth_contacts_api_set_contact_plan": "a new contact plan (the one in effect ends)",
    "hearth_cases_api_name_staff": "names a staff member on a restricted case: a new grant",
    "hearth_cases_api_unname_staff": "ends a named grant (its end date and reason are set once; "
    "ending it again is refused)",
    "hearth_api_tokens_revoke_token": "revokes the caller's own token; revoking twice changes "
    "nothing",
    "hearth_intake_api_reassign": "new assignments; a case no longer held by the worker is "
    "refused, so a move made meanwhile is never overwritten",
}


def changing_operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path) of every operation that may change an existing record:
    PATCH, PUT, DELETE, and POST on a path with a record's id (or code)."""
    ops = []
    for path, item in api.get_openapi_schema()["paths"].items():
        for method, op in item.items():
            if method in {"patch", "put", "delete"} or (method == "post" and "{" in path):
                ops.append((op["operationId"], method, path))
    return sorted(ops)


CHANGING = changing_operations()


@dataclass
class Change:
    actor: StaffMember
    method: str
    url: str
    body: dict
    record: Model  # the record whose version the change needs
    read: str  # its GET (ETag), or a list that shows its version
    single: bool = True  # `read` is the record's own GET


@pytest.fixture
def scene(family, removed, supervisor, worker, unit, agency):
    """Everything the scenarios change, recorded through the services."""
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    case = family["case"]
    referral = case_services.case_create(
        actor=director.user,
        agency=agency,
        unit=unit,
        county=CountyFactory(),
        case_type=Case.Type.IN_HOME_NON_COURT,
    )
    placement_services.school_record(
        actor=worker.user, case=case, child=family["child"], school_name="Elm Primary"
    )
    placed = place(
        worker,
        removed,
        choice=f"home:{make_home('Resource home').pk}",
        school="changes",
        new_school_name="Oak Primary",
        best_interest_reason="The old school is two hours away.",
    )
    return {
        "family": family,
        "case": case,
        "removed": removed,
        "worker": worker,
        "supervisor": supervisor,
        "director": director,
        "colleague": StaffFactory(unit=unit),
        "unit": unit,
        "other_unit": UnitFactory(agency=agency, name="Unit C"),
        "agency": agency,
        "referral": referral,
        "new_school": placed.school_moves.get(),
        "note": note(worker, case, method="phone", contact_with=[family["parent"]]),
    }


def _sign(s):
    r = ApiClient(s["worker"].user).post(
        f"{API}/cases/{s['case'].pk}/visitation-plans", plan_body(s["family"])
    )
    assert r.status_code == 201, r.content
    plan = VisitationPlan.objects.get(pk=r.json()["id"])
    participant = plan.participants.order_by("id").first()
    return Change(
        s["worker"],
        "post",
        f"/visitation-plans/{plan.pk}/participants/{participant.pk}/sign",
        {"method": "paper", "signed_on": iso(2)},
        plan,
        f"/visitation-plans/{plan.pk}",
    )


def _member(s):
    member = CaseMember.objects.get(case=s["case"], person=s["family"]["sibling"])
    return Change(
        s["worker"],
        "patch",
        f"/case-members/{member.pk}",
        {"in_household": False},
        member,
        f"/cases/{s['case'].pk}/members",
        single=False,
    )


# operationId -> the change it makes in `scene`, as whom, and where its version is read.
SCENARIOS = {
    "hearth_people_api_update_person": lambda s: Change(
        s["worker"],
        "patch",
        f"/people/{s['family']['child'].pk}",
        {"middle_name": "James"},
        s["family"]["child"],
        f"/people/{s['family']['child'].pk}",
    ),
    "hearth_cases_api_update_case": lambda s: Change(
        s["worker"],
        "patch",
        f"/cases/{s['case'].pk}",
        {"culture": "Speaks Portuguese at home"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_cases_api_change_status": lambda s: Change(
        s["worker"],
        "post",
        f"/cases/{s['case'].pk}/status",
        {"status": "open"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_cases_api_update_member": _member,
    "hearth_cases_api_set_restriction": lambda s: Change(
        s["supervisor"],
        "post",
        f"/cases/{s['case'].pk}/restriction",
        {"restricted": True, "reason": "A colleague's own family"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_cases_api_assign": lambda s: Change(
        s["director"],
        "post",
        f"/cases/{s['case'].pk}/assignments",
        {"worker": s["colleague"].pk, "reason": "Balance", "override_reason": "The test's"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_staff_api_set_policy": lambda s: Change(
        s["director"],
        "put",
        f"/agencies/{s['agency'].code}/policy",
        {"overrides": {"unit_routing": "rotation"}},
        s["agency"],
        f"/agencies/{s['agency'].code}/policy",
    ),
    "hearth_staff_api_update_unit": lambda s: Change(
        s["director"],
        "patch",
        f"/units/{s['other_unit'].pk}",
        {"name": "Unit Z"},
        s["other_unit"],
        f"/units/{s['other_unit'].pk}",
    ),
    "hearth_staff_api_update_staff": lambda s: Change(
        s["director"],
        "patch",
        f"/staff/{s['colleague'].pk}",
        {"culture": "Haitian"},
        s["colleague"],
        f"/staff/{s['colleague'].pk}",
    ),
    "hearth_placements_api_exit_removal": lambda s: Change(
        s["worker"],
        "post",
        f"/removals/{s['removed'].pk}/exit",
        {"exited_on": iso(1), "exit_reason": "reunification"},
        s["removed"],
        f"/cases/{s['case'].pk}/removals",
        single=False,
    ),
    # A school of origin is a new record; a new school's enrolment date changes one.
    "hearth_placements_api_record_school": lambda s: Change(
        s["worker"],
        "post",
        f"/cases/{s['case'].pk}/schools",
        {
            "child": s["family"]["child"].pk,
            "enrolment_of": s["new_school"].pk,
            "enrolled_on": iso(55),
        },
        s["new_school"],
        f"/cases/{s['case'].pk}/schools",
        single=False,
    ),
    "hearth_placements_api_sign_visit_plan": _sign,
    "hearth_contacts_api_update_note": lambda s: Change(
        s["worker"],
        "patch",
        f"/notes/{s['note'].pk}",
        {"purpose": "Follow-up visit"},
        s["note"],
        f"/notes/{s['note'].pk}",
    ),
    "hearth_contacts_api_finalize_note": lambda s: Change(
        s["worker"],
        "post",
        f"/notes/{s['note'].pk}/finalize",
        {},
        s["note"],
        f"/notes/{s['note'].pk}",
    ),
    "hearth_intake_api_send_to_unit": lambda s: Change(
        s["director"],
        "post",
        f"/cases/{s['referral'].pk}/routing",
        {"unit": s["other_unit"].pk, "reason": "The family moved"},
        s["referral"],
        f"/cases/{s['referral'].pk}",
    ),
}


def _read(client, change: Change) -> str:
    """The ETag a client reads the record at: the GET's header, or the version a list
    shows for it (records without a GET of their own)."""
    r = client.get(API + change.read)
    assert r.status_code == 200, r.content
    if change.single:
        assert r.has_header("ETag"), f"GET {change.read} gives no ETag"
        return r["ETag"]
    (item,) = [i for i in r.json() if i["id"] == change.record.pk]
    return f'"{item["version"]}"'


def _state(record):
    record.refresh_from_db()
    return record.version, record.history.count()


@pytest.mark.parametrize(
    ("operation", "method", "path"),
    [op for op in CHANGING if op[0] not in EXEMPT],
    ids=[op[0] for op in CHANGING if op[0] not in EXEMPT],
)
def test_every_change_needs_the_version_read(operation, method, path, scene, api_as):
    assert operation in SCENARIOS, (
        f"{method.upper()} {path} changes a record: give it a version check and a scenario "
        "here, or list it in EXEMPT if it only creates a new record."
    )
    change = SCENARIOS[operation](scene)
    assert change.method == method
    client = api_as(change.actor.user)
    send = getattr(client, change.method)
    url = API + change.url

    # No version: 428, and nothing changes.
    before = _state(change.record)
    r = send(url, change.body)
    assert r.status_code == 428, (r.status_code, r.content)
    assert "version" in r.json()["errors"]
    assert _state(change.record) == before

    # Read, then someone else changes the record: the version read is stale.
    read = _read(client, change)
    assert read == f'"{change.record.version}"'
    other = StaffFactory(agency=scene["agency"], user__first_name="Olive", user__last_name="Other")
    change.record.bump_version()
    validated_save(change.record, actor=other.user)
    stale = _state(change.record)
    r = send(url, {**change.body, "version": int(read.strip('"'))})
    assert r.status_code == 409, (r.status_code, r.content)
    reason = r.json()["errors"]["version"]
    assert "Olive Other" in reason and f"now version {stale[0]}" in reason, reason
    r = send(url, change.body, headers={"If-Match": read})
    assert r.status_code == 409, (r.status_code, r.content)
    assert _state(change.record) == stale

    # With the ETag of a fresh read: the change, and the new version's ETag.
    fresh = _read(client, change)
    r = send(url, change.body, headers={"If-Match": fresh})
    assert r.status_code in (200, 201), (r.status_code, r.content)
    version, _ = _state(change.record)
    assert version > stale[0]
    assert r["ETag"] == f'"{version}"'
    assert _read(client, change) == f'"{version}"'


def test_every_exempt_operation_is_still_in_the_document():
    assert set(EXEMPT) <= {op for op, _, _ in CHANGING}
    assert set(SCENARIOS) <= {op for op, _, _ in CHANGING}


def test_if_match_takes_a_weak_etag_and_refuses_a_malformed_one(scene, api_as):
    person = scene["family"]["child"]
    client = api_as(scene["worker"].user)
    url = f"{API}/people/{person.pk}"
    for bad in ("*", '"1", "2"', "one"):
        r = client.patch(url, {"middle_name": "J"}, headers={"If-Match": bad})
        assert r.status_code == 422 and "If-Match" in r.json()["errors"], bad
    r = client.patch(
        url, {"middle_name": "J", "version": person.version + 1}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 422 and "version" in r.json()["errors"]
    r = client.patch(url, {"middle_name": "J"}, headers={"If-Match": f'W/"{person.version}"'})
    assert r.status_code == 200 and r.json()["middle_name"] == "J"
    assert r["ETag"] == f'"{person.version + 1}"'


def test_a_conflict_names_what_the_other_person_changed(scene, api_as):
    """The history says who changed what since the version read (the web forms show it)."""
    case = scene["case"]
    read = case.version
    case_services.case_update(
        actor=scene["supervisor"].user, case=case, version=read, culture="Speaks Tagalog"
    )
    r = api_as(scene["worker"].user).patch(
        f"{API}/cases/{case.pk}", {"culture": "Speaks Portuguese", "version": read}
    )
    assert r.status_code == 409
    case.refresh_from_db()
    assert case.culture == "Speaks Tagalog"
    change = case.change_since(read)
    assert change.version == case.version
    assert ("culture", "—", "Speaks Tagalog") in change.changes
