"""Administrators manage reference data and staff in the Django admin and read the access
log per case and per user; case data itself is not in the admin (ADR 0002)."""

import pytest
from django.contrib.auth import get_user_model

from hearth.core.models import AccessLog


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "", "pass-word-123")
    client.force_login(admin)
    return client


def test_access_log_is_readable_per_case_and_per_user(admin_client, case, worker):
    AccessLog.objects.create(
        user=worker.user,
        case=case,
        object_type="case",
        object_id=case.pk,
        channel="web",
        path=f"/cases/{case.pk}/",
    )
    r = admin_client.get(f"/admin/core/accesslog/?case__id__exact={case.pk}")
    assert r.status_code == 200 and case.case_number in r.content.decode()
    r = admin_client.get(f"/admin/core/accesslog/?user__id__exact={worker.user_id}")
    assert r.status_code == 200 and "1 access log" in r.content.decode()
    r = admin_client.get(f"/admin/core/accesslog/?q={case.case_number}")
    assert r.status_code == 200 and case.case_number in r.content.decode()


def test_access_log_cannot_be_changed_in_the_admin(admin_client, case, worker):
    log = AccessLog.objects.create(
        user=worker.user, case=case, object_type="case", object_id=case.pk, channel="api", path="/x"
    )
    assert (
        admin_client.post(f"/admin/core/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_reference_data_and_staff_are_managed_in_the_admin(admin_client):
    for url in (
        "/admin/reference/county/add/",
        "/admin/reference/skill/add/",
        "/admin/staff/unit/add/",
        "/admin/staff/staffmember/",
        "/admin/staff/agency/",
        "/admin/placements/resourcehome/add/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_case_data_is_not_in_the_admin(admin_client):
    assert admin_client.get("/admin/cases/case/").status_code == 404
    assert admin_client.get("/admin/people/person/").status_code == 404
    assert admin_client.get("/admin/placements/placement/").status_code == 404
