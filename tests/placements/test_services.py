"""Placement services against a real database: removal, placement, moves, exits, goals
and schools. (Visitation plans, family visits and conferences: tests/visitation.)"""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from hearth.cases.models import CaseEvent
from hearth.core.errors import DomainError
from hearth.people.models import Relationship
from hearth.placements import services
from hearth.placements.models import (
    PermanencyGoal,
    Placement,
    RemovalEpisode,
    SchoolEnrollment,
)
from hearth.placements.selectors import rank_for_child
from tests.factories import PersonFactory
from tests.placements.conftest import days_ago, make_home


def place(worker, episode, **kw):
    """Place the child; a departure reason is given unless the test passes one."""
    kw.setdefault("starts_on", days_ago(60))
    kw.setdefault("departure_reason", "The relatives cannot take the child yet.")
    return services.child_place(actor=worker.user, episode=episode, **kw)


def test_p4_removal_starts_with_reunification(removed):
    goal = PermanencyGoal.objects.get(child=removed.child)
    assert goal.goal == "reunification" and goal.starts_on == removed.removed_on
    assert removed.recorded_on == days_ago(0)
    assert CaseEvent.objects.filter(type="child_removed").exists()


def test_p4_another_first_goal_needs_a_reason(family, worker):
    kw = dict(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(5),
        legal_basis="voluntary",
        removal_reasons=["abandonment"],
        goal="adoption",
    )
    with pytest.raises(DomainError) as exc:
        services.child_remove(**kw)
    assert "P4" in exc.value.errors["goal_reason"]
    assert not RemovalEpisode.objects.exists()
    services.child_remove(goal_reason="Both parents relinquished their rights.", **kw)
    assert PermanencyGoal.objects.get(child=family["child"]).goal == "adoption"


def test_removal_refuses_bad_input(family, worker):
    base = dict(actor=worker.user, case=family["case"], legal_basis="court_ordered")
    with pytest.raises(DomainError) as exc:
        services.child_remove(
            child=family["parent"], removed_on=days_ago(1), removal_reasons=["neglect"], **base
        )
    assert "child" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        services.child_remove(
            child=family["child"], removed_on=days_ago(-1), removal_reasons=["neglect"], **base
        )
    assert "removed_on" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        services.child_remove(
            child=family["child"], removed_on=days_ago(1), removal_reasons=["bad"], **base
        )
    assert "removal_reasons" in exc.value.errors
    assert not RemovalEpisode.objects.exists()


def test_p2_relative_home_ranks_first_then_nearest_resource_home(removed, family):
    make_home("Far family home", km_north=50)
    make_home("Near family home", km_north=5)
    make_home("Group home", setting="group_home", km_north=1, capacity=8)
    names = [r.option.name for r in rank_for_child(removed)]
    assert names == ["Rosa Brook", "Near family home", "Far family home", "Group home"]


def test_p2_a_more_restrictive_choice_needs_a_reason(removed, worker):
    make_home("Family home", km_north=20)
    group = make_home("Group home", setting="group_home", km_north=1, capacity=8)
    with pytest.raises(DomainError) as exc:
        place(worker, removed, choice=f"home:{group.pk}", departure_reason="")
    assert "P2" in exc.value.errors["departure_reason"]
    assert not Placement.objects.exists()
    p = place(
        worker,
        removed,
        choice=f"home:{group.pk}",
        departure_reason="The child's treatment team recommends a group setting.",
    )
    assert p.setting == "group_home" and p.home == group


def test_p2_p3_a_farther_home_at_the_same_level_needs_a_reason(removed, worker, family):
    far = make_home("Far family home", km_north=50)
    make_home("Near family home", km_north=5)
    with pytest.raises(DomainError) as exc:
        place(worker, removed, choice=f"home:{far.pk}", departure_reason="")
    reasons = exc.value.errors["departure_reason"]
    assert "P2" in reasons and "nearer" in reasons


def test_a_full_home_is_refused(removed, worker, family):
    home = make_home("Small home", capacity=1)
    place(worker, removed, choice=f"home:{home.pk}", departure_reason="x")
    other = services.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["sibling"],
        removed_on=days_ago(50),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    with pytest.raises(DomainError) as exc:
        place(worker, other, starts_on=days_ago(50), choice=f"home:{home.pk}", departure_reason="x")
    assert "full" in exc.value.errors["choice"]


