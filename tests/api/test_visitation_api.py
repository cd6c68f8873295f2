"""The visitation API against a real database: visitation plans and their signatures,
family visits and placement conferences (P5 to P7), with access scoping, the access log
and clear 4xx errors that name the field and leave nothing written."""

from hearth.cases.models import CaseMeeting
from hearth.visitation.models import FamilyVisit, VisitationPlan
from tests.api.test_placements_api import API, api_logs, iso


def plan_body(family, **kw):
    body = {
        "child": family["child"].pk,
        "made_at": "family_team_meeting",
        "made_on": iso(5),
        "arrangements": [
            {
                "visitor": family["parent"].pk,
                "visitor_role": "parent",
                "frequency": "weekly",
                "location": "Family visit center",
                "transport": "arranged",
                "evenings_weekends": True,
                "times": "Saturdays 10-12",
            },
            {
                "visitor": family["sibling"].pk,
                "visitor_role": "sibling",
                "frequency": "weekly",
                "location": "Resource home",
                "supervised": False,
            },
        ],
        "participants": [
            {"role": "parent", "person": family["parent"].pk},
            {"name": "Sam Foster", "role": "resource_parent"},
        ],
    }
    body.update(kw)
    return body


# --- Visitation plans -------------------------------------------------------------------


def test_p5_plan_for_reunification_sets_weekly_visits_with_parents(removed, family, api):
    url = f"{API}/cases/{family['case'].pk}/visitation-plans"
    body = plan_body(family)
    r = api.post(url, {**body, "arrangements": body["arrangements"][1:]})
    assert r.status_code == 422 and "P5" in r.json()["errors"]["arrangements"]
    body["arrangements"][0]["frequency"] = "monthly"
    r = api.post(url, body)
    assert r.status_code == 422 and "P5" in r.json()["errors"]["less_than_weekly_reason"]
    r = api.post(url, plan_body(family, child=family["sibling"].pk))
    assert r.status_code == 422 and "child" in r.json()["errors"]  # not in care
    assert not VisitationPlan.objects.exists()


def test_arrangement_place_supervisor_day_and_hours(removed, family, api):
    """Where, who supervises and when are choices a family's copy translates (issue 15);
    a place or an address is needed, and a visit ends after it starts."""
    url = f"{API}/cases/{family['case'].pk}/visitation-plans"
    body = plan_body(family)
    first = body["arrangements"][0]
    first.update(location="", supervised_by="case_manager", day="saturday")
    first.update(starts_at="10:00", ends_at="09:00")
    r = api.post(url, body)
    assert r.status_code == 422 and set(r.json()["errors"]) == {
        "arrangements.0.place",
        "arrangements.0.ends_at",
    }
    first.update(day="someday")
    assert "arrangements.0.day" in str(api.post(url, body).json())
    assert not VisitationPlan.objects.exists()
    first.update(place="visit_center", day="saturday", ends_at="12:00")
    r = api.post(url, body)
    assert r.status_code == 201, r.content
    out = r.json()["arrangements"]
    assert out[0]["place"] == "visit_center" and out[0]["supervised_by"] == "case_manager"
    assert (out[0]["day"], out[0]["starts_at"], out[0]["ends_at"]) == (
        "saturday",
        "10:00:00",
        "12:00:00",
    )
    assert out[1]["place"] == "" and out[1]["location"] == "Resource home"


