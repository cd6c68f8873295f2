"""Case status transitions: only these moves are legal; services move a case, nothing else.

P1: involvement ends when the child needs no protection (closure); a family that
returns is served on its current needs: a re-referral opens a new case linked to the
closed one (its `prior_case`), the closed case itself is never reopened in place.
O1: a non-court case's closure is first recommended, then approved by the state.
"""

TRANSITIONS: dict[str, set[str]] = {
    "referred": {"assigned", "closed"},
    "assigned": {"open", "referred", "closed"},
    "open": {"closure_recommended", "closed"},
    "closure_recommended": {"open", "closed"},
    "closed": set(),
}


def transition_problem(current: str, new: str) -> str | None:
    """Why the move from `current` to `new` is illegal, or None when it is allowed."""
    if new not in TRANSITIONS:
        return f"'{new}' is not a case status."
    if new == current:
        return None
    if new not in TRANSITIONS.get(current, set()):
        if current == "closed":
            return "A closed case stays closed; a re-referral opens a new case linked to it (P1)."
        allowed = ", ".join(sorted(TRANSITIONS[current]))
        return f"A case cannot go from {current} to {new}; allowed next: {allowed}."
    return None
