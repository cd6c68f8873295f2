"""O4: routing, assigning, ending and reassigning oversight through the services."""

import pytest

from hearth.cases import services as case_services
from hearth.cases.models import CaseAccessGrant, CaseEvent
from hearth.core.errors import DomainError, Forbidden
from hearth.oversight.selectors import caseloads as selectors
from hearth.oversight.services import caseloads as services
from hearth.staff.models import StaffMember
from tests.oversight.caseloads.conftest import load, new_case


def current(case):
    return CaseAccessGrant.objects.get(case=case, purpose="oversight", ends_on__isnull=True)


def test_o4_a_court_involved_case_is_routed_to_the_lightest_load_in_its_region(team, counties):
    load(team, "ann", 3, counties["alder"])
    load(team, "ben", 1, counties["alder"])
    load(team, "sue", 0, counties["cedar"])
    case = new_case(team, counties["birch"])  # court-involved from its creation
    grant = current(case)
    assert grant.staff == team["ben"]  # Sue carries none, but she is of the South
    assert grant.granted_by is None
    assert grant.reason == "Routed: Ben Baker: 1 of 80 families (1% full); same region (North)"
    assert [r["name"] for r in grant.ranking] == ["Ben Baker", "Ann Abbot"]
    assert grant.ranking[1]["explanation"].startswith("3 of 80 families")
    event = CaseEvent.objects.filter(case=case, type="access_granted").get()
    assert event.payload["reason"] == grant.reason


def test_o4_a_case_becoming_court_involved_is_routed(team, counties):
    load(team, "ann", 2, counties["alder"])
    case = new_case(team, counties["alder"], court=False)
    assert not case.access_grants.filter(purpose="oversight").exists()
    case_services.case_update(actor=team["worker"].user, case=case, court_involved=True)
    assert current(case).staff == team["ben"]
    # Idempotent: a later change keeps the grant.
    case_services.case_update(actor=team["worker"].user, case=case, culture="x")
    assert case.access_grants.filter(purpose="oversight").count() == 1


def test_o4_a_closure_recommendation_routes_a_non_court_case(team, counties):
    case = new_case(team, counties["cedar"], court=False)
    case_services.case_change_status(actor=team["supervisor"].user, case=case, status="open")
    assert not case.access_grants.exists()
    case_services.case_change_status(
        actor=team["supervisor"].user,
        case=case,
        status="closure_recommended",
        by_recommendation=True,
    )
    assert current(case).staff == team["sue"]


def test_o4_no_active_specialist_in_the_region_routes_statewide_and_says_so(team, counties):
    StaffMember.objects.filter(pk=team["sue"].pk).update(status="on_leave")
    load(team, "ann", 1, counties["alder"])
    case = new_case(team, counties["cedar"])
    grant = current(case)
    assert grant.staff == team["ben"]
    assert "No specialist of the South region is active" in grant.reason
    assert grant.ranking[0]["note"].endswith("statewide is ranked (O4).")


def test_o4_a_county_without_region_routes_statewide(team, counties):
    load(team, "ann", 1, counties["alder"])
    load(team, "ben", 1, counties["alder"])
    case = new_case(team, counties["maple"])
    assert current(case).staff == team["sue"]
    assert "Maple county has no region" in current(case).reason


def test_o4_no_specialist_at_all_leaves_the_case_unrouted(team, counties):
    StaffMember.objects.filter(roles__role="state_oversight").update(status="on_leave")
    case = new_case(team, counties["alder"])
    assert services.ensure_routed(case, actor=None) is None
    assert not case.access_grants.exists()


def test_o4_ensure_routed_returns_the_current_grant(team, counties):
    case = new_case(team, counties["alder"])
    grant = current(case)
    assert services.ensure_routed(case, actor=None) == grant


