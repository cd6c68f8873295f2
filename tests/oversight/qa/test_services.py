"""O3, C8, P9: drawing a sample, reviewing, finalizing, the contractor's response and the
corrective actions a finalized review opens, through the services."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.cases import access as case_access
from hearth.cases.models import Case, CaseAccessGrant, CaseEvent
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.services import today
from hearth.oversight.models import CorrectiveAction, QaReview, QaSampleCase
from hearth.oversight.selectors import qa as selectors
from hearth.oversight.services import qa as services
from tests.oversight.qa.conftest import answers, draw, finalize


def _cases(sample):
    return list(QaSampleCase.objects.filter(sample=sample).values_list("case_id", flat=True))


def test_o3_a_sample_drawn_twice_with_one_seed_is_the_same(qa, many):
    first = draw(qa, size=6, seed=2026)
    again = draw(qa, size=6, seed=2026)
    assert sorted(_cases(first)) == sorted(_cases(again))
    assert first.seed == again.seed == 2026
    others = [sorted(_cases(draw(qa, size=6, seed=s))) for s in (1, 2, 3)]
    assert any(o != sorted(_cases(first)) for o in others)


def test_o3_a_random_seed_is_stored_and_reproduces_the_sample(qa, many):
    sample = services.sample_draw(
        actor=qa["state_sup"].user,
        period_start=today() - timedelta(days=30),
        period_end=today(),
        size=4,
        reviewers=[qa["qa2"]],
    )
    again = draw(
        qa, size=4, seed=sample.seed, period_start=sample.period_start, period_end=sample.period_end
    )
    assert sorted(_cases(sample)) == sorted(_cases(again))


def test_o3_the_sample_is_stratified_by_contractor_and_unit(qa, many):
    sample = draw(qa, size=6, seed=5)
    strata = Counter(QaSampleCase.objects.filter(sample=sample).values_list("agency_id", "unit_id"))
    unit_a = qa["staff"]["supervisor"].unit
    unit_b = qa["cases"]["other_units"].unit
    rival = qa["cases"]["rival"]
    # Population 9 / 5 / 1 of 15: quotas 3.6, 2, 0.4: 4, 2, then one for the rival's
    # stratum, taken from unit A (given most beyond its quota).
    assert strata == {
        (unit_a.agency_id, unit_a.pk): 3,
        (unit_b.agency_id, unit_b.pk): 2,
        (rival.agency_id, rival.unit_id): 1,
    }


def test_o3_the_population_is_the_contractors_cases_open_in_the_period(qa, many):
    start, end = today() - timedelta(days=30), today()
    later, closed = many[0], many[1]
    Case.objects.filter(pk=later.pk).update(opened_on=today() + timedelta(days=1))  # not yet
    Case.objects.filter(pk=closed.pk).update(
        status="closed", opened_on=today() - timedelta(days=90), closed_on=start - timedelta(1)
    )
    ids = {c.case_id for c in services.population(period_start=start, period_end=end)}
    assert later.pk not in ids and closed.pk not in ids
    assert len(ids) == 13
    mine = services.population(
        period_start=start, period_end=end, agency=qa["staff"]["worker"].agency
    )
    assert len(mine) == 12


def test_o3_a_draw_is_set_based(qa, many):
    """The draw's queries do not grow with its size."""
    draw(qa, size=1, seed=1)  # (the actor's staff record is then cached)
    with CaptureQueriesContext(connection) as small:
        draw(qa, size=2, seed=1)
    with CaptureQueriesContext(connection) as large:
        draw(qa, size=14, seed=1)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_o3_a_qa_reviewer_sees_a_sampled_case_only_after_the_draw(qa, many):
    reviewer = qa["qa2"]
    mine = qa["cases"]["mine"]
    with pytest.raises(NotFound):
        case_access.access_case(reviewer.user, mine.pk)
    sample = draw(qa, size=15, seed=3, reviewers=[reviewer])
    granted = set(
        CaseAccessGrant.objects.filter(staff=reviewer, purpose="qa_review").values_list(
            "case_id", flat=True
        )
    )
    assert granted == set(_cases(sample))
    assert case_access.access_case(reviewer.user, mine.pk) == mine
    assert CaseAccessGrant.history.filter(staff=reviewer).count() == 15
    assert (
        CaseEvent.objects.filter(case=mine, type="access_granted")
        .filter(payload__qa_sample=sample.pk)
        .exists()
    )
    # Read only, and not the other reviewer's cases.
    with pytest.raises(Forbidden):
        case_access.access_case(reviewer.user, mine.pk, for_edit=True)


def test_o3_the_reviewers_take_the_cases_in_turn_with_a_draft_review_due(qa, many):
    sample = draw(qa, size=6, seed=9)
    reviews = QaReview.objects.filter(sample_case__sample=sample)
    by_reviewer = Counter(reviews.values_list("reviewer_id", flat=True))
    assert by_reviewer == {qa["staff"]["qa"].pk: 3, qa["qa2"].pk: 3}
    assert set(reviews.values_list("status", "due_on")) == {("draft", today() + timedelta(30))}
    assert QaReview.history.filter(sample_case__sample=sample).count() == 6


