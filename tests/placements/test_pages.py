"""The child's page (removals, placements), the case page and the directory, through the
Django test client against a real database. (Visitation plans, their PDF and conferences:
tests/visitation.)"""

from django.urls import reverse

from hearth.placements.models import Placement, RemovalEpisode
from tests.placements.conftest import days_ago, make_home


def child_url(family, action=None):
    args = [family["case"].pk, family["child"].pk]
    if action:
        return reverse("case_child_action", args=[*args, action])
    return reverse("case_child", args=args)


def test_p4_removal_form_records_the_removal_and_school(client, worker, family):
    client.force_login(worker.user)
    r = client.post(
        child_url(family, "remove"),
        {
            "removed_on": days_ago(3).isoformat(),
            "legal_basis": "court_ordered",
            "removal_reasons": ["neglect", "housing"],
            "goal": "reunification",
            "school_of_origin": "Elm Primary",
        },
    )
    assert r.status_code == 302
    episode = RemovalEpisode.objects.get()
    assert episode.removal_reasons == ["neglect", "housing"]
    page = client.get(child_url(family)).content.decode()
    assert "In out-of-home care" in page and "Elm Primary" in page and "Reunification" in page


def test_f5_removal_form_records_the_date_entered_care_or_leaves_it_unknown(client, worker, family):
    """F5: the date the child entered care is asked on the removal form, optional; the
    child's page shows it, or that it is not recorded, beside the record's own date."""
    client.force_login(worker.user)
    data = {
        "removed_on": days_ago(3).isoformat(),
        "legal_basis": "court_ordered",
        "removal_reasons": ["neglect"],
        "goal": "reunification",
    }
    r = client.post(child_url(family, "remove"), {**data, "entered_care_on": days_ago(4)})
    assert r.status_code == 422 and "before the removal" in r.content.decode()
    assert client.post(child_url(family, "remove"), data).status_code == 302
    assert RemovalEpisode.objects.get().entered_care_on is None
    page = client.get(child_url(family)).content.decode()
    assert f"entered care not recorded; recorded {days_ago(0).isoformat()}" in page


def test_bad_removal_is_shown_with_errors_and_nothing_saved(client, worker, family):
    client.force_login(worker.user)
    r = client.post(
        child_url(family, "remove"),
        {
            "removed_on": days_ago(-2).isoformat(),
            "legal_basis": "court_ordered",
            "removal_reasons": ["neglect"],
            "goal": "adoption",
        },
    )
    assert r.status_code == 422
    assert not RemovalEpisode.objects.exists()


def test_p2_place_page_ranks_options_and_asks_for_a_reason(client, worker, removed, family):
    make_home("Maple resource home", km_north=5)
    group = make_home("Oak group home", setting="group_home", km_north=1, capacity=6)
    client.force_login(worker.user)
    page = client.get(child_url(family) + "?action=place").content.decode()
    assert page.index("Rosa Brook") < page.index("Maple resource home") < page.index("Oak group")
    data = {"option": f"home:{group.pk}", "starts_on": days_ago(1).isoformat(), "school": "stays"}
    r = client.post(child_url(family, "place"), data)
    assert r.status_code == 422 and "less restrictive option is available" in r.content.decode()
    assert not Placement.objects.exists()
    data["departure_reason"] = "Needs the group's treatment program."
    r = client.post(child_url(family, "place"), data)
    assert r.status_code == 302
    assert Placement.objects.get().home == group


def test_v11_runaway_shows_the_locate_requirement(client, worker, removed, family):
    client.force_login(worker.user)
    r = client.post(
        child_url(family, "place"),
        {
            "option": "other",
            "setting": "runaway",
            "starts_on": days_ago(1).isoformat(),
            "school": "unknown",
        },
    )
    assert r.status_code == 302
    page = client.get(child_url(family)).content.decode()
    assert "V11" in page and "locate efforts" in page


def test_resource_directory_lists_homes_with_room(client, worker):
    make_home("Birch home", capacity=1)
    client.force_login(worker.user)
    page = client.get(reverse("resource_home_list") + "?room=1").content.decode()
    assert "Birch home" in page and "0 of 1" in page


def test_case_page_lists_children_with_their_placement(client, worker, removed, family):
    client.force_login(worker.user)
    page = client.get(reverse("case_detail", args=[family["case"].pk])).content.decode()
    assert "Out of home since" in page and "Not placed yet" in page


def test_f5_the_date_entered_care_is_recorded_on_the_childs_page(client, worker, removed, family):
    """F5: the child's page records the date entered care the removal lacked."""
    client.force_login(worker.user)
    assert (
        "Record the date the child entered care" in client.get(child_url(family)).content.decode()
    )
    bad = {"entered_care_on": days_ago(61).isoformat(), "version": 1}
    r = client.post(child_url(family, "entry"), bad)
    assert r.status_code == 422 and "removed on" in r.content.decode()
    good = {"entered_care_on": days_ago(60).isoformat(), "version": 1}
    assert client.post(child_url(family, "entry"), good).status_code == 302
    removed.refresh_from_db()
    assert removed.entered_care_on == days_ago(60)
