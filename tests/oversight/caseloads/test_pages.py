"""O4 pages: the balance, a specialist's families and their reassignment, a case's
oversight; the oversight home's families section and the role home redirect."""

import pytest
from django.urls import reverse

from hearth.cases import services as case_services
from hearth.cases.models import CaseAccessGrant
from hearth.oversight.selectors import home
from tests.factories import PersonFactory
from tests.oversight.caseloads.conftest import load, new_case


def test_o4_balance_page_counts_and_highlights_over_capacity(team, counties, state, as_user):
    state.policy_overrides = {"oversight_caseload": 2}
    state.save()
    load(team, "ann", 3, counties["alder"])
    load(team, "ben", 2, counties["alder"])
    r = as_user(team["boss"]).get(reverse("oversight_caseloads"))
    assert r.status_code == 200
    text = r.content.decode()
    assert (
        '3 of 2 families (150% full) <span class="usa-tag bg-secondary-dark">Over capacity' in text
    )
    assert '2 of 2 families (100% full) <span class="usa-tag">Full' in text
    assert "0 of 2 families (0% full)" in text
    assert "1 specialist past the setting" in text


def test_o4_balance_page_query_count_does_not_grow(
    team, counties, as_user, django_assert_max_num_queries
):
    client = as_user(team["boss"])
    client.get(reverse("oversight_caseloads"))
    load(team, "ann", 4, counties["alder"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("oversight_caseloads")).status_code == 200


@pytest.mark.parametrize("who", ["ann", "qa", "worker", "supervisor"])
def test_o4_pages_refuse_all_but_the_state_supervisor(team, counties, as_user, who):
    case = new_case(team, counties["alder"])
    if who == "qa":
        CaseAccessGrant.objects.create(
            case=case, staff=team["qa"], purpose="qa_review", starts_on=case.opened_on
        )
    client = as_user(team[who])
    assert client.get(reverse("oversight_caseloads")).status_code == 403
    assert client.get(reverse("case_oversight", args=[case.pk])).status_code == 403
    r = client.post(
        reverse("case_oversight", args=[case.pk]),
        {"action": "assign", "specialist": team["ben"].pk},
    )
    assert r.status_code == 403
    assert case.access_grants.get(purpose="oversight", ends_on__isnull=True).staff == team["ann"]


def test_o4_case_page_shows_the_ranking_and_assigns(team, counties, as_user):
    load(team, "ben", 1, counties["alder"])
    case = new_case(team, counties["alder"])  # Ann
    client = as_user(team["boss"])
    text = client.get(reverse("case_oversight", args=[case.pk])).content.decode()
    assert 'Ben Baker</strong> <span class="usa-tag bg-green">Recommended</span>: 1 of 80' in text
    r = client.post(
        reverse("case_oversight", args=[case.pk]),
        {"action": "assign", "specialist": team["sue"].pk},
    )
    assert r.status_code == 422
    assert "The system recommends Ben Baker" in r.content.decode()
    r = client.post(
        reverse("case_oversight", args=[case.pk]),
        {"action": "assign", "specialist": team["sue"].pk, "override_reason": "Knows them"},
    )
    assert r.status_code == 302
    grant = case.access_grants.get(purpose="oversight", ends_on__isnull=True)
    assert grant.staff == team["sue"] and grant.override_reason == "Knows them"
    r = client.post(
        reverse("case_oversight", args=[case.pk]),
        {"action": "end", "grant": grant.pk, "reason": ""},
    )
    assert r.status_code == 422
    r = client.post(
        reverse("case_oversight", args=[case.pk]),
        {"action": "end", "grant": grant.pk, "reason": "Case moved"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("case_oversight", args=[case.pk]), {"action": "qa", "reviewer": team["qa"].pk}
    )
    assert r.status_code == 302 and case.access_grants.filter(purpose="qa_review").exists()


def test_o4_specialist_page_reassigns(team, counties, as_user):
    for _ in range(2):
        new_case(team, counties["alder"])  # Ann, Ben
    client = as_user(team["boss"])
    url = reverse("oversight_specialist", args=[team["ann"].pk])
    assert "1 of 80 families" in client.get(url).content.decode()
    r = client.post(url, {"to_specialist": "", "reason": ""})
    assert r.status_code == 422
    r = client.post(url, {"to_specialist": "", "reason": "Ann retires"})
    assert r.status_code == 302
    assert not CaseAccessGrant.objects.filter(staff=team["ann"], ends_on__isnull=True).exists()
    # A specialist sees their own families, not another's.
    assert (
        as_user(team["ben"]).get(reverse("oversight_specialist", args=[team["ben"].pk])).status_code
        == 200
    )
    assert as_user(team["ben"]).get(url).status_code == 404


def test_o4_home_families_section_is_set_based(team, counties, django_assert_max_num_queries):
    new_case(team, counties["alder"], last_name="Okafor")
    user = team["ann"].user
    assert [c.family_name for c in home.families(viewer=user)] == ["Okafor"]
    for _ in range(5):
        case = new_case(team, counties["birch"])
        # A second member: the family name lists each last name once.
        case_services.case_member_add(
            actor=team["worker"].user,
            case=case,
            person=PersonFactory(last_name="Rivera"),
            role="parent",
            starts_on=case.opened_on,
        )
    user = type(user).objects.get(pk=user.pk)
    with django_assert_max_num_queries(4):
        rows = home.families(viewer=user)
    assert len(rows) == 3  # Okafor, then Birch cases alternate Ben, Ann, Ben, Ann, Ben
    assert {c.family_name for c in rows} == {"Okafor", "Rivera"}


def test_o4_home_families_are_empty_for_a_supervisor(team):
    assert home.families(viewer=team["boss"].user) == []


@pytest.mark.parametrize("who", ["ann", "boss"])
def test_the_state_oversight_roles_land_on_the_oversight_home(team, as_user, who):
    r = as_user(team[who]).get(reverse("home"))
    assert r.status_code == 302 and r.url == reverse("oversight_home")
