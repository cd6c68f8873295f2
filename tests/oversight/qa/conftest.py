"""The QA tests' world (O3, C8, P9): the shared world (two units of North Star, a rival
contractor, the state agency with a QA reviewer), a second QA reviewer, the state
oversight supervisor, North Star's program director, the fidelity instrument loaded, and
helpers that draw a sample and answer a review."""

from datetime import timedelta

import pytest

from hearth.core.services import today
from hearth.oversight.models import QaReview
from hearth.oversight.services import qa as services
from hearth.planning.models import InstrumentItem
from hearth.staff.models import Role
from tests.factories import StaffFactory, make_case
from tests.planning.assessments.conftest import load_defaults

FIDELITY = "case-planning-fidelity"


@pytest.fixture
def qa(world):
    instrument = load_defaults()[FIDELITY]
    state_unit = world["staff"]["qa"].unit
    return {
        **world,
        "instrument": instrument,
        "items": list(
            InstrumentItem.objects.filter(domain__instrument=instrument).order_by(
                "domain__order", "order", "id"
            )
        ),
        "state_sup": StaffFactory(unit=state_unit, roles=[Role.STATE_SUPERVISOR]),
        "qa2": StaffFactory(unit=state_unit, roles=[Role.QA_REVIEWER]),
        "director": world["staff"]["director"],
    }


def period():
    return today() - timedelta(days=90), today() - timedelta(days=1)


def draw(qa, *, size=5, seed=1, reviewers=None, **kwargs):
    start, end = period()
    return services.sample_draw(
        actor=qa["state_sup"].user,
        period_start=kwargs.pop("period_start", start),
        period_end=kwargs.pop("period_end", end),
        size=size,
        seed=seed,
        reviewers=reviewers if reviewers is not None else [qa["staff"]["qa"], qa["qa2"]],
        **kwargs,
    )


def answers(qa, default="yes", **by_code):
    """Every item answered `default` (a no with a comment), or as `by_code` says (with
    - as _)."""
    out = []
    for item in qa["items"]:
        answer = by_code.get(item.code.replace("-", "_"), default)
        out.append(
            {
                "item": item.code,
                "answer": answer,
                "comment": "Not in the file" if answer == "no" else "",
            }
        )
    return out


def finalize(qa, review: QaReview, default="yes", **by_code) -> QaReview:
    actor = review.reviewer.user
    review = services.review_answer(
        actor=actor, review=review, answers=answers(qa, default, **by_code), version=review.version
    )
    return services.review_finalize(actor=actor, review=review, version=review.version)


@pytest.fixture
def many(qa):
    """Six more North Star cases in unit A and four in unit B (no worker): a population of
    fifteen contractor cases, nine of them in unit A, five in unit B, one the rival's."""
    sup = qa["staff"]["supervisor"]
    unit_b = qa["cases"]["other_units"].unit
    cases = [make_case(actor_staff=sup, unit=sup.unit) for _ in range(6)]
    cases += [make_case(actor_staff=sup, unit=unit_b) for _ in range(4)]
    return cases
