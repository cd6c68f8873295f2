"""O3, C8, P9: the QA endpoints, and the compliance aggregate against its hand-written
floor (COMPLIANCE_FLOOR_SQL)."""

from datetime import timedelta

from django.db import connection

from hearth.core.services import today
from hearth.oversight.models import CorrectiveAction, QaReview
from hearth.oversight.selectors import qa as selectors
from tests.api.conftest import ApiClient
from tests.oversight.qa.conftest import answers, draw, finalize

API = "/api/v1/qa"


def _body(qa, **kw):
    return {
        "period_start": (today() - timedelta(days=90)).isoformat(),
        "period_end": today().isoformat(),
        "size": 5,
        "seed": 11,
        "reviewers": [qa["qa2"].pk],
        **kw,
    }


def test_o3_the_api_draws_the_same_sample_twice_with_one_seed(qa):
    api = ApiClient(qa["state_sup"].user)
    first = api.post(f"{API}/samples", _body(qa))
    assert first.status_code == 201, first.content
    again = api.post(f"{API}/samples", _body(qa))
    cases = lambda r: sorted(c["case"]["id"] for c in r.json()["cases"])  # noqa: E731
    assert cases(first) == cases(again) and len(cases(first)) == 5
    assert first.json()["seed"] == 11 and first.json()["strata"]
    r = api.get(f"{API}/samples/{first.json()['id']}")
    assert r.status_code == 200 and cases(r) == cases(first)
    assert len(api.get(f"{API}/samples").json()) == 2


def test_o3_bad_input_names_the_field_and_stores_nothing(qa):
    api = ApiClient(qa["state_sup"].user)
    r = api.post(f"{API}/samples", _body(qa, reviewers=[qa["staff"]["worker"].pk]))
    assert r.status_code == 422 and "reviewers" in r.json()["errors"]
    r = api.post(f"{API}/samples", _body(qa, period_end=(today() - timedelta(days=99)).isoformat()))
    assert r.status_code == 422 and "period_end" in r.json()["errors"]
    assert api.get(f"{API}/samples").json() == []
    r = ApiClient(qa["staff"]["worker"].user).post(f"{API}/samples", _body(qa))
    assert r.status_code == 403


def test_c8_a_review_is_answered_and_finalized_through_the_api(qa):
    sample = draw(qa, size=5, seed=1, reviewers=[qa["qa2"]])
    review = QaReview.objects.filter(sample_case__sample=sample).first()
    api = ApiClient(qa["qa2"].user)
    url = f"{API}/reviews/{review.pk}"
    r = api.get(url)
    assert r.status_code == 200 and r["ETag"] == '"1"'
    assert [d["code"] for d in r.json()["domains"]] == [
        "observation",
        "documentation",
        "interview",
        "supervision",
    ]
    r = api.post(f"{url}/finalize", {"version": 1})
    assert r.status_code == 422 and len(r.json()["errors"]) == len(qa["items"])
    some = answers(qa, "no")
    some[0]["comment"] = ""
    r = api.put(f"{url}/answers", {"answers": some, "version": 1})
    assert r.status_code == 200, r.content
    r = api.post(f"{url}/finalize", {"version": 2})
    assert r.status_code == 422
    assert list(r.json()["errors"]) == [f"answers.{qa['items'][0].code}"]
    r = api.put(f"{url}/answers", {"answers": answers(qa), "version": 2})
    r = api.post(f"{url}/finalize", {"version": 3, "summary": "Good practice."})
    assert r.status_code == 200 and r.json()["status"] == "finalized"
    assert [x["id"] for x in api.get(f"{API}/reviews").json()] == [
        x.pk for x in QaReview.objects.filter(reviewer=qa["qa2"]).order_by("due_on", "pk")
    ]
    # The other reviewer and a case manager: not found.
    assert ApiClient(qa["staff"]["qa"].user).get(url).status_code == 404
    assert ApiClient(qa["staff"]["worker"].user).get(url).status_code == 404
    # The contractor sees the finalized review of its agency and responds.
    director = ApiClient(qa["director"].user)
    mine = director.get(f"{API}/reviews").json()
    assert [x["id"] for x in mine] == [review.pk]
    r = director.post(f"{url}/response", {"response": "Thank you.", "version": 4})
    assert r.status_code == 200 and r.json()["contractor_response"] == "Thank you."
    assert ApiClient(qa["staff"]["rival_sup"].user).get(url).status_code == 404


