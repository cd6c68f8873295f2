"""Helpers of the services tests (P8, C9): assessments built directly with the models (the
assessments area builds its services in parallel) and providers of the directory."""

from datetime import timedelta

import pytest

from hearth.core.services import today
from hearth.planning.models import (
    Assessment,
    Instrument,
    InstrumentDomain,
    InstrumentItem,
    Provider,
    Rating,
    ServiceType,
)
from hearth.planning.services import services as planning_services
from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, make_case

ITEMS = [
    # code, text, kind, trauma
    ("sleep", "Sleep and night-time worries", "need", False),
    ("trauma", "Reactions to a frightening event", "need", True),
    ("school", "School attendance", "need", False),
    ("humour", "Sense of humour", "strength", False),
]


def instrument(subject: str = "child") -> Instrument:
    """A small test instrument for a child, a caregiver or the family (made once)."""
    made, created = Instrument.objects.get_or_create(
        code=f"test-{subject}",
        agency=None,
        defaults={"name": f"Test {subject} needs", "subject": subject, "kind": "needs"},
    )
    if created:
        domain = InstrumentDomain.objects.create(
            instrument=made, code="life", name="Daily life", order=1
        )
        for order, (code, text, kind, trauma) in enumerate(ITEMS):
            InstrumentItem.objects.create(
                domain=domain, code=code, text=text, kind=kind, trauma=trauma, order=order
            )
    return made


def assess(case, subject, staff, scores: dict[str, int], *, on=None, kind: str = "") -> Assessment:
    """An assessment of `subject` (None: the family) rated `scores` (item code -> score)."""
    tool = instrument(kind or ("family" if subject is None else "child"))
    assessment = Assessment.objects.create(
        case=case,
        instrument=tool,
        subject=subject,
        assessed_on=on or today(),
        assessed_by=staff,
        reason="initial",
        recorded_by=staff.user,
    )
    items = {i.code: i for i in InstrumentItem.objects.filter(domain__instrument=tool)}
    for code, score in scores.items():
        Rating.objects.create(assessment=assessment, item=items[code], score=score)
    return assessment


def actionable_need(case, person, staff, *, score: int = 2, item: str = "sleep") -> Rating:
    """C9: one actionable need (rated 2 or 3) of `person` in a new assessment."""
    assessment = assess(case, person, staff, {item: score})
    return assessment.ratings.get()


def service(code: str = "trauma-therapy") -> ServiceType:
    found, _ = ServiceType.objects.get_or_create(code=code, defaults={"name": code.title()})
    return found


def make_provider(name: str = "Bright Path Counselling", services=("trauma-therapy",), **fields):
    """P8: a provider in the directory, made with the models (the services are tested on
    their own)."""
    provider = Provider.objects.create(name=name, **fields)
    provider.services.set([service(code) for code in services])
    return provider


@pytest.fixture
def family(case):
    """The `case` fixture's child and parent."""
    members = {m.role: m.person for m in case.members.all()}
    return {"case": case, "child": members["child"], "parent": members["parent"]}


@pytest.fixture
def needs(family, worker):
    """The child's assessment: sleep rated 2, trauma 3 (actionable), school 1 (watch),
    and a strength rated 3 (never a need); the family's: school rated 2."""
    child = assess(
        family["case"], family["child"], worker, {"sleep": 2, "trauma": 3, "school": 1, "humour": 3}
    )
    fam = assess(family["case"], None, worker, {"school": 2})
    ratings = {r.item.code: r for r in child.ratings.select_related("item")}
    return {
        "sleep": ratings["sleep"],
        "trauma": ratings["trauma"],
        "watch": ratings["school"],
        "strength": ratings["humour"],
        "family_school": fam.ratings.get(),
    }


@pytest.fixture
def provider():
    return make_provider(
        services=("trauma-therapy", "family-therapy"), phone="555-010-2000", email="a@b.example"
    )


@pytest.fixture
def director(agency):
    """A program director: keeps the provider directory (provider.manage)."""
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


@pytest.fixture
def other_case(supervisor, worker):
    return make_case(actor_staff=supervisor, worker=worker, members=[(PersonFactory(), "child")])


@pytest.fixture
def referrals(world):
    """A referral in each case of the world, by the case's worker."""
    out = {}
    for name, case in world["cases"].items():
        child = case.members.get(role="child").person
        worker = case.assignments.get(ends_on__isnull=True, kind="primary").worker
        need = actionable_need(case, child, worker)
        provider = make_provider(f"Provider of {name}")
        out[name] = planning_services.service_referral_create(
            actor=worker.user,
            case=case,
            person=child,
            provider=provider,
            service=provider.services.get(),
            needs=[need.pk],
            specific_needs="Weekly sessions on the child's fear of the dark and of noise.",
            referred_on=today() - timedelta(days=1),
        )
    return out


def days_ago(n: int):
    return today() - timedelta(days=n)
