"""O3, C8, P9: the QA pages: the QA home, drawing a sample, a review answered and
finalized, the contractor's response, the compliance report with its chart and CSV
export, and a corrective action."""

from datetime import timedelta

from django.urls import reverse

from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.oversight.models import CorrectiveAction, QaReview, QaSample
from hearth.oversight.services import qa as services
from tests.oversight.qa.conftest import draw, finalize


def _review(qa, name="mine"):
    sample = draw(qa, size=5, seed=1, reviewers=[qa["qa2"]])
    return QaReview.objects.get(sample_case__sample=sample, sample_case__case=qa["cases"][name])


def test_o3_a_qa_reviewer_lands_on_the_qa_home_with_the_reviews_due(qa, as_user):
    review = _review(qa)
    client = as_user(qa["qa2"])
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r.url == reverse("qa_home")
    text = client.get(reverse("qa_home")).content.decode()
    assert "Reviews due" in text and qa["cases"]["mine"].case_number in text
    assert reverse("qa_review", args=[review.pk]) in text
    assert AccessLog.objects.filter(kind="list", case=qa["cases"]["mine"]).exists()


def test_o3_the_state_supervisor_draws_a_sample_in_the_page(qa, as_user):
    client = as_user(qa["state_sup"])
    url = reverse("qa_sample_new")
    assert client.get(url).status_code == 200
    r = client.post(url, {"period_start": "", "period_end": "", "reviewers": []})
    assert r.status_code == 422 and "Nothing was saved" in r.content.decode()
    start = today() - timedelta(days=90)
    r = client.post(
        url,
        {
            "period_start": start.isoformat(),
            "period_end": today().isoformat(),
            "size": 3,
            "seed": 77,
            "reviewers": [qa["qa2"].pk],
        },
    )
    sample = QaSample.objects.get()
    assert r.status_code == 302 and r.url == reverse("qa_sample_detail", args=[sample.pk])
    text = client.get(r.url).content.decode()
    assert "77" in text and "Strata" in text


def test_o3_a_case_manager_cannot_draw_or_review(qa, as_user):
    review = _review(qa)
    client = as_user(qa["staff"]["worker"])
    assert client.get(reverse("qa_sample_new")).status_code == 403
    assert client.get(reverse("qa_review", args=[review.pk])).status_code == 404
    assert client.get(reverse("qa_home")).status_code == 403


def test_c8_the_review_form_saves_a_draft_and_refuses_to_finalize_an_incomplete_one(qa, as_user):
    review = _review(qa)
    client = as_user(qa["qa2"])
    url = reverse("qa_review", args=[review.pk])
    text = client.get(url).content.decode()
    assert "Observation" in text and "Supervision" in text
    first, second = qa["items"][0].code, qa["items"][1].code
    body = {
        "version": review.version,
        "summary": "",
        f"answer_{first}": "yes",
        f"answer_{second}": "no",
        "action": "finalize",
    }
    r = client.post(url, body)
    assert r.status_code == 422
    page = r.content.decode()
    assert "Say in a comment what was missing" in page and "Answer this item" in page
    review.refresh_from_db()
    assert review.status == "draft" and not review.answers.exists()  # nothing stored
    r = client.post(url, {**body, "action": "save"})
    assert r.status_code == 302
    assert review.answers.count() == 2


def test_o3_the_contractor_reads_a_finalized_review_and_responds(qa, as_user):
    review = finalize(qa, _review(qa))
    client = as_user(qa["director"])
    url = reverse("qa_review", args=[review.pk])
    text = client.get(url).content.decode()
    assert "No response yet." in text and "Save the response" in text
    r = client.post(url, {"action": "respond", "version": review.version, "response": ""})
    assert r.status_code == 422
    r = client.post(
        url, {"action": "respond", "version": review.version, "response": "Coaching planned."}
    )
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.contractor_response == "Coaching planned."
    # The rival contractor does not see it.
    assert as_user(qa["staff"]["rival_sup"]).get(url).status_code == 404


def test_p9_the_compliance_page_has_a_chart_a_table_and_a_logged_csv(qa, as_user):
    review = _review(qa)
    finalize(qa, review, **{qa["items"][0].code.replace("-", "_"): "no"})
    client = as_user(qa["state_sup"])
    url = reverse("qa_compliance")
    params = {
        "start": (today() - timedelta(days=30)).isoformat(),
        "end": today().isoformat(),
        "by": ["agency", "item"],
    }
    r = client.get(url, params)
    text = r.content.decode()
    assert r.status_code == 200
    assert '<svg role="img"' in text and "<caption>Compliance" in text
    assert "0%" in text and "100%" in text and "Below" in text
    r = client.get(url, {**params, "format": "csv"})
    assert r["Content-Type"] == "text/csv"
    lines = r.content.decode().splitlines()
    assert lines[0] == "agency,item,yes,no,na,percent,threshold"
    assert len(lines) == 1 + len(qa["items"])
    assert AccessLog.objects.filter(kind="export", object_type="agency").exists()
    assert client.get(url, {"start": "x", "end": ""}).status_code == 422
    assert as_user(qa["staff"]["worker"]).get(url, params).status_code == 403


def test_p9_the_compliance_page_queries_do_not_grow_with_rows(
    qa, as_user, django_assert_max_num_queries
):
    for name in ("mine", "colleagues"):
        sample = draw(qa, size=5, seed=1, reviewers=[qa["qa2"]])
        finalize(
            qa,
            QaReview.objects.get(sample_case__sample=sample, sample_case__case=qa["cases"][name]),
        )
    client = as_user(qa["state_sup"])
    with django_assert_max_num_queries(12):
        client.get(reverse("qa_compliance"), {"by": ["agency", "unit", "item", "month"]})


def test_p9_a_corrective_action_page_sets_the_owner_and_closes(qa, as_user):
    review = finalize(qa, _review(qa))
    sample = review.sample_case.sample
    action = services.corrective_action_create(
        actor=qa["state_sup"].user,
        agency=review.sample_case.agency,
        item=qa["items"][0],
        period_start=sample.period_start,
        period_end=sample.period_end,
    )
    client = as_user(qa["state_sup"])
    url = reverse("qa_action_detail", args=[action.pk])
    assert "Close the corrective action" in client.get(url).content.decode()
    r = client.post(url, {"action": "close", "version": action.version, "closing_note": ""})
    assert r.status_code == 422
    r = client.post(url, {"action": "follow_up", "version": action.version, "review": review.pk})
    assert r.status_code == 302
    action.refresh_from_db()
    r = client.post(
        url, {"action": "close", "version": action.version, "closing_note": "Files complete."}
    )
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.CLOSED
    director = as_user(qa["director"])
    assert director.get(reverse("qa_actions")).status_code == 200
    assert director.post(url, {"action": "close", "version": action.version}).status_code == 403