def test_o4_the_supervisor_assigns_the_top_one_without_a_reason(team, counties):
    case = new_case(team, counties["alder"])  # routed to Ann (ties by name)
    grant = services.oversight_assign(
        actor=team["boss"].user, assigned_by=team["boss"], case=case, specialist=team["ben"]
    )
    assert grant.staff == team["ben"] and grant.granted_by == team["boss"]
    assert grant.override_reason == "" and grant.ranking[0]["name"] == "Ben Baker"
    old = case.access_grants.get(staff=team["ann"])
    assert old.ends_on is not None and old.end_reason.startswith("Reassigned: Assigned by")


def test_o4_an_override_needs_a_reason(team, counties):
    case = new_case(team, counties["alder"])  # Ann; Ben is then the top for a move
    with pytest.raises(DomainError) as exc:
        services.oversight_assign(
            actor=team["boss"].user, assigned_by=team["boss"], case=case, specialist=team["sue"]
        )
    assert "recommends Ben Baker" in exc.value.errors["override_reason"]
    assert current(case).staff == team["ann"]  # nothing changed
    grant = services.oversight_assign(
        actor=team["boss"].user,
        assigned_by=team["boss"],
        case=case,
        specialist=team["sue"],
        override_reason="Sue knows the family from a prior case",
    )
    assert grant.override_reason == "Sue knows the family from a prior case"
    assert grant.history.first().override_reason == grant.override_reason


@pytest.mark.parametrize("who", ["ann", "qa", "supervisor", "worker"])
def test_o4_only_the_state_supervisor_assigns(team, counties, who):
    case = new_case(team, counties["alder"])
    with pytest.raises(Forbidden):
        services.oversight_assign(
            actor=team[who].user, assigned_by=team[who], case=case, specialist=team["ben"]
        )


def test_o4_only_specialists_of_the_state_and_only_overseen_cases(team, counties):
    case = new_case(team, counties["alder"])
    with pytest.raises(DomainError) as exc:
        services.oversight_assign(
            actor=team["boss"].user, assigned_by=team["boss"], case=case, specialist=team["qa"]
        )
    assert "specialist" in exc.value.errors
    quiet = new_case(team, counties["alder"], court=False)
    with pytest.raises(DomainError) as exc:
        services.oversight_assign(
            actor=team["boss"].user, assigned_by=team["boss"], case=quiet, specialist=team["ann"]
        )
    assert "court-involved" in exc.value.errors["case"]


def test_o4_ending_a_grant_needs_a_reason_and_happens_once(team, counties):
    case = new_case(team, counties["alder"])
    grant = current(case)
    with pytest.raises(DomainError) as exc:
        services.oversight_end(
            actor=team["boss"].user, ended_by=team["boss"], grant=grant, reason=""
        )
    assert "reason" in exc.value.errors
    with pytest.raises(Forbidden):
        services.oversight_end(
            actor=team["ann"].user, ended_by=team["ann"], grant=grant, reason="x"
        )
    services.oversight_end(
        actor=team["boss"].user, ended_by=team["boss"], grant=grant, reason="Court case dismissed"
    )
    grant.refresh_from_db()
    assert grant.ends_on and grant.end_reason == "Court case dismissed"
    with pytest.raises(DomainError):
        services.oversight_end(
            actor=team["boss"].user, ended_by=team["boss"], grant=grant, reason="x"
        )


def test_o3_a_qa_grant_only_to_a_qa_reviewer(team, counties):
    case = new_case(team, counties["alder"])
    grant = services.qa_grant(
        actor=team["boss"].user, granted_by=team["boss"], case=case, reviewer=team["qa"]
    )
    assert grant.purpose == "qa_review" and grant.granted_by == team["boss"]
    with pytest.raises(DomainError) as exc:
        services.qa_grant(
            actor=team["boss"].user, granted_by=team["boss"], case=case, reviewer=team["ann"]
        )
    assert "QA reviewer" in exc.value.errors["staff"]
    with pytest.raises(Forbidden):
        services.qa_grant(
            actor=team["ann"].user, granted_by=team["ann"], case=case, reviewer=team["qa"]
        )


