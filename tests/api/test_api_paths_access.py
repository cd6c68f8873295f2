"""Every path of the API, walked from its OpenAPI document (the page-URL map,
tests/web/test_url_access.py, leaves the API namespace to this module): refused to the
anonymous caller, and, for each role against each case of the world, a path that takes
a case's record (the case, its child, member, removal, visitation plan, note) answers a
case the role cannot see exactly as it answers a record that does not exist (a 404 for
a read), never a server error, and no response names a case or a child the role cannot
see. What the allowed answers hold is tests/api/test_access_matrix.py's subject."""

import re

import pytest

from hearth.api.api import api as hearth_api
from hearth.cases.models import Case, CaseMember
from hearth.contacts import services as contact_services
from hearth.contacts.models import ContactNote
from hearth.core.services import now, today
from hearth.placements import services as placement_services
from hearth.placements.models import ResourceHome
from hearth.planning.models import Instrument, Provider
from hearth.planning.services import assessments as assessment_services
from hearth.planning.services import services as planning_services
from hearth.planning.services import teaming as teaming_services
from tests.api.conftest import ApiClient
from tests.conftest import EXPECTED_READ
from tests.factories import remove_with_plan
from tests.planning.assessments.conftest import load_defaults, ratings_for
from tests.planning.services.conftest import actionable_need, make_provider

MISSING = 987654
ROLES = sorted(EXPECTED_READ)
# The path parameters that name a record of one case: (the world's record for a case).
CASE_PARAMS = {
    "case_id": lambda r: r["case"].pk,
    "person_id": lambda r: r["child"].pk,
    "child_id": lambda r: r["child"].pk,
    "member_id": lambda r: r["member"].pk,
    "removal_id": lambda r: r["episode"].pk,
    "plan_id": lambda r: r["plan"].pk,
    "participant_id": lambda r: r["participant"].pk,
    "note_id": lambda r: r["note"].pk,
    # planning: services (C9)
    "service_referral_id": lambda r: r["service_referral"].pk,
    "assessment_id": lambda r: r["assessment"].pk,
    # planning: plans
    "case_plan_id": lambda r: r["case_plan"].pk,
    "signature_id": lambda r: r["signature"].pk,
    "step_id": lambda r: r["step"].pk,
    "safety_plan_id": lambda r: r["safety_plan"].pk,
    # planning: teaming
    "meeting_id": lambda r: r["meeting"].pk,
    # oversight: court
    "hearing_id": lambda r: r["hearing"].pk,
    "court_report_id": lambda r: r["court_report"].pk,
    # oversight: recommendations
    "recommendation_id": lambda r: r["recommendation"].pk,
    # placements: a school's location (P3), a request to a home
    "school_id": lambda r: r["school"].pk,
    "request_id": lambda r: r["request"].pk,
}
# The others: staff, units, agencies and tokens (scoped by tests/staff and tests/api).
OTHER_PARAMS = {
    "staff_id": lambda w: w["staff"]["named"].pk,
    "unit_id": lambda w: w["staff"]["worker"].unit_id,
    "code": lambda w: w["staff"]["worker"].agency.code,
    "token_id": lambda w: 1,
    "calendar_token_id": lambda w: 1,
    # planning: services (P8): the directory is read by every role that uses records
    "provider_id": lambda w: Provider.objects.order_by("pk").first().pk,
    "instrument_id": lambda w: Instrument.objects.get(code="safety-risk", agency=None).pk,
    # oversight: caseloads (O4): a grant is read through its case (tests/oversight/caseloads)
    "grant_id": lambda w: w["cases"]["rival"].access_grants.get(purpose="qa_review").pk,
    # oversight: qa (O3, P9): scoped by hearth.oversight.selectors.qa (tests/oversight/qa)
    "qa_sample_id": lambda w: 1,
    "qa_review_id": lambda w: 1,
    "corrective_action_id": lambda w: 1,
    # placements: the resource directory is read by every staff member; its keepers
    # (home.manage) are scoped by hearth.placements.access (tests/placements/test_homes)
    "home_id": lambda w: ResourceHome.objects.order_by("pk").first().pk,
    "link_id": lambda w: 1,
}


def operations() -> list[tuple[str, str, list[str]]]:
    """(method, path template, path parameters) of every operation in the document."""
    doc = hearth_api.get_openapi_schema()
    return [
        (method.upper(), path, [p["name"] for p in op.get("parameters", []) if p["in"] == "path"])
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
    ]


OPERATIONS = operations()
CASE_OPERATIONS = [op for op in OPERATIONS if set(op[2]) & set(CASE_PARAMS)]


