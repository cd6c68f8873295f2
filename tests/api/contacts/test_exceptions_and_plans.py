"""Supervisor exceptions and parent contact plans (V6, V7, V8)."""

from datetime import timedelta

import pytest

from hearth.contacts.models import ParentContactPlan
from hearth.core.services import today
from hearth.placements.services import permanency_goal_change
from tests.api.contacts.helpers import API, one, requirements, written


def test_v7_a_supervisor_approves_an_exception_a_case_manager_cannot(
    removed, family, supervisor, api, api_as
):
    case, parent = family["case"], family["parent"]
    body = {
        "person": parent.pk,
        "kind": "exception",
        "reason": "Parent in residential treatment out of state.",
        "starts_on": (today() - timedelta(days=40)).isoformat(),
    }
    url = f"{API}/cases/{case.pk}/contact-exceptions"
    before = written()
    r = api.post(url, body)  # the case manager may change the case, but is no supervisor
    assert r.status_code == 422 and "approved_by" in r.json()["errors"]
    assert written() == before
    r = api_as(supervisor.user).post(url, body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["approved_by"] == {"id": supervisor.pk, "name": supervisor.full_name}
    assert out["person"] == {"id": parent.pk, "name": "Dana Brook"} and out["kind"] == "exception"
    reqs = requirements(api, case, f"{today():%Y-%m}")
    rules = {r["rule"] for r in reqs if (r["person"] or {}).get("id") == parent.pk}
    assert rules == {"V7"}
    v7 = one(reqs, "V7", parent)
    assert v7["need"] == "call_or_letter"
    assert v7["state"] == "open" and v7["reason"] == "approved exception"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person": "child"}, "person"),
        ({"person": "hidden"}, "person"),
        ({"reason": "  "}, "reason"),
        ({"ends_on": "before"}, "ends_on"),
        ({"kind": "forever"}, "kind"),
        ({"starts_on": None}, "starts_on"),
    ],
)
def test_bad_exceptions_name_the_field_and_store_nothing(
    removed, family, hidden, supervisor, api_as, change, field
):
    start = today() - timedelta(days=10)
    body = {
        "person": family["parent"].pk,
        "kind": "far_away",
        "reason": "Lives in another state.",
        "starts_on": start.isoformat(),
    }
    for key, value in change.items():
        body[key] = {
            "child": family["child"].pk,
            "hidden": hidden.pk,
            "before": (start - timedelta(days=1)).isoformat(),
        }.get(value, value)
    before = written()
    r = api_as(supervisor.user).post(f"{API}/cases/{family['case'].pk}/contact-exceptions", body)
    assert r.status_code == 422 and field in r.json()["errors"], r.content
    assert "Hidden" not in r.content.decode()
    assert written() == before


def test_v6_contact_plan_when_the_goal_is_not_reunification(
    removed, family, worker, supervisor, api, api_as
):
    case, parent = family["case"], family["parent"]
    permanency_goal_change(
        actor=worker.user,
        case=case,
        child=family["child"],
        goal="adoption",
        starts_on=today() - timedelta(days=40),
        reason="Court changed the goal.",
    )
    month = f"{today():%Y-%m}"
    assert one(requirements(api, case, month), "V6", parent)["need"] == "contact_plan"
    body = {
        "person": parent.pk,
        "need": "call_or_letter",
        "every_months": 1,
        "starts_on": (today() - timedelta(days=40)).isoformat(),
        "notes": "Monthly call.",
    }
    url = f"{API}/cases/{case.pk}/parent-contact-plans"
    r = api.post(url, body)
    assert r.status_code == 422 and "agreed_by" in r.json()["errors"]
    sup = api_as(supervisor.user)
    for bad, field in (({"every_months": 13}, "every_months"), ({"need": "smoke"}, "need")):
        r = sup.post(url, {**body, **bad})
        assert r.status_code == 422 and field in r.json()["errors"], r.content
    assert not ParentContactPlan.objects.exists()
    r = sup.post(url, body)
    assert r.status_code == 201, r.content
    assert r.json()["need"] == "call_or_letter" and r.json()["agreed_by"]["id"] == supervisor.pk
    assert one(requirements(api, case, month), "V6", parent)["need"] == "call_or_letter"
