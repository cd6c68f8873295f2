"""Case plan and safety plan endpoints (C1, C2, C4, C5, C9, P9).

Thin: each endpoint reaches its record through the case's scope (a record of a case the
caller cannot see answers like a missing one), checks the shape of the input and calls one
service of hearth.planning.services.plans, which checks the rules. People, meetings,
ratings, visitation plans and notes named by id are resolved inside the case.
"""

from typing import Literal

from django.http import HttpResponse
from ninja import Query, Status

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.cases.models import CaseMeeting
from hearth.contacts.models import ContactNote
from hearth.core import audit
from hearth.core.api_common import (
    by_id,
    expected_version,
    log_api_view,
    set_etag,
)
from hearth.core.errors import NotFound
from hearth.core.services import today
from hearth.planning.access import case_of
from hearth.planning.api.plans_schemas import (
    CasePlanAdoptIn,
    CasePlanApproveIn,
    CasePlanCreateIn,
    CasePlanGoalIn,
    CasePlanIn,
    CasePlanOut,
    CasePlanParentingIn,
    CasePlanProgressOut,
    CasePlanSignIn,
    CasePlanSummaryOut,
    SafetyPlanEndIn,
    SafetyPlanIn,
    SafetyPlanOut,
    StepProgressIn,
)
from hearth.planning.api.router import router
from hearth.planning.documents import case_plan_pdf
from hearth.planning.models import (
    ActionStep,
    CasePlan,
    PlanSignature,
    SafetyPlan,
)
from hearth.planning.selectors import plans as selectors
from hearth.planning.services import plans as services
from hearth.visitation.models import VisitationPlan

# --- Output -----------------------------------------------------------------------------------


def _named(person) -> dict | None:
    return {"id": person.pk, "name": person.full_name} if person is not None else None


def plan_out(plan: CasePlan) -> dict:
    """The version as CasePlanOut, from the plan page's selector (a fixed query count)."""
    view = selectors.plan_view(plan, today=today())
    rows = {r.step.pk: r for r in view.steps}
    by_rating = {r.rating_id: r for r in view.responses}
    served = {n.pk for n in view.needs} - {n.pk for n in view.without_service}
    return {
        "id": plan.pk,
        "version": plan.version,
        "case": plan.case_id,
        "number": plan.number,
        "status": plan.status,
        "based_on": plan.based_on_id,
        "permanency_goal": plan.permanency_goal,
        "summary": plan.summary,
        "trauma_approach": plan.trauma_approach,
        "family_supports": plan.family_supports,
        "meeting": plan.meeting_id,
        "adopted_on": plan.adopted_on,
        "approved_on": plan.approved_on,
        "approved_by": (
            {"id": plan.approved_by_id, "name": str(plan.approved_by)}
            if plan.approved_by_id
            else None
        ),
        "approval_note": plan.approval_note,
        "goals": [
            {
                "id": g.pk,
                "area": g.area,
                "statement": g.statement,
                "person": g.person_id,
                "objectives": [
                    {
                        "id": o.pk,
                        "statement": o.statement,
                        "target_on": o.target_on,
                        "measure": o.measure,
                        "steps": [
                            {
                                "id": s.pk,
                                "who": s.who,
                                "who_name": s.who_name,
                                "who_person": s.who_person_id,
                                "what": s.what,
                                "due_on": s.due_on,
                                "outcome": s.outcome,
                                "referral": s.referral_id,
                                "state": rows[s.pk].state,
                                "next": rows[s.pk].is_next,
                                "latest_status": s.latest_status,
                                "latest_on": s.latest_on,
                            }
                            for s in o.steps.all()
                        ],
                    }
                    for o in g.objectives.all()
                ],
            }
            for g in view.goals
        ],
        "needs": [
            {
                "rating": n.pk,
                "item": n.item.text,
                "domain": n.item.domain.name,
                "score": n.score,
                "trauma": n.item.trauma,
                "subject": _named(n.assessment.subject),
                "goal": by_rating[n.pk].goal_id if n.pk in by_rating else None,
                "objective": by_rating[n.pk].objective_id if n.pk in by_rating else None,
                "not_addressed_reason": (
                    by_rating[n.pk].not_addressed_reason if n.pk in by_rating else ""
                ),
                "has_service": n.pk in served,
            }
            for n in view.needs
        ],
        "unanswered_needs": [n.pk for n in view.unanswered],
        "parents_without_parenting_time": [_named(p) for p in view.parents_without_time],
        "parenting_time": [
            {
                "id": t.pk,
                "parent": _named(t.parent),
                "visitation_plan": t.visitation_plan_id,
                "arrangements": t.arrangements,
                "behaviours_assessed": t.behaviours_assessed,
            }
            for t in view.parenting_time
        ],
        "signatures": [
            {
                "id": s.pk,
                "name": s.name,
                "role": s.role,
                "person": s.person_id,
                "language": s.language,
                "signed_on": s.signed_on,
                "signature_method": s.signature_method,
                "signed_as": s.signed_as,
                "agrees": s.agrees,
                "disagreement": s.disagreement,
                "declined_on": s.declined_on,
                "copy_given_on": s.copy_given_on,
            }
            for s in view.signatures
        ],
        "warnings": view.warnings,
    }


