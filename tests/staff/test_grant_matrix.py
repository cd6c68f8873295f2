"""The grant matrix (issue 10, least privilege): every granting role x every role granted x
(self, own agency, other agency), through the API (create, PATCH) and the Django admin.

The world: a lead contractor (nsf), a service provider (rival) and the state oversight
agency (dcf). Contractor staff and a contractor administrator belong to nsf, their "other
agency" is rival; state staff and the state administrator belong to dcf, their "other
agency" is nsf. Each case grants one role to a fresh staff member of the agency, or to
the granter themselves. Every granter signs in to the admin as a superuser: the admin
holds them to their staff roles all the same.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client

from hearth.core.services import today
from hearth.policy.grants import ALL_ROLES, CONTRACTOR_ROLES, STATE_ROLES
from hearth.staff.models import Agency, Role, StaffMember
from tests.api.conftest import ApiClient
from tests.factories import AgencyFactory, StaffFactory, UserFactory

API = "/api/v1"
OK, HIDDEN = "ok", "hidden"

CM, SUP, IC, PD = "case_manager", "supervisor", "intake_coordinator", "program_director"
SO, SS, QA, ADM = "state_oversight", "state_supervisor", "qa_reviewer", "administrator"
ROLES = [CM, SUP, IC, PD, SO, SS, QA, ADM]

# Granter -> (their agency, their roles).
GRANTERS = {
    "case_manager": ("nsf", [CM]),
    "supervisor": ("nsf", [SUP]),
    "intake_coordinator": ("nsf", [IC]),
    "program_director": ("nsf", [PD]),
    "state_oversight": ("dcf", [SO]),
    "state_supervisor": ("dcf", [SS]),
    "qa_reviewer": ("dcf", [QA]),
    "contractor_administrator": ("nsf", [ADM]),
    "state_administrator": ("dcf", [ADM]),
}
OTHER = {"nsf": "rival", "dcf": "nsf"}

# Granter -> role -> (own agency, other agency): OK, 403 (beyond the granter's powers),
# 422 (the role does not fit the agency), HIDDEN (a contractor does not see another
# agency's staff: the API answers 404, the same as a missing record; the admin, 403).
# Granting to oneself is refused (403) for every granter and role.
_NOTHING = dict.fromkeys(ROLES, (403, 403))
_NOTHING_HIDDEN = dict.fromkeys(ROLES, (403, HIDDEN))
EXPECTED = {
    "case_manager": _NOTHING_HIDDEN,
    "supervisor": _NOTHING_HIDDEN,
    "intake_coordinator": _NOTHING_HIDDEN,
    "program_director": {
        CM: (OK, HIDDEN),
        SUP: (OK, HIDDEN),
        IC: (OK, HIDDEN),
        PD: (OK, HIDDEN),
        SO: (403, HIDDEN),
        SS: (403, HIDDEN),
        QA: (403, HIDDEN),
        ADM: (403, HIDDEN),
    },
    "state_oversight": _NOTHING,
    # The state oversight supervisor routes oversight and QA access to cases (O4), never
    # roles: only a state administrator grants state roles.
    "state_supervisor": _NOTHING,
    "qa_reviewer": _NOTHING,
    "contractor_administrator": {
        CM: (OK, OK),
        SUP: (OK, OK),
        IC: (OK, OK),
        PD: (OK, OK),
        SO: (403, 403),
        SS: (403, 403),
        QA: (403, 403),
        ADM: (OK, OK),
    },
    "state_administrator": {
        CM: (422, OK),
        SUP: (422, OK),
        IC: (422, OK),
        PD: (422, OK),
        SO: (OK, 422),
        SS: (OK, 422),
        QA: (OK, 422),
        ADM: (OK, OK),
    },
}
CASES = [(g, r, rel) for g in GRANTERS for r in ROLES for rel in ("self", "own", "other")]
NEW_CASES = [c for c in CASES if c[2] != "self"]


def expected(granter, role, relation):
    if relation == "self":
        return 403
    return EXPECTED[granter][role][0 if relation == "own" else 1]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end; each test
    runs in a savepoint of it (pytest-django's `db`). One API client and one admin client
    per granter: a new test client loads the middleware again, which is slow."""
    with django_db_blocker.unblock(), transaction.atomic():
        agencies = {
            "nsf": AgencyFactory(code="nsf", kind=Agency.Kind.LEAD_CONTRACTOR),
            "rival": AgencyFactory(code="rival", kind=Agency.Kind.SERVICE_PROVIDER),
            "dcf": AgencyFactory(code="dcf", kind=Agency.Kind.STATE_OVERSIGHT),
        }
        granters, api, admin = {}, {}, {}
        for name, (agency, roles) in GRANTERS.items():
            granters[name] = StaffFactory(
                unit=None,
                agency=agencies[agency],
                roles=roles,
                user__username=name,
                user__is_staff=True,
                user__is_superuser=True,
            )
            api[name] = ApiClient(granters[name].user)
            admin[name] = Client()
            admin[name].force_login(granters[name].user)
        yield {"agencies": agencies, "granters": granters, "api": api, "admin": admin}
        transaction.set_rollback(True)


