"""No lost update (issue 10, section 5): every operation of the OpenAPI document that
changes an existing record needs the version its client read, as `version` in the body
or as If-Match with the ETag of the record's GET. Without it: 428 and nothing changes;
with a version someone else has since changed: 409 naming the current version and who
changed it, and nothing changes; with the right ETag: the change, and the new ETag.

The walk reads the operations from the OpenAPI document itself, so an endpoint added
without a version check (and without a scenario here) fails it."""

from dataclasses import dataclass

import pytest
from django.db.models import Model

from hearth.api.api import api
from hearth.cases import services as case_services
from hearth.cases.models import Case, CaseMember
from hearth.core.services import validated_save
from hearth.placements import services as placement_services
from hearth.planning.services import services as planning_services
from hearth.staff.models import Role, StaffMember
from hearth.visitation.models import VisitationPlan
from tests.api.conftest import ApiClient
from tests.api.contacts.helpers import note
from tests.api.test_placements_api import iso, place
from tests.api.test_visitation_api import plan_body
from tests.factories import CountyFactory, StaffFactory, UnitFactory
from tests.placements.conftest import make_home
from tests.planning.services.conftest import actionable_need, make_provider

API = "/api/v1"

# POSTs that create a new record need no version: nobody else can have changed what does
# not exist yet. Every other PATCH, PUT, DELETE, and every POST on a path naming an
# existing record, must have a scenario in SCENARIOS below.
EXEMPT = {
    "hearth_people_api_create_relationship": "records a new relationship",
    "hearth_cases_api_add_member": "adds a new membership",
    "hearth_placements_api_create_removal": "records a new removal episode",
    "hearth_placements_api_create_placement": "a new placement (the current one ends on its "
    "start; overlaps are refused)",
    "hearth_placements_api_change_goal": "a new permanency goal (the current one ends)",
    "hearth_placements_api_create_visit_plan": "a new plan, in effect once all have signed",
    "hearth_placements_api_record_family_visit": "records a new visit",
    "hearth_placements_api_record_placement_conference": "records a new meeting",
    "hearth_contacts_api_create_note": "writes a new note",
    "hearth_contacts_api_amend_note": "adds an amendment; the final note is never edited",
    "hearth_contacts_api_approve_exception": "records a new approved exception",
    "hearth_contacts_api_set_contact_plan": "a new contact plan (the one in effect ends)",
    "hearth_cases_api_name_staff": "names a staff member on a restricted case: a new grant",
    "hearth_cases_api_unname_staff": "ends a named grant (its end date and reason are set once; "
    "ending it again is refused)",
    "hearth_api_tokens_revoke_token": "revokes the caller's own token; revoking twice changes "
    "nothing",
    # planning: teaming
    "hearth_planning_api_record_team_meeting": "records a new family team meeting",
    "hearth_planning_api_record_conference": "records a new supervisor conference",
    "hearth_planning_api_record_search": "records a new search effort (a person found is a "
    "new membership and relationship)",
    "hearth_planning_api_record_tribe_contact": "records a new tribe contact",
    "hearth_intake_api_reassign": "new assignments; a case no longer held by the worker is "
    "refused, so a move made meanwhile is never overwritten",
    # planning: assessments, due
    "hearth_planning_api_record_assessment": "records a new assessment",
    "hearth_planning_api_revoke_calendar_token": "revokes the caller's own feed; revoking twice "
    "changes nothing",
    # planning: services
    "hearth_planning_api_create_service_referral": "sends a new service referral",
    "hearth_planning_api_record_progress_report": "records a new progress report",
    # planning: plans
    "hearth_planning_api_create_case_plan": "begins a new draft version",
    "hearth_planning_api_create_safety_plan": "makes a new safety plan",
    "hearth_planning_api_record_step_progress": "records new progress on a step",
    # oversight: caseloads (O4)
    "hearth_oversight_api_assign_oversight": "a new oversight grant (the current one ends)",
    "hearth_oversight_api_grant_qa": "a new QA grant",
    "hearth_oversight_api_end_grant": "ends a grant (its end date and reason are set once; "
    "ending it again is refused)",
    "hearth_oversight_api_reassign_families": "new grants; a family the specialist no longer "
    "carries is refused, so a move made meanwhile is never overwritten",
    # oversight: court
    "hearth_oversight_api_schedule_hearing": "schedules a new hearing",
    "hearth_oversight_api_generate_court_report": "drafts a new court report",
    # oversight: recommendations
    "hearth_oversight_api_submit_recommendation": "submits a new recommendation (one pending "
    "of a kind per case)",
    # placements: resource homes
    "hearth_placements_api_send_request": "asks a home: a new request (one open per child "
    "and home)",
    "hearth_placements_api_add_resource_parent": "links a person: a new link (once per home)",
}


