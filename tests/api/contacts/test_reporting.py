"""Month parameters, the dashboard figures and my obligations (V13)."""

from datetime import timedelta

import pytest

from hearth.core.services import today
from hearth.staff.models import Agency, Role
from tests.api.contacts.helpers import API, month_of, note, one, recently, requirements
from tests.factories import AgencyFactory, StaffFactory, UnitFactory, UserFactory

# --- Month parameters -------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2024-13", "May 2024", "2024-1", "24-05", "2024-00", ""])
def test_bad_months_name_the_month(removed, family, supervisor, api_as, month):
    api = api_as(supervisor.user)
    for url in (
        f"/cases/{family['case'].pk}/contact-requirements",
        "/contacts/dashboard",
        "/contacts/unmet",
        "/obligations/mine",
    ):
        r = api.get(API + url, month=month)
        assert r.status_code == 422 and "month" in r.json()["errors"], (url, r.content)


def test_requirements_of_another_month_and_of_a_month_before_the_case(removed, family, api):
    case = family["case"]
    earlier = requirements(api, case, "2001-01")
    assert earlier == []  # the case was not open
    last = (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    v2 = one(requirements(api, case, last), "V2", family["child"])
    assert v2["state"] == "missed" and v2["days_left"] == 0
    this = one(requirements(api, case, None), "V2", family["child"])  # default: this month
    assert this["state"] == "open" and this["days_left"] >= 1


# --- Dashboard figures and my obligations (V13) -----------------------------------------


def test_v13_dashboard_counts_by_worker_and_unmet_names_who_and_why(
    removed, family, worker, supervisor, api_as
):
    moment = recently()
    month = month_of(moment)
    sup = api_as(supervisor.user)
    r = sup.get(f"{API}/contacts/dashboard", month=month)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["group"] == "worker" and body["month"] == month
    [row] = body["rows"]
    assert row["key"] == worker.pk and row["label"] == worker.full_name
    assert row["total"] >= 2 and row["met"] == 0 and row["percent"] == 0
    assert body["totals"]["total"] == row["total"]
    unmet = sup.get(f"{API}/contacts/unmet", month=month, worker=worker.pk).json()
    named = {(o["rule"], o["person"]["name"]) for o in unmet["items"]}
    assert {("V2", "Noah Brook"), ("V5", "Dana Brook")} <= named
    assert unmet["items"][0]["case"] == {
        "id": family["case"].pk,
        "case_number": family["case"].case_number,
    }
    note(
        worker,
        family["case"],
        occurred_at=moment,
        method="in_person",
        location="placement",
        contact_with=[family["child"], family["parent"]],
        finalize=True,
    )
    after = sup.get(f"{API}/contacts/dashboard", month=month).json()["rows"][0]
    assert after["met"] == 2 and after["total"] == row["total"]
    unmet = sup.get(f"{API}/contacts/unmet", month=month, worker=worker.pk).json()
    assert not {o["rule"] for o in unmet["items"]} & {"V2", "V5"}
    by_agency = sup.get(f"{API}/contacts/dashboard", month=month, group="agency").json()
    assert [r["label"] for r in by_agency["rows"]] == [supervisor.agency.name]
    r = sup.get(f"{API}/contacts/dashboard", month=month, group="county")
    assert r.status_code == 422 and "group" in r.json()["errors"]
    other = sup.get(f"{API}/contacts/dashboard", month=month, worker=supervisor.pk).json()
    assert other["rows"] == [] and other["totals"]["percent"] is None


def test_v13_my_obligations_most_urgent_first(removed, family, worker, api, api_as):
    month = f"{today():%Y-%m}"
    r = api.get(f"{API}/obligations/mine", month=month)
    assert r.status_code == 200, r.content
    rows = r.json()
    assert {(o["rule"], o["person"]["id"]) for o in rows} >= {
        ("V2", family["child"].pk),
        ("V5", family["parent"].pk),
    }
    assert all(o["responsible"] == worker.pk and o["state"] in ("due", "met") for o in rows)
    assert api.get(f"{API}/obligations/mine").json() == rows  # default: this month
    colleague = api_as(StaffFactory(unit=worker.unit).user)
    assert colleague.get(f"{API}/obligations/mine", month=month).json() == []


def test_the_state_sees_counts_without_names(removed, family, api_as):
    state = AgencyFactory(kind=Agency.Kind.STATE_OVERSIGHT)
    oversight = StaffFactory(unit=UnitFactory(agency=state), roles=[Role.STATE_OVERSIGHT])
    api = api_as(oversight.user)
    month = f"{today():%Y-%m}"
    body = api.get(f"{API}/contacts/dashboard", month=month).json()
    assert body["group"] == "agency" and body["totals"]["total"] >= 2
    unmet = api.get(f"{API}/contacts/unmet", month=month)
    assert unmet.status_code == 200 and unmet.json()["count"] == 0
    assert "Brook" not in unmet.content.decode()
    rival = api_as(StaffFactory(unit=UnitFactory(), roles=[Role.SUPERVISOR]).user)
    assert rival.get(f"{API}/contacts/dashboard", month=month).json()["rows"] == []
    assert rival.get(f"{API}/contacts/unmet", month=month).json()["count"] == 0


def test_reporting_needs_a_staff_record(db, api_as):
    api = api_as(UserFactory())
    for url in ("/contacts/dashboard", "/contacts/unmet", "/obligations/mine"):
        assert api.get(API + url).status_code == 403, url
