"""The placements API against a real database: the resource directory, ranked options,
removals, placements, goals and schools (P2 to P4, V11, V12), with access scoping, the
access log and clear 4xx errors that name the field and leave nothing written.
(Visitation: test_visitation_api.py; 404 and 403 on every endpoint: test_care_access.py.)"""

import pytest

from hearth.cases.models import CaseEvent, CaseMeeting
from hearth.core.models import AccessLog
from hearth.people.models import Relationship
from hearth.placements import services
from hearth.placements.models import (
    PermanencyGoal,
    Placement,
    RemovalEpisode,
    SchoolEnrollment,
)
from hearth.visitation import services as visitation_services
from hearth.visitation.models import FamilyVisit, PlanParticipant, VisitationPlan
from tests.factories import (
    CountyFactory,
    LanguageFactory,
    UserFactory,
)
from tests.placements.conftest import days_ago, make_home

API = "/api/v1"


def iso(n: int) -> str:
    return days_ago(n).isoformat()


def place(worker, episode, **kw):
    kw.setdefault("starts_on", days_ago(60))
    kw.setdefault("departure_reason", "The relatives cannot take the child yet.")
    return services.child_place(actor=worker.user, episode=episode, **kw)


def written() -> dict[str, int]:
    """Row counts of everything these endpoints write."""
    return {
        m.__name__: m.objects.count()
        for m in (
            RemovalEpisode,
            Placement,
            PermanencyGoal,
            SchoolEnrollment,
            VisitationPlan,
            FamilyVisit,
            CaseMeeting,
            CaseEvent,
        )
    } | {"signed": PlanParticipant.objects.filter(signed_on__isnull=False).count()}


def api_logs(user, **filters):
    return AccessLog.objects.filter(user=user, channel="api", **filters)


# --- Sign-in and the OpenAPI document ---------------------------------------------------


def test_anonymous_requests_are_refused(removed, family, api_as):
    anon = api_as()
    case, child = family["case"].pk, family["child"].pk
    before = written()
    for url in (
        "/resource-homes",
        f"/cases/{case}/children/{child}/placement-options",
        f"/cases/{case}/removals",
        f"/removals/{removed.pk}/placements",
        f"/cases/{case}/goals",
        f"/cases/{case}/visitation-plans",
        f"/cases/{case}/family-visits",
    ):
        assert anon.get(API + url).status_code == 401, url
    for url in (
        f"/cases/{case}/removals",
        f"/removals/{removed.pk}/exit",
        f"/removals/{removed.pk}/placements",
        f"/cases/{case}/goals",
        f"/cases/{case}/schools",
        f"/cases/{case}/visitation-plans",
        f"/cases/{case}/family-visits",
        f"/cases/{case}/placement-conferences",
    ):
        assert anon.post(API + url, {}).status_code == 401, url
    assert written() == before


def test_openapi_lists_the_placement_endpoints(worker, api_as):
    paths = api_as(worker.user).get(API + "/openapi.json").json()["paths"]
    for path in (
        "/api/v1/resource-homes",
        "/api/v1/cases/{case_id}/children/{child_id}/placement-options",
        "/api/v1/cases/{case_id}/removals",
        "/api/v1/removals/{removal_id}/exit",
        "/api/v1/removals/{removal_id}/placements",
        "/api/v1/cases/{case_id}/goals",
        "/api/v1/cases/{case_id}/schools",
        "/api/v1/cases/{case_id}/visitation-plans",
        "/api/v1/visitation-plans/{plan_id}",
        "/api/v1/visitation-plans/{plan_id}/participants/{participant_id}/sign",
        "/api/v1/visitation-plans/{plan_id}/pdf",
        "/api/v1/cases/{case_id}/family-visits",
        "/api/v1/cases/{case_id}/placement-conferences",
    ):
        assert path in paths, path


# --- The resource directory -------------------------------------------------------------


