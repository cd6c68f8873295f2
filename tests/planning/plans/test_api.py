"""The case plan API: a roundtrip from draft to approval (C2, C5, C9), refusals naming the
field with nothing stored, who approves (a case manager 403, the supervisor 200, another
unit's supervisor 404), signatures with disagreements, the PDF in both languages, progress
(P9) and safety plans (C4)."""

from datetime import timedelta

import pytest

from hearth.core.services import today
from hearth.planning.models import ActionStep, CasePlan, Goal, ParentingTimePlan, SafetyPlan
from hearth.staff.models import Role
from tests.api.conftest import ApiClient
from tests.factories import StaffFactory
from tests.i18n import english_labels, pdf_text
from tests.planning.plans.conftest import make_assessment, make_meeting

BASE = "/api/v1"


def _step(**over):
    s = {
        "who": "parent",
        "who_name": "Iris Orchard",
        "what": "Attend the weekly parenting class",
        "due_on": (today() + timedelta(days=20)).isoformat(),
        "outcome": "Uses time-outs instead of shouting, seen at two visits",
    }
    s.update(over)
    return s


def _body(family, version, *, steps=None, needs=()):
    return {
        "version": version,
        "permanency_goal": "Remain with family",
        "summary": "Safe care at home",
        "goals": [
            {
                "area": "safety",
                "statement": "The children are supervised by a sober adult",
                "objectives": [
                    {
                        "statement": "Iris keeps a childcare schedule",
                        "target_on": (today() + timedelta(days=60)).isoformat(),
                        "steps": steps if steps is not None else [_step()],
                    }
                ],
            }
        ],
        "need_responses": list(needs),
        "parenting_time": [
            {
                "parent": family["mother"].pk,
                "arrangements": "Lives with the children",
                "behaviours_assessed": "Bedtime routine kept",
            },
            {
                "parent": family["father"].pk,
                "arrangements": "Saturdays, supervised",
                "behaviours_assessed": "Arrives on time",
            },
        ],
    }


@pytest.fixture
def api(family):
    return ApiClient(family["worker"].user)


def _draft(api, family, **kw):
    r = api.post(f"{BASE}/cases/{family['case'].pk}/plans", {})
    assert r.status_code == 201, r.content
    plan = r.json()
    r = api.put(f"{BASE}/case-plans/{plan['id']}", _body(family, plan["version"], **kw))
    return plan, r


def test_c2_put_refuses_a_step_without_who_or_when_naming_the_field(api, family):
    plan, r = _draft(api, family, steps=[_step(), _step(who=None, due_on=None)])
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert "goals.0.objectives.0.steps.1.who" in errors
    assert "goals.0.objectives.0.steps.1.due_on" in errors
    assert not Goal.objects.filter(plan_id=plan["id"]).exists()


