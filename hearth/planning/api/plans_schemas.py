"""The case plan and safety plan API's bodies and answers (hearth.planning.api.plans)."""

from datetime import date
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictBool

from hearth.core.api_common import InputSchema, LongText, NamedRef
from hearth.planning.models import (
    ActionStep,
    Goal,
    PlanSignature,
    SafetyMeasure,
    SafetyPlan,
    StepProgress,
)


class CasePlanStepIn(InputSchema):
    who: ActionStep.Who | None = Field(None, description="C2: who does it")
    who_name: str = Field("", max_length=200, description="C2: the person or provider")
    who_person: int | None = Field(None, description="Person id, when a member of the case")
    what: LongText = ""
    due_on: date | None = None
    outcome: LongText = Field("", description="C2: the expected outcome, a behaviour")
    referral: int | None = Field(None, description="A service referral of the case")


class CasePlanObjectiveIn(InputSchema):
    statement: LongText = ""
    target_on: date | None = None
    measure: str = Field("", max_length=300, description="P9: how progress is measured")
    steps: list[CasePlanStepIn] = Field(default_factory=list)


class CasePlanGoalIn(InputSchema):
    area: Goal.Area | None = None
    statement: LongText = ""
    person: int | None = Field(None, description="The person the goal is for")
    objectives: list[CasePlanObjectiveIn] = Field(default_factory=list)


class CasePlanNeedIn(InputSchema):
    rating: int = Field(..., description="C9: an actionable need (a rating id)")
    goal: int | None = Field(None, ge=0, description="Index of the goal that answers it")
    objective: int | None = Field(None, ge=0, description="Index of the objective in that goal")
    not_addressed_reason: LongText = ""


class CasePlanParentingIn(InputSchema):
    parent: int
    visitation_plan: int | None = Field(None, description="The visitation plan, linked")
    arrangements: LongText = ""
    behaviours_assessed: LongText = ""


class CasePlanCreateIn(InputSchema):
    based_on_latest: StrictBool = Field(
        True, description="Copy the content of the latest adopted or approved version"
    )


class CasePlanIn(InputSchema):
    """The draft's whole content: it replaces what the draft held (C2, C9)."""

    version: int | None = Field(None, description="The version you read; 409 if it changed.")
    permanency_goal: str = Field("", max_length=200)
    summary: LongText = ""
    trauma_approach: LongText = ""
    family_supports: LongText = ""
    goals: list[CasePlanGoalIn] = Field(default_factory=list)
    need_responses: list[CasePlanNeedIn] = Field(default_factory=list)
    parenting_time: list[CasePlanParentingIn] = Field(default_factory=list)


class CasePlanAdoptIn(InputSchema):
    meeting: int = Field(..., description="C5: a family team meeting of the case")
    version: int | None = None


class CasePlanApproveIn(InputSchema):
    note: LongText = ""
    version: int | None = None


class CasePlanSignIn(InputSchema):
    signed_on: date
    method: PlanSignature.Method | None = None
    signed_as: str = Field("", max_length=200, description="Electronic: the participant's name")
    agrees: StrictBool = True
    disagreement: LongText = Field("", description="In the participant's own words")
    declined: StrictBool = Field(
        False, description="The participant declined to sign (`disagreement`: why)"
    )
    language: Literal["en", "es"] = "en"
    copy_given_on: date | None = None
    version: int | None = None


class StepProgressIn(InputSchema):
    recorded_on: date
    status: StepProgress.Status
    at: StepProgress.At
    note: LongText = ""
    contact_note: int | None = None


class SafetyMeasureIn(InputSchema):
    kind: SafetyMeasure.Kind | None = None
    what: LongText = ""
    who: str = Field("", max_length=200)
    when: str = Field("", max_length=200)


class SafetyPlanIn(InputSchema):
    kind: SafetyPlan.Kind
    made_on: date
    threats: LongText = ""
    measures: list[SafetyMeasureIn] = Field(default_factory=list)
    assessment: int | None = None


class SafetyPlanEndIn(InputSchema):
    ended_on: date
    reason: LongText = ""
    version: int | None = None


class CasePlanProgressOut(Schema):
    id: int
    recorded_on: date
    status: str
    at: str
    note: str


class CasePlanStepOut(Schema):
    id: int
    who: str
    who_name: str
    who_person: int | None
    what: str
    due_on: date
    outcome: str
    referral: int | None
    state: str = Field(..., description="P9: done, late or open")
    next: bool
    latest_status: str | None
    latest_on: date | None


class CasePlanObjectiveOut(Schema):
    id: int
    statement: str
    target_on: date
    measure: str
    steps: list[CasePlanStepOut]


class CasePlanGoalOut(Schema):
    id: int
    area: str
    statement: str
    person: int | None
    objectives: list[CasePlanObjectiveOut]


class CasePlanNeedOut(Schema):
    rating: int
    item: str
    domain: str
    score: int
    trauma: bool
    subject: NamedRef | None
    goal: int | None
    objective: int | None
    not_addressed_reason: str
    has_service: bool


class CasePlanParentingOut(Schema):
    id: int
    parent: NamedRef
    visitation_plan: int | None
    arrangements: str
    behaviours_assessed: str


class CasePlanSignatureOut(Schema):
    id: int
    name: str
    role: str
    person: int | None
    language: str
    signed_on: date | None
    signature_method: str
    signed_as: str
    agrees: bool | None
    disagreement: str
    declined_on: date | None
    copy_given_on: date | None


class CasePlanOut(Schema):
    id: int
    version: int
    case: int
    number: int
    status: str
    based_on: int | None
    permanency_goal: str
    summary: str
    trauma_approach: str
    family_supports: str
    meeting: int | None
    adopted_on: date | None
    approved_on: date | None
    approved_by: NamedRef | None
    approval_note: str
    goals: list[CasePlanGoalOut]
    needs: list[CasePlanNeedOut] = Field(
        ..., description="C9: the case's actionable needs and how this version answers each"
    )
    unanswered_needs: list[int]
    parents_without_parenting_time: list[NamedRef]
    parenting_time: list[CasePlanParentingOut]
    signatures: list[CasePlanSignatureOut]
    warnings: dict[str, str] = Field(..., description="C2: vague words in goals and objectives")


class CasePlanSummaryOut(Schema):
    id: int
    version: int
    number: int
    status: str
    meeting: int | None = Field(None, alias="meeting_id")
    adopted_on: date | None
    approved_on: date | None


class SafetyMeasureOut(Schema):
    id: int
    kind: str
    what: str
    who: str
    when: str


class SafetyPlanOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    kind: str
    status: str
    made_on: date
    ended_on: date | None
    threats: str
    assessment: int | None = Field(None, alias="assessment_id")
    measures: list[SafetyMeasureOut]
