"""Every write to case plans and safety plans (C1, C2, C4, C5, C9, P9): one function per
user action, in a transaction. The rules are pure functions in hearth.policy.case_plans;
these feed them, store the outcome and record the case's events.

Callers pass a case (or a record of it) they have checked the actor may edit
(hearth.cases.access / hearth.planning.access). A refusal raises DomainError naming the
field (`goals.0.objectives.1.steps.2.due_on`) and stores nothing.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from hearth.cases import events
from hearth.cases.models import Case, CaseMeeting, CaseMember
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import lock, not_future, today, validated_save
from hearth.planning.models import (
    ActionStep,
    CasePlan,
    Goal,
    NeedResponse,
    Objective,
    ParentingTimePlan,
    PlanSignature,
    ServiceReferral,
    StepProgress,
)
from hearth.planning.selectors import plans as selectors
from hearth.planning.services.safety_plans import (  # noqa: F401 (C4: the plan's safety plans)
    safety_plan_create,
    safety_plan_end,
)
from hearth.policy import case_plans as rules
from hearth.staff.access import staff_for
from hearth.staff.permissions import can

S = CasePlan.Status


def _open(case: Case) -> None:
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})


def _save(instance, prefix: str, actor, exclude=()) -> None:
    validated_save(instance, actor=actor, exclude=list(exclude), prefix=prefix)


# --- Drafts ---------------------------------------------------------------------------------


@transaction.atomic
def case_plan_create(*, actor, case: Case, based_on_latest: bool = True) -> CasePlan:
    """A new draft version, numbered after the last. With `based_on_latest` its content is
    copied from the latest adopted or approved version (goals, objectives, steps, needs
    answered, parenting time): a review starts from the plan in effect. One draft at a
    time: a second is refused while one is open."""
    case = lock(Case, case.pk)
    _open(case)
    versions = list(CasePlan.objects.filter(case=case).order_by("-number"))
    draft = next((p for p in versions if p.status == S.DRAFT), None)
    if draft is not None:
        raise DomainError(
            {"number": f"Version {draft.number} is still a draft: edit it, or adopt it first."}
        )
    base = None
    if based_on_latest:
        base = next((p for p in versions if p.status in (S.ADOPTED, S.APPROVED)), None)
    plan = CasePlan(
        case=case,
        number=(versions[0].number + 1) if versions else 1,
        based_on=base,
        created_by=actor,
    )
    if base is not None:
        for name in ("permanency_goal", "summary", "trauma_approach", "family_supports"):
            setattr(plan, name, getattr(base, name))
    validated_save(plan, actor=actor)
    if base is not None:
        _copy_content(base, plan, actor)
    events.case_plan_created(plan, actor=actor)
    return plan


def _copy_content(base: CasePlan, plan: CasePlan, actor) -> None:
    goal_map, objective_map = {}, {}
    for g in selectors.plan_tree(base):
        new_goal = Goal.objects.create(
            plan=plan, order=g.order, area=g.area, statement=g.statement, person=g.person
        )
        goal_map[g.pk] = new_goal
        for o in g.objectives.all():
            new_obj = Objective.objects.create(
                goal=new_goal,
                order=o.order,
                statement=o.statement,
                target_on=o.target_on,
                measure=o.measure,
            )
            objective_map[o.pk] = new_obj
            ActionStep.objects.bulk_create(
                ActionStep(
                    objective=new_obj,
                    order=s.order,
                    who=s.who,
                    who_person_id=s.who_person_id,
                    who_name=s.who_name,
                    what=s.what,
                    due_on=s.due_on,
                    outcome=s.outcome,
                    referral_id=s.referral_id,
                )
                for s in o.steps.all()
            )
    # C9: only needs still actionable are answered again.
    actionable = selectors.actionable_ids(plan.case)
    NeedResponse.objects.bulk_create(
        NeedResponse(
            plan=plan,
            rating_id=r.rating_id,
            goal=goal_map.get(r.goal_id),
            objective=objective_map.get(r.objective_id),
            not_addressed_reason=r.not_addressed_reason,
        )
        for r in NeedResponse.objects.filter(plan=base)
        if r.rating_id in actionable
    )
    ParentingTimePlan.objects.bulk_create(
        ParentingTimePlan(
            plan=plan,
            parent_id=p.parent_id,
            visitation_plan_id=p.visitation_plan_id,
            arrangements=p.arrangements,
            behaviours_assessed=p.behaviours_assessed,
        )
        for p in ParentingTimePlan.objects.filter(plan=base)
    )


def _steps_of(goals: list[dict]) -> list[rules.GoalIn]:
    return [
        rules.GoalIn(
            g.get("area", ""),
            g.get("statement", ""),
            tuple(
                rules.ObjectiveIn(
                    o.get("statement", ""),
                    o.get("target_on"),
                    tuple(
                        rules.StepIn(
                            s.get("who", ""),
                            s.get("who_name", ""),
                            s.get("what", ""),
                            s.get("due_on"),
                            s.get("outcome", ""),
                        )
                        for s in o.get("steps", [])
                    ),
                )
                for o in g.get("objectives", [])
            ),
        )
        for g in goals
    ]


@transaction.atomic
def case_plan_update(
    *,
    actor,
    plan: CasePlan,
    version: int | None,
    permanency_goal: str = "",
    summary: str = "",
    trauma_approach: str = "",
    family_supports: str = "",
    goals: list[dict] = (),
    need_responses: list[dict] = (),
    parenting_time: list[dict] = (),
) -> CasePlan:
    """Replace a draft's content as a whole (C2, C9). `goals`: dicts of area, statement,
    person (a Person or None) and objectives (statement, target_on, measure, steps); a
    step: who, who_name, who_person, what, due_on, outcome, referral. `need_responses`:
    rating (a Rating id), goal (an index into `goals`), objective (an index into that
    goal's objectives), not_addressed_reason. `parenting_time`: parent (a Person),
    visitation_plan (a VisitationPlan or None), arrangements, behaviours_assessed.

    C2 refusals name the field (`goals.<i>.objectives.<j>.steps.<k>.<field>`); vague words
    in a step are refused, in a goal or objective only warned about (policy docstring)."""
    plan = lock(CasePlan, plan.pk)
    plan.check_version(version)
    case = plan.case
    _open(case)
    if plan.status != S.DRAFT:
        raise DomainError({"status": "Only a draft is edited; make a new version instead."})
    goals = list(goals)
    content = _steps_of(goals)
    errors = rules.content_problems(content, opened_on=case.opened_on)
    members = set(
        CaseMember.objects.filter(case=case).values_list("person_id", flat=True).distinct()
    )
    referrals = set(ServiceReferral.objects.filter(case=case).values_list("pk", flat=True))
    for i, g in enumerate(goals):
        person = g.get("person")
        if person is not None and person.pk not in members:
            errors[f"goals.{i}.person"] = "Not a member of this case."
        for j, o in enumerate(g.get("objectives", [])):
            for k, s in enumerate(o.get("steps", [])):
                p = f"goals.{i}.objectives.{j}.steps.{k}"
                if s.get("who_person") is not None and s["who_person"].pk not in members:
                    errors[f"{p}.who_person"] = "Not a member of this case."
                ref = s.get("referral")
                if ref is not None and getattr(ref, "pk", ref) not in referrals:
                    errors[f"{p}.referral"] = "Not a service referral of this case."
                if s.get("who") and s["who"] not in ActionStep.Who.values:
                    errors.setdefault(f"{p}.who", "Choose who does it.")
    responses = [
        rules.NeedResponseIn(
            r.get("rating"), r.get("goal"), r.get("objective"), r.get("not_addressed_reason", "")
        )
        for r in need_responses
    ]
    errors |= rules.need_response_problems(
        responses, actionable=selectors.actionable_ids(case), goals=content
    )
    parents = {p.pk for p in selectors.case_parents(case, today())}
    errors |= rules.parenting_time_problems(
        [getattr(t.get("parent"), "pk", None) for t in parenting_time], parents=parents
    )
    for i, t in enumerate(parenting_time):
        vp = t.get("visitation_plan")
        if vp is not None and vp.case_id != case.pk:
            errors[f"parenting_time.{i}.visitation_plan"] = "Not a visitation plan of this case."
    if errors:
        raise DomainError(errors)

    plan.permanency_goal = permanency_goal
    plan.summary = summary
    plan.trauma_approach = trauma_approach
    plan.family_supports = family_supports
    plan.bump_version()
    validated_save(plan, actor=actor)
    NeedResponse.objects.filter(plan=plan).delete()
    ParentingTimePlan.objects.filter(plan=plan).delete()
    Goal.objects.filter(plan=plan).delete()
    saved_goals: list[tuple[Goal, list[Objective]]] = []
    for i, g in enumerate(goals):
        goal = Goal(
            plan=plan, order=i, area=g["area"], statement=g["statement"], person=g.get("person")
        )
        _save(goal, f"goals.{i}", actor)
        objectives = []
        for j, o in enumerate(g["objectives"]):
            objective = Objective(
                goal=goal,
                order=j,
                statement=o["statement"],
                target_on=o["target_on"],
                measure=o.get("measure", ""),
            )
            _save(objective, f"goals.{i}.objectives.{j}", actor)
            objectives.append(objective)
            for k, s in enumerate(o["steps"]):
                ref = s.get("referral")
                step = ActionStep(
                    objective=objective,
                    order=k,
                    who=s["who"],
                    who_person=s.get("who_person"),
                    who_name=s["who_name"].strip(),
                    what=s["what"],
                    due_on=s["due_on"],
                    outcome=s["outcome"],
                    referral_id=getattr(ref, "pk", ref),
                )
                _save(step, f"goals.{i}.objectives.{j}.steps.{k}", actor)
        saved_goals.append((goal, objectives))
    for i, r in enumerate(responses):
        goal = saved_goals[r.goal][0] if r.goal is not None else None
        objective = saved_goals[r.goal][1][r.objective] if r.objective is not None else None
        _save(
            NeedResponse(
                plan=plan,
                rating_id=r.rating,
                goal=goal,
                objective=objective,
                not_addressed_reason=r.not_addressed_reason.strip(),
            ),
            f"need_responses.{i}",
            actor,
        )
    for i, t in enumerate(parenting_time):
        _save(
            ParentingTimePlan(
                plan=plan,
                parent=t["parent"],
                visitation_plan=t.get("visitation_plan"),
                arrangements=t.get("arrangements", ""),
                behaviours_assessed=t.get("behaviours_assessed", ""),
            ),
            f"parenting_time.{i}",
            actor,
        )
    return plan


# --- Adoption at a family team meeting (C5) ----------------------------------------------


@transaction.atomic
def case_plan_adopt(
    *, actor, plan: CasePlan, meeting: CaseMeeting | None, version: int | None = None
) -> CasePlan:
    """C5: the draft is adopted at a family team meeting of the case (one with its planning
    record), held on or after the draft was begun (the meeting saw this version: it is not
    made in advance and adopted at an earlier meeting), which a parent or the youth
    attended. C2: it has goals and a parenting time plan for every parent; C9: every
    actionable need is answered. `adopted_on` is the meeting's date. The signatures owed
    are created: each parent, each child of at least `youth_signs_age` that day, and the
    case's primary worker."""
    plan = lock(CasePlan, plan.pk)
    plan.check_version(version)
    case = plan.case
    _open(case)
    facts = None
    if meeting is not None:
        facts = rules.MeetingFacts(
            same_case=meeting.case_id == case.pk,
            family_team_meeting=meeting.kind == CaseMeeting.Kind.FAMILY_TEAM_MEETING,
            has_team_record=hasattr(meeting, "team"),
            held_on=meeting.held_on,
            family_attended=selectors.family_attended(meeting),
        )
    on = meeting.held_on if meeting is not None else today()
    parents = selectors.case_parents(case, on)
    with_time = set(ParentingTimePlan.objects.filter(plan=plan).values_list("parent_id", flat=True))
    answered = set(NeedResponse.objects.filter(plan=plan).values_list("rating_id", flat=True))
    errors = rules.adoption_problems(
        status=plan.status,
        created_on=timezone.localdate(plan.created_at),
        meeting=facts,
        goal_count=Goal.objects.filter(plan=plan).count(),
        parents_without_time=[p.full_name for p in parents if p.pk not in with_time],
        unanswered_needs=len(rules.unanswered(selectors.actionable_ids(case), answered)),
        today=today(),
    )
    if not errors:
        # A draft saved before a rule changed is checked again as a whole (C2).
        problems = rules.content_problems(
            selectors.content_of(selectors.plan_tree(plan)), opened_on=case.opened_on
        )
        if problems:
            errors["goals"] = "C2: " + "; ".join(f"{k}: {v}" for k, v in problems.items())
    if errors:
        raise DomainError(errors)
    plan.status = S.ADOPTED
    plan.meeting = meeting
    plan.adopted_on = meeting.held_on
    plan.bump_version()
    validated_save(plan, actor=actor)
    youth_age = case.agency.policy.youth_signs_age
    signers = [
        PlanSignature(plan=plan, name=p.full_name, role=PlanSignature.Role.PARENT, person=p)
        for p in parents
    ]
    signers += [
        PlanSignature(plan=plan, name=y.full_name, role=PlanSignature.Role.YOUTH, person=y)
        for y in selectors.case_youth(case, plan.adopted_on, youth_signs_age=youth_age)
    ]
    worker = selectors.primary_worker(case)
    if worker is not None:
        signers.append(
            PlanSignature(plan=plan, name=str(worker), role=PlanSignature.Role.WORKER, staff=worker)
        )
    for i, sig in enumerate(signers):
        _save(sig, f"signatures.{i}", actor)
    events.case_plan_adopted(plan, actor=actor)
    return plan


# --- Signatures ------------------------------------------------------------------------------


def _signable(signature: PlanSignature) -> tuple[CasePlan, PlanSignature]:
    plan = lock(CasePlan, signature.plan_id)
    signature = lock(PlanSignature, signature.pk)
    _open(plan.case)
    if plan.status not in (S.ADOPTED, S.APPROVED):
        raise DomainError({"signature": "Only an adopted plan is signed."})
    if signature.signed_on is not None or signature.declined_on is not None:
        raise DomainError({"signature": f"{signature.name} has already answered."})
    return plan, signature


@transaction.atomic
def case_plan_sign(
    *,
    actor,
    signature: PlanSignature,
    signed_on: date,
    method: str,
    signed_as: str = "",
    agrees: bool = True,
    disagreement: str = "",
    language: str = "en",
    copy_given_on: date | None = None,
    version: int | None = None,
) -> PlanSignature:
    """A participant signs the adopted plan, electronically (typing their name) or on paper
    (recorded by the worker). A participant who signs but disagrees says so in their own
    words: the disagreement is kept and shown with the plan, never hidden. Every signature
    is a new version of the plan (`version`: the plan's, as read)."""
    plan, signature = _signable(signature)
    plan.check_version(version)
    not_future("signed_on", signed_on, "A signature")
    if signed_on < plan.adopted_on:
        raise DomainError({"signed_on": "A signature cannot predate the plan's adoption."})
    if method == PlanSignature.Method.ELECTRONIC:
        if signed_as.strip().casefold() != signature.name.strip().casefold():
            raise DomainError({"signed_as": f"Type the participant's name ({signature.name})."})
    elif method != PlanSignature.Method.PAPER:
        raise DomainError({"method": "Choose electronic or paper."})
    if not agrees and not disagreement.strip():
        raise DomainError({"disagreement": "Record the disagreement in the participant's words."})
    if copy_given_on is not None and copy_given_on < signed_on:
        raise DomainError({"copy_given_on": "The copy is given on or after signing."})
    signature.signed_on = signed_on
    signature.signature_method = method
    signature.signed_as = signed_as.strip()
    signature.agrees = agrees
    signature.disagreement = disagreement.strip()
    signature.language = language or "en"
    signature.recorded_by = actor
    signature.copy_given_on = copy_given_on
    validated_save(signature, actor=actor)
    plan.bump_version()
    validated_save(plan, actor=actor)
    events.case_plan_signed(signature, actor=actor)
    return signature


@transaction.atomic
def case_plan_signature_decline(
    *, actor, signature: PlanSignature, declined_on: date, reason: str, version: int | None = None
) -> PlanSignature:
    """A participant declines to sign: recorded with their reason in their words (kept,
    shown with the plan). A declined signature is answered: it does not hold back the
    supervisor's approval (hearth.policy.case_plans.approval_problems)."""
    plan, signature = _signable(signature)
    plan.check_version(version)
    if signature.role == PlanSignature.Role.WORKER:
        raise DomainError({"signature": "The case manager signs the plan."})
    not_future("declined_on", declined_on, "A decline")
    if declined_on < plan.adopted_on:
        raise DomainError({"declined_on": "This is before the plan's adoption."})
    if not reason.strip():
        raise DomainError({"disagreement": "Record why, in the participant's words."})
    signature.declined_on = declined_on
    signature.agrees = False
    signature.disagreement = reason.strip()
    signature.recorded_by = actor
    validated_save(signature, actor=actor)
    plan.bump_version()
    validated_save(plan, actor=actor)
    events.case_plan_signed(signature, actor=actor)
    return signature


# --- Approval ---------------------------------------------------------------------------------


@transaction.atomic
def case_plan_approve(
    *, actor, plan: CasePlan, note: str = "", version: int | None = None
) -> CasePlan:
    """The supervisor of the case's unit (or the program director: capability plan.approve,
    who can edit the case: the caller checked) approves an adopted version the worker has
    signed and every parent and youth has answered. It takes effect and replaces the
    version approved before (and any adopted one older than it)."""
    staff = staff_for(actor)
    if not can(staff, "plan.approve"):
        raise Forbidden()
    plan = lock(CasePlan, plan.pk)
    plan.check_version(version)
    _open(plan.case)
    sigs = [
        rules.SignatureFacts(s.role, s.signed_on is not None, s.declined_on is not None)
        for s in PlanSignature.objects.filter(plan=plan)
    ]
    errors = rules.approval_problems(status=plan.status, signatures=sigs)
    if errors:
        raise DomainError(errors)
    replaced = []
    for old in CasePlan.objects.select_for_update().filter(
        case=plan.case_id,
        number__lt=plan.number,
        status__in=[S.APPROVED, S.ADOPTED],
    ):
        old.status = S.REPLACED
        old.bump_version()
        validated_save(old, actor=actor)
        replaced.append(old.pk)
    plan.status = S.APPROVED
    plan.approved_on = today()
    plan.approved_by = staff
    plan.approval_note = note.strip()
    plan.bump_version()
    validated_save(plan, actor=actor)
    events.case_plan_approved(plan, actor=actor, replaced=replaced)
    return plan


# --- Progress (P9; KCA 13, 14) ----------------------------------------------------------------


@transaction.atomic
def step_progress_record(
    *,
    actor,
    step: ActionStep,
    recorded_on: date,
    status: str,
    at: str,
    note: str = "",
    contact_note=None,
) -> StepProgress:
    """P9: progress on a step of an adopted or approved version, recorded at a visit, a
    review, a meeting or from a provider's report; `contact_note` links the visit's note
    (of the same case)."""
    step = ActionStep.objects.select_related("objective__goal__plan__case").get(pk=step.pk)
    plan = step.objective.goal.plan
    _open(plan.case)
    if plan.status not in (S.ADOPTED, S.APPROVED):
        raise DomainError({"step": "Progress is recorded on the plan adopted or in effect."})
    not_future("recorded_on", recorded_on, "Progress")
    if recorded_on < plan.adopted_on:
        raise DomainError({"recorded_on": "This is before the plan was adopted."})
    if contact_note is not None and contact_note.case_id != plan.case_id:
        raise DomainError({"contact_note": "Not a contact note of this case."})
    progress = StepProgress(
        step=step,
        recorded_on=recorded_on,
        status=status,
        at=at,
        note=note.strip(),
        contact_note=contact_note,
        recorded_by=actor,
    )
    validated_save(progress, actor=actor)
    events.step_progress_recorded(progress, actor=actor, case=plan.case)
    return progress
