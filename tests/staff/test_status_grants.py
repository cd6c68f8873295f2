"""Status changes and the last administrator (issue 10, least privilege), through the API,
the services and the admin; and the lock that keeps two concurrent removals from both
succeeding (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.staff import services
from hearth.staff.models import Agency, Role, StaffMember
from tests.factories import AgencyFactory, StaffFactory

API = "/api/v1"


@pytest.fixture
def state(db):
    return AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT)


def _depart(api, member):
    version = StaffMember.objects.get(pk=member.pk).version
    return api.patch(
        f"{API}/staff/{member.pk}",
        {"status": "departed", "departed_on": today().isoformat(), "version": version},
    )


def test_a_program_director_departs_their_own_contractor_staff(director, worker, api_as):
    r = _depart(api_as(director.user), worker)
    assert r.status_code == 200 and r.json()["status"] == "departed"


def test_nobody_departs_themselves(director, state, api_as):
    admin = StaffFactory(unit=None, agency=state, roles=[Role.ADMINISTRATOR])
    StaffFactory(unit=None, agency=state, roles=[Role.ADMINISTRATOR])
    for me in (director, admin):
        r = _depart(api_as(me.user), me)
        assert r.status_code == 403 and r.json()["errors"]["status"], r.content
        assert StaffMember.objects.get(pk=me.pk).status == "active"


def test_a_program_director_does_not_depart_an_administrator_of_their_agency(
    director, agency, state, api_as
):
    admin = StaffFactory(unit=None, agency=agency, roles=[Role.ADMINISTRATOR])
    r = _depart(api_as(director.user), admin)
    assert r.status_code == 403 and r.json()["errors"]["status"], r.content
    assert StaffMember.objects.get(pk=admin.pk).status == "active"


def test_staff_who_manage_no_one_are_refused_naming_the_field(supervisor, worker, api_as):
    r = _depart(api_as(supervisor.user), worker)
    assert r.status_code == 403 and r.json()["errors"]["status"], r.content
    r = api_as(supervisor.user).patch(f"{API}/staff/{worker.pk}", {"roles": ["supervisor"]})
    assert r.status_code == 403 and r.json()["errors"]["roles"], r.content
    assert StaffMember.objects.get(pk=worker.pk).status == "active"
    assert worker.roles.get().role == Role.CASE_MANAGER


def test_the_last_active_administrator_keeps_the_role_and_stays(state, api_as):
    admin = StaffFactory(unit=None, agency=state, roles=[Role.ADMINISTRATOR, Role.QA_REVIEWER])
    root = get_user_model().objects.create_superuser("root", "", "pass-word-123")
    api = api_as(root)
    r = api.patch(f"{API}/staff/{admin.pk}", {"roles": ["qa_reviewer"]})
    # A superuser without a staff record sees no staff in the API.
    assert r.status_code == 404
    with pytest.raises(DomainError) as err:
        services.staff_update(actor=root, member=admin, roles=[Role.QA_REVIEWER])
    assert err.value.status_code == 422 and "last active administrator" in err.value.errors["roles"]
    with pytest.raises(DomainError) as err:
        services.staff_update(actor=root, member=admin, status="on_leave")
    assert err.value.status_code == 422 and "status" in err.value.errors
    assert services.stored_roles(admin) == {Role.ADMINISTRATOR, Role.QA_REVIEWER}
    # With a second administrator, the first may go.
    second = StaffFactory(unit=None, agency=state, roles=[Role.ADMINISTRATOR])
    admin.refresh_from_db()
    r = api_as(second.user).patch(
        f"{API}/staff/{admin.pk}", {"roles": ["qa_reviewer"], "version": admin.version}
    )
    assert r.status_code == 200 and r.json()["roles"] == ["qa_reviewer"]
    r = api_as(second.user).patch(
        f"{API}/staff/{second.pk}", {"roles": ["qa_reviewer"], "version": second.version}
    )
    assert r.status_code == 403 and r.json()["errors"]["roles"]


def test_the_admin_keeps_the_last_administrator_and_departs_through_the_rule(client, state):
    admin = StaffFactory(unit=None, agency=state, roles=[Role.ADMINISTRATOR])
    root = get_user_model().objects.create_superuser("root", "", "pass-word-123")
    client.force_login(root)
    data = {
        "first_name": admin.first_name,
        "last_name": admin.last_name,
        "hire_date": admin.hire_date.isoformat(),
        "experience_level": admin.experience_level,
        "supervision_level": admin.supervision_level,
        "gender": admin.gender,
        "status": "departed",
        "departed_on": today().isoformat(),
        "roles": [Role.ADMINISTRATOR],
    }
    r = client.post(f"/admin/staff/staffmember/{admin.pk}/change/", data)
    assert r.status_code == 200 and "status" in r.context["adminform"].form.errors
    assert StaffMember.objects.get(pk=admin.pk).status == "active"
    StaffFactory(unit=None, agency=state, roles=[Role.ADMINISTRATOR])
    r = client.post(f"/admin/staff/staffmember/{admin.pk}/change/", data)
    assert r.status_code == 302
    admin.refresh_from_db()
    assert admin.status == "departed" and not admin.user.is_active
    # Staff are never deleted in the admin: they depart.
    assert client.post(f"/admin/staff/staffmember/{admin.pk}/delete/").status_code == 403


def test_the_admin_fixes_a_staff_records_sign_in_and_agency(client, worker):
    root = get_user_model().objects.create_superuser("root", "", "pass-word-123")
    client.force_login(root)
    page = client.get(f"/admin/staff/staffmember/{worker.pk}/change/")
    form = page.context["adminform"].form
    assert "roles" in form.fields and "user" not in form.fields and "agency" not in form.fields
    assert form.initial["roles"] == [Role.CASE_MANAGER]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_administrators_cannot_remove_each_other_at_once():
    """Admin A removes B's administrator role and holds the transaction open; B's removal
    of A's role waits on the lock, then sees that B is no administrator any more."""
    state = AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT)
    a, b = (
        StaffFactory(
            unit=None,
            agency=state,
            roles=[Role.ADMINISTRATOR],
            hire_date=today() - timedelta(days=900),
        )
        for _ in range(2)
    )
    outcome = {}

    def b_removes_a():
        try:
            services.staff_update(actor=b.user, member=a, roles=[Role.QA_REVIEWER])
            outcome["b"] = "done"
        except DomainError as exc:
            outcome["b"] = exc.status_code
        finally:
            connections.close_all()

    with transaction.atomic():
        services.staff_update(actor=a.user, member=b, roles=[Role.QA_REVIEWER])
        other = threading.Thread(target=b_removes_a)
        other.start()
        other.join(timeout=1.5)
        assert other.is_alive(), "the second removal did not wait for the first"
    other.join(timeout=30)
    assert outcome["b"] == 403  # B is no administrator any more
    assert services.stored_roles(a) == {Role.ADMINISTRATOR}
    assert services.stored_roles(b) == {Role.QA_REVIEWER}
