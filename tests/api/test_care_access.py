"""Every placement and visitation endpoint that touches a case: 404 for a case one may
not see, 403 for one one may not change, and the same bodies succeed for the case
manager."""

import pytest

from hearth.core.models import AccessLog
from hearth.placements.models import RemovalEpisode
from hearth.staff.models import Role
from hearth.visitation import services as visitation_services
from tests.api.test_placements_api import API, _removal, api_logs, iso, place, written
from tests.api.test_visitation_api import plan_body
from tests.factories import StaffFactory
from tests.placements.conftest import days_ago

# --- Access: 404 for a case one may not see, 403 for one one may not change -------------


def _endpoints(family, episode, plan):
    """(method, url, a body valid in shape) for every endpoint that touches a case."""
    case, child = family["case"].pk, family["child"].pk
    participant = plan.participants.order_by("id").first().pk
    return [
        ("get", f"/cases/{case}/children/{child}/placement-options", None),
        ("get", f"/cases/{case}/removals", None),
        ("get", f"/removals/{episode.pk}/placements", None),
        ("get", f"/cases/{case}/goals", None),
        ("get", f"/cases/{case}/schools", None),
        ("get", f"/cases/{case}/visitation-plans", None),
        ("get", f"/visitation-plans/{plan.pk}", None),
        ("get", f"/cases/{case}/family-visits", None),
        ("post", f"/cases/{case}/removals", _removal(family, child=family["sibling"].pk)),
        (
            "post",
            f"/removals/{episode.pk}/exit",
            {"exited_on": iso(1), "exit_reason": "adoption", "version": episode.version},
        ),
        (
            "post",
            f"/removals/{episode.pk}/placements",
            {"setting": "runaway", "starts_on": iso(2), "move_reason": "x"},
        ),
        (
            "post",
            f"/cases/{case}/goals",
            {"child": child, "goal": "adoption", "starts_on": iso(1), "reason": "x"},
        ),
        ("post", f"/cases/{case}/schools", {"child": child, "school_name": "Elm"}),
        ("post", f"/cases/{case}/visitation-plans", plan_body(family)),
        (
            "post",
            f"/visitation-plans/{plan.pk}/participants/{participant}/sign",
            {"method": "paper", "signed_on": iso(1), "version": plan.version},
        ),
        (
            "post",
            f"/cases/{case}/family-visits",
            {"child": child, "visit_on": iso(1), "status": "missed", "reason": "x"},
        ),
        (
            "post",
            f"/cases/{case}/placement-conferences",
            {
                "held_on": iso(1),
                "participants": "x",
                "decisions": "x",
                "reviews": [{"child": child, "decision": "continue"}],
            },
        ),
    ]


@pytest.fixture
def planned(removed, family, worker):
    place(worker, removed, choice=f"relative:{family['aunt'].pk}")
    kw = plan_body(family)
    kw["arrangements"] = [
        {**a, "visitor": p, "visitor_name": p.full_name}
        for a, p in zip(kw["arrangements"], (family["parent"], family["sibling"]), strict=True)
    ]
    kw["participants"] = [
        {"name": "Dana Brook", "role": "parent", "person": family["parent"]},
        {"name": "Sam Foster", "role": "resource_parent"},
    ]
    kw["made_on"] = days_ago(5)
    kw["case"], kw["child"] = family["case"], family["child"]
    return visitation_services.visit_plan_create(actor=worker.user, **kw)


def test_a_case_one_may_not_see_answers_404_everywhere(removed, family, planned, api_as):
    stranger = api_as(StaffFactory(roles=[Role.SUPERVISOR]).user)
    missing = stranger.get(f"{API}/cases/987654/removals")
    assert missing.status_code == 404
    before = written()
    for method, url, body in _endpoints(family, removed, planned):
        r = stranger.get(API + url) if method == "get" else stranger.post(API + url, body)
        assert r.status_code == 404, (url, r.content)
        assert r.content == missing.content, url
    assert written() == before
    # Nothing was disclosed; the refused reads of the existing case are logged as such.
    logged = AccessLog.objects.filter(case=family["case"])
    assert logged.exists() and set(logged.values_list("kind", flat=True)) == {"refused"}


def test_a_visible_case_one_may_not_change_answers_403_on_writes(
    removed, family, planned, unit, api_as
):
    colleague = StaffFactory(unit=unit)  # a case manager of the unit: reads, cannot change
    api = api_as(colleague.user)
    before = written()
    for method, url, body in _endpoints(family, removed, planned):
        if method == "get":
            assert api.get(API + url).status_code == 200, url
        else:
            r = api.post(API + url, body)
            assert r.status_code == 403, (url, r.content)
    assert written() == before
    # Every read was logged, tied to the case.
    logs = api_logs(colleague.user)
    assert logs.count() == 8 and set(logs.values_list("case_id", flat=True)) == {family["case"].pk}


def test_the_same_bodies_succeed_for_the_case_manager(removed, family, planned, worker, api):
    """The 403 above is about access, not the bodies: the worker holding the case makes
    each change. The conference comes first (P7: the sibling is not yet in care), the
    exit last."""

    def order(url):
        return (not url.endswith("/placement-conferences"), url.endswith("/exit"))

    writes = [(url, body) for method, url, body in _endpoints(family, removed, planned)]
    for url, body in sorted((w for w in writes if w[1] is not None), key=lambda w: order(w[0])):
        r = api.post(API + url, body)
        assert r.status_code in (200, 201), (url, r.content)
    removed.refresh_from_db()
    assert not removed.is_open and RemovalEpisode.objects.count() == 2
