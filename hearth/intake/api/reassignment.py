"""A6: a worker's reassignment proposal (SciPy's assignment solver over their unit) and its
confirmation, each move kept in the assignment history."""

from datetime import date

from ninja import Field, Query, Router, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.models import Assignment
from hearth.core import audit
from hearth.core.api_common import CaseRef, InputSchema, NamedRef
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import today
from hearth.intake import selectors, services
from hearth.intake.api.common import unit_ref
from hearth.policy import assignment as rules
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

router = Router()

MAX_MOVES = 200


class ProposedMoveOut(Schema):
    case: CaseRef
    weight: float
    worker: NamedRef | None = Field(..., description="null: no one in the unit has room")
    score: float
    note: str


class WorkerLoadOut(Schema):
    worker: NamedRef
    capacity: float
    new_worker_cap: int | None
    open_cases_before: int
    open_cases_after: int
    weighted_load_before: float
    weighted_load_after: float


class ProposalOut(Schema):
    worker: WorkerLoadOut = Field(..., description="The worker whose cases move")
    unit: NamedRef
    moves: list[ProposedMoveOut]
    workers: list[WorkerLoadOut] = Field(..., description="The unit's other case managers")


class MoveIn(InputSchema):
    case: int = Field(..., description="A case the worker holds")
    worker: int = Field(..., description="The case manager who takes it")


class ReassignIn(InputSchema):
    moves: list[MoveIn] = Field(..., min_length=1, max_length=MAX_MOVES)
    reason: str = Field(..., min_length=1, max_length=2000, description="Why (A6)")
    adjust_reason: str = Field(
        "", max_length=2000, description="A7: why a move differs from the proposal"
    )


class ReassignedOut(Schema):
    id: int
    case: CaseRef
    worker: NamedRef
    unit: int
    starts_on: date
    assigned_by: NamedRef | None
    reason: str
    override_reason: str


# --- Reassignment (A6) -----------------------------------------------------------------


def _reassigning(request, staff_id: int) -> StaffMember:
    worker = staff_access.access_staff(request.user, staff_id)
    if not staff_access.can_reassign_from(request.user, worker):
        raise Forbidden()
    return worker


def _case_ids(raw: str | None) -> list[int] | None:
    if raw is None or not raw.strip():
        return None
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise DomainError({"cases": "Give case ids separated by commas, e.g. 12,15."}) from None
    return list(dict.fromkeys(ids))


def _load(facts: rules.WorkerFacts, s, *, cases: int, weight: float) -> dict:
    """A worker's load before and after `cases` cases weighing `weight` move to them (a
    negative count and weight: move away from them)."""
    cap = rules.new_worker_cap(facts.trained_on, facts.experience, today(), s).cases
    return {
        "worker": {"id": facts.id, "name": facts.name},
        "capacity": rules.capacity(facts, s),
        "new_worker_cap": cap,
        "open_cases_before": facts.open_cases,
        "open_cases_after": facts.open_cases + cases,
        "weighted_load_before": facts.weighted_load,
        "weighted_load_after": round(facts.weighted_load + weight, 2),
    }


