"""A family for case planning: a child of 15 (a youth who signs), a younger child, a
custodial parent and a non-custodial one (C2), actionable needs of an assessment made
directly with models (the assessments area builds its service in parallel), and family
team meetings made directly with models (CaseMeeting + TeamMeeting + participants)."""

from datetime import date, timedelta

import pytest

from hearth.cases.models import CaseMeeting
from hearth.core.services import today
from hearth.planning.models import (
    Assessment,
    Instrument,
    InstrumentDomain,
    InstrumentItem,
    MeetingParticipant,
    Rating,
    TeamMeeting,
)
from hearth.planning.services import plans as services
from tests.factories import PersonFactory, make_case


def years_ago(n: int, days: int = 0) -> date:
    d = today()
    try:
        born = d.replace(year=d.year - n)
    except ValueError:  # 29 February
        born = d.replace(year=d.year - n, day=28)
    return born - timedelta(days=days)


@pytest.fixture
def family(supervisor, worker):
    youth = PersonFactory(first_name="Jade", last_name="Orchard", date_of_birth=years_ago(15))
    child = PersonFactory(first_name="Milo", last_name="Orchard", date_of_birth=years_ago(6))
    mother = PersonFactory(first_name="Iris", last_name="Orchard", date_of_birth=date(1988, 3, 3))
    father = PersonFactory(first_name="Owen", last_name="Fallow", date_of_birth=date(1986, 5, 5))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        members=[(youth, "child"), (child, "child"), (mother, "parent")],
    )
    # The non-custodial father: a parent of the case, not in the household (C2).
    from hearth.cases import services as case_services

    case_services.case_member_add(
        actor=supervisor.user,
        case=case,
        person=father,
        role="parent",
        starts_on=case.opened_on,
        in_household=False,
    )
    case.refresh_from_db()
    return {
        "case": case,
        "youth": youth,
        "child": child,
        "mother": mother,
        "father": father,
        "worker": worker,
        "supervisor": supervisor,
    }


def make_assessment(case, worker, *, subject=None, scores=(2, 3, 1), trauma_first=True):
    """An instrument of three need items rated `scores` (2 and 3 are actionable)."""
    n = Instrument.objects.count()
    instrument = Instrument.objects.create(
        code=f"test-{n}", name=f"Test instrument {n}", subject="family", kind="needs"
    )
    domain = InstrumentDomain.objects.create(instrument=instrument, code="d", name="Domain")
    assessment = Assessment.objects.create(
        case=case,
        instrument=instrument,
        subject=subject,
        assessed_on=today(),
        assessed_by=worker,
        reason="initial",
        recorded_by=worker.user,
    )
    ratings = []
    for i, score in enumerate(scores):
        item = InstrumentItem.objects.create(
            domain=domain,
            code=f"i{i}",
            text=f"Need {i}" + (" (trauma)" if trauma_first and i == 0 else ""),
            trauma=trauma_first and i == 0,
            order=i,
        )
        ratings.append(Rating.objects.create(assessment=assessment, item=item, score=score))
    return ratings


def make_meeting(case, *, held_on=None, attended=("parent",), kind="family_team_meeting"):
    """A family team meeting with its planning record and participants."""
    meeting = CaseMeeting.objects.create(
        case=case,
        kind=kind,
        held_on=held_on or today(),
        participants="The family and the worker",
        decisions="The plan was made together.",
    )
    if kind == "family_team_meeting":
        team = TeamMeeting.objects.create(meeting=meeting, type="initial")
        MeetingParticipant.objects.create(meeting=team, name="Case worker", role="caseworker")
        for role in attended:
            MeetingParticipant.objects.create(meeting=team, name=f"A {role}", role=role)
        MeetingParticipant.objects.create(
            meeting=team, name="Absent parent", role="parent", attended=False
        )
    return meeting


def step(**over):
    s = {
        "who": "parent",
        "who_name": "Iris Orchard",
        "what": "Attend the weekly parenting class at the family centre",
        "due_on": today() + timedelta(days=30),
        "outcome": "Uses time-outs instead of shouting, seen at two home visits",
    }
    s.update(over)
    return s


def goal(n_objectives=1, n_steps=1, **over):
    g = {
        "area": "safety",
        "statement": "The children are supervised by a sober adult at all times",
        "objectives": [
            {
                "statement": "Iris keeps a written childcare schedule",
                "target_on": today() + timedelta(days=60),
                "measure": "Schedule shown at each visit",
                "steps": [step() for _ in range(n_steps)],
            }
            for _ in range(n_objectives)
        ],
    }
    g.update(over)
    return g


def parenting(fam):
    return [
        {
            "parent": fam["mother"],
            "arrangements": "Lives with the children",
            "behaviours_assessed": "Bedtime routine kept",
        },
        {
            "parent": fam["father"],
            "arrangements": "Saturdays 10 to 2 at the family centre, supervised",
            "behaviours_assessed": "Arrives on time; plays with both children",
        },
    ]


def full_draft(fam, *, ratings=(), goals=None):
    """A draft that can be adopted: goals, every parent's parenting time, each need answered."""
    actor = fam["worker"].user
    plan = services.case_plan_create(actor=actor, case=fam["case"])
    goals = goals if goals is not None else [goal()]
    responses = [
        {"rating": r.pk, "goal": 0}
        if i % 2 == 0
        else {"rating": r.pk, "not_addressed_reason": "Later"}
        for i, r in enumerate(ratings)
    ]
    return services.case_plan_update(
        actor=actor,
        plan=plan,
        version=plan.version,
        permanency_goal="Remain with family",
        summary="Safe care at home",
        trauma_approach="Trauma-focused therapy for Jade",
        goals=goals,
        need_responses=responses,
        parenting_time=parenting(fam),
    )
