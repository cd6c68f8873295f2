"""The case plan pages: the plan page shows done, late and next (P9), the needs and how
each is answered, trauma needs, needs not yet addressed and without a service (C9),
parenting time (C2) and signatures with disagreements; its query count does not grow with
the plan's size. The draft editor refuses a step without who or when (C2) with a 422
showing the error on the field, and keeps the input; adoption at a meeting the family did
not attend is refused (C5); a case manager cannot approve (403)."""

from datetime import timedelta

from django.urls import reverse

from hearth.core.services import today
from hearth.planning.models import ActionStep, CasePlan, Goal, SafetyPlan, StepProgress
from hearth.planning.services import plans as services
from tests.planning.plans.conftest import full_draft, goal, make_assessment, make_meeting


def _adopted(family, goals, ratings=()):
    plan = full_draft(family, ratings=ratings, goals=goals)
    return services.case_plan_adopt(
        actor=family["worker"].user, plan=plan, meeting=make_meeting(family["case"])
    )


def test_p9_c9_plan_page_shows_done_late_next_and_needs(family, as_user):
    ratings = make_assessment(family["case"], family["worker"], scores=(3, 2))
    g = goal(n_steps=3)
    g["objectives"][0]["steps"][0]["due_on"] = today()
    g["objectives"][0]["steps"][1]["due_on"] = today() + timedelta(days=5)
    plan = full_draft(family, ratings=ratings[:2], goals=[g])
    plan = services.case_plan_adopt(
        actor=family["worker"].user, plan=plan, meeting=make_meeting(family["case"])
    )
    # A reassessment after the adoption finds a need the plan does not answer yet (C9).
    make_assessment(family["case"], family["worker"], scores=(2,), trauma_first=False)
    steps = list(ActionStep.objects.filter(objective__goal__plan=plan).order_by("order"))
    services.step_progress_record(
        actor=family["worker"].user, step=steps[2], recorded_on=today(), status="done", at="visit"
    )
    # A step whose date passed: late (dates moved back directly, as time passing would).
    ActionStep.objects.filter(pk=steps[1].pk).update(due_on=today() - timedelta(days=1))
    sig = plan.signatures.get(name="Owen Fallow")
    services.case_plan_sign(
        actor=family["worker"].user,
        signature=sig,
        signed_on=today(),
        method="paper",
        agrees=False,
        disagreement="I want overnight visits.",
    )
    client = as_user(family["worker"])
    r = client.get(reverse("case_plan_detail", args=[plan.pk]))
    assert r.status_code == 200
    text = r.content.decode()
    late = text.split('id="steps-late"')[1].split("</ul>")[0]
    nxt = text.split('id="steps-next"')[1].split("</ul>")[0]
    done = text.split('id="steps-done"')[1].split("</ul>")[0]
    assert f"#step-{steps[1].pk}" in late
    assert f"#step-{steps[0].pk}" in nxt
    assert f"#step-{steps[2].pk}" in done
    assert "Trauma need" in text
    assert "Not yet addressed" in text and 'id="needs-unanswered"' in text
    assert 'id="needs-without-service"' in text
    assert "I want overnight visits." in text and "disagrees" in text
    assert "Owen Fallow" in text


def test_plan_page_same_query_count_small_and_large(family, as_user, django_assert_max_num_queries):
    """The plan page reads as many queries for a version of one goal with one step as for
    one of four goals, twelve objectives, 48 steps with progress and four needs."""
    ratings = make_assessment(family["case"], family["worker"], scores=(2, 2, 2, 3))
    small = _adopted(family, [goal()], ratings)
    client = as_user(family["worker"])
    client.get(reverse("case_plan_detail", args=[small.pk]))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("case_plan_detail", args=[small.pk]))
    n = len(ctx.captured_queries)
    # A second, larger version of the same case: more goals, objectives, steps, needs.
    large = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    large = services.case_plan_update(
        actor=family["worker"].user,
        plan=large,
        version=large.version,
        goals=[goal(n_objectives=3, n_steps=4) for _ in range(4)],
        need_responses=[{"rating": r.pk, "goal": i % 4} for i, r in enumerate(ratings)],
        parenting_time=[
            {"parent": family["mother"], "arrangements": "a", "behaviours_assessed": "b"},
            {"parent": family["father"], "arrangements": "a", "behaviours_assessed": "b"},
        ],
    )
    large = services.case_plan_adopt(
        actor=family["worker"].user, plan=large, meeting=make_meeting(family["case"])
    )
    for s in ActionStep.objects.filter(objective__goal__plan=large):
        StepProgress.objects.create(
            step=s,
            recorded_on=today(),
            status="in_progress",
            at="visit",
            recorded_by=family["worker"].user,
        )
    with django_assert_max_num_queries(n):
        r = client.get(reverse("case_plan_detail", args=[large.pk]))
    assert r.status_code == 200
    assert Goal.objects.filter(plan=large).count() == 4