@router.get(
    "/staff/{int:staff_id}/reassignment-proposal",
    response=ProposalOut,
    summary="A6: a distribution of a worker's open cases across their unit",
)
def reassignment_proposal(
    request,
    staff_id: int,
    cases: str | None = Query(
        None, max_length=2000, description="Case ids, comma-separated; all their cases if omitted"
    ),
):
    """Spreads the cases (SciPy's assignment solver) so that no one goes over a hard limit
    (A5, capacity) and loads even out. Confirm it with POST .../reassignments."""
    worker = _reassigning(request, staff_id)
    wanted = _case_ids(cases)
    held = list(
        selectors.held_cases(worker)
        .filter(pk__in=case_access.visible_cases(request.user).values("pk"))
        .values_list("pk", flat=True)
    )
    if wanted is not None:
        holds = set(held)
        stray = [str(pk) for pk in wanted if pk not in holds]
        if stray:
            raise DomainError(
                {"cases": f"Not among {worker.full_name}'s open cases: {', '.join(stray)}."}
            )
    proposal = selectors.propose_reassignment(
        viewer=request.user, worker_id=worker.pk, case_ids=held if wanted is None else wanted
    )
    s = worker.agency.policy
    weights = {m.case.pk: rules.case_weight(m.case.complexity, s) for m in proposal.moves}
    added: dict[int, list[float]] = {}
    for move in proposal.moves:
        if move.worker_id is not None:
            added.setdefault(move.worker_id, []).append(weights[move.case.pk])
    audit.log_access(request, audit.LIST, [m.case for m in proposal.moves])
    names = {w.id: w.name for w in proposal.workers}
    moving = [weights[m.case.pk] for m in proposal.moves if m.worker_id is not None]
    (source,) = selectors.worker_facts(StaffMember.objects.filter(pk=worker.pk), s)
    return {
        "worker": _load(source, s, cases=-len(moving), weight=-sum(moving)),
        "unit": unit_ref(proposal.unit),
        "moves": [
            {
                "case": m.case,
                "weight": weights[m.case.pk],
                "worker": (
                    {"id": m.worker_id, "name": names[m.worker_id]}
                    if m.worker_id is not None
                    else None
                ),
                "score": m.score,
                "note": m.note,
            }
            for m in proposal.moves
        ],
        "workers": [
            _load(w, s, cases=len(added.get(w.id, [])), weight=sum(added.get(w.id, [])))
            for w in proposal.workers
        ],
    }


@router.post(
    "/staff/{int:staff_id}/reassignments",
    response={201: list[ReassignedOut]},
    summary="A6: move a worker's cases to the workers chosen (the proposal, or adjusted)",
)
def reassign(request, staff_id: int, payload: ReassignIn):
    """Every move keeps who, when, by whom and why; the worker's assignment ends with the
    reason. A move that departs from the proposal needs `adjust_reason` (A7); a move past
    a hard limit is refused (A5). All or nothing."""
    source = _reassigning(request, staff_id)
    case_ids = {m.case for m in payload.moves}
    worker_ids = {m.worker for m in payload.moves}
    found_cases = {c.pk: c for c in case_access.visible_cases(request.user).filter(pk__in=case_ids)}
    found_workers = {
        w.pk: w
        for w in staff_access.visible_staff(request.user)
        .filter(pk__in=worker_ids, agency_id=source.agency_id)
        .select_related("unit", "agency")
        .prefetch_related("roles")
    }
    errors: dict[str, str] = {}
    moves = []
    for i, move in enumerate(payload.moves):
        case = found_cases.get(move.case)
        target = found_workers.get(move.worker)
        if case is None:
            errors[f"moves[{i}].case"] = "Unknown case."
        if target is None:
            errors[f"moves[{i}].worker"] = "Unknown staff member."
        if case is not None and target is not None:
            moves.append(services.MoveIn(case=case, worker=target))
    if errors:
        raise DomainError(errors)
    done = services.worker_cases_reassign(
        actor=request.user,
        assigned_by=staff_access.staff_for(request.user),
        worker=source,
        moves=moves,
        reason=payload.reason,
        adjust_reason=payload.adjust_reason,
    )
    made = Assignment.objects.filter(pk__in=[a.pk for a in done]).select_related(
        "case", "worker", "assigned_by"
    )
    by_pk = {a.pk: a for a in made}
    return Status(
        201,
        [
            {
                "id": a.pk,
                "case": a.case,
                "worker": {"id": a.worker_id, "name": a.worker.full_name},
                "unit": a.unit_id,
                "starts_on": a.starts_on,
                "assigned_by": (
                    {"id": a.assigned_by_id, "name": a.assigned_by.full_name}
                    if a.assigned_by_id
                    else None
                ),
                "reason": a.reason,
                "override_reason": a.override_reason,
            }
            for a in (by_pk[d.pk] for d in done)
        ],
    )
