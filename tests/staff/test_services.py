from datetime import date, timedelta

import pytest

from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.staff import services
from hearth.staff.models import Role, StaffMember
from tests.factories import UnitFactory


def test_staff_create_makes_a_user_with_roles(agency, unit, director):
    member = services.staff_create(
        actor=director.user,
        agency=agency,
        username="newcm",
        roles=[Role.CASE_MANAGER],
        unit=unit,
        first_name="Nia",
        last_name="Park",
        hire_date=today() - timedelta(days=40),
        preservice_training_completed_on=today() - timedelta(days=10),
    )
    assert member.user.username == "newcm" and not member.user.has_usable_password()
    assert member.has_role(Role.CASE_MANAGER)


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"hire_date": today() + timedelta(days=1)}, "hire_date"),
        (
            {
                "hire_date": today() - timedelta(days=5),
                "preservice_training_completed_on": today() - timedelta(days=9),
            },
            "preservice_training_completed_on",
        ),
        ({"status": "departed"}, "departed_on"),
    ],
)
def test_bad_staff_dates_are_refused(agency, director, fields, bad):
    fields = {"hire_date": today() - timedelta(days=100), **fields}
    with pytest.raises(DomainError) as err:
        services.staff_create(
            actor=director.user,
            agency=agency,
            username="x1",
            roles=[Role.CASE_MANAGER],
            first_name="A",
            last_name="B",
            **fields,
        )
    assert bad in err.value.errors
    assert not StaffMember.objects.filter(user__username="x1").exists()


def test_unit_of_another_agency_and_unknown_roles_are_refused(agency, director):
    with pytest.raises(DomainError) as err:
        services.staff_create(
            actor=director.user,
            agency=agency,
            username="x2",
            roles=["wizard"],
            unit=UnitFactory(),
            first_name="A",
            last_name="B",
            hire_date=date(2020, 1, 1),
        )
    assert {"unit", "roles"} <= set(err.value.errors)


def test_departing_deactivates_the_sign_in(worker, director):
    services.staff_update(
        actor=director.user, member=worker, status="departed", departed_on=today()
    )
    worker.user.refresh_from_db()
    assert worker.user.is_active is False


def test_unit_name_unique_in_agency(agency, unit, supervisor):
    with pytest.raises(DomainError):
        services.unit_create(
            actor=supervisor.user, agency=agency, name="Unit A", kind="case_management"
        )


def test_a_create_with_null_skills_and_languages_records_none(director, unit, api_as):
    """Found by schemathesis (`make fuzz`): null lists in a create body were a 500."""
    r = api_as(director.user).post(
        "/api/v1/staff",
        {
            "username": "null.lists",
            "first_name": "Nell",
            "last_name": "Lists",
            "hire_date": "2020-01-06",
            "unit": unit.pk,
            "roles": ["case_manager"],
            "skills": None,
            "languages": None,
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["skills"] == [] and r.json()["languages"] == []
