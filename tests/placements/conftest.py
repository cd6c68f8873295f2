"""A child removed from a family, the child's relatives, and a small resource directory
at known distances from the parents' home (about 11 km per 0.1 degree of latitude)."""

from datetime import date, timedelta

import pytest

from hearth.core.services import today
from hearth.people.models import Relationship
from hearth.placements import services
from hearth.placements.models import ResourceHome, Setting
from tests.factories import PersonFactory, make_case

HOME = (40.0, -75.0)  # the parents' home


def make_home(name, setting=Setting.RESOURCE_FAMILY_HOME, km_north=10.0, **fields):
    fields.setdefault("capacity", 2)
    return ResourceHome.objects.create(
        name=name,
        setting=setting,
        latitude=round(HOME[0] + km_north / 111.2, 6),
        longitude=HOME[1],
        **fields,
    )


def days_ago(n: int) -> date:
    """Relative to the services' today (the agency's time zone, not the host's)."""
    return today() - timedelta(days=n)


@pytest.fixture
def family(supervisor, worker):
    child = PersonFactory(first_name="Noah", last_name="Brook", date_of_birth=days_ago(9 * 365))
    sibling = PersonFactory(first_name="Lily", last_name="Brook", date_of_birth=days_ago(6 * 365))
    parent = PersonFactory(
        first_name="Dana",
        last_name="Brook",
        date_of_birth=date(1990, 1, 1),
        latitude=HOME[0],
        longitude=HOME[1],
    )
    aunt = PersonFactory(  # recorded by the agency; not a member of the case
        first_name="Rosa",
        last_name="Brook",
        date_of_birth=date(1980, 1, 1),
        recorded_by_agency=supervisor.agency,
        latitude=HOME[0] + 30 / 111.2,
        longitude=HOME[1],
    )
    for kid in (child, sibling):
        Relationship.objects.create(
            person=parent, other=kid, kind="parent", parent_type="legal", parental_rights="intact"
        )
        Relationship.objects.create(person=aunt, other=kid, kind="relative", relative_kind="aunt")
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="out_of_home",
        court_involved=True,
        opened_on=days_ago(120),
        members=[(child, "child"), (sibling, "child"), (parent, "parent")],
    )
    return {"case": case, "child": child, "sibling": sibling, "parent": parent, "aunt": aunt}


@pytest.fixture
def removed(family, worker):
    episode = services.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(60),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    return episode