# --- Lookups through the case's scope --------------------------------------------------------


def _plan(request, case_plan_id: int, *, for_edit: bool = False) -> CasePlan:
    plan, case = case_of(
        request.user, CasePlan, case_plan_id, for_edit=for_edit, related=("approved_by",)
    )
    plan.case = case
    return plan


def _goals_data(request, case, goals: list[CasePlanGoalIn]) -> list[dict]:
    out = []
    for i, g in enumerate(goals):
        objectives = []
        for j, o in enumerate(g.objectives):
            steps = []
            for k, s in enumerate(o.steps):
                data = s.dict()
                data["who"] = s.who or ""
                data["who_person"] = visible_person(
                    request, s.who_person, f"goals.{i}.objectives.{j}.steps.{k}.who_person"
                )
                steps.append(data)
            objectives.append({**o.dict(exclude={"steps"}), "steps": steps})
        out.append(
            {
                "area": g.area or "",
                "statement": g.statement,
                "person": visible_person(request, g.person, f"goals.{i}.person"),
                "objectives": objectives,
            }
        )
    return out


def _parenting_data(request, case, items: list[CasePlanParentingIn]) -> list[dict]:
    out = []
    plans = VisitationPlan.objects.filter(case=case)
    for i, t in enumerate(items):
        out.append(
            {
                "parent": visible_person(request, t.parent, f"parenting_time.{i}.parent"),
                "visitation_plan": by_id(
                    plans, t.visitation_plan, f"parenting_time.{i}.visitation_plan", "plan"
                ),
                "arrangements": t.arrangements,
                "behaviours_assessed": t.behaviours_assessed,
            }
        )
    return out


