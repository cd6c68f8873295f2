"""Contact pages through the Django test client: my contacts, the note form, the
dashboard with its drill-down and CSV."""

from django.urls import reverse
from django.utils import timezone

from hearth.contacts.models import ContactNote
from hearth.staff.models import Role
from tests.factories import StaffFactory


def test_v13_my_contacts_lists_who_is_still_to_be_seen(client, worker, removed, family):
    client.force_login(worker.user)
    page = client.get(reverse("my_contacts")).content.decode()
    todo = page[page.index('id="todo"') : page.index('id="done"')]
    assert family["child"].full_name in todo and "Seen in person (V2)" in todo
    assert f"with={family['child'].pk}" in todo


def test_note_form_records_a_final_contact_and_refuses_bad_input(client, worker, removed, family):
    client.force_login(worker.user)
    url = reverse("note_new", args=[family["case"].pk])
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = {
        "kind": "contact",
        "occurred_at": now,
        "method": "phone",
        "location": "placement",
        "contact_with": [family["child"].pk],
        "narrative": "x",
        "finalize": "on",
    }
    r = client.post(url, bad)
    assert r.status_code == 422 and "is in person" in r.content.decode()
    assert not ContactNote.objects.exists()
    good = dict(bad, method="in_person")
    r = client.post(url + f"?next={reverse('my_contacts')}", good)
    assert r.status_code == 302 and r.url == reverse("my_contacts")
    page = client.get(reverse("my_contacts")).content.decode()
    done = page[page.index('id="done"') :]
    assert family["child"].full_name in done


def test_v13_dashboard_by_worker_with_drill_down_and_csv(
    client, supervisor, worker, removed, family
):
    client.force_login(supervisor.user)
    page = client.get(reverse("contacts_dashboard")).content.decode()
    assert worker.last_name in page and "Share met" in page
    drill = client.get(reverse("contacts_dashboard") + f"?worker={worker.pk}").content.decode()
    assert family["child"].full_name in drill and "Not seen yet, and why" in drill
    csv = client.get(reverse("contacts_dashboard") + f"?worker={worker.pk}&format=csv")
    assert csv["Content-Type"] == "text/csv"
    assert family["child"].full_name in csv.content.decode()


def test_dashboard_names_no_one_outside_the_viewers_cases(client, removed, family):
    rival = StaffFactory(roles=[Role.SUPERVISOR])
    client.force_login(rival.user)
    page = client.get(reverse("contacts_dashboard")).content.decode()
    assert family["child"].full_name not in page
    drill = client.get(reverse("contacts_dashboard") + "?worker=1").content.decode()
    assert family["child"].full_name not in drill


def test_caseload_shows_each_cases_next_obligations(client, worker, removed, family):
    client.force_login(worker.user)
    page = client.get(reverse("caseload")).content.decode()
    assert "Seen in person (V2)" in page


def test_v7_supervisor_approves_an_exception_on_the_case(
    client, supervisor, worker, removed, family
):
    url = reverse("exception_new", args=[family["case"].pk])
    data = {
        "person": family["parent"].pk,
        "kind": "exception",
        "reason": "Treatment program",
        "starts_on": timezone.localdate().replace(day=1).isoformat(),
    }
    client.force_login(worker.user)
    r = client.post(url, data)
    assert r.status_code == 422 and "A supervisor approves" in r.content.decode()
    client.force_login(supervisor.user)
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("case_detail", args=[family["case"].pk])).content.decode()
    assert "A call or letter (V7)" in page