def test_p6_plan_made_with_resource_parents_in_effect_once_all_sign(removed, family, worker, api):
    url = f"{API}/cases/{family['case'].pk}/visitation-plans"
    body = plan_body(family)
    r = api.post(url, {**body, "participants": body["participants"][:1]})
    assert r.status_code == 422 and "P6" in r.json()["errors"]["participants"]
    assert not VisitationPlan.objects.exists()
    r = api.post(url, body)
    assert r.status_code == 201, r.content
    plan = r.json()
    assert plan["status"] == "draft" and plan["removal"] == removed.pk
    assert plan["arrangements"][0]["visitor_name"] == "Dana Brook"
    parent, foster = plan["participants"]
    assert parent["name"] == "Dana Brook" and parent["person"] == family["parent"].pk
    assert api.get(url).json()[0]["id"] == plan["id"]
    got = api.get(f"{API}/visitation-plans/{plan['id']}")
    assert got.status_code == 200 and got.json()["participants"][1]["name"] == "Sam Foster"
    assert api_logs(worker.user, object_type="visitationplan", object_id=plan["id"]).exists()

    sign = f"{API}/visitation-plans/{plan['id']}/participants"
    version = plan["version"]
    r = api.post(
        f"{sign}/{parent['id']}/sign",
        {
            "method": "electronic",
            "signed_on": iso(4),
            "signed_as": "Someone Else",
            "version": version,
        },
    )
    assert r.status_code == 422 and "signed_as" in r.json()["errors"]
    r = api.post(
        f"{sign}/{parent['id']}/sign", {"method": "stamp", "signed_on": iso(4), "version": version}
    )
    assert r.status_code == 422 and "method" in r.json()["errors"]
    r = api.post(
        f"{sign}/{parent['id']}/sign",
        {
            "method": "electronic",
            "signed_on": iso(4),
            "signed_as": "dana brook",
            "version": version,
        },
    )
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert r.json()["version"] == version + 1  # every signature is a new version of the plan
    r = api.post(
        f"{sign}/{foster['id']}/sign",
        {
            "method": "paper",
            "signed_on": iso(3),
            "copy_given_on": iso(3),
            "version": r.json()["version"],
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_effect" and r.json()["in_effect_on"] == iso(3)
    assert all(p["signed"] for p in r.json()["participants"])
    r = api.post(
        f"{sign}/{foster['id']}/sign",
        {"method": "paper", "signed_on": iso(3), "version": r.json()["version"]},
    )
    assert r.status_code == 422 and "participant" in r.json()["errors"]
    # A participant of another plan is not found through this one.
    other = api.post(url, plan_body(family)).json()
    r = api.post(
        f"{sign}/{other['participants'][0]['id']}/sign", {"method": "paper", "signed_on": iso(1)}
    )
    assert r.status_code == 404


def test_plan_people_are_resolved_through_access(removed, family, hidden, api):
    url = f"{API}/cases/{family['case'].pk}/visitation-plans"
    body = plan_body(family)
    body["arrangements"][0]["visitor"] = hidden.pk
    r = api.post(url, body)
    assert r.status_code == 422 and "arrangements.0.visitor" in r.json()["errors"]
    body = plan_body(family)
    body["participants"][1]["person"] = hidden.pk
    r = api.post(url, body)
    assert r.status_code == 422 and "participants.1.person" in r.json()["errors"]
    body = plan_body(family)
    del body["arrangements"][1]["visitor"]
    r = api.post(url, body)
    assert r.status_code == 422 and "arrangements.1.visitor_name" in r.json()["errors"]
    body["arrangements"][1]["frequency"] = "hourly"
    r = api.post(url, body)
    assert r.status_code == 422 and "arrangements.1.frequency" in r.json()["errors"]
    assert "Hidden" not in r.content.decode()
    assert not VisitationPlan.objects.exists()


# --- Family visits ----------------------------------------------------------------------


def test_p5_family_visits_through_the_api(removed, family, hidden, worker, api):
    url = f"{API}/cases/{family['case'].pk}/family-visits"
    base = {"child": family["child"].pk, "visit_on": iso(2)}
    r = api.post(url, {**base, "status": "missed"})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = api.post(url, {**base, "status": "held"})
    assert r.status_code == 422 and "visitors" in r.json()["errors"]
    # The aunt may be seen but is not a member of the case; the hidden person may not.
    r = api.post(url, {**base, "status": "held", "visitors": [family["aunt"].pk]})
    assert r.status_code == 422
    assert r.json()["errors"] == {"visitors": "Visitors are other members of this case."}
    r = api.post(url, {**base, "status": "held", "visitors": [hidden.pk]})
    assert r.status_code == 422 and r.json()["errors"] == {"visitors": "Unknown person."}
    r = api.post(url, {**base, "status": "held", "visitors": [family["child"].pk]})
    assert r.status_code == 422 and "visitors" in r.json()["errors"]
    assert not FamilyVisit.objects.exists()
    r = api.post(url, {**base, "status": "missed", "reason": "Parent was ill."})
    assert r.status_code == 201, r.content
    r = api.post(url, {**base, "status": "held", "visitors": [family["parent"].pk]})
    assert r.status_code == 201, r.content
    assert r.json()["visitors"] == [{"id": family["parent"].pk, "name": "Dana Brook"}]
    listed = api.get(url, child=family["child"].pk).json()
    assert sorted(v["status"] for v in listed) == ["held", "missed"]
    assert api_logs(worker.user, object_type="case", case_id=family["case"].pk).exists()


# --- Placement conferences --------------------------------------------------------------


def test_p7_conference_reviews_every_child_in_care(removed, family, hidden, api):
    url = f"{API}/cases/{family['case'].pk}/placement-conferences"
    base = {"held_on": iso(1), "participants": "Worker\nParent", "decisions": "Continues."}
    r = api.post(url, {**base, "reviews": []})
    assert r.status_code == 422 and "P7" in r.json()["errors"]["reviews"]
    r = api.post(
        url, {**base, "reviews": [{"child": family["sibling"].pk, "decision": "continue"}]}
    )
    assert r.status_code == 422 and "reviews" in r.json()["errors"]
    r = api.post(url, {**base, "reviews": [{"child": hidden.pk, "decision": "continue"}]})
    assert r.status_code == 422 and "reviews.0.child" in r.json()["errors"]
    r = api.post(url, {**base, "reviews": [{"child": family["child"].pk, "decision": "maybe"}]})
    assert r.status_code == 422 and "reviews.0.decision" in r.json()["errors"]
    r = api.post(
        url,
        {**base, "participants": "", "reviews": [{"child": family["child"].pk, "decision": "x"}]},
    )
    assert r.status_code == 422
    assert not CaseMeeting.objects.exists()
    r = api.post(
        url,
        {
            **base,
            "reviews": [
                {
                    "child": family["child"].pk,
                    "decision": "continue",
                    "obstacles": "Bus fare",
                    "plan_to_overcome": "Bus passes",
                }
            ],
        },
    )
    assert r.status_code == 201, r.content
    meeting = r.json()
    assert meeting["kind"] == "placement_conference"
    assert [(v["child"]["id"], v["decision"]) for v in meeting["reviews"]] == [
        (family["child"].pk, "continue")
    ]