def test_a_move_ends_the_current_placement_and_needs_a_reason(removed, worker, family):
    aunt = family["aunt"]
    first = place(worker, removed, choice=f"relative:{aunt.pk}")
    home = make_home("Resource home")
    with pytest.raises(DomainError) as exc:
        place(worker, removed, starts_on=days_ago(30), choice=f"home:{home.pk}")
    assert "move_reason" in exc.value.errors
    second = place(
        worker,
        removed,
        starts_on=days_ago(30),
        choice=f"home:{home.pk}",
        move_reason="The aunt could no longer care for the child.",
    )
    first.refresh_from_db()
    assert first.ends_on == second.starts_on == days_ago(30)
    assert first.setting == "relative_home" and first.caregiver == aunt


def test_placements_never_overlap_or_start_before_the_removal(removed, worker, family):
    home = make_home("Resource home")
    with pytest.raises(DomainError) as exc:
        place(worker, removed, starts_on=days_ago(61), choice=f"home:{home.pk}")
    assert "before the removal" in exc.value.errors["starts_on"]
    place(worker, removed, starts_on=days_ago(40), choice=f"home:{home.pk}")
    # a past placement that runs into the current one
    with pytest.raises(DomainError) as exc:
        place(
            worker,
            removed,
            starts_on=days_ago(50),
            ends_on=days_ago(39),
            choice=f"relative:{family['aunt'].pk}",
            move_reason="x",
        )
    assert "overlaps" in exc.value.errors["starts_on"]
    # a move dated before the current placement began
    with pytest.raises(DomainError) as exc:
        place(
            worker,
            removed,
            starts_on=days_ago(45),
            choice=f"relative:{family['aunt'].pk}",
            move_reason="x",
        )
    assert "starts_on" in exc.value.errors
    # the gap before it can be filled
    place(
        worker,
        removed,
        starts_on=days_ago(60),
        ends_on=days_ago(40),
        choice=f"relative:{family['aunt'].pk}",
        move_reason="Shelter night before the home.",
    )
    assert Placement.objects.count() == 2


def test_exit_ends_the_placement_and_nothing_runs_past_it(removed, worker, family):
    home = make_home("Resource home")
    place(worker, removed, choice=f"home:{home.pk}")
    with pytest.raises(DomainError) as exc:
        services.episode_exit(
            actor=worker.user, episode=removed, exited_on=days_ago(60), exit_reason="reunification"
        )
    assert "exited_on" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        services.episode_exit(
            actor=worker.user, episode=removed, exited_on=days_ago(1), exit_reason="transfer"
        )
    assert "transfer_agency" in exc.value.errors
    services.episode_exit(
        actor=worker.user, episode=removed, exited_on=days_ago(2), exit_reason="reunification"
    )
    assert Placement.objects.get().ends_on == days_ago(2)
    with pytest.raises(DomainError):
        place(worker, removed, starts_on=days_ago(1), choice=f"home:{home.pk}", move_reason="x")
    # re-entry: a new episode after the exit
    again = services.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(1),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    assert again.pk != removed.pk


def test_v11_runaway_is_a_placement_status(removed, worker):
    home = make_home("Resource home")
    place(worker, removed, choice=f"home:{home.pk}")
    run = place(
        worker, removed, starts_on=days_ago(3), setting="runaway", move_reason="Left the home."
    )
    assert run.setting == "runaway" and run.home is None
    assert Placement.objects.get(child=removed.child, ends_on__isnull=True) == run


def test_v12_out_of_state_placement_needs_the_state(removed, worker):
    with pytest.raises(DomainError) as exc:
        place(
            worker,
            removed,
            setting="resource_family_home",
            provider_name="ICPC home",
            out_of_state=True,
        )
    assert "V12" in exc.value.errors["state"]
    p = place(
        worker,
        removed,
        setting="resource_family_home",
        provider_name="ICPC home",
        out_of_state=True,
        state="oh",
    )
    assert p.out_of_state and p.state == "OH"


def test_p3_school_move_needs_the_best_interest_reason(removed, worker, family):
    services.school_record(
        actor=worker.user, case=family["case"], child=family["child"], school_name="Elm Primary"
    )
    home = make_home("Resource home")
    with pytest.raises(DomainError) as exc:
        place(
            worker,
            removed,
            choice=f"home:{home.pk}",
            school="changes",
            new_school_name="Oak Primary",
        )
    assert "P3" in exc.value.errors["best_interest_reason"]
    assert not Placement.objects.exists()
    place(
        worker,
        removed,
        choice=f"home:{home.pk}",
        school="changes",
        new_school_name="Oak Primary",
        best_interest_reason="The old school is two hours away.",
    )
    schools = list(SchoolEnrollment.objects.order_by("id"))
    assert schools[0].left_on == days_ago(60) and schools[1].enrolled_on is None
    assert schools[1].best_interest_reason