def test_o3_a_reviewer_already_granted_a_case_keeps_the_one_grant(qa):
    """The world's QA reviewer already holds a QA grant of the rival's case."""
    reviewer = qa["staff"]["qa"]
    draw(qa, size=5, seed=1, reviewers=[reviewer])
    rival = qa["cases"]["rival"]
    assert CaseAccessGrant.objects.filter(case=rival, staff=reviewer, ends_on=None).count() == 1


def test_o3_a_draw_refuses_bad_input_and_stores_nothing(qa):
    with pytest.raises(DomainError) as e:
        services.sample_draw(
            actor=qa["state_sup"].user,
            period_start=today(),
            period_end=today() - timedelta(days=1),
            size=0,
            reviewers=[qa["staff"]["worker"]],
            agency=qa["staff"]["qa"].agency,
        )
    assert set(e.value.errors) == {"period_end", "size", "reviewers", "agency"}
    assert not QaSampleCase.objects.exists()


@pytest.mark.parametrize("who", ["worker", "supervisor", "director", "qa", "oversight"])
def test_o3_only_the_state_oversight_supervisor_draws(qa, who):
    with pytest.raises(Forbidden):
        services.sample_draw(
            actor=qa["staff"][who].user,
            period_start=today() - timedelta(days=30),
            period_end=today(),
            reviewers=[qa["qa2"]],
        )


def _review(qa, case_name="mine", reviewer=None):
    sample = draw(qa, size=15, seed=1, reviewers=[reviewer or qa["qa2"]])
    return QaReview.objects.get(
        sample_case__sample=sample, sample_case__case=qa["cases"][case_name]
    )


def test_c8_finalize_refuses_unanswered_items_and_a_no_without_a_comment(qa):
    review = _review(qa)
    actor = qa["qa2"].user
    some = answers(qa)[:10]
    some[0] = {**some[0], "answer": "no", "comment": ""}
    review = services.review_answer(actor=actor, review=review, answers=some, version=1)
    with pytest.raises(DomainError) as e:
        services.review_finalize(actor=actor, review=review, version=review.version)
    codes = [i.code for i in qa["items"]]
    assert set(e.value.errors) == {f"answers.{c}" for c in [codes[0], *codes[10:]]}
    assert "comment" in e.value.errors[f"answers.{codes[0]}"]
    review.refresh_from_db()
    assert review.status == "draft" and review.finalized_on is None
    review = finalize(qa, review)
    assert review.status == "finalized" and review.finalized_on == today()
    assert CaseEvent.objects.filter(type="qa_review_finalized", case=qa["cases"]["mine"]).exists()


def test_c8_answers_are_of_the_instruments_items_and_a_finalized_review_is_not_changed(qa):
    review = _review(qa)
    actor = qa["qa2"].user
    with pytest.raises(DomainError) as e:
        services.review_answer(
            actor=actor, review=review, answers=[{"item": "nope", "answer": "yes"}], version=1
        )
    assert e.value.errors == {"answers.nope": "This item is not in the review's instrument."}
    review = finalize(qa, review)
    with pytest.raises(DomainError) as e:
        services.review_answer(actor=actor, review=review, answers=[], version=review.version)
    assert "status" in e.value.errors


def test_o3_only_the_reviews_reviewer_answers_it(qa):
    review = _review(qa)
    for who in (qa["staff"]["qa"], qa["staff"]["worker"], qa["state_sup"]):
        with pytest.raises(Forbidden):
            services.review_answer(actor=who.user, review=review, answers=[], version=1)


def test_o3_a_stale_version_is_refused(qa):
    from hearth.core.errors import ConflictError

    review = _review(qa)
    services.review_answer(actor=qa["qa2"].user, review=review, answers=answers(qa)[:1], version=1)
    with pytest.raises(ConflictError):
        services.review_answer(actor=qa["qa2"].user, review=review, answers=[], version=1)


def test_o3_the_contractor_responds_to_a_finalized_review_of_its_agency(qa):
    review = finalize(qa, _review(qa))
    director = qa["director"]
    review = services.review_respond(
        actor=director.user, review=review, response="We will train unit A.", version=review.version
    )
    assert review.contractor_response == "We will train unit A."
    assert review.responded_by == director and review.responded_on == today()
    assert CaseEvent.objects.filter(type="qa_review_responded").count() == 1
    with pytest.raises(DomainError) as e:
        services.review_respond(actor=director.user, review=review, response=" ", version=None)
    assert "response" in e.value.errors
    for who in ("rival_sup", "worker", "far_sup"):
        with pytest.raises(Forbidden):
            services.review_respond(
                actor=qa["staff"][who].user, review=review, response="x", version=None
            )


