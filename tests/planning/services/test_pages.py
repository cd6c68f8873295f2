"""The provider directory (P8) and a case's services page (C9) through the Django test
client: forms that keep input and answer 422 naming the field, access by role, the log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.core.models import AccessLog
from hearth.planning.models import ProgressReport, Provider, ServiceReferral
from hearth.planning.services import services
from tests.conftest import EXPECTED_READ, EXPECTED_WRITE
from tests.planning.services.conftest import actionable_need, days_ago, make_provider, service

SPECIFIC = "Weekly sessions on night-time fears so that Ava sleeps through four nights a week."


def refer_form(family, provider, chosen, **overrides):
    form = {
        "person": str(family["child"].pk),
        "service": "trauma-therapy",
        "provider": str(provider.pk),
        "needs": [str(n.pk) for n in chosen],
        "specific_needs": SPECIFIC,
        "referred_on": days_ago(1).isoformat(),
        "plan": "",
    }
    form.update(overrides)
    return form


# --- P8: the directory ---------------------------------------------------------------------


def test_p8_directory_lists_and_filters_for_every_records_user(client, worker):
    make_provider("Alder Counselling", services=("trauma-therapy",))
    make_provider("Birch Housing", services=("housing",))
    client.force_login(worker.user)
    page = client.get(reverse("providers")).content.decode()
    assert "Alder Counselling" in page and "Birch Housing" in page
    assert "Add a provider" not in page  # a case manager reads, does not keep, the directory
    page = client.get(reverse("providers"), {"service": "housing"}).content.decode()
    assert "Birch Housing" in page and "Alder Counselling" not in page
    page = client.get(reverse("providers"), {"q": "alder"}).content.decode()
    assert "Alder Counselling" in page and "Birch Housing" not in page
    r = client.post(reverse("providers"), {"name": "Mine", "services": ["housing"]})
    assert r.status_code == 403 and not Provider.objects.filter(name="Mine").exists()


def test_p8_director_adds_edits_and_deactivates_a_provider(client, director):
    client.force_login(director.user)
    r = client.post(
        reverse("providers"),
        {"name": "Harbor Center", "services": [], "phone": "ring us", "email": "x"},
    )
    assert r.status_code == 422
    text = r.content.decode()
    assert "Choose at least one service" in text and "Give a phone number" in text
    assert 'value="Harbor Center"' in text  # the input is kept
    assert not Provider.objects.exists()
    r = client.post(
        reverse("providers"),
        {"name": "Harbor Center", "services": ["housing", "child-care"], "phone": "555 010 4000"},
    )
    provider = Provider.objects.get()
    assert r.status_code == 302 and r.url == reverse("provider_detail", args=[provider.pk])
    edit = {"version": 1, "name": "Harbor Family Center", "services": ["housing"]}
    r = client.post(reverse("provider_detail", args=[provider.pk]), edit)
    assert r.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Harbor Family Center" and provider.version == 2
    # a stale version: 409, the other change shown, nothing saved
    r = client.post(reverse("provider_detail", args=[provider.pk]), edit | {"name": "Old"})
    assert r.status_code == 409 and "data-conflict" in r.content.decode()
    r = client.post(reverse("provider_deactivate", args=[provider.pk]), {"version": 2})
    provider.refresh_from_db()
    assert r.status_code == 302 and not provider.active and provider.name == "Harbor Family Center"


def test_p8_an_administrator_keeps_the_directory_without_case_records(client, world):
    admin = world["staff"]["admin"]
    client.force_login(admin.user)
    assert client.get(reverse("providers")).status_code == 200
    r = client.post(reverse("providers"), {"name": "Elm Services", "services": ["tutoring"]})
    assert r.status_code == 302


# --- C9: the case's services page ----------------------------------------------------------


def test_c9_refer_from_the_case_page_and_needs_without_service(client, worker, family, needs):
    provider = make_provider(services=("trauma-therapy",))
    make_provider("Birch Housing", services=("housing",))
    client.force_login(worker.user)
    url = reverse("case_services", args=[family["case"].pk])
    page = client.get(url).content.decode()
    assert "Reactions to a frightening event" in page and "Trauma" in page
    assert 'id="needs-unmet"' in page and "3 actionable needs" in page
    # the providers offered are those of the chosen service
    page = client.get(url, {"service": "housing"}).content.decode()
    assert "Birch Housing" in page and provider.name not in page
    r = client.post(url, refer_form(family, provider, [needs["trauma"]]))
    assert r.status_code == 302, r.content.decode()[:3000]
    referral = ServiceReferral.objects.get()
    assert list(referral.needs.all()) == [needs["trauma"]]
    page = client.get(url).content.decode()
    assert "2 actionable needs" in page and "Sent" in page and SPECIFIC in page
    assert AccessLog.objects.filter(
        path=url, object_type="servicereferral", object_id=referral.pk, kind="list"
    ).exists()


@pytest.mark.parametrize(
    "field,overrides,reason",
    [
        ("specific_needs", {"specific_needs": "Therapy."}, "at least"),
        ("needs", {"needs": []}, "at least one identified need"),
        ("service", {"service": "family-therapy"}, "does not offer"),
        ("referred_on", {"referred_on": days_ago(-3).isoformat()}, "future"),
    ],
)
def test_c9_a_refused_referral_keeps_the_input_and_answers_422(
    client, worker, family, needs, field, overrides, reason
):
    provider = make_provider(services=("trauma-therapy",))
    make_provider("Other", services=("family-therapy",))
    client.force_login(worker.user)
    url = reverse("case_services", args=[family["case"].pk])
    r = client.post(url, refer_form(family, provider, [needs["trauma"]], **overrides))
    assert r.status_code == 422
    text = r.content.decode()
    assert reason in text and f'id="id_{field}_error"' in text
    assert ServiceReferral.objects.count() == 0
    if field != "specific_needs":
        assert SPECIFIC in text  # the text typed is kept


def test_p8_status_and_report_forms_on_the_case_page(client, worker, family, needs):
    provider = make_provider(services=("trauma-therapy",))
    referral = services.service_referral_create(
        actor=worker.user,
        case=family["case"],
        person=family["child"],
        provider=provider,
        service=service(),
        needs=[needs["trauma"].pk],
        specific_needs=SPECIFIC,
        referred_on=days_ago(10),
    )
    client.force_login(worker.user)
    status_url = reverse("service_referral_status", args=[referral.pk])
    r = client.post(status_url, {"version": 1, "status": "started", "on": days_ago(5)})
    assert r.status_code == 422 and "moves next to accepted" in r.content.decode()
    r = client.post(
        status_url, {"version": 1, "status": "ended_early", "on": days_ago(5), "reason": ""}
    )
    assert r.status_code == 422 and "Say why the service ended early" in r.content.decode()
    r = client.post(status_url, {"version": 1, "status": "accepted", "on": days_ago(5)})
    assert r.status_code == 302
    report_url = reverse("service_referral_report", args=[referral.pk])
    report = {
        "reported_on": days_ago(2).isoformat(),
        "reporter": "Lee Counsellor",
        "progress": "improving",
        "attendance": "2 of 2",
        "narrative": "",
    }
    r = client.post(report_url, report)
    assert r.status_code == 422 and 'value="Lee Counsellor"' in r.content.decode()
    r = client.post(report_url, report | {"narrative": "Ava attends and speaks of her fears."})
    assert r.status_code == 302
    page = client.get(reverse("case_services", args=[family["case"].pk])).content.decode()
    assert "Accepted" in page and "Ava attends and speaks of her fears." in page
    assert ProgressReport.objects.count() == 1


def test_c9_case_page_queries_do_not_grow_with_referrals(client, worker, family, needs):
    provider = make_provider(services=("trauma-therapy", "family-therapy"))
    client.force_login(worker.user)
    url = reverse("case_services", args=[family["case"].pk])

    def refer(person, need, code):
        services.service_referral_create(
            actor=worker.user,
            case=family["case"],
            person=person,
            provider=provider,
            service=service(code),
            needs=[need.pk],
            specific_needs=SPECIFIC,
            referred_on=days_ago(1),
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    refer(family["child"], needs["trauma"], "trauma-therapy")
    client.get(url)
    one = queries()
    refer(family["child"], needs["sleep"], "family-therapy")
    parents = actionable_need(family["case"], family["parent"], worker, item="school")
    refer(family["parent"], parents, "family-therapy")
    assert queries() == one


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_c9_case_services_page_by_role(client, world, who):
    """Unseen case: 404; seen, read-only: 200 without the forms and 403 on a write;
    editable: the referral form, and a refused post is a 422."""
    client.force_login(world["staff"][who].user)
    for name, case in world["cases"].items():
        url = reverse("case_services", args=[case.pk])
        r = client.get(url)
        if name not in EXPECTED_READ[who]:
            assert r.status_code == 404, (who, name)
            assert client.post(url, {}).status_code == 404
            continue
        assert r.status_code == 200, (who, name)
        editable = name in EXPECTED_WRITE[who]
        assert ("Send the referral" in r.content.decode()) == editable, (who, name)
        assert client.post(url, {}).status_code == (422 if editable else 403), (who, name)


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_p8_status_and_report_posts_by_role(client, world, referrals, who):
    """A referral of an unseen case: 404; of a case seen read-only: 403; editable: a
    refused (empty) form is a 422. Nothing changes but by an editor."""
    client.force_login(world["staff"][who].user)
    for name, referral in referrals.items():
        if name in EXPECTED_WRITE[who]:
            expected = 422
        else:
            expected = 403 if name in EXPECTED_READ[who] else 404
        for url in ("service_referral_status", "service_referral_report"):
            r = client.post(reverse(url, args=[referral.pk]), {})
            assert r.status_code == expected, (who, name, url)
        referral.refresh_from_db()
        assert referral.status == "sent" and not referral.reports.exists()