def changing_operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path) of every operation that may change an existing record:
    PATCH, PUT, DELETE, and POST on a path with a record's id (or code)."""
    ops = []
    for path, item in api.get_openapi_schema()["paths"].items():
        for method, op in item.items():
            if method in {"patch", "put", "delete"} or (method == "post" and "{" in path):
                ops.append((op["operationId"], method, path))
    return sorted(ops)


CHANGING = changing_operations()


@dataclass
class Change:
    actor: StaffMember
    method: str
    url: str
    body: dict
    record: Model  # the record whose version the change needs
    read: str  # its GET (ETag), or a list that shows its version
    single: bool = True  # `read` is the record's own GET


@pytest.fixture
def scene(family, removed, supervisor, worker, unit, agency):
    """Everything the scenarios change, recorded through the services."""
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    case = family["case"]
    referral = case_services.case_create(
        actor=director.user,
        agency=agency,
        unit=unit,
        county=CountyFactory(),
        case_type=Case.Type.IN_HOME_NON_COURT,
    )
    placement_services.school_record(
        actor=worker.user, case=case, child=family["child"], school_name="Elm Primary"
    )
    placed = place(
        worker,
        removed,
        choice=f"home:{make_home('Resource home').pk}",
        school="changes",
        new_school_name="Oak Primary",
        best_interest_reason="The old school is two hours away.",
    )
    return {
        "family": family,
        "case": case,
        "removed": removed,
        "worker": worker,
        "supervisor": supervisor,
        "director": director,
        "colleague": StaffFactory(unit=unit),
        "unit": unit,
        "other_unit": UnitFactory(agency=agency, name="Unit C"),
        "agency": agency,
        "referral": referral,
        "new_school": placed.school_moves.get(),
        "note": note(worker, case, method="phone", contact_with=[family["parent"]]),
    }


def _sign(s):
    r = ApiClient(s["worker"].user).post(
        f"{API}/cases/{s['case'].pk}/visitation-plans", plan_body(s["family"])
    )
    assert r.status_code == 201, r.content
    plan = VisitationPlan.objects.get(pk=r.json()["id"])
    participant = plan.participants.order_by("id").first()
    return Change(
        s["worker"],
        "post",
        f"/visitation-plans/{plan.pk}/participants/{participant.pk}/sign",
        {"method": "paper", "signed_on": iso(2)},
        plan,
        f"/visitation-plans/{plan.pk}",
    )


def _member(s):
    member = CaseMember.objects.get(case=s["case"], person=s["family"]["sibling"])
    return Change(
        s["worker"],
        "patch",
        f"/case-members/{member.pk}",
        {"in_household": False},
        member,
        f"/cases/{s['case'].pk}/members",
        single=False,
    )


def _referral_status(s):
    """P8: a referral's status change needs the referral's version."""
    child = s["family"]["child"]
    need = actionable_need(s["case"], child, s["worker"])
    provider = make_provider()
    referral = planning_services.service_referral_create(
        actor=s["worker"].user,
        case=s["case"],
        person=child,
        provider=provider,
        service=provider.services.get(),
        needs=[need.pk],
        specific_needs="Weekly sessions on the child's fear of the dark and of noise.",
        referred_on=s["case"].opened_on,
    )
    return Change(
        s["worker"],
        "post",
        f"/service-referrals/{referral.pk}/status",
        {"status": "accepted", "on": iso(0)},
        referral,
        f"/service-referrals/{referral.pk}",
    )


