"""C3: recording an assessment through the service: every applicable item rated once
0 to 3, the subject fits the instrument, the day fits the case, a change says what
changed, a safety assessment records the risk level; every refusal names its field and
stores nothing."""

from datetime import timedelta

import pytest

from hearth.cases import services as case_services
from hearth.cases.models import CaseEvent
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import today
from hearth.planning.models import Assessment, Instrument, Rating
from hearth.planning.selectors import assessments as selectors
from tests.factories import AgencyFactory, StaffFactory
from tests.planning.assessments.conftest import ratings_for, record, years_ago


def counts():
    return (Assessment.objects.count(), Rating.objects.count(), CaseEvent.objects.count())


def test_c3_records_each_default_instrument_with_its_ratings_and_timeline_event(
    worker, family, instruments
):
    case, child, parent = family["case"], family["child"], family["parent"]
    a = record(worker.user, case, instruments["child-strengths-needs"], child)
    b = record(worker.user, case, instruments["family-strengths-needs"], parent)
    c = record(worker.user, case, instruments["safety-risk"], risk_level="high")
    assert a.assessed_by == worker and a.recorded_by == worker.user
    assert c.risk_level == "high" and c.subject is None
    # The child of eleven is not rated on independent-living skills (from 14).
    rated = set(a.ratings.values_list("item__domain__code", flat=True))
    assert "independent-living" not in rated and "trauma" in rated
    assert b.ratings.count() == 24
    events = CaseEvent.objects.filter(case=case, type="assessment_recorded")
    assert events.count() == 3
    assert events.filter(payload__assessment=c.pk, payload__instrument="safety-risk").exists()


def test_c3_min_age_14_domain_applies_only_from_fourteen_on_the_day(worker, family, instruments):
    case, child, youth = family["case"], family["child"], family["youth"]
    inst = instruments["child-strengths-needs"]
    a = record(worker.user, case, inst, youth)
    assert a.ratings.filter(item__domain__code="independent-living").count() == 7
    # The youth must be rated on them...
    before = counts()
    without = ratings_for(inst, child)
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, inst, youth, ratings=without)
    assert "ratings.daily-living" in exc.value.errors
    # ...the child of eleven may not be.
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, inst, child, ratings=ratings_for(inst, youth))
    assert exc.value.errors["ratings.documents"].startswith("This item does not apply")
    assert counts() == before


def test_c3_age_is_taken_on_the_assessment_day(worker, family, instruments):
    """A youth who turned 14 a few days ago was 13 on an assessment dated before."""
    case, youth = family["case"], family["youth"]
    youth.date_of_birth = years_ago(14, 3)
    youth.save()
    inst = instruments["child-strengths-needs"]
    on = today() - timedelta(days=10)
    a = record(worker.user, case, inst, youth, on=on, reason="review")
    assert not a.ratings.filter(item__domain__code="independent-living").exists()
    b = record(worker.user, case, inst, youth, reason="review")
    assert b.ratings.filter(item__domain__code="independent-living").count() == 7


REFUSALS = {
    "future": ("assessed_on", dict(on="+1")),
    "before_opening": ("assessed_on", dict(on="-400")),
    "change_without_situation": ("situation", dict(reason="move", situation=" ")),
    "unknown_reason": ("reason", dict(reason="whim")),
    "risk_on_needs": ("risk_level", dict(risk_level="low")),
    "child_instrument_for_parent": ("subject", dict(subject="parent")),
    "child_instrument_without_subject": ("subject", dict(subject=None)),
    "missing_item": ("ratings.sleep", dict(drop="sleep")),
    "item_twice": ("ratings.mood", dict(twice="mood")),
    "score_four": ("ratings.anger", dict(scores={"anger": 4})),
    "score_negative": ("ratings.anger", dict(scores={"anger": -1})),
    "score_not_a_number": ("ratings.anger", dict(scores={"anger": "2"})),
    "unknown_item": ("ratings.no-such-item", dict(extra="no-such-item")),
    "item_of_another_instrument": ("ratings.housing", dict(extra="housing")),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_c3_each_refusal_names_its_field_and_stores_nothing(worker, family, instruments, name):
    field, how = REFUSALS[name]
    case, child = family["case"], family["child"]
    inst = instruments["child-strengths-needs"]
    ratings = ratings_for(inst, child)
    if "drop" in how:
        ratings = [r for r in ratings if r["item"] != how["drop"]]
    if "twice" in how:
        ratings.append({"item": how["twice"], "score": 1})
    if "extra" in how:
        ratings.append({"item": how["extra"], "score": 1})
    for code, score in how.get("scores", {}).items():
        next(r for r in ratings if r["item"] == code)["score"] = score
    on = today()
    if how.get("on") == "+1":
        on = today() + timedelta(days=1)
    elif how.get("on") == "-400":
        on = case.opened_on - timedelta(days=1)
    subject = {"parent": family["parent"], None: None}.get(how.get("subject", "x"), child)
    kwargs = {k: how[k] for k in ("reason", "situation", "risk_level") if k in how}
    before = counts()
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, inst, subject, on=on, ratings=ratings, **kwargs)
    assert field in exc.value.errors, exc.value.errors
    assert counts() == before


