"""Issue 11's contact-rule corrections end to end: through the services, the obligations
they write, the dashboard page and the API figures. Every date is relative to the
services' today, so the module passes on any day of any month."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.cases.services import case_member_update
from hearth.contacts import services
from hearth.obligations import selectors
from hearth.obligations.models import Obligation
from hearth.placements.services import child_place, child_remove
from tests.api.conftest import ApiClient
from tests.factories import PersonFactory, make_case
from tests.placements.conftest import days_ago

pytestmark = pytest.mark.django_db


def month_start(back: int) -> date:
    """The first day of the month `back` months before today's."""
    first = days_ago(0).replace(day=1)
    for _ in range(back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def record(worker, case, day: date, **kw):
    kw.setdefault("narrative", "Recorded by the test.")
    return services.contact_note_create(
        actor=worker.user, author=worker, case=case, occurred_at=noon(day), finalize=True, **kw
    )


def rows(case, person, month: date, **kw):
    qs = Obligation.objects.filter(case=case, month=month, person=person, **kw)
    return list(selectors.with_state(qs))


def dashboard_row(viewer, month: date) -> dict:
    [row] = selectors.dashboard(viewer=viewer.user, month=month, group="worker", filters={})
    return row


def test_v7_over_v8_an_exception_governs_an_incarcerated_parent(worker, supervisor, family):
    """One call in the exception's first month meets it for three months; the fourth is
    due again; no monthly visit (V5) or call (V8) is owed meanwhile."""
    case, parent = family["case"], family["parent"]
    m1, m4 = month_start(3), month_start(0)
    start = max(m1, case.opened_on)
    child_remove(
        actor=worker.user,
        case=case,
        child=family["child"],
        removed_on=start,
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    parent.incarcerated = True
    parent.save()
    services.contact_exception_approve(
        actor=supervisor.user,
        approver=supervisor,
        case=case,
        person=parent,
        kind="exception",
        reason="Serving a sentence out of state; visits approved by call or letter.",
        starts_on=start,
    )
    call = record(worker, case, m1 + timedelta(days=14), method="phone", contact_with=[parent])
    months = [month_start(n) for n in (3, 2, 1, 0)]
    owed = {(o.month, o.rule) for o in Obligation.objects.filter(case=case, person=parent)}
    assert owed == {(m, "V7") for m in months}
    v7 = [rows(case, parent, m, rule="V7") for m in months]
    assert [o.evidence_id for [o] in v7] == [call.pk, call.pk, call.pk, None]
    assert [o.state for [o] in v7] == ["met", "met", "met", "due"]
    assert v7[3][0].month == m4


def test_v8_without_an_exception_the_visit_stays_owed_with_its_reason(
    worker, supervisor, removed, family
):
    """V5 is not met by the call: it carries the call as its documented reason and the
    dashboard counts it as "not seen, documented reason", not as an unexplained miss."""
    case, parent = family["case"], family["parent"]
    parent.incarcerated = True
    parent.save()
    last = month_start(1)
    day = last + timedelta(days=9)
    call = record(worker, case, day, method="letter", contact_with=[parent])
    [v5] = rows(case, parent, last, rule="V5")
    assert v5.met_on is None and v5.state == "overdue"
    assert v5.reason == f"incarcerated: call or letter recorded {day:%Y-%m-%d}"
    [v8] = rows(case, parent, last, rule="V8")
    assert v8.evidence_id == call.pk
    row = dashboard_row(supervisor, last)
    assert row["not_seen_with_reason"] == 1  # the parent; the child's V2 has no reason
    assert row["overdue_unexplained"] == row["overdue"] - 1


def test_v11_a_runaway_child_is_not_seen_with_a_reason_not_overdue(
    client, worker, supervisor, removed, family
):
    case, child = family["case"], family["child"]
    child_place(
        actor=worker.user,
        episode=removed,
        starts_on=removed.removed_on,
        setting="runaway",
        move_reason="Left the shelter on the first night.",
    )
    last = month_start(1)
    effort = last + timedelta(days=2)
    record(
        worker,
        case,
        effort,
        kind="locate",
        locate_subject=child,
        locate_method="call_last_number",
    )
    [v2] = rows(case, child, last, rule="V2")
    assert v2.state == "overdue"
    assert v2.reason == f"on runaway: locate efforts recorded {effort:%Y-%m-%d}"
    [v11] = rows(case, child, last, rule="V11")
    assert v11.state == "met"
    row = dashboard_row(supervisor, last)
    assert row["not_seen_with_reason"] == 1 and row["overdue_unexplained"] == row["overdue"] - 1
    # The page and the API figures say the same.
    client.force_login(supervisor.user)
    url = reverse("contacts_dashboard")
    page = client.get(url, {"month": f"{last:%Y-%m}"}).content.decode()
    assert '<td data-label="Not seen, documented reason">1</td>' in page
    unexplained = row["overdue_unexplained"]
    assert f'<td data-label="Not met, no reason">{unexplained}</td>' in page
    body = (
        ApiClient(supervisor.user).get("/api/v1/contacts/dashboard", month=f"{last:%Y-%m}").json()
    )
    assert body["rows"][0]["not_seen_with_reason"] == 1
    assert body["totals"]["overdue_unexplained"] == unexplained
    # This month, before any effort: the locate row shows its own reason.
    drill = client.get(url, {"worker": worker.pk}).content.decode()
    [v11_now] = rows(case, child, month_start(0), rule="V11")
    [v11_row] = [tr for tr in drill.split("<tr>") if "(V11)" in tr]
    assert v11_now.reason == "on runaway" and ">on runaway</td>" in v11_row


def test_v12_a_child_placed_out_of_state_is_met_by_the_monthly_call(
    worker, supervisor, removed, family
):
    case, child = family["case"], family["child"]
    child_place(
        actor=worker.user,
        episode=removed,
        starts_on=removed.removed_on,
        setting="resource_family_home",
        provider_name="ICPC home",
        out_of_state=True,
        state="oh",
        departure_reason="The only home that can take him.",
    )
    last = month_start(1)
    call = record(
        worker,
        case,
        last + timedelta(days=4),
        method="phone",
        contact_with=[],
        collaterals=[{"kind": "resource_parent", "name": "Resource mother"}],
    )
    assert rows(case, child, last, rule="V2") == []
    [v12] = rows(case, child, last, source="contacts")  # not P5, due after a placement
    assert (v12.rule, v12.state, v12.evidence_id) == ("V12", "met", call.pk)
    unmet = selectors.unmet(viewer=supervisor.user, month=last, filters={})
    assert child.pk not in {o.person_id for o in unmet}


def test_v1_every_other_child_in_the_home_is_interviewed(worker, supervisor):
    """Not only the child and sibling roles: a minor of any role living in the household
    (here a cousin, a household member) is required in person; an adult or a child who
    lives elsewhere is not."""
    victim = PersonFactory(date_of_birth=days_ago(8 * 365))
    cousin = PersonFactory(date_of_birth=days_ago(12 * 365))  # lives in the home
    uncle = PersonFactory(date_of_birth=days_ago(40 * 365))
    away = PersonFactory(date_of_birth=days_ago(10 * 365))
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="investigation",
        members=[
            (victim, "child"),
            (cousin, "household_member"),
            (uncle, "household_member"),
            (away, "household_member"),
        ],
    )
    case_member_update(  # a child of the household who now lives elsewhere
        actor=supervisor.user, member=case.members.get(person=away), in_household=False
    )
    v1 = set(
        Obligation.objects.filter(case=case, rule="V1", month=month_start(0)).values_list(
            "person", "need"
        )
    )
    assert v1 == {
        (victim.pk, "in_person"),
        (cousin.pk, "in_person"),
        (None, "home_visit"),
    }