# --- Case plans -------------------------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/plans",
    response=list[CasePlanSummaryOut],
    summary="The versions of a case's plan (C1, C2)",
)
def list_case_plans(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    plans = selectors.case_plan_versions(case)
    audit.log_access(request, audit.LIST, plans, case=case)
    return plans


@router.post(
    "/cases/{int:case_id}/plans",
    response={201: CasePlanOut},
    summary="Begin a new draft version of the case plan",
)
def create_case_plan(request, case_id: int, payload: CasePlanCreateIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    plan = services.case_plan_create(
        actor=request.user, case=case, based_on_latest=payload.based_on_latest
    )
    return Status(201, plan_out(plan))


@router.get("/case-plans/{int:case_plan_id}", response=CasePlanOut, summary="Read a case plan")
def get_case_plan(request, case_plan_id: int, response: HttpResponse):
    plan = _plan(request, case_plan_id)
    log_api_view(request, plan, case=plan.case)
    set_etag(response, plan)
    return plan_out(plan)


@router.put(
    "/case-plans/{int:case_plan_id}",
    response=CasePlanOut,
    summary="Replace a draft's content (C2, C9)",
)
def replace_case_plan(request, case_plan_id: int, payload: CasePlanIn, response: HttpResponse):
    """A step without who, what, when or outcome is refused naming
    `goals.<i>.objectives.<j>.steps.<k>.<field>`; nothing is stored."""
    plan = _plan(request, case_plan_id, for_edit=True)
    version = expected_version(request, payload.version)
    plan = services.case_plan_update(
        actor=request.user,
        plan=plan,
        version=version,
        permanency_goal=payload.permanency_goal,
        summary=payload.summary,
        trauma_approach=payload.trauma_approach,
        family_supports=payload.family_supports,
        goals=_goals_data(request, plan.case, payload.goals),
        need_responses=[r.dict() for r in payload.need_responses],
        parenting_time=_parenting_data(request, plan.case, payload.parenting_time),
    )
    set_etag(response, plan)
    return plan_out(plan)


@router.post(
    "/case-plans/{int:case_plan_id}/adopt",
    response=CasePlanOut,
    summary="Adopt a draft at a family team meeting the family attended (C5)",
)
def adopt_case_plan(request, case_plan_id: int, payload: CasePlanAdoptIn, response: HttpResponse):
    plan = _plan(request, case_plan_id, for_edit=True)
    meeting = by_id(
        CaseMeeting.objects.filter(case=plan.case), payload.meeting, "meeting", "meeting"
    )
    plan = services.case_plan_adopt(
        actor=request.user,
        plan=plan,
        meeting=meeting,
        version=expected_version(request, payload.version),
    )
    set_etag(response, plan)
    return plan_out(plan)


@router.post(
    "/case-plans/{int:case_plan_id}/approve",
    response=CasePlanOut,
    summary="Approve an adopted, signed version (supervisor or program director)",
)
def approve_case_plan(
    request, case_plan_id: int, payload: CasePlanApproveIn, response: HttpResponse
):
    plan = _plan(request, case_plan_id, for_edit=True)
    plan = services.case_plan_approve(
        actor=request.user,
        plan=plan,
        note=payload.note,
        version=expected_version(request, payload.version),
    )
    set_etag(response, plan)
    return plan_out(plan)


@router.post(
    "/case-plans/{int:case_plan_id}/signatures/{int:signature_id}/sign",
    response=CasePlanOut,
    summary="A participant signs (or declines, the disagreement recorded)",
)
def sign_case_plan(
    request, case_plan_id: int, signature_id: int, payload: CasePlanSignIn, response: HttpResponse
):
    """`version` (or If-Match) is the plan's: every signature changes it."""
    plan = _plan(request, case_plan_id, for_edit=True)
    signature = PlanSignature.objects.filter(plan=plan, pk=signature_id).first()
    if signature is None:
        raise NotFound()
    version = expected_version(request, payload.version)
    if payload.declined:
        services.case_plan_signature_decline(
            actor=request.user,
            signature=signature,
            declined_on=payload.signed_on,
            reason=payload.disagreement,
            version=version,
        )
    else:
        services.case_plan_sign(
            actor=request.user,
            signature=signature,
            signed_on=payload.signed_on,
            method=payload.method or "",
            signed_as=payload.signed_as,
            agrees=payload.agrees,
            disagreement=payload.disagreement,
            language=payload.language,
            copy_given_on=payload.copy_given_on,
            version=version,
        )
    plan = CasePlan.objects.select_related("case", "approved_by").get(pk=plan.pk)
    set_etag(response, plan)
    return plan_out(plan)


@router.get(
    "/case-plans/{int:case_plan_id}/pdf",
    summary="The plan as a PDF, in English or Spanish",
    openapi_extra={
        "responses": {
            200: {
                "description": "The plan's PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def case_plan_pdf_get(request, case_plan_id: int, lang: Literal["en", "es"] = Query("en")):
    plan = _plan(request, case_plan_id)
    audit.log_access(request, audit.EXPORT, plan, case=plan.case)
    response = HttpResponse(case_plan_pdf(plan, lang), content_type="application/pdf")
    name = f"case-plan-{plan.case.case_number}-{plan.number}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/steps/{int:step_id}/progress",
    response={201: CasePlanProgressOut},
    summary="Record progress on an action step (P9)",
)
def record_step_progress(request, step_id: int, payload: StepProgressIn):
    step = ActionStep.objects.filter(pk=step_id).select_related("objective__goal__plan").first()
    if step is None:
        raise NotFound()
    case = case_access.access_case(request.user, step.objective.goal.plan.case_id, for_edit=True)
    note = by_id(
        ContactNote.objects.filter(case=case), payload.contact_note, "contact_note", "note"
    )
    progress = services.step_progress_record(
        actor=request.user,
        step=step,
        recorded_on=payload.recorded_on,
        status=payload.status,
        at=payload.at,
        note=payload.note,
        contact_note=note,
    )
    return Status(201, progress)


# --- Safety plans (C4) ------------------------------------------------------------------------


def _safety(qs):
    return qs.prefetch_related("measures")


@router.get(
    "/cases/{int:case_id}/safety-plans",
    response=list[SafetyPlanOut],
    summary="A case's safety plans (C4)",
)
def list_safety_plans(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    plans = selectors.case_safety_plans(case)
    audit.log_access(request, audit.LIST, plans, case=case)
    return plans


@router.post(
    "/cases/{int:case_id}/safety-plans",
    response={201: SafetyPlanOut},
    summary="Make a safety plan with proactive and reactive measures (C4)",
)
def create_safety_plan(request, case_id: int, payload: SafetyPlanIn):
    case = case_access.access_case(request.user, case_id, for_edit=True)
    assessment = by_id(case.assessments.all(), payload.assessment, "assessment", "assessment")
    plan = services.safety_plan_create(
        actor=request.user,
        case=case,
        kind=payload.kind,
        made_on=payload.made_on,
        threats=payload.threats,
        measures=[{**m.dict(), "kind": m.kind or ""} for m in payload.measures],
        assessment=assessment,
    )
    return Status(201, _safety(SafetyPlan.objects.filter(pk=plan.pk)).get())


@router.get(
    "/safety-plans/{int:safety_plan_id}", response=SafetyPlanOut, summary="Read a safety plan"
)
def get_safety_plan(request, safety_plan_id: int, response: HttpResponse):
    plan, case = case_of(request.user, SafetyPlan, safety_plan_id)
    log_api_view(request, plan, case=case)
    set_etag(response, plan)
    return _safety(SafetyPlan.objects.filter(pk=plan.pk)).get()


@router.post(
    "/safety-plans/{int:safety_plan_id}/end",
    response=SafetyPlanOut,
    summary="End a safety plan (C4)",
)
def end_safety_plan(request, safety_plan_id: int, payload: SafetyPlanEndIn, response: HttpResponse):
    plan, case = case_of(request.user, SafetyPlan, safety_plan_id, for_edit=True)
    plan = services.safety_plan_end(
        actor=request.user,
        safety_plan=plan,
        ended_on=payload.ended_on,
        reason=payload.reason,
        version=expected_version(request, payload.version),
    )
    set_etag(response, plan)
    return _safety(SafetyPlan.objects.filter(pk=plan.pk)).get()
