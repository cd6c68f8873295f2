from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from hearth.cases.models import Assignment, Case, CaseAccessGrant
from hearth.demo import reference as ref
from hearth.people.models import Person
from hearth.staff.models import Role, StaffMember, Unit


def _seed(seed=1, families=24) -> str:
    out = StringIO()
    call_command(
        "seed", "--scale", "demo", "--seed", str(seed), "--families", str(families), stdout=out
    )
    return out.getvalue()


@pytest.mark.django_db
def test_demo_has_every_role_sign_in_and_prints_them():
    out = _seed()
    User = get_user_model()
    for username, _ in ref.DEMO_SIGNINS:
        assert User.objects.get(username=username).check_password(ref.DEMO_PASSWORD)
        assert username in out
    roles = {
        "casemanager": Role.CASE_MANAGER,
        "supervisor": Role.SUPERVISOR,
        "director": Role.PROGRAM_DIRECTOR,
        "intake": Role.INTAKE_COORDINATOR,
        "oversight": Role.STATE_OVERSIGHT,
        "qa": Role.QA_REVIEWER,
        "admin": Role.ADMINISTRATOR,
    }
    for username, role in roles.items():
        assert StaffMember.objects.get(user__username=username).has_role(role)
    # Other synthetic staff cannot sign in with a password.
    assert (
        not User.objects.exclude(username__in=roles).filter(password__startswith="pbkdf").exists()
    )


@pytest.mark.django_db
def test_demo_covers_types_statuses_reopenings_and_the_support_unit():
    _seed(families=40)
    assert set(Case.objects.values_list("case_type", flat=True)) == set(Case.Type.values)
    assert {"referred", "assigned", "open", "closed"} <= set(
        Case.objects.values_list("status", flat=True)
    )
    reopened = Case.objects.filter(prior_case__isnull=False).first()
    assert reopened and reopened.prior_case.status == "closed"
    icpc = Case.objects.filter(icpc=True).first()
    assert icpc.unit.kind == Unit.Kind.CASE_MANAGEMENT_SUPPORT  # A4
    assert StaffMember.objects.filter(status="departed").exists()
    assert CaseAccessGrant.objects.filter(purpose="oversight").exists()
    assert CaseAccessGrant.objects.filter(purpose="qa_review").exists()
    held = Assignment.objects.filter(worker__user__username="casemanager", ends_on__isnull=True)
    assert held.count() >= 3
    assert Case.history.exists() and Person.history.exists()


class _Rollback(Exception):
    pass


def _fingerprint(seed: int) -> tuple:
    """Seed inside a savepoint, read what was made, then roll it back."""
    result = None
    try:
        with transaction.atomic():
            _seed(seed=seed, families=12)
            result = (
                sorted(Person.objects.values_list("first_name", "last_name", "date_of_birth")),
                sorted(Case.objects.values_list("case_number", "case_type", "status")),
            )
            raise _Rollback
    except _Rollback:
        pass
    return result


@pytest.mark.django_db
def test_demo_is_deterministic_for_a_seed_and_differs_between_seeds():
    first = _fingerprint(7)
    assert first == _fingerprint(7)
    assert first != _fingerprint(8)


@pytest.mark.django_db
def test_seed_if_empty_leaves_existing_data_alone():
    _seed(families=4)
    cases = Case.objects.count()
    out = StringIO()
    call_command("seed", "--scale", "demo", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert Case.objects.count() == cases