def test_o3_a_contractor_sees_only_its_agencys_finalized_reviews(qa):
    sample = draw(qa, size=15, seed=1, reviewers=[qa["qa2"]])
    reviews = QaReview.objects.filter(sample_case__sample=sample)
    mine = reviews.get(sample_case__case=qa["cases"]["mine"])
    rival = reviews.get(sample_case__case=qa["cases"]["rival"])
    other_unit = reviews.get(sample_case__case=qa["cases"]["other_units"])
    for r in (mine, rival, other_unit):
        finalize(qa, r)
    seen = lambda who: set(selectors.visible_reviews(qa["staff"][who].user))  # noqa: E731
    assert seen("director") == {mine, other_unit}
    assert seen("supervisor") == {mine}  # their unit's
    assert seen("rival_sup") == {rival}
    assert seen("worker") == set()
    assert seen("qa") == set()
    assert set(selectors.visible_reviews(qa["qa2"].user)) == set(reviews)
    assert set(selectors.visible_reviews(qa["state_sup"].user)) == set(reviews)


def test_p9_an_item_below_its_threshold_opens_a_corrective_action(qa, many):
    """Five reviews of unit A: the first item no in two of them (60% < 80%) opens one
    corrective action, owned by the program director, due in corrective_action_days."""
    sample = draw(qa, size=15, seed=1, reviewers=[qa["qa2"]])
    unit_a = qa["staff"]["supervisor"].unit
    reviews = list(
        QaReview.objects.filter(sample_case__sample=sample, sample_case__unit=unit_a).order_by(
            "pk"
        )[:5]
    )
    first = qa["items"][0]
    key = first.code.replace("-", "_")
    for i, review in enumerate(reviews):
        finalize(qa, review, **({key: "no"} if i < 2 else {}))
        # Fewer than five answers on the item: no action yet.
        assert CorrectiveAction.objects.exists() == (i == 4)
    action = CorrectiveAction.objects.get()
    assert (action.agency_id, action.unit_id, action.item_id) == (
        unit_a.agency_id,
        unit_a.pk,
        first.pk,
    )
    assert action.compliance_percent == 60 and action.threshold_percent == 80
    assert action.owner == qa["director"]
    assert action.due_on == today() + timedelta(days=60)
    assert (action.period_start, action.period_end) == (sample.period_start, sample.period_end)
    # Another review below the threshold does not open a second one.
    more = QaReview.objects.filter(sample_case__sample=sample, sample_case__unit=unit_a).exclude(
        pk__in=[r.pk for r in reviews]
    )
    finalize(qa, more.first(), **{key: "no"})
    assert CorrectiveAction.objects.count() == 1


def test_p9_not_applicable_answers_do_not_count_toward_the_threshold(qa, many):
    sample = draw(qa, size=15, seed=1, reviewers=[qa["qa2"]])
    unit_a = qa["staff"]["supervisor"].unit
    key = qa["items"][0].code.replace("-", "_")
    reviews = QaReview.objects.filter(sample_case__sample=sample, sample_case__unit=unit_a)
    for i, review in enumerate(reviews.order_by("pk")[:6]):
        # 4 yes, 1 no, 1 na: 80% on five answers, not below.
        finalize(qa, review, **{key: ["no", "na", "yes", "yes", "yes", "yes"][i]})
    assert not CorrectiveAction.objects.exists()


def test_p9_corrective_action_update_follow_up_and_close(qa, many):
    sample = draw(qa, size=15, seed=1, reviewers=[qa["qa2"]])
    review = finalize(qa, QaReview.objects.filter(sample_case__sample=sample).first())
    sc = review.sample_case
    sup = qa["state_sup"].user
    action = services.corrective_action_create(
        actor=sup,
        agency=sc.agency,
        unit=sc.unit,
        item=qa["items"][0],
        period_start=sample.period_start,
        period_end=sample.period_end,
    )
    assert action.opened_by == qa["state_sup"] and action.compliance_percent == 100
    with pytest.raises(DomainError) as e:
        services.corrective_action_close(actor=sup, action=action, closing_note="", version=1)
    assert set(e.value.errors) == {"closing_note", "follow_ups"}
    action = services.corrective_action_update(
        actor=qa["director"].user, action=action, plan="Monthly coaching", version=1
    )
    with pytest.raises(DomainError) as e:
        services.corrective_action_update(
            actor=qa["director"].user, action=action, due_on=today(), version=action.version
        )
    assert "due_on" in e.value.errors
    with pytest.raises(DomainError) as e:
        services.corrective_action_update(
            actor=sup, action=action, owner=qa["staff"]["rival_sup"], version=action.version
        )
    assert "owner" in e.value.errors
    action = services.corrective_action_add_follow_up(
        actor=sup, action=action, review=review, version=action.version
    )
    action = services.corrective_action_close(
        actor=sup,
        action=action,
        closing_note="Coaching held; files complete",
        version=action.version,
    )
    assert action.status == "closed" and action.closed_on == today()
    with pytest.raises(Forbidden):
        services.corrective_action_close(
            actor=qa["director"].user, action=action, closing_note="x", version=action.version
        )