def _provider(s):
    provider = make_provider()
    return Change(
        s["director"],
        "patch",
        f"/providers/{provider.pk}",
        {"name": "Bright Path Family Counselling"},
        provider,
        f"/providers/{provider.pk}",
    )


# placements: resource homes -------------------------------------------------------------


def _kept_home(s):
    """A home of the scene's agency, managed by its program director."""
    return make_home("Kept home", agency=s["agency"], manager=s["director"])


def _home_change(s, method, suffix, body):
    home = _kept_home(s)
    url = f"/resource-homes/{home.pk}"
    return Change(s["director"], method, url + suffix, body, home, url)


def _end_parent(s):
    home = _kept_home(s)
    link = placement_services.resource_parent_add(
        actor=s["director"].user,
        home=home,
        person=s["family"]["parent"],
        role="primary",
        starts_on=s["case"].opened_on,
    )
    return Change(
        s["director"],
        "post",
        f"/resource-homes/{home.pk}/parents/{link.pk}/end",
        {"ends_on": iso(0)},
        link,
        f"/resource-homes/{home.pk}/parents",
        single=False,
    )


def _request(s):
    return placement_services.placement_request_send(
        actor=s["worker"].user,
        case=s["case"],
        episode=s["removed"],
        home=_kept_home(s),
        starts_on=s["removed"].removed_on,
    )


# planning: plans ---------------------------------------------------------------------


def _case_plan(s, *, adopt=False, signed=False):
    from hearth.planning.services import plans as plan_services
    from tests.planning.plans.conftest import goal, make_meeting

    actor = s["worker"].user
    plan = plan_services.case_plan_create(actor=actor, case=s["case"])
    if adopt:
        plan = plan_services.case_plan_update(
            actor=actor,
            plan=plan,
            version=plan.version,
            goals=[goal()],
            parenting_time=[
                {"parent": s["family"]["parent"], "arrangements": "a", "behaviours_assessed": "b"}
            ],
        )
        plan = plan_services.case_plan_adopt(
            actor=actor, plan=plan, meeting=make_meeting(s["case"])
        )
    if signed:
        for sig in plan.signatures.all():
            plan_services.case_plan_sign(
                actor=actor, signature=sig, signed_on=plan.adopted_on, method="paper"
            )
        plan.refresh_from_db()
    return plan


def _plan_change(s, actor, method, url, body, plan):
    return Change(actor, method, url, body, plan, f"/case-plans/{plan.pk}")


def _adopt_plan(s):
    from tests.planning.plans.conftest import goal, make_meeting

    plan = _case_plan(s)
    from hearth.planning.services import plans as plan_services

    plan = plan_services.case_plan_update(
        actor=s["worker"].user,
        plan=plan,
        version=plan.version,
        goals=[goal()],
        parenting_time=[
            {"parent": s["family"]["parent"], "arrangements": "a", "behaviours_assessed": "b"}
        ],
    )
    meeting = make_meeting(s["case"])
    return _plan_change(
        s, s["worker"], "post", f"/case-plans/{plan.pk}/adopt", {"meeting": meeting.pk}, plan
    )


def _sign_plan(s):
    plan = _case_plan(s, adopt=True)
    sig = plan.signatures.order_by("id").first()
    return _plan_change(
        s,
        s["worker"],
        "post",
        f"/case-plans/{plan.pk}/signatures/{sig.pk}/sign",
        {"method": "paper", "signed_on": plan.adopted_on.isoformat()},
        plan,
    )