def _target(world, granter, role, relation):
    """The staff member a role is granted to, and the roles they are to hold."""
    me = world["granters"][granter]
    if relation == "self":
        before = set(me.role_set)
        return me, sorted(before ^ {role})
    code = GRANTERS[granter][0] if relation == "own" else OTHER[GRANTERS[granter][0]]
    agency = world["agencies"][code]
    fitting = [QA, SO] if agency.kind == Agency.Kind.STATE_OVERSIGHT else [CM, SUP]
    base = next(r for r in fitting if r != role)
    member = StaffFactory(unit=None, agency=agency, roles=[base])
    return member, sorted({base, role})


def _unchanged(member, version):
    stored = StaffMember.objects.get(pk=member.pk)
    return stored.version == version and set(stored.roles.values_list("role", flat=True)) == set(
        member.role_set
    )


def _new_staff(agency_code, role):
    return {
        "username": "granted.one",
        "agency": agency_code,
        "first_name": "Granted",
        "last_name": "One",
        "roles": [role],
        "hire_date": (today() - timedelta(days=30)).isoformat(),
    }


def test_the_tables_cover_every_role():
    """The roles of the matrix are the product's roles, split into contractor and state
    roles as hearth.policy.grants splits them."""
    assert set(ROLES) == set(Role.values) == ALL_ROLES
    assert {CM, SUP, IC, PD} == CONTRACTOR_ROLES and {SO, SS, QA} == STATE_ROLES
    assert set(EXPECTED) == set(GRANTERS) and all(set(t) == set(ROLES) for t in EXPECTED.values())


@pytest.mark.parametrize(("granter", "role", "relation"), CASES)
def test_api_patch_roles(world, db, granter, role, relation):
    member, roles = _target(world, granter, role, relation)
    version = member.version
    r = world["api"][granter].patch(
        f"{API}/staff/{member.pk}", {"roles": roles, "version": version}
    )
    want = expected(granter, role, relation)
    if want == OK:
        assert r.status_code == 200, r.content
        assert sorted(r.json()["roles"]) == roles
        return
    if want == HIDDEN:
        assert r.status_code == 404, r.content
    else:
        assert r.status_code == want, r.content
        assert r.json()["errors"]["roles"], r.content
    assert _unchanged(member, version)


@pytest.mark.parametrize(("granter", "role", "relation"), NEW_CASES)
def test_api_create_with_roles(world, db, granter, role, relation):
    agency = GRANTERS[granter][0] if relation == "own" else OTHER[GRANTERS[granter][0]]
    r = world["api"][granter].post(API + "/staff", _new_staff(agency, role))
    want = expected(granter, role, relation)
    if want == OK:
        assert r.status_code == 201, r.content
        assert r.json()["roles"] == [role] and r.json()["agency"] == agency
        return
    field = "roles"
    if want == HIDDEN:
        # A program director names only their own agency; others manage no agency.
        want, field = (422, "agency") if granter == "program_director" else (403, "roles")
    assert r.status_code == want, r.content
    assert r.json()["errors"][field], r.content
    assert not StaffMember.objects.filter(user__username="granted.one").exists()


def _admin_form(member, roles, **extra):
    data = {
        k: ("" if v is None else v)
        for k, v in model_to_dict(member).items()
        if k not in {"id", "user", "agency", "version", "skills", "languages"}
    }
    return {**data, "roles": roles, **extra}


def _admin_refusal(r):
    """The admin re-shows the form with the reason on the roles field."""
    assert r.status_code == 200, r.status_code
    assert "roles" in r.context["adminform"].form.errors, r.context["adminform"].form.errors


@pytest.mark.parametrize(("granter", "role", "relation"), CASES)
def test_admin_change_roles(world, db, granter, role, relation):
    member, roles = _target(world, granter, role, relation)
    version = member.version
    r = world["admin"][granter].post(
        f"/admin/staff/staffmember/{member.pk}/change/", _admin_form(member, roles)
    )
    want = expected(granter, role, relation)
    if want == OK:
        assert r.status_code == 302, r.context["adminform"].form.errors
        assert set(StaffMember.objects.get(pk=member.pk).roles.values_list("role", flat=True)) == (
            set(roles)
        )
        return
    _admin_refusal(r)
    assert _unchanged(member, version)


@pytest.mark.parametrize(("granter", "role", "relation"), NEW_CASES)
def test_admin_add_with_roles(world, db, granter, role, relation):
    agency = GRANTERS[granter][0] if relation == "own" else OTHER[GRANTERS[granter][0]]
    user = UserFactory(username="granted.one")
    new = StaffMember(
        first_name="Granted",
        last_name="One",
        hire_date=today() - timedelta(days=30),
    )
    data = _admin_form(new, [role], user=user.pk, agency=world["agencies"][agency].pk)
    r = world["admin"][granter].post("/admin/staff/staffmember/add/", data)
    want = expected(granter, role, relation)
    if want == OK:
        assert r.status_code == 302, r.context["adminform"].form.errors
        added = StaffMember.objects.get(user=user)
        assert list(added.roles.values_list("role", flat=True)) == [role]
        return
    _admin_refusal(r)
    assert not StaffMember.objects.filter(user=user).exists()
