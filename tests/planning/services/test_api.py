"""The provider directory (P8) and service referrals (C9) through the API: a roundtrip,
refusals that name the field and store nothing, and access by role."""

import pytest

from hearth.core.models import AccessLog
from hearth.planning.models import ProgressReport, Provider, ServiceReferral
from hearth.planning.services import services
from tests.api.conftest import ApiClient
from tests.conftest import EXPECTED_READ, EXPECTED_WRITE
from tests.planning.services.conftest import actionable_need, days_ago, make_provider, service

API = "/api/v1"
SPECIFIC = "Weekly sessions on night-time fears so that Ava sleeps through four nights a week."


def body(family, to, chosen, **overrides):
    return {
        "person": family["child"].pk,
        "provider": to.pk,
        "service": "trauma-therapy",
        "needs": [n.pk for n in chosen],
        "specific_needs": SPECIFIC,
        "referred_on": days_ago(3).isoformat(),
    } | overrides


# --- P8: the directory ---------------------------------------------------------------------


def test_p8_provider_api_roundtrip(director, worker):
    api = ApiClient(director.user)
    r = api.post(
        f"{API}/providers",
        {"name": "Harbor Center", "services": ["housing", "child-care"], "phone": "555 010 4000"},
    )
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["services"] == ["child-care", "housing"] and made["active"] is True
    url = f"{API}/providers/{made['id']}"
    r = api.get(url)
    assert r.status_code == 200 and r["ETag"] == '"1"'
    r = api.patch(url, {"name": "Harbor Family Center", "active": False, "version": 1})
    assert r.status_code == 200 and r.json()["active"] is False and r["ETag"] == '"2"'
    reader = ApiClient(worker.user)
    assert reader.get(f"{API}/providers").json()["count"] == 0
    listed = reader.get(f"{API}/providers", include_inactive="true").json()
    assert [p["name"] for p in listed["items"]] == ["Harbor Family Center"]
    assert reader.get(url).status_code == 200
    assert reader.get(f"{API}/providers/987654").status_code == 404


def test_p8_provider_api_filters(worker):
    alder = make_provider("Alder Counselling", services=("trauma-therapy",))
    make_provider("Birch Housing", services=("housing",))
    api = ApiClient(worker.user)
    r = api.get(f"{API}/providers", service="trauma-therapy")
    assert [p["id"] for p in r.json()["items"]] == [alder.pk]
    r = api.get(f"{API}/providers", q="birch")
    assert [p["name"] for p in r.json()["items"]] == ["Birch Housing"]
    r = api.get(f"{API}/providers", service="no-such-service")
    assert r.status_code == 422 and "service" in r.json()["errors"]


@pytest.mark.parametrize(
    "field,payload",
    [
        ("name", {"name": " ", "services": ["housing"]}),
        ("services", {"name": "X"}),
        ("services", {"name": "X", "services": ["no-such"]}),
        ("email", {"name": "X", "services": ["housing"], "email": "nope"}),
        ("phone", {"name": "X", "services": ["housing"], "phone": "abc"}),
        ("county", {"name": "X", "services": ["housing"], "county": "nowhere"}),
    ],
)
def test_p8_provider_api_refusals_name_the_field(director, field, payload):
    r = ApiClient(director.user).post(f"{API}/providers", payload)
    assert r.status_code == 422 and field in r.json()["errors"], r.content
    assert not Provider.objects.exists()


def test_p8_only_those_who_keep_the_directory_write_it(worker, supervisor):
    provider = make_provider()
    for who in (worker, supervisor):
        api = ApiClient(who.user)
        r = api.post(f"{API}/providers", {"name": "X", "services": ["housing"]})
        assert r.status_code == 403
        r = api.patch(f"{API}/providers/{provider.pk}", {"name": "Y", "version": 1})
        assert r.status_code == 403
    provider.refresh_from_db()
    assert Provider.objects.count() == 1 and provider.name == "Bright Path Counselling"


# --- C9: referrals -------------------------------------------------------------------------