def test_c3_safety_needs_a_risk_level_and_takes_no_subject(worker, family, instruments):
    case, parent = family["case"], family["parent"]
    safety = instruments["safety-risk"]
    before = counts()
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, safety, risk_level="")
    assert "risk_level" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, safety, risk_level="extreme")
    assert "risk_level" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, safety, parent)
    assert "subject" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, instruments["family-strengths-needs"], family["child"])
    assert "subject" in exc.value.errors
    assert counts() == before


def test_c3_instrument_must_be_active_and_the_cases_agencys(worker, family, instruments):
    case, child = family["case"], family["child"]
    inst = instruments["child-strengths-needs"]
    ratings = ratings_for(inst, child)
    Instrument.objects.filter(pk=inst.pk).update(active=False)
    before = counts()
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, inst, child, ratings=ratings)
    assert "instrument" in exc.value.errors
    Instrument.objects.filter(pk=inst.pk).update(active=True, agency=AgencyFactory())
    with pytest.raises(DomainError) as exc:
        record(worker.user, case, inst, child, ratings=ratings)
    assert "instrument" in exc.value.errors
    assert counts() == before


def test_c3_a_closed_case_or_an_unwritable_one_is_not_assessed(
    supervisor, worker, family, instruments
):
    case = family["case"]
    safety = instruments["safety-risk"]
    with pytest.raises(Forbidden):
        record(StaffFactory().user, case, safety)
    case_services.case_change_status(actor=supervisor.user, case=case, status="closed")
    before = counts()
    with pytest.raises(DomainError) as exc:
        record(supervisor.user, case, safety)
    assert "case" in exc.value.errors
    assert counts() == before


def test_c3_what_changed_since_the_previous_assessment(worker, family, instruments):
    case, child = family["case"], family["child"]
    inst = instruments["child-strengths-needs"]
    first = record(
        worker.user, case, inst, child, on=today() - timedelta(days=20), scores={"sleep": 2}
    )
    other_child = record(worker.user, case, inst, family["youth"], scores={"sleep": 3})
    second = record(worker.user, case, inst, child, reason="move", scores={"sleep": 1, "worry": 3})
    d = selectors.assessment_detail(second)
    assert d.previous == first
    assert {(c.code, c.before, c.after) for c in d.changes} == {("sleep", 2, 1), ("worry", 0, 3)}
    assert [r.item.code for r in d.needs] == ["worry"]
    first_detail = selectors.assessment_detail(first)
    assert first_detail.previous is None and first_detail.changes == []
    assert selectors.assessment_detail(other_child).previous is None


def test_c3_c9_actionable_needs_are_those_of_the_latest_assessments(worker, family, instruments):
    case, child, parent = family["case"], family["child"], family["parent"]
    inst = instruments["child-strengths-needs"]
    record(worker.user, case, inst, child, on=today() - timedelta(days=9), scores={"sleep": 3})
    record(worker.user, case, inst, child, reason="review", scores={"grief": 2, "friends": 3})
    record(worker.user, case, instruments["family-strengths-needs"], parent, scores={"housing": 2})
    record(worker.user, case, instruments["safety-risk"], scores={"violence_in_home": 3})
    needs = list(selectors.actionable_needs(case))
    # sleep was the earlier assessment's; friends is a strength (not a need).
    assert sorted(r.item.code for r in needs) == ["grief", "housing", "violence-in-home"]
    trauma = {r.item.code for r in needs if r.item.trauma}
    assert trauma == {"grief", "violence-in-home"}
    assert all(not r.served for r in needs)
    assert {r.pk for r in selectors.needs_without_service(case)} == {r.pk for r in needs}


def test_c3_actionable_needs_read_in_a_fixed_number_of_queries(
    worker, family, instruments, django_assert_max_num_queries
):
    case = family["case"]
    for subject in (family["child"], family["youth"]):
        record(worker.user, case, instruments["child-strengths-needs"], subject, scores={"mood": 2})
    with django_assert_max_num_queries(1):
        assert len(list(selectors.actionable_needs(case))) == 2