def test_resource_directory_filters_and_occupancy(removed, worker, api):
    alder, birch = CountyFactory(code="alder"), CountyFactory(code="birch")
    small = make_home("Small home", capacity=1, county=alder)
    make_home("Big group", setting="group_home", capacity=8, county=birch)
    make_home("Closed home", active=False)
    place(worker, removed, choice=f"home:{small.pk}")

    def names(**params):
        r = api.get(API + "/resource-homes", **params)
        assert r.status_code == 200, r.content
        return [h["name"] for h in r.json()["items"]]

    body = api.get(API + "/resource-homes").json()
    assert body["count"] == 2
    by_name = {h["name"]: h for h in body["items"]}
    assert by_name["Small home"]["occupancy"] == 1 and not by_name["Small home"]["has_room"]
    assert by_name["Big group"]["capacity"] == 8 and by_name["Big group"]["occupancy"] == 0
    assert by_name["Big group"]["level"] == 3 and by_name["Small home"]["county"] == "alder"
    assert names(setting="group_home") == ["Big group"]
    assert names(county="alder") == ["Small home"]
    assert names(has_room="true") == ["Big group"]
    assert names(has_room="false") == ["Small home"]
    assert names(include_inactive="true") == ["Big group", "Closed home", "Small home"]


@pytest.mark.parametrize(
    ("params", "field"), [({"county": "atlantis"}, "county"), ({"setting": "castle"}, "setting")]
)
def test_resource_directory_bad_filters_name_the_field(worker, api, params, field):
    r = api.get(API + "/resource-homes", **params)
    assert r.status_code == 422 and field in r.json()["errors"], r.content


def test_resource_directory_is_for_staff_members_only(db, api_as):
    r = api_as(UserFactory()).get(API + "/resource-homes")
    assert r.status_code == 403


@pytest.mark.parametrize("n", [3, 15])
def test_directory_and_case_lists_do_not_grow_in_queries(
    removed, family, worker, api, django_assert_max_num_queries, n
):
    spanish = LanguageFactory(code="es")
    for i in range(n):
        make_home(f"Home {i}", county=CountyFactory()).languages.add(spanish)
        visitation_services.family_visit_record(
            actor=worker.user,
            case=family["case"],
            child=family["child"],
            visit_on=days_ago(i + 1),
            status="held",
            visitors=[family["parent"]],
        )
    case = family["case"].pk
    for url in ("/resource-homes", f"/cases/{case}/family-visits", f"/cases/{case}/removals"):
        with django_assert_max_num_queries(12):
            assert api.get(API + url).status_code == 200, url


# --- Placement options ------------------------------------------------------------------


def test_p2_placement_options_ranked_with_their_explanation_and_logged(
    removed, family, worker, api
):
    make_home("Far family home", km_north=50)
    make_home("Near family home", km_north=5)
    make_home("Group home", setting="group_home", km_north=1, capacity=8)
    make_home("Teen home", min_age=13)  # the child is 9: not offered
    url = f"{API}/cases/{family['case'].pk}/children/{family['child'].pk}/placement-options"
    r = api.get(url)
    assert r.status_code == 200, r.content
    options = r.json()
    assert [o["name"] for o in options] == [
        "Rosa Brook",
        "Near family home",
        "Far family home",
        "Group home",
    ]
    aunt, near = options[0], options[1]
    assert aunt["key"] == f"relative:{family['aunt'].pk}" and aunt["level"] == 1
    assert aunt["available"] and "relative of the child" in aunt["notes"]
    assert aunt["km_parents"] == pytest.approx(30, abs=0.5) and aunt["icwa_category"] is None
    assert near["setting"] == "resource_family_home" and near["capacity"] == 2
    assert near["problems"] == [] and options[3]["level_label"] == "Group home"
    assert [o["name"] for o in api.get(url, limit=2).json()] == ["Rosa Brook", "Near family home"]
    assert api.get(url, limit=0).status_code == 422
    log = api_logs(worker.user, object_type="person", object_id=family["child"].pk).first()
    assert log is not None and log.case_id == family["case"].pk


