"""Assignment rules that the foundation already enforces.

A6: every assignment keeps who, when, by whom and why. The recommendation and
routing rules (A1 to A5, A7) arrive with the intake and assignment work.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AssignmentRequest:
    case_status: str
    worker_active: bool
    worker_is_case_manager: bool
    starts_on: date
    reason: str
    case_opened_on: date | None


def assignment_problems(req: AssignmentRequest, *, today: date) -> dict[str, str]:
    """Field -> reason for every way this assignment breaks the rules (A6)."""
    problems: dict[str, str] = {}
    if req.case_status == "closed":
        problems["case"] = "A closed case cannot be assigned; re-open it first."
    if not req.worker_active:
        problems["worker"] = "This staff member is not active (departed or on leave)."
    elif not req.worker_is_case_manager:
        problems["worker"] = "Only a case manager can be the primary case manager."
    if not req.reason.strip():
        # A6: every assignment keeps why.
        problems["reason"] = "Say why this case is being assigned (A6)."
    if req.starts_on > today:
        problems["starts_on"] = "An assignment cannot start in the future."
    elif req.case_opened_on and req.starts_on < req.case_opened_on:
        problems["starts_on"] = "An assignment cannot start before the case was opened."
    return problems
