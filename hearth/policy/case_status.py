"""Case status transitions: only these moves are legal; services move a case, nothing else.

P1: involvement ends when the child needs no protection (closure); a family that
returns is served on its current needs: a re-referral opens a new case linked to the
closed one (its `prior_case`), the closed case itself is never reopened in place.
O1: a case's closure is first recommended, then approved by the state. The case moves to
"closure recommended" only when the contractor submits a closure recommendation to the
state, back to "open" only when the recommendation is withdrawn, and an opened case of a
type under review (the agency's `closure_review_case_types`, default every type) closes
only when the state approves its closure recommendation. A referral screened out before
case management began (referred or assigned, never opened) closes directly
(docs/adr/0014-state-oversight.md).
"""

TRANSITIONS: dict[str, set[str]] = {
    "referred": {"assigned", "closed"},
    "assigned": {"open", "referred", "closed"},
    "open": {"closure_recommended", "closed"},
    "closure_recommended": {"open", "closed"},
    "closed": set(),
}
# The moves only a recommendation makes (submitted to the state, withdrawn).
BY_RECOMMENDATION = {("open", "closure_recommended"), ("closure_recommended", "open")}
OPENED = {"open", "closure_recommended"}


def transition_problem(
    current: str,
    new: str,
    *,
    review_required: bool = True,
    closure_approved: bool = False,
    by_recommendation: bool = False,
) -> str | None:
    """Why the move from `current` to `new` is illegal, or None when it is allowed.

    `review_required`: the case's type needs the state's approval to close (O1);
    `closure_approved`: the state has just approved its closure recommendation;
    `by_recommendation`: the move is a recommendation's submission or withdrawal."""
    if new not in TRANSITIONS:
        return f"'{new}' is not a case status."
    if new == current:
        return None
    if new not in TRANSITIONS.get(current, set()):
        if current == "closed":
            return "A closed case stays closed; a re-referral opens a new case linked to it (P1)."
        allowed = ", ".join(sorted(TRANSITIONS[current]))
        return f"A case cannot go from {current} to {new}; allowed next: {allowed}."
    if (current, new) in BY_RECOMMENDATION and not by_recommendation:
        if new == "closure_recommended":
            return (
                "O1: a case's closure is recommended by submitting a closure recommendation "
                "to the state, with its reasons."
            )
        return "O1: a closure recommendation is withdrawn from the recommendation itself."
    if new == "closed" and current in OPENED and review_required and not closure_approved:
        return (
            "O1: this case closes only when the state approves its closure recommendation; "
            "submit a closure recommendation."
        )
    return None