def test_options_leave_out_relatives_the_caller_may_not_see(removed, family, hidden, api):
    Relationship.objects.create(
        person=hidden, other=family["child"], kind="relative", relative_kind="uncle"
    )
    url = f"{API}/cases/{family['case'].pk}/children/{family['child'].pk}/placement-options"
    names = [o["name"] for o in api.get(url).json()]
    assert "Rosa Brook" in names and "Hugo Hidden" not in names
    # ... nor may they be chosen by a raw id.
    before = written()
    r = api.post(
        f"{API}/removals/{removed.pk}/placements",
        {"choice": f"relative:{hidden.pk}", "starts_on": iso(60)},
    )
    assert r.status_code == 422 and "choice" in r.json()["errors"]
    assert "Hidden" not in r.content.decode()
    assert written() == before


def test_options_need_a_child_of_the_case_in_care(removed, family, api):
    case = family["case"].pk
    r = api.get(f"{API}/cases/{case}/children/{family['sibling'].pk}/placement-options")
    assert r.status_code == 422 and "child" in r.json()["errors"]
    missing = api.get(f"{API}/cases/{case}/children/999999/placement-options")
    assert missing.status_code == 404
    parent = api.get(f"{API}/cases/{case}/children/{family['parent'].pk}/placement-options")
    assert parent.status_code == 404 and parent.content == missing.content


# --- Removals and exits -----------------------------------------------------------------


