"""Fixtures of the recommendations area (O1, O2, P1): the state's oversight specialist
overseeing the `case` fixture (an open non-court case held by `worker`), the state
oversight supervisor, a finalized contact note to cite, and helpers that recommend a
closure and review it with O1's four findings."""

import pytest

from hearth.cases import services as case_services
from hearth.contacts import services as contact_services
from hearth.core.services import now
from hearth.oversight.services import recommendations as services
from hearth.staff.models import Agency, Role
from tests.api.conftest import api_as  # noqa: F401 (shared fixtures)
from tests.factories import AgencyFactory, StaffFactory, UnitFactory

REASONS = (
    "The parents completed the parenting course, the home is safe at every visit and the "
    "children are well cared for: the family no longer needs protection."
)
FOUR = ("reasonable_efforts", "threats_mitigated", "aftercare", "best_interest")


@pytest.fixture
def state(db):
    agency = AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT, name="State oversight", code="st")
    unit = UnitFactory(agency=agency, name="Oversight North")
    return {
        "specialist": StaffFactory(
            unit=unit, roles=[Role.STATE_OVERSIGHT], user__username="specialist"
        ),
        "other_specialist": StaffFactory(unit=unit, roles=[Role.STATE_OVERSIGHT]),
        "supervisor": StaffFactory(
            unit=unit, roles=[Role.STATE_SUPERVISOR], user__username="statesup"
        ),
        "qa": StaffFactory(unit=unit, roles=[Role.QA_REVIEWER], user__username="qa"),
    }


def state_staff(role=Role.STATE_OVERSIGHT):
    """A state staff member (of a state agency made for them)."""
    agency = AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT)
    return StaffFactory(unit=UnitFactory(agency=agency), roles=[role])


def grant(case, staff, purpose="oversight"):
    return case_services.case_grant_access(
        actor=staff.user, granted_by=None, case=case, staff=staff, purpose=purpose
    )


@pytest.fixture
def overseen(case, state, supervisor):
    """The `case` fixture, opened, with the specialist's oversight grant (made before any
    recommendation: O1 keeps the content from them until its closure is recommended)."""
    case = case_services.case_change_status(actor=supervisor.user, case=case, status="open")
    grant(case, state["specialist"])
    return case


@pytest.fixture
def note(case, worker):
    member = case.members.get(role="child")
    return contact_services.contact_note_create(
        actor=worker.user,
        author=worker,
        case=case,
        occurred_at=now(),
        method="in_person",
        location="child_residence",
        contact_with=[member.person],
        narrative="Home visit: the home is safe and the children are well.",
        finalize=True,
    )


def recommend(case, worker, **kwargs):
    kwargs.setdefault("kind", "closure")
    kwargs.setdefault("reasons", REASONS)
    return services.recommendation_submit(actor=worker.user, case=case, **kwargs)


def four_findings(note=None, *, met=True, codes=FOUR):
    return [
        {
            "code": code,
            "met": met,
            "explanation": "" if note else f"The record shows {code}.",
            "evidence": [{"type": "contact_note", "id": note.pk}] if note else [],
        }
        for code in codes
    ]


def review(rec, reviewer, *, decision="approved", findings=None, reasons="", note=None):
    rec.refresh_from_db()
    return services.recommendation_review(
        actor=reviewer.user,
        recommendation=rec,
        decision=decision,
        findings=four_findings(note) if findings is None else findings,
        reasons=reasons,
        version=rec.version,
    )
