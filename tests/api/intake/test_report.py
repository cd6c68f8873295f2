"""Intake captures the report (issue 15): the reporter (anonymous or not), the allegations
per child, the narrative, the response priority and the safety determination with its
threats, recorded with the referral, read back, validated (a 422 naming the field and
nothing recorded) and kept in history; the closure review shows the threats (O1)."""

from datetime import timedelta

import pytest

from hearth.intake.models import Allegation, Report
from tests.api.intake.helpers import API, _body, _counts

REPORT = {
    "reporter_role": "teacher",
    "reporter_name": "Pat Teacher",
    "reporter_phone": "555-0100",
    "reporter_email": "pat@school.example",
    "narrative": "The child came to school with bruises on both arms.",
    "response_priority": "urgent",
    "safety_determination": "unsafe",
    "safety_threats": ["violent_caregiver", "child_fearful"],
}
# members[0] is the child, members[1] Rosa Lopez, the parent (helpers._body).
ALLEGED = [{"child": 0, "maltreatment_type": "physical_abuse", "alleged_perpetrator": 1}]


def _post(api, report=None, allegations=ALLEGED, **fields):
    body = _body(report={**REPORT, **(report or {})}, allegations=allegations, **fields)
    return api.post(API + "/referrals", body)


def test_a_referral_records_its_report_and_reads_it_back(shop, api_as):
    api = api_as(shop["intake"].user)
    r = _post(api)
    assert r.status_code == 201, r.content
    report = r.json()["report"]
    assert report["reporter_name"] == "Pat Teacher" and report["response_priority"] == "urgent"
    assert [t["code"] for t in report["safety_threats"]] == ["violent_caregiver", "child_fearful"]
    [allegation] = report["allegations"]
    assert allegation["maltreatment_type"] == "physical_abuse"
    assert allegation["alleged_perpetrator"]["name"] == "Rosa Lopez"
    # Urgent: within the agency's response_urgent_hours (24 by default).
    saved = Report.objects.get(case_id=r.json()["id"])
    assert report["respond_by"].startswith(
        (saved.created_at + timedelta(hours=24)).date().isoformat()
    )
    again = api.get(f"{API}/cases/{r.json()['id']}/report")
    assert again.status_code == 200 and again.json() == {"report": report}
    # In history: the report and the allegation each have their creation recorded.
    assert saved.history.get().history_user == shop["intake"].user
    assert Allegation.history.filter(case_id=saved.case_id).count() == 1


def test_an_anonymous_reporter_keeps_no_name_or_contact(shop, api_as):
    api = api_as(shop["intake"].user)
    anonymous = {"reporter_anonymous": True, "reporter_role": "neighbour"}
    r = _post(api, report=anonymous)
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"reporter_name", "reporter_phone", "reporter_email"}
    empty = {"reporter_name": "", "reporter_phone": "", "reporter_email": ""}
    r = _post(api, report={**anonymous, **empty})
    assert r.status_code == 201, r.content
    out = r.json()["report"]
    assert out["reporter_anonymous"] and out["reporter_name"] == ""


@pytest.mark.parametrize(
    ("report", "allegations", "field"),
    [
        ({"reporter_name": ""}, ALLEGED, "reporter_name"),
        ({"narrative": ""}, ALLEGED, "report.narrative"),
        ({"response_priority": "someday"}, ALLEGED, "report.response_priority"),
        ({"safety_determination": "safe"}, ALLEGED, "safety_threats"),
        ({"safety_threats": []}, ALLEGED, "safety_threats"),
        ({"safety_threats": ["ghosts"]}, ALLEGED, "report.safety_threats.0"),
        ({}, [], "allegations"),
        ({}, [{"child": 1, "maltreatment_type": "neglect"}], "allegations[0].child"),
        (
            {},
            [{"child": 0, "maltreatment_type": "neglect", "alleged_perpetrator": 0}],
            "allegations[0].alleged_perpetrator",
        ),  # fmt: skip
        ({}, [{"child": 7, "maltreatment_type": "neglect"}], "allegations[0].child"),
        ({}, [{"child": 0, "maltreatment_type": "curses"}], "allegations.0.maltreatment_type"),
    ],
)
def test_bad_report_input_is_a_422_naming_the_field_and_records_nothing(
    shop, api_as, report, allegations, field
):
    api = api_as(shop["intake"].user)
    before = (*_counts(), Report.objects.count(), Allegation.objects.count())
    r = _post(api, report=report, allegations=allegations)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"], r.json()
    assert (*_counts(), Report.objects.count(), Allegation.objects.count()) == before


def test_allegations_need_a_report(shop, api_as):
    api = api_as(shop["intake"].user)
    r = api.post(API + "/referrals", _body(allegations=ALLEGED))
    assert r.status_code == 422 and set(r.json()["errors"]) == {"report"}


def test_a_referral_without_a_report_reads_none(shop, api_as):
    api = api_as(shop["intake"].user)
    r = api.post(API + "/referrals", _body())
    assert r.status_code == 201 and r.json()["report"] is None
    assert api.get(f"{API}/cases/{r.json()['id']}/report").json() == {"report": None}