def test_p4_removal_through_the_api_starts_with_reunification(family, worker, api):
    case = family["case"].pk
    r = api.post(
        f"{API}/cases/{case}/removals",
        {
            "child": family["child"].pk,
            "removed_on": iso(10),
            "legal_basis": "court_ordered",
            "removal_reasons": ["neglect", "housing"],
            "child_needs": ["medical"],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["is_open"] and body["child"]["id"] == family["child"].pk
    assert body["removal_reasons"] == ["neglect", "housing"] and body["child_needs"] == ["medical"]
    goals = api.get(f"{API}/cases/{case}/goals").json()
    assert [(g["goal"], g["starts_on"]) for g in goals] == [("reunification", iso(10))]
    listed = api.get(f"{API}/cases/{case}/removals").json()
    assert [e["id"] for e in listed] == [body["id"]]
    assert api_logs(worker.user, object_type="case", case_id=case).count() == 2


def test_f5_removal_api_writes_and_reads_back_the_date_entered_care(family, api):
    """F5: the date the child entered care is optional, read back null when not given."""
    case = family["case"].pk
    r = api.post(f"{API}/cases/{case}/removals", _removal(family, entered_care_on=iso(4)))
    assert r.status_code == 201, r.content
    assert r.json()["entered_care_on"] == iso(4) and r.json()["recorded_on"] == iso(0)
    r = api.post(f"{API}/cases/{case}/removals", _removal(family, child=family["sibling"].pk))
    assert r.status_code == 201 and r.json()["entered_care_on"] is None


def test_p4_another_first_goal_needs_a_reason(family, api):
    body = {
        "child": family["child"].pk,
        "removed_on": iso(5),
        "legal_basis": "voluntary",
        "removal_reasons": ["abandonment"],
        "goal": "adoption",
    }
    r = api.post(f"{API}/cases/{family['case'].pk}/removals", body)
    assert r.status_code == 422 and "P4" in r.json()["errors"]["goal_reason"]
    assert not RemovalEpisode.objects.exists() and not PermanencyGoal.objects.exists()
    body["goal_reason"] = "Both parents relinquished their rights."
    assert api.post(f"{API}/cases/{family['case'].pk}/removals", body).status_code == 201
    assert PermanencyGoal.objects.get().goal == "adoption"


def _removal(family, **kw):
    body = {
        "child": family["child"].pk,
        "removed_on": iso(5),
        "legal_basis": "court_ordered",
        "removal_reasons": ["neglect"],
    }
    body.update(kw)
    return body


@pytest.mark.parametrize(
    ("make_body", "field"),
    [
        (lambda f, h: '{"child": ', "body"),
        (lambda f, h: _removal(f, child=f["parent"].pk), "child"),
        (lambda f, h: _removal(f, child=h.pk), "child"),
        (lambda f, h: _removal(f, child=None), "child"),
        (lambda f, h: _removal(f, legal_basis="robot"), "legal_basis"),
        (lambda f, h: _removal(f, removal_reasons=[]), "removal_reasons"),
        (lambda f, h: _removal(f, removal_reasons=["bad"]), "removal_reasons.0"),
        (lambda f, h: _removal(f, removed_on=iso(-1)), "removed_on"),
        (lambda f, h: _removal(f, removed_on="yesterday"), "removed_on"),
        (lambda f, h: _removal(f, removed_on=iso(400)), "removed_on"),
        (lambda f, h: _removal(f, child_needs=["wings"]), "child_needs.0"),
        (lambda f, h: _removal(f, entered_care_on=iso(6)), "entered_care_on"),  # F5
        (lambda f, h: _removal(f, entered_care_on=iso(-1)), "entered_care_on"),
    ],
)
def test_bad_removal_bodies_name_the_field_and_store_nothing(family, hidden, api, make_body, field):
    before = written()
    r = api.post(f"{API}/cases/{family['case'].pk}/removals", make_body(family, hidden))
    assert r.status_code == (400 if field == "body" else 422), r.content
    assert field in r.json()["errors"], r.json()
    assert "Hidden" not in r.content.decode()
    assert written() == before


def test_exit_checks_the_version_and_ends_the_placement(removed, api, worker):
    home = make_home("Resource home")
    place(worker, removed, choice=f"home:{home.pk}")
    url = f"{API}/removals/{removed.pk}/exit"
    r = api.post(url, {"exited_on": iso(2), "exit_reason": "reunification", "version": 7})
    assert r.status_code == 409 and "version" in r.json()["errors"]
    r = api.post(url, {"exited_on": iso(2), "exit_reason": "transfer", "version": 1})
    assert r.status_code == 422 and "transfer_agency" in r.json()["errors"]
    r = api.post(url, {"exited_on": iso(2), "exit_reason": "living_on_mars"})
    assert r.status_code == 422 and "exit_reason" in r.json()["errors"]
    removed.refresh_from_db()
    assert removed.is_open and Placement.objects.get().ends_on is None
    r = api.post(url, {"exited_on": iso(2), "exit_reason": "reunification", "version": 1})
    assert r.status_code == 200, r.content
    assert r.json()["exited_on"] == iso(2) and not r.json()["is_open"]
    assert r.json()["version"] == 2
    assert Placement.objects.get().ends_on == days_ago(2)
    r = api.post(url, {"exited_on": iso(1), "exit_reason": "reunification", "version": 2})
    assert r.status_code == 422 and "exited_on" in r.json()["errors"]


# --- Placements -------------------------------------------------------------------------


def test_p2_a_more_restrictive_choice_needs_a_departure_reason(removed, worker, api):
    make_home("Family home", km_north=20)
    group = make_home("Group home", setting="group_home", km_north=1, capacity=8)
    url = f"{API}/removals/{removed.pk}/placements"
    body = {"choice": f"home:{group.pk}", "starts_on": iso(60)}
    r = api.post(url, body)
    assert r.status_code == 422 and "P2" in r.json()["errors"]["departure_reason"]
    assert not Placement.objects.exists()
    body["departure_reason"] = "The child's treatment team recommends a group setting."
    r = api.post(url, body)
    assert r.status_code == 201, r.content
    placed = r.json()
    assert placed["home"] == group.pk and placed["setting"] == "group_home"
    assert placed["place_name"] == "Group home" and placed["removal"] == removed.pk
    listed = api.get(url).json()
    assert [p["id"] for p in listed] == [placed["id"]]
    log = api_logs(worker.user, object_type="removalepisode", object_id=removed.pk).get()
    assert log.case_id == removed.case_id


def test_placement_with_the_visible_relative_then_a_move(removed, family, api):
    url = f"{API}/removals/{removed.pk}/placements"
    r = api.post(url, {"choice": f"relative:{family['aunt'].pk}", "starts_on": iso(60)})
    assert r.status_code == 201, r.content
    assert r.json()["caregiver"] == family["aunt"].pk and r.json()["place_name"] == "Rosa Brook"
    home = make_home("Resource home")
    body = {"choice": f"home:{home.pk}", "starts_on": iso(30), "departure_reason": "x"}
    r = api.post(url, body)
    assert r.status_code == 422 and "move_reason" in r.json()["errors"]
    body["move_reason"] = "The aunt could no longer care for the child."
    assert api.post(url, body).status_code == 201
    ends = [p["ends_on"] for p in api.get(url).json()]
    assert ends == [iso(30), None]


def test_an_overlapping_placement_is_refused_with_422(removed, family, worker, api):
    home = make_home("Resource home")
    place(worker, removed, starts_on=days_ago(40), choice=f"home:{home.pk}")
    before = written()
    r = api.post(
        f"{API}/removals/{removed.pk}/placements",
        {
            "choice": f"relative:{family['aunt'].pk}",
            "starts_on": iso(50),
            "ends_on": iso(39),
            "move_reason": "Stayed with the aunt first.",
        },
    )
    assert r.status_code == 422, r.content
    assert "overlaps" in r.json()["errors"]["starts_on"]
    assert written() == before
    current = Placement.objects.get()
    assert current.starts_on == days_ago(40) and current.ends_on is None


def test_v11_runaway_is_a_placement_status(removed, worker, api):
    home = make_home("Resource home")
    first = place(worker, removed, choice=f"home:{home.pk}")
    r = api.post(
        f"{API}/removals/{removed.pk}/placements",
        {"setting": "runaway", "starts_on": iso(3), "move_reason": "Left the home at night."},
    )
    assert r.status_code == 201, r.content
    run = r.json()
    assert run["setting"] == "runaway" and run["home"] is None
    assert [f["rule"] for f in run["contact_flags"]] == ["V11"]
    first.refresh_from_db()
    assert first.ends_on == days_ago(3)


def test_v12_out_of_state_placement_names_the_state(removed, api):
    url = f"{API}/removals/{removed.pk}/placements"
    body = {
        "setting": "resource_family_home",
        "provider_name": "ICPC home",
        "out_of_state": True,
        "starts_on": iso(60),
        "departure_reason": "The relatives cannot take the child yet.",
    }
    r = api.post(url, body)
    assert r.status_code == 422 and "V12" in r.json()["errors"]["state"]
    assert not Placement.objects.exists()
    r = api.post(url, {**body, "state": "oh"})
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "OH" and r.json()["out_of_state"]
    assert [f["rule"] for f in r.json()["contact_flags"]] == ["V12"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"choice": "home:999999"}, "choice"),
        ({"choice": "castle:1"}, "choice"),
        ({"choice": "relative:abc"}, "choice"),
        ({}, "choice"),
        ({"setting": "castle"}, "setting"),
        ({"setting": "group_home"}, "provider_name"),
        ({"setting": "runaway", "starts_on": "2001-01-01"}, "starts_on"),
        ({"setting": "runaway", "starts_on": None}, "starts_on"),
        ({"setting": "runaway", "ends_on": "soon"}, "ends_on"),
        ({"setting": "runaway", "school": "boarding"}, "school"),
        ({"setting": "runaway", "state": "Ohio"}, "state"),
        ({"setting": "runaway", "school": "changes", "new_school_name": "Oak"}, None),
    ],
)
def test_bad_placement_bodies_name_the_field_and_store_nothing(removed, api, body, field):
    before = written()
    r = api.post(f"{API}/removals/{removed.pk}/placements", {"starts_on": iso(60), **body})
    assert r.status_code == 422, r.content
    if field is None:  # P3: a school move needs the best-interest reason
        assert "P3" in r.json()["errors"]["best_interest_reason"]
    else:
        assert field in r.json()["errors"], r.json()
    assert written() == before


