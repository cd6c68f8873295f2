"""The worked example of the CFSR measures (F2, F3, F4), shared by tests/reports/test_cfsr.py
(where it is laid out and worked by hand) and the bench floors' test."""

from datetime import date, timedelta

import pytest

from hearth.cases import services as case_services
from hearth.placements import services as placements
from tests.factories import PersonFactory, make_case

D = date.fromisoformat


def build(actor, case, name, removed, exited=None, reason="", dob=date(2015, 6, 1), places=()):
    child = PersonFactory(first_name=name, last_name="Cfsr", date_of_birth=dob)
    case_services.case_member_add(
        actor=actor, case=case, person=child, role="child", starts_on=case.opened_on
    )
    ep = placements.child_remove(
        actor=actor,
        case=case,
        child=child,
        removed_on=D(removed),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    for i, (start, setting, provider) in enumerate(places):
        placements.child_place(
            actor=actor,
            episode=ep,
            starts_on=D(start),
            setting=setting,
            provider_name=provider,
            departure_reason="Only opening",
            move_reason="" if i == 0 else "Moved",
        )
    if exited:
        placements.episode_exit(actor=actor, episode=ep, exited_on=D(exited), exit_reason=reason)
    return child


def reenter(actor, case, child, removed):
    placements.child_remove(
        actor=actor,
        case=case,
        child=child,
        removed_on=D(removed),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )


@pytest.fixture
def example(supervisor, worker):
    actor = worker.user
    case = make_case(
        actor_staff=supervisor, worker=worker, case_type="out_of_home", opened_on=date(2021, 1, 1)
    )
    kids = {}
    kids["A"] = build(actor, case, "A", "2023-02-01", "2023-02-08", "reunification")
    kids["B"] = build(actor, case, "B", "2023-02-01", "2023-02-09", "reunification")
    kids["C"] = build(
        actor, case, "C", "2023-03-01", "2023-04-01", "emancipation", dob=date(2005, 3, 1)
    )
    kids["D"] = build(
        actor, case, "D", "2023-03-01", "2023-06-01", "emancipation", dob=date(2005, 3, 2)
    )
    kids["E"] = build(
        actor,
        case,
        "E",
        "2023-04-01",
        "2024-05-01",
        "reunification",
        places=[("2023-04-01", "group_home", "Oak"), ("2024-02-01", "trial_home_visit", "")],
    )
    kids["F"] = build(
        actor,
        case,
        "F",
        "2023-05-01",
        dob=None,
        places=[
            ("2023-05-01", "group_home", "X"),
            ("2023-06-01", "runaway", ""),
            ("2023-06-10", "group_home", "X"),
            ("2023-08-01", "group_home", "Y"),
            ("2023-10-01", "group_home", "Z"),
            ("2024-02-01", "group_home", "W"),
        ],
    )
    kids["G"] = build(actor, case, "G", "2023-06-01", "2024-06-01", "reunification")
    kids["I"] = build(actor, case, "I", "2022-06-01", "2023-03-01", "reunification")
    kids["J"] = build(actor, case, "J", "2022-01-01", "2023-05-01", "adoption")
    kids["K"] = build(
        actor, case, "K", "2022-01-01", "2023-04-01", "reunification", dob=date(2004, 1, 1)
    )
    reenter(actor, case, kids["B"], "2024-02-09")  # day 365 after the discharge
    reenter(actor, case, kids["I"], "2024-03-01")  # day 366
    assert D("2024-02-09") - D("2023-02-09") == timedelta(days=365)
    assert D("2024-03-01") - D("2023-03-01") == timedelta(days=366)
    return {"case": case, "kids": kids}