def test_p9_compliance_equals_the_hand_written_floor(qa):
    """The ORM's one grouped query and COMPLIANCE_FLOOR_SQL give the same rows; n/a
    answers are counted but excluded from the percent."""
    sample = draw(qa, size=5, seed=1, reviewers=[qa["qa2"]])
    codes = [i.code.replace("-", "_") for i in qa["items"]]
    plans = [
        {codes[0]: "no", codes[1]: "na"},
        {codes[0]: "yes", codes[1]: "na", codes[2]: "no"},
        {codes[1]: "no"},
    ]
    for review, plan in zip(
        QaReview.objects.filter(sample_case__sample=sample), plans, strict=False
    ):
        finalize(qa, review, **plan)
    start, end = today() - timedelta(days=365), today()
    with connection.cursor() as cursor:
        cursor.execute(selectors.COMPLIANCE_FLOOR_SQL, [start, end])
        floor = [tuple(row) for row in cursor.fetchall()]
    rows = selectors.compliance_rows(start=start, end=end, by=("agency", "item"))
    assert [(r.agency, r.item, r.yes, r.no, r.na) for r in rows] == floor
    assert len(floor) >= len(qa["items"])
    by_item = {(r.agency, r.item): r for r in rows}
    first = qa["items"][0]
    agencies = {r.agency for r in rows}
    totals = [by_item[(a, first.pk)] for a in agencies if (a, first.pk) in by_item]
    assert sum(r.no for r in totals) == 1
    second = [
        by_item[(a, qa["items"][1].pk)] for a in agencies if (a, qa["items"][1].pk) in by_item
    ]
    assert sum(r.na for r in second) == 2 and sum(r.no for r in second) == 1
    for r in second:
        assert r.percent == (None if r.yes + r.no == 0 else round(100 * r.yes / (r.yes + r.no)))

    api = ApiClient(qa["state_sup"].user)
    r = api.get(f"{API}/compliance", start=start.isoformat(), end=end.isoformat(), by="agency,item")
    assert r.status_code == 200
    assert [(x["agency"]["id"], x["yes"], x["no"], x["na"]) for x in r.json()["rows"]] == [
        (a, y, n, na) for a, _, y, n, na in floor
    ]
    r = api.get(f"{API}/compliance", start=start.isoformat(), end=end.isoformat(), by="colour")
    assert r.status_code == 422 and "by" in r.json()["errors"]


def test_p9_a_contractor_reads_its_own_agencys_compliance_only(qa):
    sample = draw(qa, size=5, seed=1, reviewers=[qa["qa2"]])
    for review in QaReview.objects.filter(sample_case__sample=sample):
        finalize(qa, review)
    params = {"start": (today() - timedelta(days=5)).isoformat(), "end": today().isoformat()}
    rows = ApiClient(qa["director"].user).get(f"{API}/compliance", **params).json()["rows"]
    assert {x["agency"]["id"] for x in rows} == {qa["director"].agency_id}
    state = ApiClient(qa["state_sup"].user).get(f"{API}/compliance", **params).json()["rows"]
    assert len({x["agency"]["id"] for x in state}) == 2
    r = ApiClient(qa["staff"]["worker"].user).get(f"{API}/compliance", **params)
    assert r.status_code == 403


def test_p9_corrective_actions_through_the_api(qa):
    sample = draw(qa, size=5, seed=1, reviewers=[qa["qa2"]])
    review = finalize(qa, QaReview.objects.filter(sample_case__sample=sample).first())
    sup = ApiClient(qa["state_sup"].user)
    body = {
        "agency": review.sample_case.agency_id,
        "item": qa["items"][0].pk,
        "period_start": sample.period_start.isoformat(),
        "period_end": sample.period_end.isoformat(),
    }
    r = sup.post(f"{API}/corrective-actions", body)
    assert r.status_code == 201, r.content
    action = r.json()
    assert action["status"] == "open" and action["due_on"] == str(today() + timedelta(60))
    r = sup.post(f"{API}/corrective-actions", body)
    assert r.status_code == 422 and "item" in r.json()["errors"]
    url = f"{API}/corrective-actions/{action['id']}"
    r = sup.post(f"{url}/close", {"closing_note": "Done", "version": 1})
    assert r.status_code == 422 and "follow_ups" in r.json()["errors"]
    r = sup.post(f"{url}/follow-ups", {"review": review.pk, "version": 1})
    assert r.status_code == 200 and r.json()["follow_up_reviews"] == [review.pk]
    r = sup.post(f"{url}/close", {"closing_note": "Done", "version": 2})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert CorrectiveAction.objects.get().closed_on == today()
    owner = review.sample_case.agency_id
    assert ApiClient(qa["director"].user).get(url).json()["agency"]["id"] == owner
    assert ApiClient(qa["staff"]["rival_sup"].user).get(url).status_code == 404
    r = ApiClient(qa["director"].user).post(f"{API}/corrective-actions", body)
    assert r.status_code == 403