# --- Goals and schools ------------------------------------------------------------------


def test_p4_goal_change_through_the_api_keeps_history_and_needs_a_reason(removed, family, api):
    url = f"{API}/cases/{family['case'].pk}/goals"
    body = {"child": family["child"].pk, "goal": "guardianship", "starts_on": iso(10)}
    r = api.post(url, {**body, "reason": " "})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = api.post(url, {**body, "goal": "reunification", "reason": "Again"})
    assert r.status_code == 422 and "goal" in r.json()["errors"]
    assert PermanencyGoal.objects.count() == 1
    r = api.post(url, {**body, "reason": "Court changed the goal at the permanency hearing."})
    assert r.status_code == 201 and r.json()["goal"] == "guardianship"
    goals = api.get(url).json()
    assert [(g["goal"], g["ends_on"]) for g in goals] == [
        ("guardianship", None),
        ("reunification", iso(10)),
    ]
    current = api.get(url, current="true").json()
    assert [g["goal"] for g in current] == ["guardianship"]


def test_p3_school_of_origin_then_the_new_school_enrolment(removed, family, worker, api):
    url = f"{API}/cases/{family['case'].pk}/schools"
    child = family["child"].pk
    r = api.post(url, {"child": child, "school_name": "Elm Primary", "district": "North"})
    assert r.status_code == 201 and r.json()["is_origin"], r.content
    r = api.post(url, {"child": child, "school_name": "Elm Again"})
    assert r.status_code == 422 and "school_name" in r.json()["errors"]
    home = make_home("Resource home")
    r = api.post(
        f"{API}/removals/{removed.pk}/placements",
        {
            "choice": f"home:{home.pk}",
            "starts_on": iso(60),
            "departure_reason": "x",
            "school": "changes",
            "new_school_name": "Oak Primary",
            "best_interest_reason": "The old school is two hours away.",
        },
    )
    assert r.status_code == 201, r.content
    schools = api.get(url).json()
    assert [(s["school_name"], s["left_on"]) for s in schools] == [
        ("Elm Primary", iso(60)),
        ("Oak Primary", None),
    ]
    oak = next(s for s in schools if s["school_name"] == "Oak Primary")
    assert oak["enrolled_on"] is None and oak["placement"] == r.json()["id"]
    sibling_school = services.school_record(
        actor=worker.user, case=family["case"], child=family["sibling"], school_name="Pine"
    )
    r = api.post(url, {"child": child, "enrolment_of": sibling_school.pk, "enrolled_on": iso(55)})
    assert r.status_code == 422 and "enrolment_of" in r.json()["errors"]
    r = api.post(
        url,
        {
            "child": child,
            "enrolment_of": oak["id"],
            "enrolled_on": iso(55),
            "version": oak["version"],
        },
    )
    assert r.status_code == 200 and r.json()["enrolled_on"] == iso(55), r.content


def test_f5_the_date_entered_care_is_corrected_through_the_api(removed, api):
    """F5: a removal recorded without the date the child entered care gets it later (the
    data-quality report asks for it); a bad date is a 422 naming it and changes nothing."""
    url = f"{API}/removals/{removed.pk}/entered-care"
    for day, why in ((iso(61), "removed on"), (iso(-1), "future")):
        r = api.post(url, {"entered_care_on": day, "version": 1})
        assert r.status_code == 422 and why in r.json()["errors"]["entered_care_on"]
    removed.refresh_from_db()
    assert removed.entered_care_on is None and removed.version == 1
    r = api.post(url, {"entered_care_on": iso(59), "version": 1})
    assert r.status_code == 200, r.content
    assert r.json()["entered_care_on"] == iso(59) and r.json()["version"] == 2
    assert removed.history.first().entered_care_on == days_ago(59)
