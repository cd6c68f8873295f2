"""C3, C9 through the API: instruments configured, not coded (list, detail, create by
instrument.manage); an assessment recorded, read with what changed since the previous
one; the case's actionable needs. Bad input answers 4xx naming the field and stores
nothing; a case the caller cannot see answers 404."""

from datetime import timedelta

import pytest

from hearth.core.services import today
from hearth.planning.models import Assessment, Instrument, Rating
from hearth.staff.models import Role
from tests.api.conftest import ApiClient
from tests.factories import StaffFactory, UnitFactory
from tests.planning.assessments.conftest import ratings_for


@pytest.fixture
def api(worker):
    return ApiClient(worker.user)


def body(instrument, subject=None, on=None, **scores):
    on = on or today()
    b = {
        "instrument": instrument.pk,
        "subject": subject.pk if subject else None,
        "assessed_on": on.isoformat(),
        "reason": "initial",
        "ratings": ratings_for(instrument, subject, on, **scores),
    }
    if instrument.kind == "safety":
        b["risk_level"] = "moderate"
    return b


def test_c3_instruments_are_listed_and_read_with_domains_and_items(api, instruments):
    r = api.get("/api/v1/instruments")
    assert r.status_code == 200
    codes = {i["code"] for i in r.json()}
    assert {"family-strengths-needs", "child-strengths-needs", "safety-risk"} <= codes
    child = instruments["child-strengths-needs"]
    r = api.get(f"/api/v1/instruments/{child.pk}")
    assert r.status_code == 200
    domains = {d["code"]: d for d in r.json()["domains"]}
    assert domains["independent-living"]["min_age"] == 14
    assert all(i["trauma"] for i in domains["trauma"]["items"])
    assert api.get("/api/v1/instruments/987654").status_code == 404


INSTRUMENT = {
    "code": "school-readiness",
    "name": "School readiness",
    "subject": "child",
    "kind": "needs",
    "domains": [
        {
            "code": "routines",
            "name": "Routines",
            "items": [{"code": "bedtime", "text": "Keeps a bedtime", "kind": "need"}],
        }
    ],
}


def test_c3_instruments_are_configured_by_instrument_manage(world, instruments):
    director, admin, worker = (world["staff"][k] for k in ("director", "admin", "worker"))
    assert ApiClient(worker.user).post("/api/v1/instruments", INSTRUMENT).status_code == 403
    r = ApiClient(director.user).post("/api/v1/instruments", INSTRUMENT)
    assert r.status_code == 201, r.content
    assert r.json()["agency"] == director.agency_id
    assert r.json()["domains"][0]["items"][0]["code"] == "bedtime"
    # The agency's staff see it; another agency's do not.
    made = r.json()["id"]
    assert ApiClient(worker.user).get(f"/api/v1/instruments/{made}").status_code == 200
    rival = world["staff"]["rival_sup"]
    assert ApiClient(rival.user).get(f"/api/v1/instruments/{made}").status_code == 404
    # The administrator makes shared ones.
    shared = dict(INSTRUMENT, code="shared-one")
    r = ApiClient(admin.user).post("/api/v1/instruments", shared)
    assert r.status_code == 201 and r.json()["agency"] is None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"code": "safety-risk"}, "code"),
        ({"domains": []}, "domains"),
        ({"domains": [dict(INSTRUMENT["domains"][0], items=[])]}, "domains.0.items"),
        (
            {"domains": [INSTRUMENT["domains"][0], dict(INSTRUMENT["domains"][0], code="b")]},
            "domains.1.items.0.code",
        ),
        ({"domains": [INSTRUMENT["domains"][0]] * 2}, "domains.1.code"),
        ({"code": "not a slug"}, "code"),
        ({"subject": "neighbour"}, "subject"),
    ],
)
def test_c3_a_bad_instrument_is_refused_naming_the_field(world, instruments, change, field):
    before = Instrument.objects.count()
    r = ApiClient(world["staff"]["director"].user).post("/api/v1/instruments", INSTRUMENT | change)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"], r.json()
    assert Instrument.objects.count() == before


