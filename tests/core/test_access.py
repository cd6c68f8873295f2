"""The scoping module, role by role: who sees which cases, people, staff and units."""

import pytest

from hearth.cases import access as case_access
from hearth.core.errors import Forbidden, NotFound
from hearth.people import services as people_services
from hearth.staff import access as staff_access
from hearth.staff.models import Agency
from tests.conftest import EXPECTED_READ, EXPECTED_WRITE


@pytest.fixture
def world(world_once):
    """The world built once for this module (tests/conftest.py)."""
    return world_once


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_each_role_sees_exactly_its_cases(world, who):
    user = world["staff"][who].user
    names = {v.pk: k for k, v in world["cases"].items()}
    assert {names[c.pk] for c in case_access.visible_cases(user)} == EXPECTED_READ[who]
    assert {names[c.pk] for c in case_access.editable_cases(user)} == EXPECTED_WRITE[who]


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_single_case_answers_match_the_list(world, who):
    """A case missing from a user's list is missing from its page too (same NotFound)."""
    user = world["staff"][who].user
    for name, case in world["cases"].items():
        if name in EXPECTED_READ[who]:
            assert case_access.access_case(user, case.pk) == case
            if name not in EXPECTED_WRITE[who]:
                with pytest.raises(Forbidden):
                    case_access.access_case(user, case.pk, for_edit=True)
        else:
            with pytest.raises(NotFound):
                case_access.access_case(user, case.pk)
    with pytest.raises(NotFound):
        case_access.access_case(user, 999999)
    with pytest.raises(NotFound):
        case_access.access_case(user, "not-a-number")


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_people_follow_their_cases(world, who):
    user = world["staff"][who].user
    expected = {
        m.person_id for name in EXPECTED_READ[who] for m in world["cases"][name].members.all()
    }
    assert set(case_access.visible_people(user).values_list("pk", flat=True)) == expected


def test_anonymous_and_departed_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not case_access.visible_cases(AnonymousUser()).exists()
    assert not case_access.visible_people(None).exists()
    worker = world["staff"]["worker"]
    worker.status = "departed"
    worker.departed_on = worker.hire_date
    worker.save()
    user = django_user_model.objects.get(pk=worker.user_id)
    assert not case_access.visible_cases(user).exists()


def test_unlinked_person_visible_to_recording_agency_only(world):
    sup = world["staff"]["supervisor"]
    person = people_services.person_create(
        actor=sup.user, recorded_by_agency=sup.agency, first_name="New", last_name="Referral"
    )
    assert case_access.visible_people(sup.user).filter(pk=person.pk).exists()
    assert (
        not case_access.visible_people(world["staff"]["rival_sup"].user)
        .filter(pk=person.pk)
        .exists()
    )
    assert (
        not case_access.visible_people(world["staff"]["oversight"].user)
        .filter(pk=person.pk)
        .exists()
    )


def test_a2_supervisor_and_director_assign_within_their_scope(world):
    cases = world["cases"]
    staff = world["staff"]
    assert case_access.can_assign_case(staff["supervisor"].user, cases["mine"])
    assert not case_access.can_assign_case(staff["supervisor"].user, cases["other_units"])
    assert case_access.can_assign_case(staff["director"].user, cases["other_units"])
    assert not case_access.can_assign_case(staff["worker"].user, cases["mine"])
    assert not case_access.can_assign_case(staff["director"].user, cases["rival"])


def test_staff_and_units_scoped_by_agency(world):
    staff = world["staff"]
    own = staff_access.visible_staff(staff["supervisor"].user)
    assert staff["worker"] in own and staff["rival_sup"] not in own
    assert staff["rival_sup"] in staff_access.visible_staff(staff["oversight"].user)
    with pytest.raises(NotFound):
        staff_access.access_staff(staff["supervisor"].user, staff["rival_sup"].pk)
    with pytest.raises(Forbidden):
        staff_access.access_staff(staff["supervisor"].user, staff["worker"].pk, for_edit=True)
    assert staff_access.access_unit(staff["director"].user, staff["worker"].unit_id, for_edit=True)
    assert list(staff_access.managed_agencies(staff["admin"].user).order_by("pk")) == list(
        Agency.objects.order_by("pk")
    )


def test_restricted_case_people_are_seen_through_the_case_only(world):
    """A person of a restricted case who is also in a case the viewer sees is visible
    through that case, but neither their memberships nor a search by the restricted case's
    number reveal the restricted case."""
    from hearth.cases import people_selectors
    from hearth.cases import services as case_services

    restricted, mine = world["cases"]["restricted"], world["cases"]["mine"]
    child = restricted.members.get().person
    worker, supervisor = world["staff"]["worker"], world["staff"]["supervisor"]
    assert not case_access.visible_people(worker.user).filter(pk=child.pk).exists()
    with pytest.raises(NotFound):
        case_access.access_person(worker.user, child.pk)
    case_services.case_member_add(actor=supervisor.user, case=mine, person=child, role="sibling")
    assert case_access.access_person(worker.user, child.pk) == child
    cases = {m.case_id for m in people_selectors.person_cases(viewer=worker.user, person=child)}
    assert cases == {mine.pk}
    number = restricted.case_number
    assert not people_selectors.people_search(viewer=worker.user, q=number).exists()
    assert list(people_selectors.people_search(viewer=supervisor.user, q=number)) == [child]
