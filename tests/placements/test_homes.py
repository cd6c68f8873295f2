"""Resource homes kept in the product: home.manage creates, edits, licenses and renews
the agency's homes, links resource parents; the home's manager accepts a placement
before it starts; licence warnings reach the home's page, the child's page and
homes_needing_attention; school locations count in the ranking (P3); siblings together
rank first (P5)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import today
from hearth.placements import selectors, services
from hearth.placements.models import PlacementRequest, ResourceHome
from hearth.staff.models import Role
from tests.api.conftest import ApiClient
from tests.factories import AgencyFactory, PersonFactory, StaffFactory
from tests.placements.conftest import days_ago, make_home

API = "/api/v1"


@pytest.fixture
def director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


def _body(**kw):
    return {
        "name": "Maple House",
        "setting": "resource_family_home",
        "capacity": 4,
        "min_age": 5,
        "max_age": 17,
        "gender_accepted": "female",
        "sibling_group_max": 3,
        "needs_served": ["sibling_group"],
        "latitude": "40.05",
        "longitude": "-75.0",
        "licence_number": "RF-1",
        "licensed_on": days_ago(300).isoformat(),
        "licence_expires_on": days_ago(-65).isoformat(),
        **kw,
    }


def test_a_program_director_creates_licenses_and_renews_a_home_in_the_api(director, worker):
    api = ApiClient(director.user)
    r = api.post(f"{API}/resource-homes", _body(manager=worker.pk))
    assert r.status_code == 201, r.content
    home = r.json()
    assert (home["agency"], home["gender_accepted"], home["sibling_group_max"]) == (
        director.agency.code,
        "female",
        3,
    )
    assert home["manager"]["id"] == worker.pk and home["licence_state"] is None
    r = api.post(
        f"{API}/resource-homes/{home['id']}/licence",
        {
            "licence_number": "RF-2",
            "licensed_on": days_ago(0).isoformat(),
            "licence_expires_on": days_ago(-730).isoformat(),
            "version": home["version"],
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["licence_number"] == "RF-2"
    assert ResourceHome.objects.get(pk=home["id"]).history.count() == 2


def test_bad_input_names_the_field_and_changes_nothing(director):
    api = ApiClient(director.user)
    before = ResourceHome.objects.count()
    for body, field in [
        (_body(max_age=3), "max_age"),
        (_body(sibling_group_max=9), "sibling_group_max"),
        (_body(setting="relative_home"), "setting"),
        (_body(latitude=None), "longitude"),
        (_body(licence_expires_on=days_ago(400).isoformat()), "licence_expires_on"),
        (_body(county="nowhere"), "county"),
    ]:
        r = api.post(f"{API}/resource-homes", body)
        assert r.status_code in (400, 422), (field, r.content)
        assert field in str(r.json()["errors"]), (field, r.json())
    assert ResourceHome.objects.count() == before


def test_only_home_manage_keeps_homes_and_only_the_agencys(director, worker, supervisor):
    for staff in (worker, supervisor):
        assert ApiClient(staff.user).post(f"{API}/resource-homes", _body()).status_code == 403
    other = make_home("Other agency's home", agency=AgencyFactory())
    r = ApiClient(director.user).patch(
        f"{API}/resource-homes/{other.pk}", {"capacity": 3, "version": other.version}
    )
    assert r.status_code == 403
    mine = make_home("Ours", agency=director.agency)
    r = ApiClient(worker.user).patch(
        f"{API}/resource-homes/{mine.pk}", {"capacity": 3, "version": mine.version}
    )
    assert r.status_code == 403
    # Anyone on staff reads the directory.
    assert ApiClient(worker.user).get(f"{API}/resource-homes/{mine.pk}").status_code == 200


def test_resource_parents_are_people_linked_to_the_home(director):
    home = make_home("Birch House", agency=director.agency)
    parent = PersonFactory(first_name="Ana", last_name="Birch", recorded_by_agency=director.agency)
    api = ApiClient(director.user)
    r = api.post(
        f"{API}/resource-homes/{home.pk}/parents",
        {"person": parent.pk, "role": "primary", "starts_on": days_ago(10).isoformat()},
    )
    assert r.status_code == 201, r.content
    r = api.post(
        f"{API}/resource-homes/{home.pk}/parents",
        {"person": parent.pk, "role": "second", "starts_on": days_ago(5).isoformat()},
    )
    assert r.status_code == 422 and "person" in r.json()["errors"]
    assert [
        p["person"]["name"] for p in api.get(f"{API}/resource-homes/{home.pk}").json()["parents"]
    ] == [parent.full_name]


def test_a_managed_home_accepts_the_child_before_the_placement_starts(
    family, removed, worker, director
):
    home = make_home("Cedar House", agency=director.agency, manager=director, capacity=3)
    with pytest.raises(DomainError) as exc:
        services.child_place(
            actor=worker.user,
            episode=removed,
            starts_on=days_ago(50),
            choice=f"home:{home.pk}",
            departure_reason="The aunt cannot take a child now.",
        )
    assert "has not been asked" in exc.value.errors["choice"]
    api = ApiClient(worker.user)
    r = api.post(
        f"{API}/cases/{family['case'].pk}/children/{family['child'].pk}/placement-requests",
        {"home": home.pk, "starts_on": days_ago(50).isoformat(), "note": "Likes drawing."},
    )
    assert r.status_code == 201, r.content
    request = PlacementRequest.objects.get(pk=r.json()["id"])
    with pytest.raises(DomainError):
        services.child_place(
            actor=worker.user,
            episode=removed,
            starts_on=days_ago(50),
            choice=f"home:{home.pk}",
            departure_reason="The aunt cannot take a child now.",
        )
    # The worker may not answer for the home; its manager may.
    r = api.post(f"{API}/placement-requests/{request.pk}/answer", {"accept": True, "version": 1})
    assert r.status_code == 404
    r = ApiClient(director.user).post(
        f"{API}/placement-requests/{request.pk}/answer", {"accept": False, "version": 1}
    )
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = ApiClient(director.user).post(
        f"{API}/placement-requests/{request.pk}/answer", {"accept": True, "version": 1}
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    placement = services.child_place(
        actor=worker.user,
        episode=removed,
        starts_on=days_ago(50),
        choice=f"home:{home.pk}",
        departure_reason="The aunt cannot take a child now.",
    )
    request.refresh_from_db()
    assert (request.status, request.placement_id) == ("placed", placement.pk)


def test_an_expired_licence_holding_a_full_home_is_flagged_everywhere(
    client, family, removed, worker, director
):
    home = make_home("Ash House", agency=director.agency, manager=director, capacity=1)
    home.licence_number, home.licence_expires_on = "RF-9", days_ago(-30)
    home.save()
    services.placement_request_send(
        actor=worker.user, case=family["case"], episode=removed, home=home, starts_on=days_ago(50)
    )
    req = PlacementRequest.objects.get()
    services.placement_request_answer(actor=director.user, request=req, accept=True)
    services.child_place(
        actor=worker.user,
        episode=removed,
        starts_on=days_ago(50),
        choice=f"home:{home.pk}",
        departure_reason="The aunt cannot take a child now.",
    )
    ResourceHome.objects.filter(pk=home.pk).update(licence_expires_on=days_ago(3))
    for who in (worker, director):  # the placing worker and the home's manager
        (flagged,) = selectors.homes_needing_attention(who.user)
        assert (flagged.pk, flagged.licence_state, flagged.occupancy) == (home.pk, "expired", 1)
        r = ApiClient(who.user).get(f"{API}/resource-homes/attention")
        assert [h["licence_state"] for h in r.json()] == ["expired"]
    client.force_login(worker.user)
    page = client.get(reverse("resource_home_detail", args=[home.pk])).content.decode()
    assert "Licence expired" in page and "1 of 1 children" in page
    page = client.get(
        reverse("case_child", args=[family["case"].pk, family["child"].pk])
    ).content.decode()
    assert "The licence of Ash House expired on" in page
    assert "Licence expired" in client.get(reverse("resource_home_list")).content.decode()
    # Someone with no tie to the home is not warned.
    stranger = StaffFactory(agency=AgencyFactory(), roles=[Role.CASE_MANAGER])
    assert selectors.homes_needing_attention(stranger.user) == []


def test_homes_needing_attention_reads_a_fixed_number_of_queries(
    director, django_assert_max_num_queries
):
    for i in range(6):
        make_home(f"Home {i}", agency=director.agency, licence_expires_on=days_ago(i - 3))
    director.user._hearth_staff = None
    del director.user._hearth_staff
    with django_assert_max_num_queries(6):
        homes = selectors.homes_needing_attention(director.user)
    assert len(homes) == 6 and homes[0].licence_state == "expired"


def test_the_pages_create_and_edit_a_home(client, director):
    client.force_login(director.user)
    assert client.get(reverse("resource_home_new")).status_code == 200
    data = _body()
    data.pop("needs_served")
    r = client.post(reverse("resource_home_new"), {**data, "max_age": 2})
    assert r.status_code == 422 and ResourceHome.objects.count() == 0
    r = client.post(reverse("resource_home_new"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    home = ResourceHome.objects.get()
    r = client.post(
        reverse("resource_home_edit", args=[home.pk]),
        {**data, "capacity": 5, "active": "on", "version": home.version},
    )
    assert r.status_code == 302
    home.refresh_from_db()
    assert home.capacity == 5 and home.version == 2


def test_the_edit_page_is_refused_to_those_who_do_not_keep_the_home(client, worker, director):
    home = make_home("Fir House", agency=director.agency)
    client.force_login(worker.user)
    assert client.get(reverse("resource_home_edit", args=[home.pk])).status_code == 403
    assert client.get(reverse("resource_home_new")).status_code == 403
    assert client.get(reverse("resource_home_detail", args=[home.pk])).status_code == 200


def test_p3_a_school_located_in_the_api_counts_in_the_ranking(family, removed, worker):
    api = ApiClient(worker.user)
    r = api.post(
        f"{API}/cases/{family['case'].pk}/schools",
        {"child": family["child"].pk, "school_name": "Elm", "latitude": "40.2", "longitude": "-75"},
    )
    assert r.status_code == 201, r.content
    make_home("Near school", km_north=22)
    (option,) = [o for o in selectors.rank_for_child(removed) if o.option.name == "Near school"]
    assert option.km_school == pytest.approx(0.2, abs=0.2)
    r = api.post(
        f"{API}/cases/{family['case'].pk}/schools/{r.json()['id']}/location",
        {"latitude": "91", "longitude": "-75", "version": 1},
    )
    assert r.status_code == 422 and "latitude" in str(r.json()["errors"])


def test_p5_a_home_taking_the_sibling_group_ranks_above_a_nearer_one(family, removed, worker):
    services.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["sibling"],
        removed_on=days_ago(60),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    make_home("Near", km_north=2, capacity=3)
    make_home("Takes both", km_north=30, capacity=3, sibling_group_max=2)
    names = [o.option.name for o in selectors.rank_for_child(removed)]
    assert names.index("Takes both") < names.index("Near")


def test_services_refuse_a_keeper_of_another_agency(director):
    home = make_home("Elsewhere", agency=AgencyFactory())
    with pytest.raises(Forbidden):
        services.home_update(actor=director.user, home=home, version=1, capacity=3)
    assert today() - timedelta(days=1) < today()
