"""Visitation services against a real database: visitation plans and their signatures,
family visits and placement conferences."""

import pytest

from hearth.core.errors import DomainError
from hearth.placements import services as placement_services
from hearth.visitation import services
from hearth.visitation.models import FamilyVisit, VisitationPlan
from tests.placements.conftest import days_ago


def plan_kwargs(family, **kw):
    base = dict(
        case=family["case"],
        child=family["child"],
        made_at="family_team_meeting",
        made_on=days_ago(5),
        arrangements=[
            dict(
                visitor=family["parent"],
                visitor_name="Dana Brook",
                visitor_role="parent",
                frequency="weekly",
                location="Family visit center",
                supervised=True,
                transport="arranged",
                evenings_weekends=True,
                times="Saturdays 10-12",
            ),
            dict(
                visitor=family["sibling"],
                visitor_name="Lily Brook",
                visitor_role="sibling",
                frequency="weekly",
                location="Resource home",
                supervised=False,
            ),
        ],
        participants=[
            dict(name="Dana Brook", role="parent", person=family["parent"]),
            dict(name="Sam Foster", role="resource_parent"),
        ],
    )
    base.update(kw)
    return base


def test_p5_plan_for_reunification_sets_weekly_visits_with_parents(removed, worker, family):
    kw = plan_kwargs(family)
    kw["arrangements"] = [kw["arrangements"][1]]
    with pytest.raises(DomainError) as exc:
        services.visit_plan_create(actor=worker.user, **kw)
    assert "P5" in exc.value.errors["arrangements"]
    kw = plan_kwargs(family)
    kw["arrangements"][0]["frequency"] = "monthly"
    with pytest.raises(DomainError) as exc:
        services.visit_plan_create(actor=worker.user, **kw)
    assert "P5" in exc.value.errors["less_than_weekly_reason"]
    assert not VisitationPlan.objects.exists()


def test_p6_plan_is_made_with_resource_parents_and_in_effect_once_all_sign(removed, worker, family):
    kw = plan_kwargs(family)
    kw["participants"] = kw["participants"][:1]
    with pytest.raises(DomainError) as exc:
        services.visit_plan_create(actor=worker.user, **kw)
    assert "P6" in exc.value.errors["participants"]
    plan = services.visit_plan_create(actor=worker.user, **plan_kwargs(family))
    parent, foster = plan.participants.order_by("id")
    with pytest.raises(DomainError) as exc:
        services.visit_plan_sign(
            actor=worker.user,
            participant=parent,
            method="electronic",
            signed_on=days_ago(4),
            signed_as="Someone Else",
        )
    assert "signed_as" in exc.value.errors
    services.visit_plan_sign(
        actor=worker.user,
        participant=parent,
        method="electronic",
        signed_on=days_ago(4),
        signed_as="dana brook",
    )
    plan.refresh_from_db()
    assert plan.status == "draft"
    services.visit_plan_sign(
        actor=worker.user,
        participant=foster,
        method="paper",
        signed_on=days_ago(3),
        copy_given_on=days_ago(3),
    )
    plan.refresh_from_db()
    assert plan.status == "in_effect" and plan.in_effect_on == days_ago(3)
    with pytest.raises(DomainError):
        services.visit_plan_sign(
            actor=worker.user, participant=foster, method="paper", signed_on=days_ago(3)
        )
    # A newer plan replaces it once signed by all.
    newer = services.visit_plan_create(actor=worker.user, **plan_kwargs(family))
    for p in newer.participants.all():
        services.visit_plan_sign(
            actor=worker.user, participant=p, method="paper", signed_on=days_ago(1)
        )
    plan.refresh_from_db()
    assert plan.status == "replaced" and plan.ended_on == days_ago(1)


def test_p5_family_visit_not_held_needs_a_reason(removed, worker, family):
    kw = dict(actor=worker.user, case=family["case"], child=family["child"], visit_on=days_ago(2))
    with pytest.raises(DomainError) as exc:
        services.family_visit_record(status="missed", **kw)
    assert "reason" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        services.family_visit_record(status="held", visitors=[family["aunt"]], **kw)
    assert "visitors" in exc.value.errors
    services.family_visit_record(status="missed", reason="Parent was ill.", **kw)
    services.family_visit_record(status="held", visitors=[family["parent"]], **kw)
    assert FamilyVisit.objects.count() == 2


def test_p7_conference_reviews_every_child_out_of_home(removed, worker, family):
    kw = dict(
        actor=worker.user,
        case=family["case"],
        held_on=days_ago(1),
        participants="Worker\nParent",
        decisions="Placement continues.",
    )
    with pytest.raises(DomainError) as exc:
        services.placement_conference_record(reviews=[], **kw)
    assert "P7" in exc.value.errors["reviews"]
    with pytest.raises(DomainError):
        services.placement_conference_record(
            reviews=[{"child": family["sibling"], "decision": "continue"}], **kw
        )
    meeting = services.placement_conference_record(
        reviews=[
            {
                "child": family["child"],
                "decision": "continue",
                "obstacles": "Bus fare",
                "plan_to_overcome": "Bus passes",
            }
        ],
        **kw,
    )
    assert meeting.visitation_reviews.get().child == family["child"]


def test_p6_exit_ends_the_plan_and_a_draft_is_no_longer_signed(removed, worker, family):
    plan = services.visit_plan_create(actor=worker.user, **plan_kwargs(family))
    for p in plan.participants.all():
        services.visit_plan_sign(
            actor=worker.user, participant=p, method="paper", signed_on=days_ago(4)
        )
    draft = services.visit_plan_create(actor=worker.user, **plan_kwargs(family))
    placement_services.episode_exit(
        actor=worker.user, episode=removed, exited_on=days_ago(1), exit_reason="reunification"
    )
    plan.refresh_from_db()
    assert plan.status == "ended" and plan.ended_on == days_ago(1)
    with pytest.raises(DomainError):
        services.visit_plan_sign(
            actor=worker.user,
            participant=draft.participants.first(),
            method="paper",
            signed_on=days_ago(0),
        )
