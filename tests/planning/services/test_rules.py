"""The pure rules of service referrals (hearth.policy.service_referrals): no database."""

import pytest

from hearth.policy import service_referrals as rules


@pytest.mark.parametrize(
    "current,new,reason,field",
    [
        ("sent", "accepted", "", None),
        ("accepted", "started", "", None),
        ("started", "completed", "", None),
        ("sent", "ended_early", "Declined", None),
        ("accepted", "ended_early", "Moved away", None),
        ("started", "ended_early", "Stopped attending", None),
        ("sent", "started", "", "status"),
        ("sent", "completed", "", "status"),
        ("accepted", "sent", "", "status"),
        ("completed", "ended_early", "Too late", "status"),
        ("ended_early", "accepted", "", "status"),
        ("sent", "ended_early", " ", "reason"),
        ("sent", "accepted", "because", "reason"),
        ("sent", "paused", "", "status"),
    ],
)
def test_p8_status_transition_table(current, new, reason, field):
    problems = rules.transition_problem(current, new, reason)
    assert (set(problems) or {None}) == {field}


@pytest.mark.parametrize(
    "text,ok",
    [
        ("", False),
        ("   ", False),
        ("Services as needed.", False),
        ("see case plan", False),
        ("Trauma therapy", False),
        ("Weekly sessions so that Ava sleeps through the night", True),
        ("Teach Maria three calm ways to set bedtime limits for Ava", True),
    ],
)
def test_c9_specific_needs_are_specific(text, ok):
    assert (rules.specific_needs_problem(text) is None) == ok


@pytest.mark.parametrize(
    "phone,ok",
    [
        ("", True),
        ("555-010-2000", True),
        ("(555) 010 2000 ext. 12", True),
        ("+1 555 010 2000", True),
        ("555.010.2000 x7", True),
        ("12-34", False),
        ("call us", False),
        ("555+010+2000", False),
        ("1234567890123456", False),
    ],
)
def test_p8_provider_phone(phone, ok):
    assert (rules.phone_problem(phone) is None) == ok