def test_c2_c5_c9_roundtrip_draft_adopt_sign_approve(api, family):
    ratings = make_assessment(family["case"], family["worker"], scores=(3, 2))
    needs = [
        {"rating": ratings[0].pk, "goal": 0, "objective": 0},
        {"rating": ratings[1].pk, "not_addressed_reason": "After the move"},
    ]
    plan, r = _draft(api, family, needs=needs)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["unanswered_needs"] == [] and body["needs"][0]["trauma"] is True
    assert r["ETag"] == f'"{body["version"]}"'
    # The family did not attend: refused, naming the meeting.
    absent = make_meeting(family["case"], attended=("relative",))
    r = api.post(
        f"{BASE}/case-plans/{plan['id']}/adopt", {"meeting": absent.pk, "version": body["version"]}
    )
    assert r.status_code == 422 and "meeting" in r.json()["errors"]
    meeting = make_meeting(family["case"])
    r = api.post(
        f"{BASE}/case-plans/{plan['id']}/adopt",
        {"meeting": meeting.pk, "version": body["version"]},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "adopted" and body["adopted_on"] == meeting.held_on.isoformat()
    sigs = {s["name"]: s for s in body["signatures"]}
    version = body["version"]
    for name, s in sigs.items():
        payload = {"signed_on": today().isoformat(), "method": "paper", "version": version}
        if name == "Owen Fallow":
            payload |= {"agrees": False, "disagreement": "I want more weekend time."}
        r = api.post(f"{BASE}/case-plans/{plan['id']}/signatures/{s['id']}/sign", payload)
        assert r.status_code == 200, r.content
        version = r.json()["version"]
    owen = next(s for s in r.json()["signatures"] if s["name"] == "Owen Fallow")
    assert owen["agrees"] is False and owen["disagreement"] == "I want more weekend time."
    # Approval: the case manager is refused, the supervisor approves.
    r = api.post(f"{BASE}/case-plans/{plan['id']}/approve", {"version": version})
    assert r.status_code == 403
    sup = ApiClient(family["supervisor"].user)
    r = sup.post(f"{BASE}/case-plans/{plan['id']}/approve", {"version": version, "note": "OK"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved"
    r = api.get(f"{BASE}/cases/{family['case'].pk}/plans")
    assert [p["status"] for p in r.json()] == ["approved"]


def test_approve_by_another_units_supervisor_is_404(api, family, other_unit):
    plan, _ = _draft(api, family)
    far = StaffFactory(unit=other_unit, roles=[Role.SUPERVISOR])
    r = ApiClient(far.user).post(f"{BASE}/case-plans/{plan['id']}/approve", {"version": 1})
    assert r.status_code == 404


def test_put_on_an_old_version_is_409(api, family):
    plan, r = _draft(api, family)
    assert r.status_code == 200
    r = api.put(f"{BASE}/case-plans/{plan['id']}", _body(family, plan["version"]))
    assert r.status_code == 409


def test_pdf_in_english_and_spanish_with_the_disagreement(api, family, tmp_path):
    plan, r = _draft(api, family)
    meeting = make_meeting(family["case"])
    r = api.post(
        f"{BASE}/case-plans/{plan['id']}/adopt",
        {"meeting": meeting.pk, "version": r.json()["version"]},
    )
    body = r.json()
    owen = next(s for s in body["signatures"] if s["name"] == "Owen Fallow")
    r = api.post(
        f"{BASE}/case-plans/{plan['id']}/signatures/{owen['id']}/sign",
        {
            "signed_on": today().isoformat(),
            "declined": True,
            "disagreement": "No firmo: quiero visitas sin supervision.",
            "version": body["version"],
        },
    )
    assert r.status_code == 200, r.content
    english = api.get(f"{BASE}/case-plans/{plan['id']}/pdf", lang="en")
    assert english.status_code == 200 and english["Content-Type"] == "application/pdf"
    en = pdf_text(english.content, tmp_path)
    assert "Case plan" in en and "Attend the weekly parenting class" in en
    assert "Declined to sign" in en and "quiero visitas" in en
    spanish = api.get(f"{BASE}/case-plans/{plan['id']}/pdf", lang="es")
    es = pdf_text(spanish.content, tmp_path)
    assert "Plan del caso" in es and "Firmas" in es and "No quiso firmar el" in es
    # Issue 15: the Spanish copy has none of the English copy's labels (the catalogue's);
    # the parenting time the worker wrote in English is printed as written.
    typed = ParentingTimePlan.objects.filter(plan_id=plan["id"]).values_list(
        "arrangements", flat=True
    )
    shown, left = english_labels(en, es, typed=typed)
    assert len(shown) >= 20 and left == [], left
    assert api.get(f"{BASE}/case-plans/{plan['id']}/pdf", lang="fr").status_code == 422


def test_p9_progress_through_the_api(api, family):
    plan, r = _draft(api, family)
    meeting = make_meeting(family["case"])
    api.post(
        f"{BASE}/case-plans/{plan['id']}/adopt",
        {"meeting": meeting.pk, "version": r.json()["version"]},
    )
    step = ActionStep.objects.get(objective__goal__plan_id=plan["id"])
    r = api.post(
        f"{BASE}/steps/{step.pk}/progress",
        {"recorded_on": today().isoformat(), "status": "done", "at": "visit", "note": "Seen"},
    )
    assert r.status_code == 201, r.content
    r = api.get(f"{BASE}/case-plans/{plan['id']}")
    s = r.json()["goals"][0]["objectives"][0]["steps"][0]
    assert s["state"] == "done" and s["latest_status"] == "done"


def test_c4_safety_plan_api(api, family):
    url = f"{BASE}/cases/{family['case'].pk}/safety-plans"
    bad = {
        "kind": "general",
        "made_on": today().isoformat(),
        "threats": "Unsupervised care",
        "measures": [{"kind": "proactive", "what": "Grandmother stays", "who": "", "when": ""}],
    }
    r = api.post(url, bad)
    assert r.status_code == 422
    assert {"measures.0.who", "measures.0.when", "measures"} <= set(r.json()["errors"])
    assert not SafetyPlan.objects.exists()
    good = dict(bad)
    good["measures"] = [
        {"kind": "proactive", "what": "Grandmother stays", "who": "Grandmother", "when": "Nightly"},
        {"kind": "reactive", "what": "Call 911", "who": "Iris", "when": "If Owen comes drunk"},
    ]
    r = api.post(url, good)
    assert r.status_code == 201, r.content
    dv = api.post(url, good | {"kind": "domestic_violence"})
    assert dv.status_code == 201
    sp = r.json()
    r = api.post(
        f"{BASE}/safety-plans/{sp['id']}/end",
        {"ended_on": today().isoformat(), "version": sp["version"]},
    )
    assert r.status_code == 200 and r.json()["status"] == "ended"
    assert [p["kind"] for p in api.get(url).json()] == ["general", "domestic_violence"] or len(
        api.get(url).json()
    ) == 2
    assert CasePlan.objects.count() == 0
