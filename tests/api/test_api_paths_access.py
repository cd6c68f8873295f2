"""Every path of the API, walked from its OpenAPI document (the page-URL map,
tests/web/test_url_access.py, leaves the API namespace to this module): refused to the
anonymous caller, and, for each role against each case of the world, a path that takes
a case's record (the case, its child, member, removal, visitation plan, note) answers a
case the role cannot see exactly as it answers a record that does not exist (a 404 for
a read), never a server error, and no response names a case or a child the role cannot
see. What the allowed answers hold is tests/api/test_access_matrix.py's subject."""

import re

import pytest

from hearth.api.api import api as hearth_api
from hearth.cases.models import Case, CaseMember
from hearth.contacts import services as contact_services
from hearth.contacts.models import ContactNote
from hearth.core.services import now
from tests.api.conftest import ApiClient
from tests.conftest import EXPECTED_READ
from tests.factories import remove_with_plan

MISSING = 987654
ROLES = sorted(EXPECTED_READ)
# The path parameters that name a record of one case: (the world's record for a case).
CASE_PARAMS = {
    "case_id": lambda r: r["case"].pk,
    "person_id": lambda r: r["child"].pk,
    "child_id": lambda r: r["child"].pk,
    "member_id": lambda r: r["member"].pk,
    "removal_id": lambda r: r["episode"].pk,
    "plan_id": lambda r: r["plan"].pk,
    "participant_id": lambda r: r["participant"].pk,
    "note_id": lambda r: r["note"].pk,
}
# The others: staff, units, agencies and tokens (scoped by tests/staff and tests/api).
OTHER_PARAMS = {
    "staff_id": lambda w: w["staff"]["named"].pk,
    "unit_id": lambda w: w["staff"]["worker"].unit_id,
    "code": lambda w: w["staff"]["worker"].agency.code,
    "token_id": lambda w: 1,
}


def operations() -> list[tuple[str, str, list[str]]]:
    """(method, path template, path parameters) of every operation in the document."""
    doc = hearth_api.get_openapi_schema()
    return [
        (method.upper(), path, [p["name"] for p in op.get("parameters", []) if p["in"] == "path"])
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
    ]


OPERATIONS = operations()
CASE_OPERATIONS = [op for op in OPERATIONS if set(op[2]) & set(CASE_PARAMS)]


def url(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def send(client: ApiClient, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return getattr(client, method.lower())(path, {})


@pytest.fixture(scope="module")
def records(module_world, django_db_blocker):
    """Each case's child removed into care with a visitation plan, and a final note:
    a record behind every case-scoped path parameter (kept for the module)."""
    actor = module_world["staff"]["supervisor"].user
    out = {}
    with django_db_blocker.unblock():
        for name, case in module_world["cases"].items():
            member = case.members.get(role="child")
            episode, plan = remove_with_plan(actor=actor, case=case, child=member.person)
            worker = case.assignments.get(ends_on__isnull=True, kind="primary").worker
            note = contact_services.contact_note_create(
                actor=worker.user,
                author=worker,
                case=case,
                occurred_at=now(),
                method="phone",
                contact_with=[member.person],
                narrative="Called the child.",
                finalize=True,
            )
            out[name] = {
                "case": case,
                "child": member.person,
                "member": member,
                "episode": episode,
                "plan": plan,
                "participant": plan.participants.get(),
                "note": note,
            }
    return out


@pytest.fixture
def world(world_once, records):
    """The world built once for this module (tests/conftest.py), with `records`."""
    return world_once


def test_every_path_parameter_is_known():
    """A new path parameter needs an entry here, so its records join the walk."""
    names = {name for _, _, params in OPERATIONS for name in params}
    assert names <= set(CASE_PARAMS) | set(OTHER_PARAMS), names - set(CASE_PARAMS)
    assert len(CASE_OPERATIONS) >= 40


def test_every_operation_refuses_the_anonymous_caller(world, records):
    """401 JSON (never 200, never 500) for each operation, on real records; nothing
    written."""
    anonymous = ApiClient()
    values = {name: fill(world) for name, fill in OTHER_PARAMS.items()}
    values |= {name: fill(records["mine"]) for name, fill in CASE_PARAMS.items()}
    before = (Case.objects.count(), CaseMember.objects.count(), ContactNote.objects.count())
    for method, path, _ in OPERATIONS:
        r = send(anonymous, method, url(path, values))
        assert r.status_code == 401, (method, path, r.status_code)
        assert r["Content-Type"].startswith("application/json"), (method, path)
        assert "detail" in r.json()
    after = (Case.objects.count(), CaseMember.objects.count(), ContactNote.objects.count())
    assert after == before


@pytest.mark.parametrize("who", ROLES)
def test_every_case_path_answers_an_unseen_case_like_a_missing_one(world, records, who):
    """For each operation that takes a case's record, and each case of the world: a
    case the role does not see gets the answer of a record that does not exist (a read:
    404), a case it sees is read (200) or refused (403), never a 500; no answer names a
    case or a child the role does not see. Writes go to unseen cases only (what an
    editor may write is the access matrix's subject)."""
    api = ApiClient(world["staff"][who].user)
    others = {name: fill(world) for name, fill in OTHER_PARAMS.items()}
    unseen = [n for n in world["cases"] if n not in EXPECTED_READ[who]]
    secrets = [world["cases"][n].case_number.encode() for n in unseen]
    secrets += [f'"{records[n]["child"].last_name}"'.encode() for n in unseen]
    for method, path, _ in CASE_OPERATIONS:
        missing = send(api, method, url(path, others | dict.fromkeys(CASE_PARAMS, MISSING)))
        assert missing.status_code != 500, (method, path)
        if method == "GET":
            assert missing.status_code in (403, 404), (who, path, missing.status_code)
        for name, record in records.items():
            seen = name in EXPECTED_READ[who]
            if method != "GET" and seen:
                continue
            values = others | {p: fill(record) for p, fill in CASE_PARAMS.items()}
            r = send(api, method, url(path, values))
            assert r.status_code != 500, (who, name, method, path)
            leaked = [s for s in secrets if s in r.content]
            assert not leaked, (who, name, method, path, leaked)
            if not seen:
                assert (r.status_code, r.content) == (missing.status_code, missing.content), (
                    who,
                    name,
                    method,
                    path,
                )
            else:
                assert r.status_code in (200, 403), (who, name, path, r.status_code, r.content)