def test_o4_reassigning_a_specialists_families_routes_each_by_load(team, counties):
    cases = [new_case(team, counties["alder"]) for _ in range(3)]  # Ann, Ben, Ann
    assert [current(c).staff for c in cases] == [team["ann"], team["ben"], team["ann"]]
    moved = services.reassign_specialist_families(
        actor=team["boss"].user,
        assigned_by=team["boss"],
        from_specialist=team["ann"],
        to_specialist=None,
        reason="Ann leaves the unit",
    )
    assert len(moved) == 2
    # Ann left out: Ben is the only one of the North.
    assert {g.staff_id for g in moved} == {team["ben"].pk}
    assert selectors.families(team["ann"]).count() == 0
    assert all(
        g.end_reason == "Reassigned: Ann leaves the unit"
        for g in CaseAccessGrant.objects.filter(staff=team["ann"])
    )


def test_o4_reassigning_to_one_specialist_needs_a_reason_where_it_departs(team, counties):
    for _ in range(2):
        new_case(team, counties["alder"])  # Ann, Ben
    with pytest.raises(DomainError) as exc:
        services.reassign_specialist_families(
            actor=team["boss"].user,
            assigned_by=team["boss"],
            from_specialist=team["ann"],
            to_specialist=team["sue"],
            reason="Balance",
        )
    assert "override_reason" in exc.value.errors
    moved = services.reassign_specialist_families(
        actor=team["boss"].user,
        assigned_by=team["boss"],
        from_specialist=team["ann"],
        to_specialist=team["sue"],
        reason="Balance",
        override_reason="Sue covers the North this quarter",
    )
    assert [g.staff for g in moved] == [team["sue"]]
    assert moved[0].override_reason == "Sue covers the North this quarter"
    with pytest.raises(DomainError) as exc:
        services.reassign_specialist_families(
            actor=team["boss"].user,
            assigned_by=team["boss"],
            from_specialist=team["ann"],
            to_specialist=None,
            reason="Again",
        )
    assert "carries no families" in exc.value.errors["cases"]


def test_o4_loads_count_distinct_open_cases_in_one_query(team, counties, django_assert_num_queries):
    load(team, "ann", 2, counties["alder"])
    load(team, "sue", 1, counties["cedar"])
    with django_assert_num_queries(1):
        loads = {s.first_name: s.families for s in selectors.specialists()}
    assert loads == {"Ann": 2, "Ben": 0, "Sue": 1}


def test_o4_a_reassigned_family_takes_its_pending_review_and_hearing_to_the_new_specialist(
    team, counties
):
    """O1, O2, O4: the closure review awaiting the state and the next hearing leave the
    old specialist's due list for the new one's when the family is reassigned."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from hearth.cases.models import Case
    from hearth.core.services import today
    from hearth.obligations.models import Obligation
    from hearth.oversight.services import court, recommendations

    case = new_case(team, counties["alder"])
    assert current(case).staff == team["ann"]
    Case.objects.filter(pk=case.pk).update(status="open")
    case.refresh_from_db()
    rec = recommendations.recommendation_submit(
        actor=team["worker"].user,
        case=case,
        kind="closure",
        reasons="The parents have kept the child safe for six months and the family no "
        "longer needs protection: they care for the child on their own.",
    )
    court.hearing_schedule(
        actor=team["worker"].user,
        case=case,
        type="review",
        scheduled_at=timezone.make_aware(datetime.combine(today() + timedelta(days=3), time(9))),
        court="Juvenile Court",
    )

    def state_rows(staff):
        return set(
            Obligation.objects.filter(case=case, source="oversight", responsible=staff).values_list(
                "need", flat=True
            )
        )

    assert state_rows(team["ann"]) == {"state_review", "court_hearing"}
    services.oversight_assign(
        actor=team["boss"].user,
        assigned_by=team["boss"],
        case=case,
        specialist=team["ben"],
        override_reason="Ben knows the family",
    )
    rec.refresh_from_db()
    assert rec.reviewer == team["ben"] and rec.rounds.get().reviewer == team["ben"]
    assert state_rows(team["ann"]) == set()
    assert state_rows(team["ben"]) == {"state_review", "court_hearing"}
