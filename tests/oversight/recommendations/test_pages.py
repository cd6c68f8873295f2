"""The recommendation pages (O1, O2, P1): recommending a closure from the case page, the
review form with the four findings, the return, the revision, the approval, the reviews
due, and a direct close refused on the case page."""

from hearth.cases.models import Case
from hearth.core.services import today
from hearth.oversight.models import Recommendation
from hearth.policy.recommendations import add_business_days
from tests.oversight.recommendations.conftest import REASONS, recommend


def _post_review(client, rec, note, *, decision="approved", met="yes", reasons=""):
    data = {"action": "review", "review-version": rec.version, "review-decision": decision}
    data["review-reasons"] = reasons
    for code in ("reasonable_efforts", "threats_mitigated", "aftercare", "best_interest"):
        if met:
            data[f"review-{code}_met"] = met
            data[f"review-{code}_evidence"] = [f"contact_note:{note.pk}"]
    return client.post(f"/recommendations/{rec.pk}/", data)


def test_o1_the_case_page_offers_recommend_closure_not_a_direct_close(
    as_user, overseen, worker, supervisor
):
    page = as_user(supervisor).get(f"/cases/{overseen.pk}/?action=status")
    body = page.content.decode()
    assert "Recommend closure" in body
    assert 'value="closed"' not in body
    r = as_user(supervisor).post(
        f"/cases/{overseen.pk}/status/",
        {"status-status": "closed", "status-version": overseen.version},
    )
    assert r.status_code == 422
    overseen.refresh_from_db()
    assert overseen.status == "open"


def test_o1_p1_recommend_closure_from_the_page(as_user, overseen, worker, state):
    client = as_user(worker)
    page = client.get(f"/cases/{overseen.pk}/recommendations/")
    assert page.status_code == 200 and "Recommend closure" in page.content.decode()
    r = client.post(
        f"/cases/{overseen.pk}/recommendations/",
        {"recommend-kind": "closure", "recommend-reasons": "Fine now."},
    )
    assert r.status_code == 422 and "P1" in r.content.decode()
    assert not Recommendation.objects.exists()
    r = client.post(
        f"/cases/{overseen.pk}/recommendations/",
        {"recommend-kind": "closure", "recommend-reasons": REASONS},
    )
    rec = Recommendation.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/recommendations/{rec.pk}/"
    assert rec.reviewer == state["specialist"]


def test_o1_review_form_return_then_approve(as_user, overseen, worker, state, note):
    rec = recommend(overseen, worker)
    client = as_user(state["specialist"])
    page = client.get(f"/recommendations/{rec.pk}/").content.decode()
    for label in ("Reasonable efforts", "Safety threats", "Aftercare", "best interest"):
        assert label in page
    assert f"contact_note:{note.pk}" in page
    # O1: approval needs all four yes.
    r = _post_review(client, rec, note, met="no")
    assert r.status_code == 422 and "O1" in r.content.decode()
    r = _post_review(client, rec, note, decision="returned", met="", reasons="")
    assert r.status_code == 422
    r = _post_review(
        client, rec, note, decision="returned", met="", reasons="Name the aftercare provider."
    )
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "returned"
    r = as_user(worker).post(
        f"/recommendations/{rec.pk}/",
        {
            "action": "resubmit",
            "resubmit-version": rec.version,
            "resubmit-reasons": REASONS + " Aftercare: the family centre.",
        },
    )
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "submitted" and rec.rounds.count() == 2
    r = _post_review(as_user(state["specialist"]), rec, note)
    assert r.status_code == 302
    overseen.refresh_from_db()
    assert overseen.status == Case.Status.CLOSED
    page = as_user(state["specialist"]).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Round 1" in page and "Round 2" in page and "Name the aftercare provider." in page


def test_only_the_reviewer_gets_the_review_form(as_user, overseen, worker, state):
    rec = recommend(overseen, worker)
    page = as_user(worker).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Record the review" not in page and "Withdraw" in page
    r = as_user(worker).post(f"/recommendations/{rec.pk}/", {"action": "review"})
    assert r.status_code == 403


def test_reviews_due_list_shows_overdue(as_user, overseen, worker, state):
    rec = recommend(overseen, worker)
    Recommendation.objects.filter(pk=rec.pk).update(due_on=today().replace(day=1))
    page = as_user(state["specialist"]).get("/oversight/reviews/")
    body = page.content.decode()
    assert page.status_code == 200 and overseen.case_number in body
    if today().day > 1:
        assert "Overdue" in body
    assert as_user(worker).get("/oversight/reviews/").status_code == 403


def test_the_due_date_counts_business_days(overseen, worker):
    rec = recommend(overseen, worker)
    assert rec.due_on == add_business_days(today(), 5)


def test_o1_the_review_shows_the_threats_identified_at_intake(as_user, overseen, worker, state):
    """Issue 15, O1: the finding "threats eliminated or mitigated" answers the threats the
    referral's report identified; the review page shows them beside the findings."""
    from hearth.intake import services as intake_services

    child = overseen.members.get(role="child").person
    intake_services.report_record(
        actor=worker.user,
        case=overseen,
        reporter_role="law_enforcement",
        reporter_name="Officer Day",
        narrative="Called to the home; the children were alone at night.",
        response_priority="immediate",
        safety_determination="unsafe",
        safety_threats=["no_supervision"],
        allegations=[(child, "neglect", None)],
    )
    rec = recommend(overseen, worker)
    page = as_user(state["specialist"]).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "found <strong>unsafe</strong>" in page
    assert "No adult supervises or protects the child" in page
    assert "Identified at intake: No adult supervises or protects the child." in page
