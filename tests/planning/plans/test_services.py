"""Case plan services: drafts (C2, C9), adoption at a family team meeting (C5), signatures
with disagreements, approval, progress (P9) and safety plans (C4)."""

from datetime import timedelta

import pytest

from hearth.cases.models import CaseEvent
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import today
from hearth.planning.models import (
    ActionStep,
    CasePlan,
    Goal,
    NeedResponse,
    PlanSignature,
    SafetyPlan,
    StepProgress,
)
from hearth.planning.services import plans as services
from tests.planning.plans.conftest import (
    full_draft,
    goal,
    make_assessment,
    make_meeting,
    parenting,
    step,
)


def _update(fam, plan, **over):
    data = dict(
        actor=fam["worker"].user,
        plan=plan,
        version=plan.version,
        goals=[goal()],
        parenting_time=parenting(fam),
    )
    data.update(over)
    return services.case_plan_update(**data)


def test_c2_step_without_who_or_when_refused_naming_the_field_and_nothing_stored(family):
    plan = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    bad = goal()
    bad["objectives"][0]["steps"] = [step(), step(who="", due_on=None)]
    with pytest.raises(DomainError) as exc:
        _update(family, plan, goals=[bad])
    assert "goals.0.objectives.0.steps.1.who" in exc.value.errors
    assert "goals.0.objectives.0.steps.1.due_on" in exc.value.errors
    assert not Goal.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.version == 1


def test_c2_vague_step_refused_and_vague_goal_saved(family):
    plan = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    with pytest.raises(DomainError) as exc:
        _update(
            family,
            plan,
            goals=[
                goal(
                    objectives=[
                        {
                            **goal()["objectives"][0],
                            "steps": [step(what="Cooperate with the agency")],
                        }
                    ]
                )
            ],
        )
    assert "cooperate" in exc.value.errors["goals.0.objectives.0.steps.0.what"]
    _update(family, plan, goals=[goal(statement="Iris will understand the risks")])
    assert Goal.objects.filter(plan=plan).count() == 1


def test_c9_need_responses_only_for_actionable_needs(family):
    ratings = make_assessment(family["case"], family["worker"], scores=(2, 3, 1))
    plan = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    with pytest.raises(DomainError) as exc:
        _update(family, plan, need_responses=[{"rating": ratings[2].pk, "goal": 0}])
    assert "need_responses.0.rating" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        _update(family, plan, need_responses=[{"rating": ratings[0].pk}])
    assert "need_responses.0.not_addressed_reason" in exc.value.errors
    _update(
        family,
        plan,
        need_responses=[
            {"rating": ratings[0].pk, "goal": 0, "objective": 0},
            {"rating": ratings[1].pk, "not_addressed_reason": "After the housing move"},
        ],
    )
    r = NeedResponse.objects.get(plan=plan, rating=ratings[0])
    assert r.objective.goal_id == r.goal_id


def test_c2_parenting_time_only_for_parents_of_the_case(family):
    plan = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    with pytest.raises(DomainError) as exc:
        _update(
            family,
            plan,
            parenting_time=[
                {"parent": family["youth"], "arrangements": "x", "behaviours_assessed": "y"}
            ],
        )
    assert "parenting_time.0.parent" in exc.value.errors


def test_one_draft_at_a_time_and_new_version_copies_the_adopted_one(family):
    ratings = make_assessment(family["case"], family["worker"])
    plan = full_draft(family, ratings=ratings[:2])
    with pytest.raises(DomainError) as exc:
        services.case_plan_create(actor=family["worker"].user, case=family["case"])
    assert "number" in exc.value.errors
    services.case_plan_adopt(
        actor=family["worker"].user, plan=plan, meeting=make_meeting(family["case"])
    )
    v2 = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    assert v2.number == 2 and v2.based_on_id == plan.pk
    assert ActionStep.objects.filter(objective__goal__plan=v2).count() == 1
    assert NeedResponse.objects.filter(plan=v2).count() == 2
    assert v2.parenting_time.count() == 2
    assert CaseEvent.objects.filter(case=family["case"], type="case_plan_created").count() == 2


def test_c5_adopt_refused_when_the_family_did_not_attend(family):
    plan = full_draft(family)
    meeting = make_meeting(family["case"], attended=("relative",))
    with pytest.raises(DomainError) as exc:
        services.case_plan_adopt(actor=family["worker"].user, plan=plan, meeting=meeting)
    assert "family" in exc.value.errors["meeting"]
    plan.refresh_from_db()
    assert plan.status == "draft" and not PlanSignature.objects.filter(plan=plan).exists()


def test_c5_adopt_refused_at_a_placement_conference_or_another_case(family, supervisor, worker):
    plan = full_draft(family)
    conf = make_meeting(family["case"], kind="placement_conference")
    with pytest.raises(DomainError) as exc:
        services.case_plan_adopt(actor=worker.user, plan=plan, meeting=conf)
    assert "meeting" in exc.value.errors


def test_c5_c9_adopt_refused_with_an_unanswered_need_or_a_parent_without_time(family):
    ratings = make_assessment(family["case"], family["worker"])
    plan = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    plan = _update(family, plan, parenting_time=parenting(family)[:1])
    with pytest.raises(DomainError) as exc:
        services.case_plan_adopt(
            actor=family["worker"].user, plan=plan, meeting=make_meeting(family["case"])
        )
    assert "Owen" in exc.value.errors["parenting_time"]
    assert "C9" in exc.value.errors["need_responses"]
    assert len(ratings) == 3


