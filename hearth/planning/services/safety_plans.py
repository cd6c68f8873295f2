"""C4: safety plans, beside the case plan: proactive and reactive measures, each with
who and when; a domestic violence safety plan is a separate plan. Callers pass a case
they have checked the actor may edit."""

from datetime import date

from django.db import transaction

from hearth.cases import events
from hearth.cases.models import Case
from hearth.core.errors import DomainError
from hearth.core.services import lock, today, validated_save
from hearth.planning.models import SafetyMeasure, SafetyPlan
from hearth.policy import case_plans as rules


def _save(instance, prefix: str, actor) -> None:
    validated_save(instance, actor=actor, prefix=prefix)


@transaction.atomic
def safety_plan_create(
    *,
    actor,
    case: Case,
    kind: str,
    made_on: date,
    threats: str,
    measures: list[dict],
    assessment=None,
) -> SafetyPlan:
    """C4: a safety plan with proactive and reactive measures, each with what, who and when.
    A domestic violence safety plan is a separate plan (kind domestic_violence) beside the
    general one: one active plan of each kind at a time."""
    case = lock(Case, case.pk)
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    errors = rules.safety_plan_problems(
        threats,
        [
            rules.MeasureIn(
                m.get("kind", ""), m.get("what", ""), m.get("who", ""), m.get("when", "")
            )
            for m in measures
        ],
    )
    if kind not in SafetyPlan.Kind.values:
        errors["kind"] = "C4: a general or a domestic violence safety plan."
    elif SafetyPlan.objects.filter(case=case, kind=kind, status=SafetyPlan.Status.ACTIVE).exists():
        errors["kind"] = "This case has an active plan of this kind: end it first."
    if assessment is not None and assessment.case_id != case.pk:
        errors["assessment"] = "Not an assessment of this case."
    if made_on > today():
        errors["made_on"] = "A safety plan cannot be made in the future."
    elif made_on < case.opened_on:
        errors["made_on"] = "A safety plan cannot predate the case."
    if errors:
        raise DomainError(errors)
    plan = SafetyPlan(
        case=case,
        kind=kind,
        made_on=made_on,
        threats=threats.strip(),
        assessment=assessment,
        made_by=actor,
    )
    validated_save(plan, actor=actor)
    for i, m in enumerate(measures):
        _save(
            SafetyMeasure(
                safety_plan=plan,
                kind=m["kind"],
                what=m["what"].strip(),
                who=m["who"].strip(),
                when=m["when"].strip(),
                order=i,
            ),
            f"measures.{i}",
            actor,
        )
    events.safety_plan_made(plan, actor=actor)
    return plan


@transaction.atomic
def safety_plan_end(
    *, actor, safety_plan: SafetyPlan, ended_on: date, reason: str = "", version=None
) -> SafetyPlan:
    """C4: the threats are controlled or another plan replaces this one."""
    plan = lock(SafetyPlan, safety_plan.pk)
    plan.check_version(version)
    if plan.status != SafetyPlan.Status.ACTIVE:
        raise DomainError({"status": "This safety plan has already ended."})
    if ended_on > today():
        raise DomainError({"ended_on": "The end cannot be in the future."})
    if ended_on < plan.made_on:
        raise DomainError({"ended_on": "A safety plan cannot end before it was made."})
    plan.status = SafetyPlan.Status.ENDED
    plan.ended_on = ended_on
    plan.bump_version()
    validated_save(plan, actor=actor)
    events.safety_plan_ended(plan, actor=actor, reason=reason.strip())
    return plan