def _end_safety_plan(s):
    from hearth.planning.services import plans as plan_services

    sp = plan_services.safety_plan_create(
        actor=s["worker"].user,
        case=s["case"],
        kind="general",
        made_on=s["case"].opened_on,
        threats="t",
        measures=[
            {"kind": "proactive", "what": "a", "who": "b", "when": "c"},
            {"kind": "reactive", "what": "a", "who": "b", "when": "c"},
        ],
    )
    return Change(
        s["worker"],
        "post",
        f"/safety-plans/{sp.pk}/end",
        {"ended_on": iso(0)},
        sp,
        f"/safety-plans/{sp.pk}",
    )


# oversight: court ----------------------------------------------------------------------


def _hearing_change(s, method, suffix, body, *, days):
    """O2: a hearing of the court-involved family, `days` from now (past: its outcome)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from hearth.core.services import today
    from hearth.oversight.services import court as court_services

    when = datetime.combine(today() + timedelta(days=days), time(9, 30))
    hearing = court_services.hearing_schedule(
        actor=s["worker"].user,
        case=s["case"],
        type="review",
        scheduled_at=timezone.make_aware(when),
        court="Juvenile Court",
    )
    url = f"/hearings/{hearing.pk}"
    return Change(s["worker"], method, url + suffix, body, hearing, url)


def _court_report_change(s):
    from hearth.oversight.services import court as court_services

    report = court_services.court_report_generate(
        actor=s["worker"].user,
        case=s["case"],
        period_start=s["case"].opened_on,
        period_end=s["case"].opened_on,
    )
    url = f"/court-reports/{report.pk}"
    return Change(s["worker"], "patch", url, {"sections": {"recommendation": "Home."}}, report, url)


# oversight: recommendations (O1, O2) ---------------------------------------------------------


def _recommendation(s, *, kind="closure", supervisor_first=False, returned=False):
    """A recommendation of the scene's case, sent to a state specialist overseeing it (or
    awaiting the supervisor's approval), maybe returned; (recommendation, specialist)."""
    from hearth.oversight.services import recommendations as rec_services
    from tests.oversight.recommendations.conftest import REASONS, grant, state_staff

    specialist = state_staff()
    case = s["case"]
    if case.status != "open":
        case = case_services.case_change_status(
            actor=s["supervisor"].user, case=case, status="open"
        )
    grant(case, specialist)
    if supervisor_first:
        s["agency"].policy_overrides = {"recommendation_supervisor_approval": 1}
        s["agency"].save()
    rec = rec_services.recommendation_submit(
        actor=s["worker"].user, case=case, kind="closure", reasons=REASONS
    )
    if returned:
        rec = rec_services.recommendation_review(
            actor=specialist.user,
            recommendation=rec,
            decision="returned",
            findings=[],
            reasons="Name the aftercare provider.",
            version=rec.version,
        )
    return rec, specialist


def _rec_change(actor, action, body, rec):
    return Change(
        actor,
        "post",
        f"/recommendations/{rec.pk}/{action}",
        body,
        rec,
        f"/recommendations/{rec.pk}",
    )


def _presented(s):
    """O2: an approved case plan recommendation of a court-involved case, and its hearing."""
    from hearth.core.services import now
    from hearth.oversight.models import Hearing
    from hearth.oversight.services import recommendations as rec_services
    from tests.oversight.recommendations.conftest import grant, state_staff

    specialist = state_staff()
    Case.objects.filter(pk=s["case"].pk).update(court_involved=True)
    case = Case.objects.get(pk=s["case"].pk)
    grant(case, specialist)
    plan = _case_plan(s)
    rec = rec_services.recommendation_submit(
        actor=s["worker"].user, case=case, kind="case_plan", reasons="Adopt the plan.", plan=plan
    )
    rec = rec_services.recommendation_review(
        actor=specialist.user,
        recommendation=rec,
        decision="approved",
        findings=[
            {"code": c, "met": True, "explanation": "The record shows it.", "evidence": []}
            for c in ("reasonable_efforts", "best_interest")
        ],
        version=rec.version,
    )
    hearing = Hearing.objects.create(
        case=case,
        type="review",
        scheduled_at=now(),
        court="County court",
        recorded_by=specialist,
    )
    return _rec_change(specialist, "presented", {"hearing": hearing.pk, "on": iso(0)}, rec)