def test_goal_change_keeps_history_and_needs_a_reason(removed, worker, family):
    kw = dict(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        goal="guardianship",
        starts_on=days_ago(10),
    )
    with pytest.raises(DomainError):
        services.permanency_goal_change(reason="", **kw)
    services.permanency_goal_change(
        reason="Court changed the goal at the permanency hearing.", **kw
    )
    goals = list(PermanencyGoal.objects.order_by("starts_on"))
    assert [g.goal for g in goals] == ["reunification", "guardianship"]
    assert goals[0].ends_on == days_ago(10)


def test_a_home_with_an_expired_licence_is_refused(removed, worker):
    home = make_home("Lapsed home", licence_expires_on=days_ago(90))
    with pytest.raises(DomainError) as exc:
        place(worker, removed, choice=f"home:{home.pk}")
    assert "licence expired" in exc.value.errors["choice"]


def test_first_placement_after_re_entry_is_not_a_move(removed, worker, family):
    place(worker, removed, choice=f"relative:{family['aunt'].pk}")
    services.episode_exit(
        actor=worker.user, episode=removed, exited_on=days_ago(20), exit_reason="reunification"
    )
    again = services.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(5),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    place(worker, again, starts_on=days_ago(5), choice=f"relative:{family['aunt'].pk}")


def test_p2_relatives_the_worker_may_not_see_are_not_offered(removed, worker, family):
    hidden = PersonFactory(first_name="Hugo", last_name="Hidden")
    Relationship.objects.create(person=hidden, other=family["child"], kind="relative")
    names = [r.option.name for r in rank_for_child(removed, viewer=worker.user)]
    assert "Rosa Brook" in names and "Hugo Hidden" not in names
    with pytest.raises(DomainError):
        place(worker, removed, choice=f"relative:{hidden.pk}")


def test_icwa_a_caregiver_is_kin_but_not_extended_family(removed, worker, family):
    child = family["child"]
    child.icwa_applies = "yes"
    child.save()
    friend = PersonFactory(first_name="Fay", last_name="Friend", recorded_by_agency=worker.agency)
    Relationship.objects.create(person=friend, other=child, kind="caregiver")
    by_name = {r.option.name: r for r in rank_for_child(removed, viewer=worker.user)}
    assert by_name["Rosa Brook"].icwa == 1 and by_name["Fay Friend"].icwa == 5


def test_f5_entered_care_is_its_own_date_never_defaulted(family, worker):
    """F5: the date the child entered care is not the record's creation: unknown stays
    empty; given, it is on or after the removal and not in the future."""
    base = dict(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(30),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    with pytest.raises(DomainError) as exc:
        services.child_remove(entered_care_on=days_ago(-1), **base)
    assert "future" in exc.value.errors["entered_care_on"]
    with pytest.raises(DomainError) as exc:
        services.child_remove(entered_care_on=days_ago(31), **base)
    assert "before the removal" in exc.value.errors["entered_care_on"]
    episode = services.child_remove(**base)
    assert episode.entered_care_on is None and episode.recorded_on == days_ago(0)


def test_f5_the_first_placement_fills_an_unknown_entry_date(removed, worker):
    """F5: an episode whose entry date was not given takes its first placement's start;
    a later move leaves it alone, and a date given with the removal is never replaced."""
    assert removed.entered_care_on is None
    place(worker, removed, setting="group_home", provider_name="Pine", starts_on=days_ago(58))
    removed.refresh_from_db()
    assert removed.entered_care_on == days_ago(58)
    place(
        worker,
        removed,
        setting="shelter",
        provider_name="Oak",
        starts_on=days_ago(20),
        move_reason="Closer to school.",
    )
    removed.refresh_from_db()
    assert removed.entered_care_on == days_ago(58)


def test_f5_migration_backfills_entry_from_the_first_placement(removed, family, worker):
    """F5: migration 0006 sets the entry date from the first placement where there is one
    and leaves the others unknown."""
    backfill = import_module(
        "hearth.placements.migrations.0006_removal_recorded_on_entered_care_on"
    ).backfill_entered_care
    place(worker, removed, setting="group_home", provider_name="Pine", starts_on=days_ago(55))
    place(
        worker,
        removed,
        setting="shelter",
        provider_name="Oak",
        starts_on=days_ago(20),
        move_reason="Closer to school.",
    )
    unplaced = services.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["sibling"],
        removed_on=days_ago(10),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    RemovalEpisode.objects.update(entered_care_on=None)
    backfill(django_apps, None)
    removed.refresh_from_db()
    unplaced.refresh_from_db()
    assert removed.entered_care_on == days_ago(55)
    assert unplaced.entered_care_on is None
