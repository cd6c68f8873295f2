"""Who may grant which role, and change whose status: least privilege (issue 10).

Plain data in (the granter's powers, the change asked for), problems out. A problem is
either `forbidden` (the granter's own powers do not reach it: 403) or a bad value that
no one may set (422). The roles and agency kinds are the values of
`hearth.staff.models.Role` and `Agency.Kind`; tests/staff checks that they agree.

- Nobody changes their own roles or status.
- Contractor roles are granted (and removed) by an administrator, or by the program
  director of the staff member's own agency.
- State roles are granted by a state administrator: an administrator whose agency is
  the state oversight agency.
- The administrator role is granted by administrators only; to staff of the state
  oversight agency, by a state administrator (who alone grants state roles).
- A status changes by an administrator, or by the program director of the staff
  member's agency when every role the staff member holds is a contractor role.
- Roles fit the agency: state roles for the state oversight agency's staff, contractor
  roles for a lead contractor's or a service provider's staff.
- The last active administrator keeps the role and stays active.
"""

from dataclasses import dataclass

CASE_MANAGER = "case_manager"
SUPERVISOR = "supervisor"
INTAKE_COORDINATOR = "intake_coordinator"
PROGRAM_DIRECTOR = "program_director"
STATE_OVERSIGHT = "state_oversight"
STATE_SUPERVISOR = "state_supervisor"
QA_REVIEWER = "qa_reviewer"
ADMINISTRATOR = "administrator"

CONTRACTOR_ROLES = frozenset({CASE_MANAGER, SUPERVISOR, INTAKE_COORDINATOR, PROGRAM_DIRECTOR})
STATE_ROLES = frozenset({STATE_OVERSIGHT, STATE_SUPERVISOR, QA_REVIEWER})
ALL_ROLES = CONTRACTOR_ROLES | STATE_ROLES | {ADMINISTRATOR}

STATE_AGENCY = "state_oversight"
CONTRACTOR_AGENCIES = frozenset({"lead_contractor", "service_provider"})

ACTIVE = "active"


@dataclass(frozen=True)
class Granter:
    """Who asks: their roles and their agency."""

    roles: frozenset[str]
    agency_kind: str | None
    agency_id: int | None

    @property
    def is_administrator(self) -> bool:
        return ADMINISTRATOR in self.roles

    @property
    def is_state_administrator(self) -> bool:
        return self.is_administrator and self.agency_kind == STATE_AGENCY


@dataclass(frozen=True)
class Change:
    """What is asked for one staff member of the agency given. On creation
    `roles_before` is empty and `status_before` is None."""

    agency_kind: str
    agency_id: int | None
    is_granter: bool
    roles_before: frozenset[str]
    roles_after: frozenset[str]
    status_before: str | None
    status_after: str
    other_active_administrators: int


@dataclass(frozen=True)
class Problem:
    field: str  # "roles" or "status"
    reason: str
    forbidden: bool  # True: beyond the granter's powers (403); False: a bad value (422)


def _grant_problem(granter: Granter, change: Change, role: str) -> str | None:
    """Why the granter may not grant or remove `role` for this staff member, or None."""
    if role == ADMINISTRATOR:
        if not granter.is_administrator:
            return "Only an administrator grants or removes the administrator role."
        if change.agency_kind == STATE_AGENCY and not granter.is_state_administrator:
            return (
                "Only a state administrator makes a member of the state oversight agency "
                "an administrator."
            )
        return None
    if role in STATE_ROLES:
        if not granter.is_state_administrator:
            return "Only a state administrator grants or removes state roles."
        return None
    if granter.is_administrator:
        return None
    if PROGRAM_DIRECTOR in granter.roles:
        if change.agency_id is not None and change.agency_id == granter.agency_id:
            return None
        return "A program director grants roles only to their own agency's staff."
    return "Only an administrator or the agency's program director grants contractor roles."


def _fit_problem(change: Change) -> str | None:
    roles = change.roles_after
    if roles & STATE_ROLES and change.agency_kind != STATE_AGENCY:
        return "State roles are only for staff of the state oversight agency."
    if roles & CONTRACTOR_ROLES and change.agency_kind not in CONTRACTOR_AGENCIES:
        return "Contractor roles are only for staff of a lead contractor or a service provider."
    return None


def _status_problem(granter: Granter, change: Change) -> str | None:
    if granter.is_administrator:
        return None
    if (
        PROGRAM_DIRECTOR in granter.roles
        and change.agency_id is not None
        and change.agency_id == granter.agency_id
        and change.roles_before <= CONTRACTOR_ROLES
    ):
        return None
    return (
        "Only an administrator, or the program director of the staff member's agency "
        "for staff with contractor roles only, changes a status."
    )


def grant_problems(granter: Granter, change: Change) -> list[Problem]:
    """Every reason this change of roles and status is refused; empty when it is allowed."""
    roles_changed = change.roles_after != change.roles_before
    status_changed = change.status_before is not None and change.status_after != (
        change.status_before
    )
    problems = []
    if change.is_granter:
        if roles_changed:
            problems.append(Problem("roles", "Nobody changes their own roles.", forbidden=True))
        if status_changed:
            problems.append(Problem("status", "Nobody changes their own status.", forbidden=True))
        return problems
    unknown = sorted(change.roles_after - ALL_ROLES)
    if unknown:
        return [Problem("roles", f"Unknown roles: {', '.join(unknown)}.", forbidden=False)]
    if not change.roles_after:
        return [Problem("roles", "Give the staff member at least one role.", forbidden=False)]

    if roles_changed:
        touched = change.roles_before ^ change.roles_after
        reasons = sorted({r for role in touched if (r := _grant_problem(granter, change, role))})
        if reasons:
            problems.append(Problem("roles", " ".join(reasons), forbidden=True))
    if status_changed and (reason := _status_problem(granter, change)):
        problems.append(Problem("status", reason, forbidden=True))
    if problems:
        return problems

    if roles_changed and (reason := _fit_problem(change)):
        problems.append(Problem("roles", reason, forbidden=False))
    was_administrator = ADMINISTRATOR in change.roles_before and change.status_before == ACTIVE
    stays_administrator = ADMINISTRATOR in change.roles_after and change.status_after == ACTIVE
    if was_administrator and not stays_administrator and change.other_active_administrators < 1:
        field = "roles" if ADMINISTRATOR not in change.roles_after else "status"
        problems.append(
            Problem(
                field,
                "This is the last active administrator: make another administrator first.",
                forbidden=False,
            )
        )
    return problems
