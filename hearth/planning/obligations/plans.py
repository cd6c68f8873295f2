"""Obligations of the plans area (C1, P9): the first case plan, the reviews, and the
signatures awaited on an adopted plan.

- C1 first plan: due `case_plan_due_days` after the first placement of any child of the
  case (its earliest Placement.starts_on); for an in-home case with no placement, after
  the case opened. An out-of-home case with no placement yet and an investigation owe no
  plan until a child is placed. Met by the first version adopted (its `adopted_on`) on or
  after that day, late or not: a plan made before the placement was the in-home plan.
- C1 reviews: due every `case_plan_review_days` after the case opened (opened_on + k x 90),
  while the case is open; the k-th is met by a new version adopted at a meeting in its
  window (after the previous review's date, up to its own); the case's first adopted
  version is its first plan, not a review.
- Signatures awaited: each signature of an adopted version not yet answered, due
  `plan_signature_days` after the adoption, met by the signature or a recorded decline.

Horizon: a child placed today owes its first plan `case_plan_due_days` ahead; a plan
adopted today owes its signatures `plan_signature_days` ahead; the next review falls due
on the first review day on or after today. Reaches back: a plan adopted late (on `on`)
still meets a first plan that fell due in an earlier month; an in-home case's first
placement removes the first plan due after its opening.
"""

from datetime import date, timedelta

from hearth.cases.models import Case
from hearth.obligations.models import Obligation
from hearth.obligations.registry import Source
from hearth.placements.models import Placement
from hearth.planning.models import CasePlan, PlanSignature
from hearth.policy import case_plans as rules

IN_HOME = {
    Case.Type.IN_HOME_NON_COURT,
    Case.Type.IN_HOME_DEPENDENCY,
    Case.Type.VOLUNTARY_IN_HOME,
}


def _anchor(case: Case) -> date | None:
    """C1: the day the first plan's time starts: the first placement, or the opening of an
    in-home case with no placement."""
    first = (
        Placement.objects.filter(episode__case=case)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    if first is not None:
        return first
    if case.case_type in IN_HOME:
        return case.opened_on
    return None


def _adoptions(case: Case) -> list[rules.Adoption]:
    return [
        rules.Adoption(pk, on)
        for pk, on in CasePlan.objects.filter(case=case, adopted_on__isnull=False).values_list(
            "pk", "adopted_on"
        )
    ]


def _last_day(case: Case, now: date) -> date:
    """Reviews fall due while the case is open."""
    return case.closed_on if case.closed_on is not None else now


def plan_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    policy = case.agency.policy
    wanted = set(months)
    out: list[Obligation] = []
    adoptions = _adoptions(case)
    anchor = _anchor(case)
    if anchor is not None and (case.closed_on is None or anchor <= case.closed_on):
        due = rules.first_plan_due(anchor, due_days=policy.case_plan_due_days)
        if due.replace(day=1) in wanted:
            met = rules.first_plan_met(adoptions, anchor)
            out.append(
                _row(
                    "case_plan_first",
                    "The first case plan, made at a family team meeting (C1)",
                    anchor,
                    due,
                    met,
                    rule="C1",
                )
            )
    horizon = rules.next_review_due(
        case.opened_on, review_days=policy.case_plan_review_days, on=_last_day(case, now)
    )
    if case.closed_on is not None:
        horizon = case.closed_on
    for w in rules.review_windows(
        case.opened_on, review_days=policy.case_plan_review_days, until=horizon
    ):
        if w.due_on.replace(day=1) not in wanted:
            continue
        met = rules.review_met(adoptions, w)
        out.append(
            _row(
                "case_plan_review",
                f"Case plan review {w.number}: a new version adopted at a meeting (C1)",
                w.starts_on,
                w.due_on,
                met,
                rule="C1",
            )
        )
    days = policy.plan_signature_days
    for sig in PlanSignature.objects.filter(plan__case=case, plan__adopted_on__isnull=False).values(
        "pk", "role", "person_id", "signed_on", "declined_on", "plan__adopted_on", "plan__number"
    ):
        adopted = sig["plan__adopted_on"]
        due = adopted + timedelta(days=days)
        if due.replace(day=1) not in wanted:
            continue
        answered = sig["signed_on"] or sig["declined_on"]
        out.append(
            Obligation(
                source=Obligation.Source.PLANNING,
                rule="C2",
                person_id=sig["person_id"],
                need="plan_signature",
                # Names no one: the digest and the calendar feed carry descriptions.
                description=(
                    f"Signature on case plan {sig['plan__number']}: "
                    f"{PlanSignature.Role(sig['role']).label.lower()}"
                ),
                month=due.replace(day=1),
                starts_on=adopted,
                due_on=due,
                evidence_type="plan_signature" if answered else "",
                evidence_id=sig["pk"] if answered else None,
                met_on=answered,
            )
        )
    return out


def _row(need, description, starts_on, due_on, met: rules.Adoption | None, *, rule):
    return Obligation(
        source=Obligation.Source.PLANNING,
        rule=rule,
        person_id=None,
        need=need,
        description=description,
        month=due_on.replace(day=1),
        starts_on=starts_on,
        due_on=due_on,
        evidence_type="case_plan" if met else "",
        evidence_id=met.plan_id if met else None,
        met_on=met.adopted_on if met else None,
    )


def plan_horizon(case: Case, *, now: date) -> date:
    """The latest due date the plans area can produce today: a first plan for a child
    placed today, signatures of a plan adopted today, or the next review."""
    policy = case.agency.policy
    review = rules.next_review_due(case.opened_on, review_days=policy.case_plan_review_days, on=now)
    return max(
        now + timedelta(days=policy.case_plan_due_days),
        now + timedelta(days=policy.plan_signature_days),
        review,
    )


def plan_reaches_back(case: Case, on: date) -> date:
    """C1: a plan adopted on `on` meets a first plan that fell due before it (a late one);
    an in-home case's first placement on `on` moves the first plan's start off the opening,
    so the row due after the opening goes."""
    due_days = case.agency.policy.case_plan_due_days
    earliest = [on]
    anchor = _anchor(case)
    if anchor is not None and anchor <= on:
        # Only while no version adopted since the anchor meets it already.
        met = CasePlan.objects.filter(case=case, adopted_on__gte=anchor, adopted_on__lt=on)
        if not met.exists():
            earliest.append(rules.first_plan_due(anchor, due_days=due_days))
    if not CasePlan.objects.filter(case=case, adopted_on__lt=on).exists():
        # A first plan adopted on `on` answers the reviews that fell due before it.
        earliest.append(case.opened_on)
    if case.case_type in IN_HOME and anchor == on and anchor != case.opened_on:
        earliest.append(rules.first_plan_due(case.opened_on, due_days=due_days))
    return min(earliest)


SOURCE = Source(
    "planning.plans", plan_obligations, horizon=plan_horizon, reaches_back=plan_reaches_back
)
SOURCES: list = [SOURCE]