# oversight: qa (O3, P9) ----------------------------------------------------------------


def _qa(s, *, answered=False, finalized=False):
    """A one-case QA sample of the scene's agency, its review (answered yes throughout,
    finalized), the QA reviewer and the state oversight supervisor."""
    from hearth.core.services import today
    from hearth.oversight.models import QaReview
    from hearth.oversight.services import qa as qa_services
    from hearth.planning.models import InstrumentItem
    from hearth.staff.models import Agency
    from tests.factories import AgencyFactory
    from tests.planning.assessments.conftest import load_defaults

    instrument = load_defaults()["case-planning-fidelity"]
    state_unit = UnitFactory(agency=AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT))
    sup = StaffFactory(unit=state_unit, roles=[Role.STATE_SUPERVISOR])
    reviewer = StaffFactory(unit=state_unit, roles=[Role.QA_REVIEWER])
    sample = qa_services.sample_draw(
        actor=sup.user,
        period_start=s["case"].opened_on,
        period_end=today(),
        size=1,
        seed=1,
        agency=s["agency"],
        reviewers=[reviewer],
    )
    review = QaReview.objects.get(sample_case__sample=sample)
    items = InstrumentItem.objects.filter(domain__instrument=instrument)
    if answered or finalized:
        review = qa_services.review_answer(
            actor=reviewer.user,
            review=review,
            answers=[{"item": i.code, "answer": "yes"} for i in items],
            version=review.version,
        )
    if finalized:
        review = qa_services.review_finalize(
            actor=reviewer.user, review=review, version=review.version
        )
    return review, reviewer, sup, items.first()


def _qa_review_change(s, method, action, body, *, as_director=False, **kw):
    review, reviewer, _, _ = _qa(s, **kw)
    actor = s["director"] if as_director else reviewer
    url = f"/qa/reviews/{review.pk}"
    return Change(actor, method, f"{url}/{action}", body, review, url)


def _qa_action_change(s, method, action, body):
    from hearth.oversight.services import qa as qa_services

    review, _, sup, item = _qa(s, finalized=True)
    sample = review.sample_case.sample
    ca = qa_services.corrective_action_create(
        actor=sup.user,
        agency=s["agency"],
        item=item,
        period_start=sample.period_start,
        period_end=sample.period_end,
    )
    url = f"/qa/corrective-actions/{ca.pk}"
    if action == "follow-ups":
        body = {"review": review.pk}
    return Change(sup, method, f"{url}/{action}" if action else url, body, ca, url)