def test_c9_referral_api_roundtrip_with_status_and_reports(worker, family, needs, provider):
    api = ApiClient(worker.user)
    case_url = f"{API}/cases/{family['case'].pk}/service-referrals"
    r = api.post(case_url, body(family, provider, [needs["trauma"], needs["sleep"]]))
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["status"] == "sent" and made["service"] == "trauma-therapy"
    assert {n["id"] for n in made["needs"]} == {needs["trauma"].pk, needs["sleep"].pk}
    assert any(n["trauma"] for n in made["needs"]) and made["reports"] == []
    url = f"{API}/service-referrals/{made['id']}"
    r = api.get(url)
    assert r.status_code == 200 and r["ETag"] == '"1"'
    r = api.post(f"{url}/status", {"status": "accepted", "on": days_ago(2).isoformat()})
    assert r.status_code == 428  # the version read is needed
    r = api.post(
        f"{url}/status", {"status": "accepted", "on": days_ago(2).isoformat(), "version": 1}
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r["ETag"] == '"2"'
    report = {
        "reported_on": days_ago(1).isoformat(),
        "reporter": "Lee Counsellor",
        "progress": "improving",
        "narrative": "Ava attends and speaks of her fears.",
    }
    r = api.post(f"{url}/reports", report)
    assert r.status_code == 201 and r.json()["progress"] == "improving"
    detail = api.get(url).json()
    assert [p["reporter"] for p in detail["reports"]] == ["Lee Counsellor"]
    assert detail["latest_report"]["id"] == r.json()["id"]
    listed = api.get(case_url).json()
    assert [x["id"] for x in listed] == [made["id"]]
    assert listed[0]["latest_report"]["narrative"] == "Ava attends and speaks of her fears."
    assert AccessLog.objects.filter(
        path=case_url, kind="list", object_type="servicereferral", object_id=made["id"]
    ).exists()


@pytest.mark.parametrize(
    "field,overrides",
    [
        ("needs", lambda n: {"needs": []}),
        ("needs", lambda n: {"needs": [n["watch"].pk]}),
        ("needs", lambda n: {"needs": [n["trauma"].pk, n["trauma"].pk]}),
        ("specific_needs", lambda n: {"specific_needs": "Therapy"}),
        ("referred_on", lambda n: {"referred_on": days_ago(-1).isoformat()}),
        ("service", lambda n: {"service": "housing"}),
        ("service", lambda n: {"service": "no-such"}),
        ("provider", lambda n: {"provider": 987654}),
        ("person", lambda n: {"person": 987654}),
        ("plan", lambda n: {"plan": 987654}),
    ],
)
def test_c9_referral_api_refusals_name_the_field_and_store_nothing(
    worker, family, needs, provider, field, overrides
):
    r = ApiClient(worker.user).post(
        f"{API}/cases/{family['case'].pk}/service-referrals",
        body(family, provider, [needs["trauma"]], **overrides(needs)),
    )
    assert r.status_code == 422 and field in r.json()["errors"], r.content
    assert not ServiceReferral.objects.exists()


def test_p8_status_and_report_refusals_over_the_api(worker, family, needs, provider):
    referral = services.service_referral_create(
        actor=worker.user,
        case=family["case"],
        person=family["child"],
        provider=provider,
        service=service(),
        needs=[needs["trauma"].pk],
        specific_needs=SPECIFIC,
        referred_on=days_ago(5),
    )
    api = ApiClient(worker.user)
    url = f"{API}/service-referrals/{referral.pk}"
    on = days_ago(1).isoformat()
    for payload, field in [
        ({"status": "completed", "on": on}, "status"),
        ({"status": "ended_early", "on": on}, "reason"),
        ({"status": "accepted", "on": days_ago(6).isoformat()}, "on"),
        ({"status": "finished", "on": on}, "status"),
    ]:
        r = api.post(f"{url}/status", payload | {"version": 1})
        assert r.status_code == 422 and field in r.json()["errors"], (payload, r.content)
    r = api.post(f"{url}/status", {"status": "accepted", "on": on, "version": 7})
    assert r.status_code == 409
    r = api.post(
        f"{url}/reports",
        {"reported_on": on, "reporter": "Lee", "progress": "steady", "narrative": "Seen once."},
    )
    assert r.status_code == 422 and "referral" in r.json()["errors"]
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.version == 1
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_c9_referral_access_by_role(world, referrals, who):
    """A referral of an unseen case answers like a missing one (404); a read-only role is
    refused writes (403); nothing changes either way."""
    api = ApiClient(world["staff"][who].user)
    for name, referral in referrals.items():
        url = f"{API}/service-referrals/{referral.pk}"
        case_url = f"{API}/cases/{referral.case_id}/service-referrals"
        seen = name in EXPECTED_READ[who]
        editable = name in EXPECTED_WRITE[who]
        assert api.get(url).status_code == (200 if seen else 404), (who, name)
        assert api.get(case_url).status_code == (200 if seen else 404), (who, name)
        if editable:
            continue
        expected = 403 if seen else 404
        status = {"status": "accepted", "on": days_ago(0).isoformat(), "version": 1}
        assert api.post(f"{url}/status", status).status_code == expected, (who, name)
        report = {
            "reported_on": days_ago(0).isoformat(),
            "reporter": "Lee",
            "progress": "steady",
            "narrative": "Seen.",
        }
        assert api.post(f"{url}/reports", report).status_code == expected, (who, name)
        referral.refresh_from_db()
        assert referral.status == "sent" and not referral.reports.exists()


def test_c9_a_parents_need_is_referred_for_the_parent(worker, family, provider):
    need = actionable_need(family["case"], family["parent"], worker, item="trauma")
    api = ApiClient(worker.user)
    url = f"{API}/cases/{family['case'].pk}/service-referrals"
    r = api.post(url, body(family, provider, [need]))
    assert r.status_code == 422 and "another person" in r.json()["errors"]["needs"]
    r = api.post(url, body(family, provider, [need], person=family["parent"].pk))
    assert r.status_code == 201
