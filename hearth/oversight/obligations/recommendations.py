"""Obligations of the recommendations area: the state's review of each round of a
recommendation sent to it (O1: a non-court case's closure; O2: a court-involved case's
closure, case plan or court report). One row per round sent to the state, need
"state_review", answered for by the round's reviewer (source "oversight": the engine keeps
the responsible given here, with no unit), due `recommendation_review_business_days`
business days after the round was sent (the recommendation's `due_on` for its latest
round), met on the day it was decided (evidence_type "recommendation_round", the round's
id), excused when the contractor withdrew the recommendation before a decision.

Horizon: the latest review due date of the case's recommendations (or today). Reaching
back: sending and deciding announce themselves from the review's due date
(hearth.cases.events.recommendation_decided), so a late decision meets a review that fell
due in an earlier month.
"""

from datetime import date

from django.db.models import Max
from django.utils import timezone

from hearth.cases.models import Case
from hearth.obligations.models import Obligation
from hearth.obligations.registry import Source
from hearth.oversight.models import Recommendation, RecommendationRound
from hearth.policy import recommendations as rules

NEED = "state_review"
EVIDENCE = "recommendation_round"
WITHDRAWN = "Withdrawn by the contractor before the review."


def _description(kind: str, number: int, rule: str) -> str:
    label = dict(Recommendation.Kind.choices)[kind].lower()
    return f"State review of the {label} recommendation, round {number} ({rule})"


def review_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """O1, O2: the reviews falling due in `months` (one query)."""
    wanted = set(months)
    days = case.agency.policy.recommendation_review_business_days
    rows = []
    rounds = (
        RecommendationRound.objects.filter(
            recommendation__case=case, sent_to_state_at__isnull=False
        )
        .select_related("recommendation")
        .order_by("recommendation_id", "number")
    )
    latest = {}
    for rnd in rounds:
        latest[rnd.recommendation_id] = rnd.number
    for rnd in rounds:
        rec = rnd.recommendation
        sent_on = timezone.localdate(rnd.sent_to_state_at)
        if rnd.number == latest[rec.pk] and rec.due_on is not None:
            due_on = rec.due_on
        else:
            due_on = rules.add_business_days(sent_on, days)
        if due_on.replace(day=1) not in wanted:
            continue
        rule = rules.rule_of(rec.kind, court_involved=case.court_involved)
        decided = rnd.decided_at is not None
        rows.append(
            Obligation(
                source=Obligation.Source.OVERSIGHT,
                rule=rule,
                person_id=None,
                need=NEED,
                description=_description(rec.kind, rnd.number, rule),
                month=due_on.replace(day=1),
                starts_on=min(sent_on, due_on),
                due_on=due_on,
                evidence_type=EVIDENCE if decided else "",
                evidence_id=rnd.pk if decided else None,
                met_on=timezone.localdate(rnd.decided_at) if decided else None,
                excused_reason=(
                    WITHDRAWN
                    if not decided and rec.status == Recommendation.Status.WITHDRAWN
                    else ""
                ),
                responsible_id=rnd.reviewer_id,
            )
        )
    return rows


def review_horizon(case: Case, *, now: date) -> date:
    """The latest review due date of the case's recommendations, or today."""
    latest = Recommendation.objects.filter(case=case).aggregate(m=Max("due_on"))["m"]
    return max(latest, now) if latest else now


SOURCES: list = [Source("oversight.recommendations", review_obligations, horizon=review_horizon)]