def test_c2_editor_refuses_a_step_without_who_and_keeps_the_input(family, as_user):
    plan = services.case_plan_create(actor=family["worker"].user, case=family["case"])
    client = as_user(family["worker"])
    r = client.get(reverse("case_plan_edit", args=[plan.pk]))
    assert r.status_code == 200 and 'name="goals.0.objectives.0.steps.0.who"' in r.content.decode()
    data = {
        "version": plan.version,
        "action": "save",
        "goals.0.area": "safety",
        "goals.0.statement": "Sober supervision at all times",
        "goals.0.objectives.0.statement": "A written childcare schedule",
        "goals.0.objectives.0.target_on": (today() + timedelta(days=40)).isoformat(),
        "goals.0.objectives.0.steps.0.who": "",
        "goals.0.objectives.0.steps.0.who_name": "Iris",
        "goals.0.objectives.0.steps.0.what": "Attend the parenting class",
        "goals.0.objectives.0.steps.0.due_on": "",
        "goals.0.objectives.0.steps.0.outcome": "Uses time-outs",
        f"parent.{family['mother'].pk}.arrangements": "Lives with the children",
        f"parent.{family['mother'].pk}.behaviours_assessed": "Bedtime kept",
    }
    r = client.post(reverse("case_plan_edit", args=[plan.pk]), data)
    assert r.status_code == 422
    text = r.content.decode()
    assert 'id="f-goals-0-objectives-0-steps-0-who_error"' in text
    assert 'id="f-goals-0-objectives-0-steps-0-due_on_error"' in text
    assert "Attend the parenting class" in text
    assert not Goal.objects.filter(plan=plan).exists()
    # Adding a step posts back: a new blank row, nothing saved.
    r = client.post(reverse("case_plan_edit", args=[plan.pk]), data | {"action": "add_step:0.0"})
    assert r.status_code == 200
    assert 'name="goals.0.objectives.0.steps.1.what"' in r.content.decode()
    data |= {
        "goals.0.objectives.0.steps.0.who": "parent",
        "goals.0.objectives.0.steps.0.due_on": (today() + timedelta(days=10)).isoformat(),
        f"parent.{family['father'].pk}.arrangements": "Saturdays",
        f"parent.{family['father'].pk}.behaviours_assessed": "On time",
    }
    r = client.post(reverse("case_plan_edit", args=[plan.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert ActionStep.objects.filter(objective__goal__plan=plan).count() == 1


def test_c5_adopt_form_refuses_a_meeting_the_family_did_not_attend(family, as_user):
    plan = full_draft(family)
    absent = make_meeting(family["case"], attended=("relative",))
    client = as_user(family["worker"])
    r = client.post(
        reverse("case_plan_adopt", args=[plan.pk]),
        {"meeting": absent.pk, "version": plan.version},
    )
    assert r.status_code == 422
    assert "no parent or youth attended" in r.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_approve_page_case_manager_403_supervisor_ok_other_unit_404(
    family, as_user, other_unit, client
):
    from hearth.staff.models import Role
    from tests.factories import StaffFactory

    plan = _adopted(family, [goal()])
    for s in plan.signatures.all():
        services.case_plan_sign(
            actor=family["worker"].user, signature=s, signed_on=today(), method="paper"
        )
    plan.refresh_from_db()
    url = reverse("case_plan_approve", args=[plan.pk])
    r = as_user(family["worker"]).post(url, {"version": plan.version})
    assert r.status_code == 403
    far = StaffFactory(unit=other_unit, roles=[Role.SUPERVISOR])
    client.force_login(far.user)
    assert client.post(url, {"version": plan.version}).status_code == 404
    r = as_user(family["supervisor"]).post(url, {"version": plan.version, "note": "Fine"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == CasePlan.Status.APPROVED


def test_c4_safety_plan_pages(family, as_user):
    client = as_user(family["worker"])
    url = reverse("safety_plan_new", args=[family["case"].pk])
    assert client.get(url).status_code == 200
    data = {
        "kind": "domestic_violence",
        "made_on": today().isoformat(),
        "threats": "Owen's violence when drinking",
        "rows": "2",
        "action": "save",
        "m0-kind": "proactive",
        "m0-what": "Owen does not come to the home",
        "m0-who": "",
        "m0-when": "",
        "m1-kind": "",
    }
    r = client.post(url, data)
    assert r.status_code == 422 and "every measure says who" in r.content.decode()
    assert not SafetyPlan.objects.exists()
    data |= {
        "m0-who": "Owen",
        "m0-when": "Always",
        "m1-kind": "reactive",
        "m1-what": "Call 911",
        "m1-who": "Iris",
        "m1-when": "If he comes",
    }
    r = client.post(url, data)
    assert r.status_code == 302
    sp = SafetyPlan.objects.get()
    r = client.get(reverse("safety_plan_detail", args=[sp.pk]))
    assert r.status_code == 200 and "Call 911" in r.content.decode()
    r = client.get(reverse("case_plans", args=[family["case"].pk]))
    assert "Domestic violence safety plan" in r.content.decode()
    r = client.post(
        reverse("safety_plan_end", args=[sp.pk]),
        {"ended_on": today().isoformat(), "version": sp.version},
    )
    assert r.status_code == 302
    sp.refresh_from_db()
    assert sp.status == "ended"


def test_case_plans_page_and_pdf(family, as_user):
    client = as_user(family["worker"])
    r = client.post(reverse("case_plan_new", args=[family["case"].pk]))
    plan = CasePlan.objects.get()
    assert r.status_code == 302 and r.url == reverse("case_plan_edit", args=[plan.pk])
    r = client.get(reverse("case_plans", args=[family["case"].pk]))
    assert r.status_code == 200 and "Version 1" in r.content.decode()
    for lang in ("en", "es"):
        r = client.get(reverse("case_plan_pdf", args=[plan.pk, lang]))
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get(reverse("case_plan_pdf", args=[plan.pk, "fr"])).status_code == 404


def test_c9_editor_shows_a_saved_draft_and_saves_it_again_unchanged(family, as_user):
    """The editor shows each need's answer and every parent's parenting time; posting the
    page back as shown keeps the content (goals, needs answered, parenting time)."""
    from hearth.planning.forms.plans import PlanEditor
    from hearth.planning.models import NeedResponse
    from hearth.planning.selectors import plans as selectors
    from hearth.planning.selectors.assessments import actionable_needs

    ratings = make_assessment(family["case"], family["worker"], scores=(3, 2))
    plan = full_draft(family, ratings=ratings)
    client = as_user(family["worker"])
    r = client.get(reverse("case_plan_edit", args=[plan.pk]))
    text = r.content.decode()
    assert r.status_code == 200
    assert 'value="g:0" selected' in text and "Trauma need" in text
    assert "Owen Fallow" in text
    view = selectors.plan_view(plan, today=today())
    editor = PlanEditor.from_plan(
        plan,
        view.goals,
        view.responses,
        view.parenting_time,
        needs=list(actionable_needs(family["case"])),
        parents=selectors.case_parents(family["case"], today()),
    )
    before = sorted(
        NeedResponse.objects.filter(plan=plan).values_list("rating_id", "not_addressed_reason")
    )
    r = client.post(reverse("case_plan_edit", args=[plan.pk]), editor.data | {"action": "save"})
    assert r.status_code == 302, r.content.decode()[:3000]
    after = sorted(
        NeedResponse.objects.filter(plan=plan).values_list("rating_id", "not_addressed_reason")
    )
    assert after == before
    assert plan.parenting_time.count() == 2
