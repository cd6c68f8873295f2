"""Permanency goals (P4)."""

from datetime import date

from ninja import Field, Router, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.core.api_common import InputSchema, LongText, NamedRef, log_api_view
from hearth.placements import services
from hearth.placements.models import PermanencyGoal

router = Router()


class GoalOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    child: NamedRef
    goal: str
    starts_on: date
    ends_on: date | None
    reason: str

    @staticmethod
    def resolve_child(obj):
        return {"id": obj.child_id, "name": obj.child.full_name}


class GoalIn(InputSchema):
    child: int
    goal: PermanencyGoal.Goal
    starts_on: date
    reason: LongText = Field(..., description="Why the goal changes (P4)")


@router.get("/cases/{int:case_id}/goals", response=list[GoalOut], summary="Permanency goals")
def list_goals(request, case_id: int, child: int | None = None, current: bool = False):
    case = case_access.access_case(request.user, case_id)
    qs = case.goals.select_related("child").order_by("child_id", "-starts_on", "-id")
    if child is not None:
        qs = qs.filter(child_id=child)
    if current:
        qs = qs.filter(ends_on__isnull=True)
    log_api_view(request, case, case=case)
    return list(qs)


@router.post(
    "/cases/{int:case_id}/goals",
    response={201: GoalOut},
    summary="Change a child's permanency goal (P4)",
)
def change_goal(request, case_id: int, payload: GoalIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    child = visible_person(request, payload.child, "child")
    goal = services.permanency_goal_change(
        actor=request.user,
        case=case,
        child=child,
        goal=payload.goal,
        starts_on=payload.starts_on,
        reason=payload.reason,
    )
    return Status(201, goal)
