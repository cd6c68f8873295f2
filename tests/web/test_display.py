"""Display defects found trying the product role by role (issue 15): words, not codes;
no stray punctuation; no "—%"; the timeline dated by the day things happened; month
links carrying the month once; workers by full name."""

import re

from django.template import Context, Template
from django.urls import reverse

from hearth.obligations import selectors
from hearth.obligations.models import Obligation
from hearth.placements import services as placements
from hearth.staff.models import Role
from hearth.visitation import services as visit_plans
from tests.factories import StaffFactory
from tests.placements.conftest import days_ago, family, removed  # noqa: F401 (shared fixtures)
from tests.visitation.test_services import plan_kwargs


def test_the_child_page_names_removal_reasons_in_words(client, worker, family):  # noqa: F811
    placements.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(10),
        legal_basis="court_ordered",
        removal_reasons=["physical_abuse", "domestic_violence"],
    )
    client.force_login(worker.user)
    url = reverse("case_child", args=[family["case"].pk, family["child"].pk])
    page = client.get(url).content.decode()
    assert "Physical abuse, Domestic violence" in page
    assert "physicalabuse" not in page and "domestic_violence" not in page


def test_family_needs_read_as_a_list_without_a_stray_semicolon(client, worker, family):  # noqa: F811
    case = family["case"]
    client.force_login(worker.user)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Family needs" not in page
    type(case).objects.filter(pk=case.pk).update(substance_abuse=True, domestic_violence=True)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Family needs: substance abuse; domestic violence</li>" in page


def test_a_share_with_nothing_to_divide_is_not_a_percent():
    template = Template('{% load hearth_ui %}{{ a|percent }} {{ b|percent }} {{ c|percent:"n/a" }}')
    assert template.render(Context({"a": 0, "b": None, "c": None})) == (
        "0% n/a (no children in the measure) n/a"
    )


def test_f1_with_no_full_month_says_so_rather_than_a_dash_percent(client, worker):
    director = StaffFactory(unit=None, agency=worker.unit.agency, roles=[Role.PROGRAM_DIRECTOR])
    client.force_login(director.user)
    page = client.get(reverse("f1_report")).content.decode()
    assert "—%" not in page


def test_the_timeline_is_dated_by_the_day_of_the_event(client, worker, family):  # noqa: F811
    removed_on = days_ago(20)
    placements.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=removed_on,
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    event = family["case"].events.get(type="child_removed")
    assert event.effective_on == removed_on
    client.force_login(worker.user)
    page = client.get(reverse("case_detail", args=[family["case"].pk])).content.decode()
    timeline = page[page.index('id="timeline"') : page.index('id="history"')]
    line = next(li for li in timeline.split("<li>") if "Child removed" in li)
    assert line.startswith(f"<strong>{removed_on:%Y-%m-%d}</strong>")
    assert "(recorded " in line
    # The removal, 20 days back, sits below what happened since (the case's later events).
    items = re.findall(r"<li><strong>(\d{4}-\d{2}-\d{2})", timeline)
    assert items == sorted(items, reverse=True)


def test_dashboard_month_links_carry_the_month_once_and_workers_by_full_name(
    client,
    supervisor,
    worker,
    family,  # noqa: F811
):
    placements.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(60),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    client.force_login(supervisor.user)
    page = client.get(
        reverse("contacts_dashboard") + f"?month={days_ago(0):%Y-%m}"
    ).content.decode()
    links = re.findall(r'href="\?([^"]*)">(?:Previous|Next) month', page)
    assert links and all(link.count("month=") == 1 for link in links), links
    assert f">{worker.first_name} {worker.last_name}</a>" in page
    assert "(none)" not in page


def test_requirements_with_no_worker_are_labelled(supervisor, worker, family):  # noqa: F811
    placements.child_remove(
        actor=worker.user,
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(60),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    month = days_ago(0).replace(day=1)
    Obligation.objects.filter(case=family["case"]).update(responsible=None)
    rows = selectors.dashboard(viewer=supervisor.user, month=month, group="worker", filters={})
    assert [r["label"] for r in rows if r["key"] is None] == ["No worker assigned"]


def test_a_visitation_plan_made_at_another_meeting_reads_right(
    client,
    worker,
    family,  # noqa: F811
    removed,  # noqa: F811
):
    plan = visit_plans.visit_plan_create(actor=worker.user, **plan_kwargs(family, made_at="other"))
    client.force_login(worker.user)
    page = client.get(reverse("visit_plan_detail", args=[plan.pk])).content.decode()
    assert "Made at: Another meeting with the resource parents, on" in page
    assert "a another" not in page