# operationId -> the change it makes in `scene`, as whom, and where its version is read.
SCENARIOS = {
    "hearth_planning_api_replace_case_plan": lambda s: (
        lambda plan: _plan_change(
            s, s["worker"], "put", f"/case-plans/{plan.pk}", {"summary": "Safe care"}, plan
        )
    )(_case_plan(s)),
    "hearth_planning_api_adopt_case_plan": _adopt_plan,
    "hearth_planning_api_sign_case_plan": _sign_plan,
    "hearth_planning_api_approve_case_plan": lambda s: (
        lambda plan: _plan_change(
            s, s["supervisor"], "post", f"/case-plans/{plan.pk}/approve", {"note": "OK"}, plan
        )
    )(_case_plan(s, adopt=True, signed=True)),
    "hearth_planning_api_end_safety_plan": _end_safety_plan,
    "hearth_people_api_update_person": lambda s: Change(
        s["worker"],
        "patch",
        f"/people/{s['family']['child'].pk}",
        {"middle_name": "James"},
        s["family"]["child"],
        f"/people/{s['family']['child'].pk}",
    ),
    "hearth_cases_api_update_case": lambda s: Change(
        s["worker"],
        "patch",
        f"/cases/{s['case'].pk}",
        {"culture": "Speaks Portuguese at home"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_cases_api_change_status": lambda s: Change(
        s["worker"],
        "post",
        f"/cases/{s['case'].pk}/status",
        {"status": "open"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_cases_api_update_member": _member,
    "hearth_cases_api_set_restriction": lambda s: Change(
        s["supervisor"],
        "post",
        f"/cases/{s['case'].pk}/restriction",
        {"restricted": True, "reason": "A colleague's own family"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_cases_api_assign": lambda s: Change(
        s["director"],
        "post",
        f"/cases/{s['case'].pk}/assignments",
        {"worker": s["colleague"].pk, "reason": "Balance", "override_reason": "The test's"},
        s["case"],
        f"/cases/{s['case'].pk}",
    ),
    "hearth_staff_api_set_policy": lambda s: Change(
        s["director"],
        "put",
        f"/agencies/{s['agency'].code}/policy",
        {"overrides": {"unit_routing": "rotation"}},
        s["agency"],
        f"/agencies/{s['agency'].code}/policy",
    ),
    "hearth_staff_api_update_unit": lambda s: Change(
        s["director"],
        "patch",
        f"/units/{s['other_unit'].pk}",
        {"name": "Unit Z"},
        s["other_unit"],
        f"/units/{s['other_unit'].pk}",
    ),
    "hearth_staff_api_update_staff": lambda s: Change(
        s["director"],
        "patch",
        f"/staff/{s['colleague'].pk}",
        {"culture": "Haitian"},
        s["colleague"],
        f"/staff/{s['colleague'].pk}",
    ),
    "hearth_placements_api_exit_removal": lambda s: Change(
        s["worker"],
        "post",
        f"/removals/{s['removed'].pk}/exit",
        {"exited_on": iso(1), "exit_reason": "reunification"},
        s["removed"],
        f"/cases/{s['case'].pk}/removals",
        single=False,
    ),
    "hearth_placements_api_set_removal_entry_date": lambda s: Change(
        s["worker"],
        "post",
        f"/removals/{s['removed'].pk}/entered-care",
        {"entered_care_on": s["removed"].removed_on.isoformat()},
        s["removed"],
        f"/cases/{s['case'].pk}/removals",
        single=False,
    ),
    # A school of origin is a new record; a new school's enrolment date changes one.
    "hearth_placements_api_record_school": lambda s: Change(
        s["worker"],
        "post",
        f"/cases/{s['case'].pk}/schools",
        {
            "child": s["family"]["child"].pk,
            "enrolment_of": s["new_school"].pk,
            "enrolled_on": iso(55),
        },
        s["new_school"],
        f"/cases/{s['case'].pk}/schools",
        single=False,
    ),
    "hearth_placements_api_sign_visit_plan": _sign,
    "hearth_contacts_api_update_note": lambda s: Change(
        s["worker"],
        "patch",
        f"/notes/{s['note'].pk}",
        {"purpose": "Follow-up visit"},
        s["note"],
        f"/notes/{s['note'].pk}",
    ),
    "hearth_contacts_api_finalize_note": lambda s: Change(
        s["worker"],
        "post",
        f"/notes/{s['note'].pk}/finalize",
        {},
        s["note"],
        f"/notes/{s['note'].pk}",
    ),
    "hearth_intake_api_send_to_unit": lambda s: Change(
        s["director"],
        "post",
        f"/cases/{s['referral'].pk}/routing",
        {"unit": s["other_unit"].pk, "reason": "The family moved"},
        s["referral"],
        f"/cases/{s['referral'].pk}",
    ),
    # placements: resource homes kept in the product
    "hearth_placements_api_update_home": lambda s: _home_change(
        s, "patch", "", {"capacity": 3, "gender_accepted": "female"}
    ),
    "hearth_placements_api_renew_licence": lambda s: _home_change(
        s,
        "post",
        "/licence",
        {"licence_number": "RF-2", "licensed_on": iso(1), "licence_expires_on": iso(-700)},
    ),
    "hearth_placements_api_end_resource_parent": _end_parent,
    "hearth_placements_api_answer_request": lambda s: (
        lambda req: Change(
            s["director"],
            "post",
            f"/placement-requests/{req.pk}/answer",
            {"accept": True},
            req,
            f"/resource-homes/{req.home_id}/placement-requests",
            single=False,
        )
    )(_request(s)),
    "hearth_placements_api_withdraw_request": lambda s: (
        lambda req: Change(
            s["worker"],
            "post",
            f"/cases/{s['case'].pk}/placement-requests/{req.pk}/withdraw",
            {},
            req,
            f"/cases/{s['case'].pk}/placement-requests",
            single=False,
        )
    )(_request(s)),
    "hearth_placements_api_locate_school": lambda s: Change(
        s["worker"],
        "post",
        f"/cases/{s['case'].pk}/schools/{s['new_school'].pk}/location",
        {"latitude": "40.1", "longitude": "-75.2"},
        s["new_school"],
        f"/cases/{s['case'].pk}/schools",
        single=False,
    ),
    # planning: services (P8)
    "hearth_planning_api_change_service_referral_status": _referral_status,
    "hearth_planning_api_update_provider": _provider,
    # oversight: court (O2)
    "hearth_oversight_api_update_hearing": lambda s: _hearing_change(
        s, "patch", "", {"judge": "Judge Park"}, days=10
    ),
    "hearth_oversight_api_record_outcome": lambda s: _hearing_change(
        s, "post", "/outcome", {"outcome": "Care continues."}, days=-1
    ),
    "hearth_oversight_api_update_court_report": _court_report_change,
    # oversight: recommendations (O1, O2)
    "hearth_oversight_api_approve_recommendation": lambda s: (
        lambda rec: _rec_change(s["supervisor"], "supervisor-approval", {}, rec[0])
    )(_recommendation(s, supervisor_first=True)),
    "hearth_oversight_api_review_recommendation": lambda s: (
        lambda rec: _rec_change(
            rec[1],
            "review",
            {"decision": "returned", "reasons": "Name the aftercare provider."},
            rec[0],
        )
    )(_recommendation(s)),
    "hearth_oversight_api_resubmit_recommendation": lambda s: (
        lambda rec: _rec_change(
            s["worker"], "resubmit", {"reasons": "Revised. " + rec[0].reasons}, rec[0]
        )
    )(_recommendation(s, returned=True)),
    "hearth_oversight_api_withdraw_recommendation": lambda s: (
        lambda rec: _rec_change(s["worker"], "withdraw", {}, rec[0])
    )(_recommendation(s)),
    "hearth_oversight_api_present_recommendation": _presented,
    # oversight: qa (O3, P9)
    "hearth_oversight_api_answer_review": lambda s: _qa_review_change(
        s, "put", "answers", {"answers": [{"item": "obs-facilitates-teaming", "answer": "no"}]}
    ),
    "hearth_oversight_api_finalize_review": lambda s: _qa_review_change(
        s, "post", "finalize", {}, answered=True
    ),
    "hearth_oversight_api_respond_to_review": lambda s: _qa_review_change(
        s, "post", "response", {"response": "Coaching planned."}, finalized=True, as_director=True
    ),
    "hearth_oversight_api_update_action": lambda s: _qa_action_change(
        s, "patch", "", {"plan": "Monthly coaching"}
    ),
    "hearth_oversight_api_close_action": lambda s: _qa_action_change(
        s, "post", "close", {"closing_note": "Done", "no_follow_up_reason": "The unit merged"}
    ),
    "hearth_oversight_api_add_follow_up": lambda s: _qa_action_change(s, "post", "follow-ups", {}),
}


def _read(client, change: Change) -> str:
    """The ETag a client reads the record at: the GET's header, or the version a list
    shows for it (records without a GET of their own)."""
    r = client.get(API + change.read)
    assert r.status_code == 200, r.content
    if change.single:
        assert r.has_header("ETag"), f"GET {change.read} gives no ETag"
        return r["ETag"]
    (item,) = [i for i in r.json() if i["id"] == change.record.pk]
    return f'"{item["version"]}"'


def _state(record):
    record.refresh_from_db()
    return record.version, record.history.count()


@pytest.mark.parametrize(
    ("operation", "method", "path"),
    [op for op in CHANGING if op[0] not in EXEMPT],
    ids=[op[0] for op in CHANGING if op[0] not in EXEMPT],
)
def test_every_change_needs_the_version_read(operation, method, path, scene, api_as):
    assert operation in SCENARIOS, (
        f"{method.upper()} {path} changes a record: give it a version check and a scenario "
        "here, or list it in EXEMPT if it only creates a new record."
    )
    change = SCENARIOS[operation](scene)
    assert change.method == method
    client = api_as(change.actor.user)
    send = getattr(client, change.method)
    url = API + change.url

    # No version: 428, and nothing changes.
    before = _state(change.record)
    r = send(url, change.body)
    assert r.status_code == 428, (r.status_code, r.content)
    assert "version" in r.json()["errors"]
    assert _state(change.record) == before

    # Read, then someone else changes the record: the version read is stale.
    read = _read(client, change)
    assert read == f'"{change.record.version}"'
    other = StaffFactory(agency=scene["agency"], user__first_name="Olive", user__last_name="Other")
    change.record.bump_version()
    validated_save(change.record, actor=other.user)
    stale = _state(change.record)
    r = send(url, {**change.body, "version": int(read.strip('"'))})
    assert r.status_code == 409, (r.status_code, r.content)
    reason = r.json()["errors"]["version"]
    assert "Olive Other" in reason and f"now version {stale[0]}" in reason, reason
    r = send(url, change.body, headers={"If-Match": read})
    assert r.status_code == 409, (r.status_code, r.content)
    assert _state(change.record) == stale

    # With the ETag of a fresh read: the change, and the new version's ETag.
    fresh = _read(client, change)
    r = send(url, change.body, headers={"If-Match": fresh})
    assert r.status_code in (200, 201), (r.status_code, r.content)
    version, _ = _state(change.record)
    assert version > stale[0]
    assert r["ETag"] == f'"{version}"'
    assert _read(client, change) == f'"{version}"'


def test_every_exempt_operation_is_still_in_the_document():
    assert set(EXEMPT) <= {op for op, _, _ in CHANGING}
    assert set(SCENARIOS) <= {op for op, _, _ in CHANGING}


def test_if_match_takes_a_weak_etag_and_refuses_a_malformed_one(scene, api_as):
    person = scene["family"]["child"]
    client = api_as(scene["worker"].user)
    url = f"{API}/people/{person.pk}"
    for bad in ("*", '"1", "2"', "one"):
        r = client.patch(url, {"middle_name": "J"}, headers={"If-Match": bad})
        assert r.status_code == 422 and "If-Match" in r.json()["errors"], bad
    r = client.patch(
        url, {"middle_name": "J", "version": person.version + 1}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 422 and "version" in r.json()["errors"]
    r = client.patch(url, {"middle_name": "J"}, headers={"If-Match": f'W/"{person.version}"'})
    assert r.status_code == 200 and r.json()["middle_name"] == "J"
    assert r["ETag"] == f'"{person.version + 1}"'


def test_a_conflict_names_what_the_other_person_changed(scene, api_as):
    """The history says who changed what since the version read (the web forms show it)."""
    case = scene["case"]
    read = case.version
    case_services.case_update(
        actor=scene["supervisor"].user, case=case, version=read, culture="Speaks Tagalog"
    )
    r = api_as(scene["worker"].user).patch(
        f"{API}/cases/{case.pk}", {"culture": "Speaks Portuguese", "version": read}
    )
    assert r.status_code == 409
    case.refresh_from_db()
    assert case.culture == "Speaks Tagalog"
    change = case.change_since(read)
    assert change.version == case.version
    assert ("culture", "—", "Speaks Tagalog") in change.changes
