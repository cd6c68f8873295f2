from datetime import date, timedelta

import pytest

from hearth.cases.people_selectors import people_search
from hearth.core.errors import ConflictError, DomainError
from hearth.core.services import today
from hearth.people import services
from hearth.people.models import Person, Relationship
from tests.factories import LanguageFactory, PersonFactory


@pytest.fixture
def actor(supervisor):
    return supervisor.user


def test_date_of_birth_in_the_future_is_refused_and_nothing_is_stored(actor):
    with pytest.raises(DomainError) as err:
        services.person_create(
            actor=actor,
            first_name="Future",
            last_name="Child",
            date_of_birth=today() + timedelta(days=1),
        )
    assert err.value.errors == {"date_of_birth": "The date of birth cannot be in the future."}
    assert not Person.objects.exists()


def test_unknown_date_of_birth_is_empty(actor):
    p = services.person_create(actor=actor, first_name="A", last_name="B")
    assert p.dob_precision == "unknown" and p.date_of_birth is None
    with pytest.raises(DomainError) as err:
        services.person_update(
            actor=actor, person=p, dob_precision="unknown", date_of_birth=date(2010, 1, 1)
        )
    assert "dob_precision" in err.value.errors


def test_blank_names_are_refused(actor):
    with pytest.raises(DomainError) as err:
        services.person_create(actor=actor, first_name=" ", last_name="", dob_precision="unknown")
    assert set(err.value.errors) == {"first_name", "last_name"}


def test_update_keeps_history_with_author_and_m2m(actor):
    p = services.person_create(actor=actor, first_name="Ana", last_name="Lopez")
    spanish = LanguageFactory(code="es", name="Spanish")
    services.person_update(
        actor=actor, person=p, version=p.version, city="Riverton", languages=[spanish]
    )
    p.refresh_from_db()
    assert p.city == "Riverton" and list(p.languages.all()) == [spanish]
    last = p.history.order_by("-history_id").first()
    assert last.history_user == actor and last.city == "Riverton"


def test_stale_person_edit_is_refused(actor):
    p = services.person_create(actor=actor, first_name="Ana", last_name="Lopez")
    services.person_update(actor=actor, person=p, version=1, city="A")
    with pytest.raises(ConflictError):
        services.person_update(actor=actor, person=p, version=1, city="B")
    p.refresh_from_db()
    assert p.city == "A"


def test_parent_relationship_needs_parent_type_and_defaults_rights_intact(actor):
    parent, child = PersonFactory(), PersonFactory()
    with pytest.raises(DomainError) as err:
        services.relationship_create(actor=actor, person=parent, other=child, kind="parent")
    assert "parent_type" in err.value.errors
    rel = services.relationship_create(
        actor=actor, person=parent, other=child, kind="parent", parent_type="alleged"
    )
    assert rel.parental_rights == Relationship.ParentalRights.INTACT


def test_self_relationship_and_duplicates_are_refused(actor):
    a, b = PersonFactory(), PersonFactory()
    with pytest.raises(DomainError):
        services.relationship_create(actor=actor, person=a, other=a, kind="sibling")
    services.relationship_create(actor=actor, person=a, other=b, kind="sibling")
    with pytest.raises(DomainError):
        services.relationship_create(actor=actor, person=a, other=b, kind="sibling")


def test_search_by_name_dob_and_case_number_within_scope(case, worker, supervisor):
    child = case.members.get(role="child").person
    user = worker.user
    assert list(people_search(viewer=user, q="ava riv")) == [child]
    assert child in people_search(viewer=user, q="06/01/2015")
    assert child in people_search(viewer=user, q="2015-06-01")
    assert child in people_search(viewer=user, q=case.case_number.lower())
    hidden = PersonFactory(first_name="Ava", last_name="Rivera")
    assert hidden not in people_search(viewer=user, q="Ava")
    assert not people_search(viewer=user, q="  ").exists()
