"""The recommendations API (O1, O2, P1): the access matrix of O1 (a non-court case's
content is hidden from its oversight specialist until its closure is recommended; a QA
reviewer sees a sampled case), the lifecycle through the endpoints, refusals naming the
field, the reviews due and the review obligations on the specialist's due list."""

from datetime import timedelta

from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.oversight.models import Finding, Recommendation
from hearth.planning.selectors.due import due_list
from tests.oversight.recommendations.conftest import FOUR, REASONS, grant, recommend

API = "/api/v1"


def _findings(note):
    return [
        {"code": c, "met": True, "evidence": [{"type": "contact_note", "id": note.pk}]}
        for c in FOUR
    ]


def test_o1_a_non_court_case_is_hidden_from_oversight_until_its_closure_is_recommended(
    overseen, worker, state, api_as
):
    specialist = api_as(state["specialist"].user)
    assert specialist.get(f"{API}/cases/{overseen.pk}").status_code == 404
    assert specialist.get(f"{API}/cases/{overseen.pk}/state-recommendations").status_code == 404
    r = api_as(worker.user).post(
        f"{API}/cases/{overseen.pk}/state-recommendations", {"kind": "closure", "reasons": REASONS}
    )
    assert r.status_code == 201, r.content
    assert specialist.get(f"{API}/cases/{overseen.pk}").status_code == 200
    listed = specialist.get(f"{API}/cases/{overseen.pk}/state-recommendations").json()
    assert [x["id"] for x in listed] == [r.json()["id"]]
    # The state oversight supervisor sees every case the state oversees (O4).
    assert api_as(state["supervisor"].user).get(f"{API}/cases/{overseen.pk}").status_code == 200
    # Another specialist, without the grant, still does not.
    other = api_as(state["other_specialist"].user)
    assert other.get(f"{API}/cases/{overseen.pk}").status_code == 404
    assert other.get(f"{API}/recommendations/{r.json()['id']}").status_code == 404


def test_o3_a_qa_reviewer_sees_a_sampled_case(case, state, api_as):
    qa = api_as(state["qa"].user)
    assert qa.get(f"{API}/cases/{case.pk}").status_code == 404
    grant(case, state["qa"], purpose="qa_review")
    assert qa.get(f"{API}/cases/{case.pk}").status_code == 200


def test_o1_direct_close_is_refused_by_the_api(overseen, supervisor, api_as):
    r = api_as(supervisor.user).post(
        f"{API}/cases/{overseen.pk}/status", {"status": "closed", "version": overseen.version}
    )
    assert r.status_code == 422 and "O1" in r.json()["errors"]["status"]
    r = api_as(supervisor.user).post(
        f"{API}/cases/{overseen.pk}/status",
        {"status": "closure_recommended", "version": overseen.version},
    )
    assert r.status_code == 422 and "O1" in r.json()["errors"]["status"]


def test_o1_the_lifecycle_through_the_api(overseen, worker, state, note, api_as):
    contractor = api_as(worker.user)
    specialist = api_as(state["specialist"].user)
    rec = contractor.post(
        f"{API}/cases/{overseen.pk}/state-recommendations", {"kind": "closure", "reasons": REASONS}
    ).json()
    assert rec["status"] == "submitted" and rec["reviewer"]["id"] == state["specialist"].pk
    url = f"{API}/recommendations/{rec['id']}"
    # Only the reviewer reviews.
    r = contractor.post(f"{url}/review", {"decision": "returned", "version": rec["version"]})
    assert r.status_code == 403
    # O1: all four findings to approve; the missing one is named, nothing stored.
    r = specialist.post(
        f"{url}/review",
        {"decision": "approved", "findings": _findings(note)[:3], "version": rec["version"]},
    )
    assert r.status_code == 422 and "findings.best_interest" in r.json()["errors"]
    assert not Finding.objects.exists()
    r = specialist.post(
        f"{url}/review",
        {
            "decision": "returned",
            "reasons": "Name the aftercare provider.",
            "version": rec["version"],
        },
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"
    r = contractor.post(
        f"{url}/resubmit",
        {"reasons": REASONS + " Aftercare: the family centre.", "version": r.json()["version"]},
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = specialist.post(
        f"{url}/review",
        {"decision": "approved", "findings": _findings(note), "version": r.json()["version"]},
    )
    assert r.status_code == 200, r.content
    body = specialist.get(url).json()
    assert [(x["number"], x["decision"]) for x in body["rounds"]] == [
        (1, "returned"),
        (2, "approved"),
    ]
    assert len(body["rounds"][1]["findings"]) == 4
    assert body["rounds"][0]["decided_by"]["id"] == state["specialist"].pk
    assert contractor.get(f"{API}/cases/{overseen.pk}").json()["status"] == "closed"


def test_o1_approval_refused_while_a_child_is_in_care_stores_nothing(
    overseen, worker, state, note, api_as
):
    from hearth.placements import services as placement_services

    placement_services.child_remove(
        actor=worker.user,
        case=overseen,
        child=overseen.members.get(role="child").person,
        removed_on=today() - timedelta(days=5),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    rec = recommend(overseen, worker)
    r = api_as(state["specialist"].user).post(
        f"{API}/recommendations/{rec.pk}/review",
        {"decision": "approved", "findings": _findings(note), "version": rec.version},
    )
    assert r.status_code == 422 and "status" in r.json()["errors"]
    rec.refresh_from_db()
    assert rec.status == "submitted" and not Finding.objects.exists()


def test_bad_input_names_the_field(overseen, worker, api_as):
    api = api_as(worker.user)
    r = api.post(f"{API}/cases/{overseen.pk}/state-recommendations", {"kind": "closure"})
    assert r.status_code == 422 and "reasons" in str(r.json()["errors"])
    r = api.post(
        f"{API}/cases/{overseen.pk}/state-recommendations",
        {"kind": "case_plan", "reasons": "Adopt it.", "plan": 99999},
    )
    assert r.status_code == 422 and "plan" in r.json()["errors"]
    assert not Recommendation.objects.exists()


def test_o1_reviews_due_and_the_overdue_review_on_the_due_list(overseen, worker, state, api_as):
    rec = recommend(overseen, worker)
    ob = Obligation.objects.get(case=overseen, source="oversight")
    assert ob.rule == "O1" and ob.need == "state_review"
    assert ob.responsible == state["specialist"] and ob.due_on == rec.due_on
    assert ob.unit_id is None and ob.met_on is None
    due = api_as(state["specialist"].user).get(f"{API}/oversight/reviews").json()
    assert [(d["id"], d["overdue"]) for d in due] == [(rec.pk, False)]
    assert api_as(state["other_specialist"].user).get(f"{API}/oversight/reviews").json() == []
    # A week and a half later the review is overdue: on the reviews due and the due list.
    later = rec.due_on + timedelta(days=3)
    listed = due_list(viewer=state["specialist"].user, now=later)
    assert [(o.rule, o.group) for o in listed.items] == [("O1", "overdue")]
    from hearth.oversight.selectors.recommendations import reviews_due

    assert [r.overdue for r in reviews_due(viewer=state["specialist"].user, now=later)] == [True]


def test_o1_a_decided_review_is_met_by_its_round(overseen, worker, state, note):
    from tests.oversight.recommendations.conftest import review

    rec = recommend(overseen, worker)
    rec = review(
        rec, state["specialist"], decision="returned", findings=[], reasons="Not yet, sorry."
    )
    ob = Obligation.objects.get(case=overseen, source="oversight")
    assert ob.met_on == today() and ob.evidence_type == "recommendation_round"
    assert ob.evidence_id == rec.rounds.get().pk