def test_c5_adopt_creates_signatures_parents_youth_worker(family):
    plan = full_draft(family)
    meeting = make_meeting(family["case"])
    plan = services.case_plan_adopt(actor=family["worker"].user, plan=plan, meeting=meeting)
    assert plan.status == "adopted" and plan.adopted_on == meeting.held_on
    roles = sorted(PlanSignature.objects.filter(plan=plan).values_list("role", "name"))
    assert roles == sorted(
        [
            ("parent", "Iris Orchard"),
            ("parent", "Owen Fallow"),
            ("youth", "Jade Orchard"),
            ("worker", str(family["worker"])),
        ]
    )
    assert CaseEvent.objects.filter(case=family["case"], type="case_plan_adopted").exists()


def _adopted(family):
    plan = full_draft(family)
    return services.case_plan_adopt(
        actor=family["worker"].user, plan=plan, meeting=make_meeting(family["case"])
    )


def test_signature_with_disagreement_is_recorded_not_hidden(family):
    plan = _adopted(family)
    sig = plan.signatures.get(name="Owen Fallow")
    with pytest.raises(DomainError) as exc:
        services.case_plan_sign(
            actor=family["worker"].user,
            signature=sig,
            signed_on=today(),
            method="paper",
            agrees=False,
        )
    assert "disagreement" in exc.value.errors
    services.case_plan_sign(
        actor=family["worker"].user,
        signature=sig,
        signed_on=today(),
        method="paper",
        agrees=False,
        disagreement="I want more time with my children.",
        language="es",
    )
    sig.refresh_from_db()
    assert sig.agrees is False and sig.disagreement == "I want more time with my children."
    assert sig.language == "es"


def test_approve_needs_capability_worker_signature_and_family_answers(family):
    plan = _adopted(family)
    with pytest.raises(Forbidden):
        services.case_plan_approve(actor=family["worker"].user, plan=plan)
    with pytest.raises(DomainError) as exc:
        services.case_plan_approve(actor=family["supervisor"].user, plan=plan)
    assert "signatures" in exc.value.errors
    for sig in plan.signatures.all():
        plan.refresh_from_db()
        if sig.name == "Owen Fallow":
            services.case_plan_signature_decline(
                actor=family["worker"].user,
                signature=sig,
                declined_on=today(),
                reason="Will not sign while visits are supervised.",
                version=plan.version,
            )
        else:
            services.case_plan_sign(
                actor=family["worker"].user,
                signature=sig,
                signed_on=today(),
                method="paper",
                version=plan.version,
            )
    plan = services.case_plan_approve(actor=family["supervisor"].user, plan=plan, note="Good")
    assert plan.status == "approved" and plan.approved_by == family["supervisor"]
    # A second version approved replaces the first.
    v2 = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    v2 = services.case_plan_adopt(
        actor=family["worker"].user, plan=v2, meeting=make_meeting(family["case"])
    )
    for sig in v2.signatures.all():
        services.case_plan_sign(
            actor=family["worker"].user, signature=sig, signed_on=today(), method="paper"
        )
    services.case_plan_approve(actor=family["supervisor"].user, plan=v2)
    plan.refresh_from_db()
    assert plan.status == "replaced"


def test_p9_progress_on_adopted_steps_only(family):
    plan = full_draft(family)
    s = ActionStep.objects.get(objective__goal__plan=plan)
    with pytest.raises(DomainError):
        services.step_progress_record(
            actor=family["worker"].user, step=s, recorded_on=today(), status="done", at="visit"
        )
    services.case_plan_adopt(
        actor=family["worker"].user, plan=plan, meeting=make_meeting(family["case"])
    )
    services.step_progress_record(
        actor=family["worker"].user,
        step=s,
        recorded_on=today(),
        status="done",
        at="visit",
        note="Seen",
    )
    assert StepProgress.objects.filter(step=s, status="done").exists()
    with pytest.raises(DomainError) as exc:
        services.step_progress_record(
            actor=family["worker"].user,
            step=s,
            recorded_on=today() + timedelta(days=1),
            status="done",
            at="visit",
        )
    assert "recorded_on" in exc.value.errors


def _measures():
    return [
        {
            "kind": "proactive",
            "what": "Grandmother stays overnight",
            "who": "Grandmother",
            "when": "Every night",
        },
        {
            "kind": "reactive",
            "what": "Call 911 and the worker",
            "who": "Iris",
            "when": "If Owen arrives drunk",
        },
    ]


def test_c4_safety_plan_refused_without_who_and_reactive_measure(family):
    with pytest.raises(DomainError) as exc:
        services.safety_plan_create(
            actor=family["worker"].user,
            case=family["case"],
            kind="general",
            made_on=today(),
            threats="Unsupervised care",
            measures=[{"kind": "proactive", "what": "x", "who": "", "when": "daily"}],
        )
    assert "measures.0.who" in exc.value.errors and "measures" in exc.value.errors
    assert not SafetyPlan.objects.exists()


def test_c4_dv_safety_plan_is_separate_and_ends(family):
    actor = family["worker"].user
    general = services.safety_plan_create(
        actor=actor,
        case=family["case"],
        kind="general",
        made_on=today(),
        threats="t",
        measures=_measures(),
    )
    dv = services.safety_plan_create(
        actor=actor,
        case=family["case"],
        kind="domestic_violence",
        made_on=today(),
        threats="DV",
        measures=_measures(),
    )
    with pytest.raises(DomainError):
        services.safety_plan_create(
            actor=actor,
            case=family["case"],
            kind="general",
            made_on=today(),
            threats="t",
            measures=_measures(),
        )
    services.safety_plan_end(actor=actor, safety_plan=general, ended_on=today(), reason="Done")
    general.refresh_from_db()
    assert general.status == "ended" and dv.status == "active"
    assert CasePlan.objects.count() == 0