def test_c3_assessment_roundtrip_with_changes_and_needs(api, family, instruments):
    case, child = family["case"], family["child"]
    inst = instruments["child-strengths-needs"]
    url = f"/api/v1/cases/{case.pk}/assessments"
    r = api.post(url, body(inst, child, today() - timedelta(days=5), sleep=2))
    assert r.status_code == 201, r.content
    first = r.json()
    assert first["previous"] is None and first["changes"] == []
    assert [n["item"] for n in first["actionable_needs"]] == ["sleep"]
    second = body(inst, child, grief=3, sleep=0)
    second |= {"reason": "move", "situation": "Moved to a relative's home."}
    r = api.post(url, second)
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["previous"]["id"] == first["id"]
    assert {(c["item"], c["before"], c["after"]) for c in made["changes"]} == {
        ("sleep", 2, 0),
        ("grief", 0, 3),
    }
    r = api.get(f"/api/v1/assessments/{made['id']}")
    assert r.status_code == 200 and r.json()["changes"] == made["changes"]
    grief = next(x for x in r.json()["ratings"] if x["item"] == "grief")
    assert grief == grief | {"score": 3, "label": "Act now", "actionable": True, "trauma": True}
    listed = api.get(url).json()
    assert [a["id"] for a in listed] == [made["id"], first["id"]]
    assert listed[0]["actionable_needs"] == 1
    needs = api.get(f"/api/v1/cases/{case.pk}/needs").json()
    assert needs == [
        {
            "rating": needs[0]["rating"],
            "assessment": made["id"],
            "instrument": "child-strengths-needs",
            "item": "grief",
            "text": needs[0]["text"],
            "domain": "trauma",
            "domain_name": "Trauma and its effects",
            "score": 3,
            "label": "Act now",
            "trauma": True,
            "subject": {"id": child.pk, "name": child.full_name},
            "service_linked": False,
        }
    ]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"reason": "move"}, "situation"),
        ({"risk_level": "low"}, "risk_level"),
        ({"subject": None}, "subject"),
        ({"instrument": 987654}, "instrument"),
        ({"subject": 987654}, "subject"),
        ({"ratings": []}, "ratings.mood"),
        ({"ratings": "drop-sleep"}, "ratings.sleep"),
        ({"ratings": "anger-9"}, "ratings.anger"),
        ({"reason": "whim"}, "reason"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_c3_bad_assessments_answer_422_naming_the_field_and_store_nothing(
    api, family, instruments, change, field
):
    inst = instruments["child-strengths-needs"]
    b = body(inst, family["child"])
    if change.get("ratings") == "drop-sleep":
        change = {"ratings": [r for r in b["ratings"] if r["item"] != "sleep"]}
    elif change.get("ratings") == "anger-9":
        ratings = [r | {"score": 9} if r["item"] == "anger" else r for r in b["ratings"]]
        change = {"ratings": ratings}
    before = (Assessment.objects.count(), Rating.objects.count())
    r = api.post(f"/api/v1/cases/{family['case'].pk}/assessments", b | change)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"], r.json()
    assert r.json()["detail"]
    assert (Assessment.objects.count(), Rating.objects.count()) == before


def test_c3_another_units_worker_gets_404(family, instruments, worker):
    case, child = family["case"], family["child"]
    inst = instruments["child-strengths-needs"]
    r = ApiClient(worker.user).post(f"/api/v1/cases/{case.pk}/assessments", body(inst, child))
    assert r.status_code == 201
    made = r.json()["id"]
    far = StaffFactory(unit=UnitFactory(agency=worker.agency), roles=[Role.CASE_MANAGER])
    api = ApiClient(far.user)
    for path in (
        f"/api/v1/assessments/{made}",
        f"/api/v1/cases/{case.pk}/assessments",
        f"/api/v1/cases/{case.pk}/needs",
    ):
        assert api.get(path).status_code == 404, path
    r = api.post(f"/api/v1/cases/{case.pk}/assessments", body(inst, child))
    assert r.status_code == 404
    assert Assessment.objects.count() == 1


def test_c9_needs_and_detail_read_in_fixed_query_counts(
    api, family, instruments, django_assert_max_num_queries
):
    case = family["case"]
    inst = instruments["child-strengths-needs"]
    for subject in (family["child"], family["youth"]):
        api.post(f"/api/v1/cases/{case.pk}/assessments", body(inst, subject, mood=2, worry=3))
    made = Assessment.objects.filter(case=case).first()
    with django_assert_max_num_queries(12) as ctx:
        assert len(api.get(f"/api/v1/cases/{case.pk}/needs").json()) == 4
    needs_queries = len(ctx.captured_queries)
    with django_assert_max_num_queries(needs_queries):
        api.get(f"/api/v1/cases/{case.pk}/needs")
    with django_assert_max_num_queries(14):
        assert api.get(f"/api/v1/assessments/{made.pk}").status_code == 200
