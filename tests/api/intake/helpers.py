"""Set-up helpers of the intake and assignment API tests: staff, caseloads built through
the services, referral bodies and row counts."""

from datetime import timedelta

from hearth.cases import services as case_services
from hearth.cases.models import Assignment, Case
from hearth.core.services import today
from hearth.intake import services as intake_services
from hearth.intake.models import Routing
from hearth.people.models import Person
from hearth.staff.models import Role, StaffMember
from tests.factories import StaffFactory

API = "/api/v1"


def _director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


def _intake(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])


def _worker(unit, name, **fields):
    return StaffFactory(unit=unit, first_name=name, last_name="Case", **fields)


def _new_worker(unit, name, trained_days_ago=20):
    trained = today() - timedelta(days=trained_days_ago)
    return _worker(
        unit,
        name,
        hire_date=trained - timedelta(days=20),
        preservice_training_completed_on=trained,
        experience_level=StaffMember.Experience.NEW,
    )


def _hold(worker, n, *, by, county, complexity=2):
    """`worker` takes `n` open cases of their unit (assigned by `by`, a program director,
    through the services; the set-up overrides the recommendation with a reason)."""
    made = []
    for _ in range(n):
        case = case_services.case_create(
            actor=by.user,
            agency=worker.agency,
            unit=worker.unit,
            county=county,
            case_type=Case.Type.IN_HOME_NON_COURT,
            complexity=complexity,
            opened_on=today() - timedelta(days=30),
        )
        intake_services.case_assign(
            actor=by.user,
            assigned_by=by,
            case=case,
            worker=worker,
            reason="Set-up",
            override_reason="Set-up: building a caseload",
        )
        made.append(case)
    return made


def _child(first="Ava", last="Lopez"):
    return {"first_name": first, "last_name": last, "date_of_birth": "2016-05-01"}


def _body(**fields):
    body = {
        "county": "riv",
        "case_type": "in_home_non_court",
        "members": [
            {"person": _child(), "role": "child"},
            {
                "person": {"first_name": "Rosa", "last_name": "Lopez", "sex": "female"},
                "role": "parent",
            },
        ],
    }
    body.update(fields)
    return body


def _refer(api, **fields):
    r = api.post(API + "/referrals", _body(**fields))
    assert r.status_code == 201, r.content
    return r.json()


def _counts():
    return (
        Case.objects.count(),
        Person.objects.count(),
        Routing.objects.count(),
        Assignment.objects.count(),
    )