def url(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def send(client: ApiClient, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return getattr(client, method.lower())(path, {})


@pytest.fixture(scope="module")
def records(module_world, django_db_blocker):
    """Each case's child removed into care with a visitation plan, a final note and a
    safety assessment (C3):
    a record behind every case-scoped path parameter (kept for the module)."""
    actor = module_world["staff"]["supervisor"].user
    out = {}
    with django_db_blocker.unblock():
        safety = load_defaults()["safety-risk"]
        home = ResourceHome.objects.create(name="Paths home", setting="group_home", capacity=9)
        for name, case in module_world["cases"].items():
            member = case.members.get(role="child")
            episode, plan = remove_with_plan(actor=actor, case=case, child=member.person)
            worker = case.assignments.get(ends_on__isnull=True, kind="primary").worker
            note = contact_services.contact_note_create(
                actor=worker.user,
                author=worker,
                case=case,
                occurred_at=now(),
                method="phone",
                contact_with=[member.person],
                narrative="Called the child.",
                finalize=True,
            )
            need = actionable_need(case, member.person, worker)
            provider = make_provider()
            referral = planning_services.service_referral_create(
                actor=worker.user,
                case=case,
                person=member.person,
                provider=provider,
                service=provider.services.get(),
                needs=[need.pk],
                specific_needs="Weekly sessions on the child's sleep and school worries.",
                referred_on=today(),
            )
            assessment = assessment_services.assessment_record(
                actor=worker.user,
                case=case,
                instrument=safety,
                assessed_on=today(),
                reason="initial",
                risk_level="low",
                ratings=ratings_for(safety),
            )
            case_plan, signature, step, safety_plan = _plan_records(case, worker)
            meeting = teaming_services.team_meeting_record(  # planning: teaming
                actor=worker.user,
                case=case,
                held_on=case.opened_on,
                type="initial",
                facilitator=worker,
                participants=[{"name": "A parent", "role": "parent", "input": "Yes."}],
                decisions="Plan made.",
                reviews=[{"child": member.person, "decision": "continue"}],
            )
            out[name] = {
                "case_plan": case_plan,
                "signature": signature,
                "step": step,
                "safety_plan": safety_plan,
                "case": case,
                "child": member.person,
                "member": member,
                "episode": episode,
                "plan": plan,
                "participant": plan.participants.get(),
                "note": note,
                "service_referral": referral,
                "assessment": assessment,
                "meeting": meeting,
                "school": placement_services.school_record(
                    actor=actor, case=case, child=member.person, school_name="Paths school"
                ),
                "request": placement_services.placement_request_send(
                    actor=actor, case=case, episode=episode, home=home, starts_on=today()
                ),
                **_court_records(case, worker),  # oversight: court
                "recommendation": _recommendation(case, worker),  # oversight
            }
    return out


def _court_records(case, worker) -> dict:
    """oversight: court (O2). A hearing and an approved court report (its PDF is read),
    made with the models (the world's cases are not court-involved; the services are
    tested in tests/oversight/court)."""
    from hearth.oversight.models import CourtReport, Hearing

    hearing = Hearing.objects.create(
        case=case, type="review", scheduled_at=now(), court="Court", recorded_by=worker
    )
    report = CourtReport.objects.create(
        case=case,
        period_start=case.opened_on,
        period_end=today(),
        prepared_by=worker,
        status="approved",
        approved_on=today(),
    )
    return {"hearing": hearing, "court_report": report}


def _plan_records(case, worker):
    """planning: plans. A case plan adopted at a family team meeting the youth attended
    (its signatures, a step) and a safety plan, made directly (C2, C4, C5)."""
    from hearth.cases.models import CaseMeeting
    from hearth.planning.models import (
        ActionStep,
        CasePlan,
        Goal,
        MeetingParticipant,
        Objective,
        PlanSignature,
        SafetyMeasure,
        SafetyPlan,
        TeamMeeting,
    )

    day = case.opened_on
    meeting = CaseMeeting.objects.create(
        case=case, kind="family_team_meeting", held_on=day, participants="x", decisions="y"
    )
    team = TeamMeeting.objects.create(meeting=meeting, type="initial")
    MeetingParticipant.objects.create(meeting=team, name="Youth", role="youth")
    plan = CasePlan.objects.create(
        case=case,
        number=1,
        status="adopted",
        meeting=meeting,
        adopted_on=day,
        created_by=worker.user,
    )
    goal = Goal.objects.create(plan=plan, area="safety", statement="Safe care")
    objective = Objective.objects.create(goal=goal, statement="Schedule", target_on=day)
    step = ActionStep.objects.create(
        objective=objective,
        who="parent",
        who_name="A parent",
        what="Attend",
        due_on=day,
        outcome="Attends",
    )
    signature = PlanSignature.objects.create(plan=plan, name=str(worker), role="worker")
    safety = SafetyPlan.objects.create(
        case=case, kind="general", made_on=day, threats="t", made_by=worker.user
    )
    SafetyMeasure.objects.create(safety_plan=safety, kind="proactive", what="a", who="b", when="c")
    return plan, signature, step, safety


def _recommendation(case, worker):
    """oversight: recommendations. A closure recommendation awaiting the contractor
    supervisor's approval, made directly (it leaves the case's status and who sees it
    as they are)."""
    from hearth.core.services import now as clock
    from hearth.oversight.models import Recommendation, RecommendationRound

    rec = Recommendation.objects.create(
        case=case,
        kind="closure",
        status="awaiting_supervisor",
        reasons="The family no longer needs protection.",
        submitted_by=worker,
    )
    RecommendationRound.objects.create(
        recommendation=rec, number=1, reasons=rec.reasons, submitted_by=worker, submitted_at=clock()
    )
    return rec


@pytest.fixture
def world(world_once, records):
    """The world built once for this module (tests/conftest.py), with `records`."""
    return world_once


def test_every_path_parameter_is_known():
    """A new path parameter needs an entry here, so its records join the walk."""
    names = {name for _, _, params in OPERATIONS for name in params}
    assert names <= set(CASE_PARAMS) | set(OTHER_PARAMS), names - set(CASE_PARAMS)
    assert len(CASE_OPERATIONS) >= 40


def test_every_operation_refuses_the_anonymous_caller(world, records):
    """401 JSON (never 200, never 500) for each operation, on real records; nothing
    written."""
    anonymous = ApiClient()
    values = {name: fill(world) for name, fill in OTHER_PARAMS.items()}
    values |= {name: fill(records["mine"]) for name, fill in CASE_PARAMS.items()}
    before = (Case.objects.count(), CaseMember.objects.count(), ContactNote.objects.count())
    for method, path, _ in OPERATIONS:
        r = send(anonymous, method, url(path, values))
        assert r.status_code == 401, (method, path, r.status_code)
        assert r["Content-Type"].startswith("application/json"), (method, path)
        assert "detail" in r.json()
    after = (Case.objects.count(), CaseMember.objects.count(), ContactNote.objects.count())
    assert after == before


@pytest.mark.parametrize("who", ROLES)
def test_every_case_path_answers_an_unseen_case_like_a_missing_one(world, records, who):
    """For each operation that takes a case's record, and each case of the world: a
    case the role does not see gets the answer of a record that does not exist (a read:
    404), a case it sees is read (200) or refused (403), never a 500; no answer names a
    case or a child the role does not see. Writes go to unseen cases only (what an
    editor may write is the access matrix's subject)."""
    api = ApiClient(world["staff"][who].user)
    others = {name: fill(world) for name, fill in OTHER_PARAMS.items()}
    unseen = [n for n in world["cases"] if n not in EXPECTED_READ[who]]
    secrets = [world["cases"][n].case_number.encode() for n in unseen]
    secrets += [f'"{records[n]["child"].last_name}"'.encode() for n in unseen]
    for method, path, _ in CASE_OPERATIONS:
        missing = send(api, method, url(path, others | dict.fromkeys(CASE_PARAMS, MISSING)))
        assert missing.status_code != 500, (method, path)
        if method == "GET":
            assert missing.status_code in (403, 404), (who, path, missing.status_code)
        for name, record in records.items():
            seen = name in EXPECTED_READ[who]
            if method != "GET" and seen:
                continue
            values = others | {p: fill(record) for p, fill in CASE_PARAMS.items()}
            r = send(api, method, url(path, values))
            assert r.status_code != 500, (who, name, method, path)
            leaked = [s for s in secrets if s in r.content]
            assert not leaked, (who, name, method, path, leaked)
            if not seen:
                assert (r.status_code, r.content) == (missing.status_code, missing.content), (
                    who,
                    name,
                    method,
                    path,
                )
            else:
                assert r.status_code in (200, 403), (who, name, path, r.status_code, r.content)


@pytest.mark.parametrize("who", ROLES)
def test_the_f1_figures_and_child_months_follow_the_roles_scope(world, records, who):
    """F1 (issue 14, hearth/reports/api/f1.py): the figures answer every role that
    reports (403 otherwise); the per-child-month detail names only children of cases the
    role sees, never a case it does not."""
    api = ApiClient(world["staff"][who].user)
    figures = api.get("/api/v1/reports/f1")
    detail = api.get("/api/v1/reports/f1/child-months", limit=1000)
    assert figures.status_code == detail.status_code, who
    if figures.status_code == 403:
        return
    assert figures.status_code == 200, (who, figures.content)
    seen = {world["cases"][n].case_number for n in EXPECTED_READ[who]}
    named = {i["case"]["case_number"] for i in detail.json()["items"]}
    assert named <= seen, (who, named - seen)
    unseen = [n for n in world["cases"] if n not in EXPECTED_READ[who]]
    for secret in [world["cases"][n].case_number for n in unseen] + [
        f'"{records[n]["child"].full_name}"' for n in unseen
    ]:
        assert secret.encode() not in detail.content + figures.content, (who, secret)
