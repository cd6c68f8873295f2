"""C3, C9 pages: a case's assessments with the actionable needs of the latest ones
(trauma needs labelled), the new-assessment form (instrument and subject, then every item
rated with radio buttons; input kept on error, 422), the assessment with what changed,
and the instruments; a case the viewer cannot see answers 404."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.planning.models import Assessment
from hearth.staff.models import Role
from tests.factories import StaffFactory, UnitFactory
from tests.planning.assessments.conftest import ratings_for, record


def form_data(instrument, subject=None, on=None, **scores):
    on = on or today()
    data = {
        "instrument": instrument.pk,
        "subject": subject.pk if subject else "",
        "assessed_on": on.isoformat(),
        "reason": "initial",
    }
    for r in ratings_for(instrument, subject, on, **scores):
        data[f"score_{r['item']}"] = str(r["score"])
    return data


def test_c3_c9_case_assessments_page_shows_needs_with_trauma_labelled(
    as_user, worker, family, instruments
):
    case, child = family["case"], family["child"]
    record(worker.user, case, instruments["child-strengths-needs"], child, scores={"grief": 3})
    record(worker.user, case, instruments["safety-risk"], scores={"isolation": 2})
    r = as_user(worker).get(reverse("case_assessments", args=[case.pk]))
    assert r.status_code == 200
    text = r.content.decode()
    assert "Grief that keeps the child from daily life" in text
    assert "The family has no one to turn to" in text
    assert text.count(">Trauma</span>") == 1
    assert reverse("assessment_new", args=[case.pk]) in text
    assert reverse("instruments") in text
    assert AccessLog.objects.filter(case_id=case.pk, object_type="assessment").count() == 2


def test_c3_case_assessments_page_queries_do_not_grow(
    as_user, worker, family, instruments, django_assert_max_num_queries
):
    case = family["case"]
    client = as_user(worker)
    url = reverse("case_assessments", args=[case.pk])
    record(worker.user, case, instruments["safety-risk"], scores={"isolation": 2})
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for subject in (family["child"], family["youth"]):
        record(worker.user, case, instruments["child-strengths-needs"], subject, scores={"mood": 3})
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_c3_new_assessment_chooser_then_form_with_labelled_radio_buttons(
    as_user, worker, family, instruments
):
    case, youth = family["case"], family["youth"]
    client = as_user(worker)
    url = reverse("assessment_new", args=[case.pk])
    r = client.get(url)
    assert r.status_code == 200 and "Child strengths and needs" in r.content.decode()
    inst = instruments["child-strengths-needs"]
    r = client.get(url, {"instrument": inst.pk, "subject": youth.pk})
    assert r.status_code == 200
    text = r.content.decode()
    for label in ("0 · No need", "1 · Watch", "2 · Act", "3 · Act now"):
        assert label in text
    assert 'type="radio"' in text and "usa-radio__input" in text
    assert "<h2>Independent-living skills" in text  # the youth is fifteen
    r = client.get(url, {"instrument": inst.pk, "subject": family["child"].pk})
    assert "<h2>Independent-living skills" not in r.content.decode()
    # A child instrument without a child: the chooser again, 422.
    r = client.get(url, {"instrument": inst.pk, "subject": ""})
    assert r.status_code == 422 and "Choose the child assessed." in r.content.decode()


def test_c3_posting_the_form_records_and_shows_the_assessment(as_user, worker, family, instruments):
    case, child = family["case"], family["child"]
    inst = instruments["child-strengths-needs"]
    client = as_user(worker)
    earlier = record(
        worker.user, case, inst, child, on=today() - timedelta(days=7), scores={"sleep": 2}
    )
    data = form_data(inst, child, sleep=0, witnessed_violence=3)
    data |= {"reason": "move", "situation": "Moved in with an aunt.", "note_sleep": "Sleeps well"}
    r = client.post(reverse("assessment_new", args=[case.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    made = Assessment.objects.exclude(pk=earlier.pk).get()
    assert r.url == reverse("assessment_detail", args=[made.pk])
    assert made.ratings.get(item__code="sleep").note == "Sleeps well"
    page = client.get(r.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "What changed since the previous assessment" in text
    assert reverse("assessment_detail", args=[earlier.pk]) in text
    assert "Saw or heard violence at home or in the community" in text
    assert "Trauma</span>" in text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"assessed_on": "2999-01-01"}, "An assessment cannot be dated in the future."),
        ({"reason": "move"}, "Say what changed in the family"),
        ({"score_mood": ""}, "Rate this item."),
        ({"score_mood": "7"}, "Select a valid choice."),
    ],
)
def test_c3_a_refused_form_keeps_the_input_answers_422_and_stores_nothing(
    as_user, worker, family, instruments, change, message
):
    case, child = family["case"], family["child"]
    inst = instruments["child-strengths-needs"]
    data = form_data(inst, child, worry=3) | {"summary": "Calm and talkative today."} | change
    r = as_user(worker).post(reverse("assessment_new", args=[case.pk]), data)
    assert r.status_code == 422
    text = r.content.decode()
    assert message in text.replace("&#x27;", "'")
    assert "Calm and talkative today." in text
    assert 'value="3" class="usa-radio__input"' in text.replace('id="id_score_worry_3" ', "")
    assert Assessment.objects.count() == 0


def test_c3_safety_form_asks_for_the_risk_level(as_user, worker, family, instruments):
    case = family["case"]
    safety = instruments["safety-risk"]
    client = as_user(worker)
    r = client.post(reverse("assessment_new", args=[case.pk]), form_data(safety))
    assert r.status_code == 422 and "risk_level" in r.content.decode()
    r = client.post(
        reverse("assessment_new", args=[case.pk]), form_data(safety) | {"risk_level": "high"}
    )
    assert r.status_code == 302
    assert Assessment.objects.get().risk_level == "high"


def test_c3_another_units_worker_gets_404(as_user, worker, family, instruments):
    case = family["case"]
    made = record(worker.user, case, instruments["safety-risk"])
    far = StaffFactory(unit=UnitFactory(agency=worker.agency), roles=[Role.CASE_MANAGER])
    client = as_user(far)
    assert client.get(reverse("case_assessments", args=[case.pk])).status_code == 404
    assert client.get(reverse("assessment_detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("assessment_new", args=[case.pk])).status_code == 404
    r = client.post(
        reverse("assessment_new", args=[case.pk]), form_data(instruments["safety-risk"])
    )
    assert r.status_code == 404
    assert Assessment.objects.count() == 1


def test_c3_instruments_pages_list_and_show_domains(as_user, worker, instruments):
    client = as_user(worker)
    r = client.get(reverse("instruments"))
    assert r.status_code == 200
    child = instruments["child-strengths-needs"]
    assert reverse("instrument_detail", args=[child.pk]) in r.content.decode()
    r = client.get(reverse("instrument_detail", args=[child.pk]))
    text = r.content.decode()
    assert r.status_code == 200
    assert "Independent-living skills" in text and "(from age 14)" in text
    assert client.get(reverse("instrument_detail", args=[987654])).status_code == 404
