"""Contact notes and the obligations they meet, against a real database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.contacts import services
from hearth.contacts.models import ContactNote, NoteAmendment
from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory
from tests.placements.conftest import days_ago


def at(days: int):
    """A moment `days` ago (a minute before now, on that day)."""
    return timezone.now() - timedelta(days=days, minutes=1)


def note(worker, case, **kw):
    kw.setdefault("occurred_at", at(0))
    kw.setdefault("narrative", "Visit went well.")
    return services.contact_note_create(actor=worker.user, author=worker, case=case, **kw)


def obligations(case, person=None, rule=None):
    qs = Obligation.objects.filter(case=case, month=timezone.localdate().replace(day=1))
    if person is not None:
        qs = qs.filter(person=person)
    if rule is not None:
        qs = qs.filter(rule=rule)
    return qs


def test_v2_v5_requirements_appear_when_a_child_is_removed(removed, family):
    case = family["case"]
    assert obligations(case, family["child"], "V2").get().need == "in_person"
    assert obligations(case, family["parent"], "V5").get().need == "in_person"


def test_v10_one_final_note_meets_every_requirement_it_serves(worker, removed, family):
    case = family["case"]
    n = note(
        worker,
        case,
        method="in_person",
        location="placement",
        contact_with=[family["child"], family["parent"]],
    )
    assert obligations(case).filter(met_on__isnull=False).count() == 0  # a draft counts not
    services.contact_note_finalize(actor=worker.user, note=n)
    met = obligations(case).filter(evidence_id=n.pk)
    assert {(o.rule, o.person_id) for o in met} >= {
        ("V2", family["child"].pk),
        ("V5", family["parent"].pk),
    }


def test_v9_an_attempt_does_not_count_as_seen(worker, removed, family):
    case = family["case"]
    note(
        worker,
        case,
        method="attempted",
        location="placement",
        contact_with=[family["child"]],
        narrative="No answer at the door.",
        finalize=True,
    )
    v2 = obligations(case, family["child"], "V2").get()
    assert v2.met_on is None and "attempted on" in v2.reason


def test_v8_locate_effort_for_a_parent_whose_whereabouts_are_unknown(worker, removed, family):
    parent = family["parent"]
    parent.whereabouts_known = False
    parent.save()
    case = family["case"]
    from hearth.obligations.engine import recompute

    recompute(case)
    assert obligations(case, parent, "V8").get().need == "locate"
    with pytest.raises(DomainError) as exc:
        note(worker, case, kind="locate", locate_subject=parent, finalize=True)
    assert "locate_method" in exc.value.errors
    n = note(
        worker,
        case,
        kind="locate",
        locate_subject=parent,
        locate_method="letter_last_address",
        contact_with=[],
        finalize=True,
    )
    assert n.method == "letter"
    assert obligations(case, parent, "V8").get().evidence_id == n.pk


def test_bad_notes_are_refused_and_nothing_is_stored(worker, removed, family):
    case = family["case"]
    stranger = PersonFactory()
    cases = [
        (
            dict(occurred_at=at(-2), method="in_person", contact_with=[family["child"]]),
            "occurred_at",
        ),
        (dict(method="in_person", contact_with=[stranger]), "contact_with"),
        (dict(method="in_person", contact_with=[]), "contact_with"),
        (
            dict(method="phone", location="parents_home", contact_with=[family["parent"]]),
            "location",
        ),
        (
            dict(
                method="in_person", contact_with=[family["child"]], collaterals=[{"kind": "alien"}]
            ),
            "collaterals",
        ),
    ]
    for kw, field in cases:
        with pytest.raises(DomainError) as exc:
            note(worker, case, **kw)
        assert field in exc.value.errors, kw
    assert not ContactNote.objects.exists()


def test_a_member_who_left_is_not_a_contact_after_leaving(worker, supervisor, family):
    from hearth.cases.services import case_member_update

    member = family["case"].members.get(person=family["parent"])
    case_member_update(actor=supervisor.user, member=member, ends_on=days_ago(5))
    with pytest.raises(DomainError) as exc:
        note(worker, family["case"], method="phone", contact_with=[family["parent"]])
    assert "contact_with" in exc.value.errors
    note(worker, family["case"], occurred_at=at(6), method="phone", contact_with=[family["parent"]])


def test_final_notes_are_amended_never_edited(worker, removed, family):
    n = note(
        worker,
        family["case"],
        method="in_person",
        location="placement",
        contact_with=[family["child"]],
    )
    services.contact_note_update(actor=worker.user, note=n, narrative="Corrected draft.")
    services.contact_note_finalize(actor=worker.user, note=n)
    with pytest.raises(DomainError):
        services.contact_note_update(actor=worker.user, note=n, narrative="Changed")
    with pytest.raises(DomainError):
        services.contact_note_finalize(actor=worker.user, note=n)
    services.contact_note_amend(actor=worker.user, note=n, text="Child mentioned a new school.")
    n.refresh_from_db()
    assert n.narrative == "Corrected draft." and NoteAmendment.objects.get(note=n).author
    assert n.history.count() >= 2


def test_only_the_author_finalizes(worker, supervisor, removed, family):
    n = note(worker, family["case"], method="phone", contact_with=[family["parent"]])
    with pytest.raises(DomainError):
        services.contact_note_finalize(actor=supervisor.user, note=n)


def test_v7_supervisor_exception_turns_the_visit_into_a_call(worker, supervisor, removed, family):
    kw = dict(
        case=family["case"],
        person=family["parent"],
        kind="exception",
        reason="Parent in residential treatment out of state.",
        starts_on=days_ago(40),
    )
    with pytest.raises(DomainError) as exc:
        services.contact_exception_approve(actor=worker.user, approver=worker, **kw)
    assert "approved_by" in exc.value.errors
    services.contact_exception_approve(actor=supervisor.user, approver=supervisor, **kw)
    rules = set(obligations(family["case"], family["parent"]).values_list("rule", flat=True))
    assert rules == {"V7"}


def test_v6_contact_plan_for_a_parent_when_the_goal_is_not_reunification(
    worker, supervisor, removed, family
):
    from hearth.placements.services import permanency_goal_change

    permanency_goal_change(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        goal="adoption",
        starts_on=days_ago(40),
        reason="Court changed the goal.",
    )
    assert obligations(family["case"], family["parent"], "V6").get().need == "contact_plan"
    services.parent_contact_plan_set(
        actor=supervisor.user,
        agreed_by=supervisor,
        case=family["case"],
        person=family["parent"],
        need="call_or_letter",
        every_months=1,
        starts_on=days_ago(40),
    )
    assert obligations(family["case"], family["parent"], "V6").get().need == "call_or_letter"


def test_p5_first_family_contact_after_placement_is_an_obligation(worker, removed, family):
    from hearth.placements.services import child_place
    from hearth.visitation.services import family_visit_record

    child_place(
        actor=worker.user,
        episode=removed,
        starts_on=days_ago(0),
        choice=f"relative:{family['aunt'].pk}",
    )
    p5 = Obligation.objects.get(case=family["case"], rule="P5")
    assert p5.due_on == days_ago(0) + timedelta(days=3) and p5.met_on is None
    family_visit_record(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        visit_on=days_ago(0),
        status="held",
        visitors=[family["parent"]],
    )
    assert Obligation.objects.get(case=family["case"], rule="P5").met_on == days_ago(0)


def test_obligations_name_the_responsible_worker(removed, family, worker):
    assert set(obligations(family["case"]).values_list("responsible", flat=True)) == {worker.pk}


def test_supervisor_role_needed_for_plans(worker, removed, family):
    other = StaffFactory(unit=worker.unit, roles=[Role.CASE_MANAGER])
    with pytest.raises(DomainError):
        services.parent_contact_plan_set(
            actor=worker.user,
            agreed_by=other,
            case=family["case"],
            person=family["parent"],
            need="in_person",
            every_months=1,
            starts_on=days_ago(1),
        )


def test_refresh_obligations_command_is_idempotent(removed, family):
    from django.core.management import call_command

    month = timezone.localdate().strftime("%Y-%m")
    before = set(obligations(family["case"]).values_list("rule", "person", "need"))
    call_command("refresh_obligations", month=month)
    call_command("refresh_obligations", month=month)
    assert set(obligations(family["case"]).values_list("rule", "person", "need")) == before


def test_v2_a_late_evening_visit_counts_in_its_local_month(worker, removed, family):
    """A visit at 23:30 local time on the last day of last month meets last month's V2,
    whatever the date in UTC."""
    from datetime import datetime, time

    last_of_prev = timezone.localdate().replace(day=1) - timedelta(days=1)
    late = timezone.make_aware(datetime.combine(last_of_prev, time(23, 30)))
    n = note(
        worker,
        family["case"],
        occurred_at=late,
        method="in_person",
        location="placement",
        contact_with=[family["child"]],
        finalize=True,
    )
    v2 = Obligation.objects.get(case=family["case"], rule="V2", month=last_of_prev.replace(day=1))
    assert v2.evidence_id == n.pk and v2.met_on == last_of_prev


def test_a_backdated_removal_fills_every_month_since(family, worker):
    """V2: a removal backdated to the 1st of the month before last owes a visit in that
    month, the next and this one (a full month each, so the 7-day partial-month rule owes
    every one whatever today's date)."""
    from hearth.placements.services import child_remove

    this_month = today().replace(day=1)
    first = (this_month - timedelta(days=40)).replace(day=1)
    child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=first,
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    months = set(
        Obligation.objects.filter(case=family["case"], rule="V2").values_list("month", flat=True)
    )
    middle = (first + timedelta(days=32)).replace(day=1)
    assert {first, middle, this_month} <= months
