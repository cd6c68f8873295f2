"""Restricted cases (docs/adr/0010-restricted-cases.md): only the assigned workers, the
supervisor of the case's unit, the program directors, the named staff and the state staff
granted it open the case; setting and lifting the flag and naming staff are validated,
kept in the history with their reasons, and offered on the case page and in the API."""

import pytest
from django.urls import reverse

from hearth.cases import access as case_access
from hearth.cases import selectors, services
from hearth.cases.models import Case, CaseAccessGrant, CaseEvent
from hearth.core.errors import ConflictError, DomainError
from hearth.core.models import AccessLog
from hearth.staff.models import Role, StaffMember
from tests.api.conftest import ApiClient
from tests.factories import AgencyFactory, StaffFactory, UnitFactory, make_case

API = "/api/v1"


@pytest.fixture
def director(agency):
    return StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])


@pytest.fixture
def colleague(unit):
    return StaffFactory(unit=unit)


@pytest.fixture
def far_worker(other_unit):
    return StaffFactory(unit=other_unit)


def _restrict(case, actor, reason="A colleague's family"):
    return services.case_set_restricted(actor=actor.user, case=case, restricted=True, reason=reason)


def test_restricting_keeps_the_reason_in_history_and_timeline(case, supervisor, colleague):
    assert case_access.visible_cases(colleague.user).filter(pk=case.pk).exists()
    version = case.version
    case = _restrict(case, supervisor)
    assert case.restricted and case.version == version + 1
    assert not case_access.visible_cases(colleague.user).filter(pk=case.pk).exists()
    event = CaseEvent.objects.get(case=case, type="case_restricted")
    assert event.actor == supervisor.user and event.payload["reason"] == "A colleague's family"
    entry = next(e for e in selectors.case_history(case=case) if e.what.startswith("Case"))
    assert ("restricted", "No", "Yes") in entry.changes
    assert entry.reason == "A colleague's family"


def test_restricting_needs_a_reason_and_the_current_version(case, supervisor):
    with pytest.raises(DomainError) as err:
        services.case_set_restricted(actor=supervisor.user, case=case, restricted=True, reason=" ")
    assert set(err.value.errors) == {"reason"}
    with pytest.raises(ConflictError):
        services.case_set_restricted(
            actor=supervisor.user, case=case, restricted=True, reason="x", version=99
        )
    _restrict(case, supervisor)
    with pytest.raises(DomainError) as err:  # a second submit does not undo the first
        _restrict(case, supervisor)
    assert err.value.errors == {"restricted": "The case is already restricted."}
    assert Case.objects.get(pk=case.pk).restricted


def test_named_staff_are_active_staff_of_the_case_agency(case, supervisor, far_worker):
    with pytest.raises(DomainError) as err:
        services.case_name_staff(
            actor=supervisor.user, named_by=supervisor, case=case, staff=far_worker, reason="x"
        )
    assert err.value.errors == {
        "case": "Only a restricted case has named staff: restrict it first."
    }
    case = _restrict(case, supervisor)
    rival = StaffFactory(unit=UnitFactory(agency=AgencyFactory()))
    on_leave = StaffFactory(unit=far_worker.unit, status=StaffMember.Status.ON_LEAVE)
    refused = [
        (rival, "", {"reason"}),
        (rival, "x", {"staff"}),
        (on_leave, "x", {"staff"}),
    ]
    for staff, reason, fields in refused:
        with pytest.raises(DomainError) as err:
            services.case_name_staff(
                actor=supervisor.user, named_by=supervisor, case=case, staff=staff, reason=reason
            )
        assert set(err.value.errors) == fields, (staff, err.value.errors)
    assert not CaseAccessGrant.objects.filter(purpose="named").exists()
    services.case_name_staff(
        actor=supervisor.user, named_by=supervisor, case=case, staff=far_worker, reason="Cover"
    )
    with pytest.raises(DomainError):
        services.case_name_staff(
            actor=supervisor.user, named_by=supervisor, case=case, staff=far_worker, reason="x"
        )
    assert case_access.visible_cases(far_worker.user).filter(pk=case.pk).exists()
    assert not case_access.editable_cases(far_worker.user).filter(pk=case.pk).exists()


def test_removing_named_staff_and_lifting_the_restriction(case, supervisor, far_worker, colleague):
    case = _restrict(case, supervisor)
    other = StaffFactory(unit=far_worker.unit)
    for staff in (far_worker, other):
        services.case_name_staff(
            actor=supervisor.user, named_by=supervisor, case=case, staff=staff, reason="Cover"
        )
    grant = services.case_unname_staff(
        actor=supervisor.user, case=case, staff=far_worker, reason="Back from leave"
    )
    assert grant.ends_on is not None and grant.end_reason == "Back from leave"
    assert not case_access.visible_cases(far_worker.user).filter(pk=case.pk).exists()
    with pytest.raises(DomainError):
        services.case_unname_staff(actor=supervisor.user, case=case, staff=far_worker, reason="x")
    # Lifting ends the names too: the unit sees the case again, the named staff do not.
    case = services.case_set_restricted(
        actor=supervisor.user, case=case, restricted=False, reason="The colleague moved away"
    )
    assert not CaseAccessGrant.objects.filter(purpose="named", ends_on__isnull=True).exists()
    assert CaseAccessGrant.objects.get(staff=other).end_reason.startswith("Restriction lifted")
    assert case_access.visible_cases(colleague.user).filter(pk=case.pk).exists()
    assert not case_access.visible_cases(other.user).filter(pk=case.pk).exists()
    reasons = {e.reason for e in selectors.case_history(case=case)}
    assert {"Cover", "Back from leave", "The colleague moved away"} <= reasons


def test_a_referred_restricted_case_is_closed_to_intake(agency, director):
    intake = StaffFactory(unit=None, agency=agency, roles=[Role.INTAKE_COORDINATOR])
    referral = make_case(actor_staff=director)
    assert case_access.editable_cases(intake.user).filter(pk=referral.pk).exists()
    _restrict(referral, director)
    assert not case_access.visible_cases(intake.user).filter(pk=referral.pk).exists()
    assert not case_access.editable_cases(intake.user).filter(pk=referral.pk).exists()
    assert case_access.editable_cases(director.user).filter(pk=referral.pk).exists()


def test_the_case_page_restricts_names_and_labels(
    case, supervisor, worker, colleague, far_worker, as_user
):
    client = as_user(supervisor)
    url = reverse("case_detail", args=[case.pk])
    text = client.get(url + "?action=restrict").content.decode()
    assert "Restrict the case" in text and "Restricted case." not in text
    r = client.post(
        reverse("case_restrict", args=[case.pk]),
        {"restrict-version": case.version, "restrict-restricted": "1", "restrict-reason": ""},
    )
    assert r.status_code == 422 and not Case.objects.get(pk=case.pk).restricted
    r = client.post(
        reverse("case_restrict", args=[case.pk]),
        {
            "restrict-version": case.version,
            "restrict-restricted": "1",
            "restrict-reason": "High-profile case",
        },
    )
    assert r.status_code == 302
    r = client.post(
        reverse("case_named_staff_add", args=[case.pk]),
        {"name-staff": far_worker.pk, "name-reason": "Covers nights"},
    )
    assert r.status_code == 302
    text = client.get(url).content.decode()
    assert "Restricted case." in text and "Covers nights" in text and "High-profile case" in text
    listed = client.get(reverse("case_list")).content.decode()
    assert case.case_number in listed and "Restricted</span>" in listed
    assert as_user(far_worker).get(url).status_code == 200
    assert AccessLog.objects.filter(case=case, user=far_worker.user, channel="web").count() == 1
    assert as_user(colleague).get(url).status_code == 404
    # The holder sees the label on their caseload; the named worker cannot change the flag.
    assert "Restricted</span>" in as_user(worker).get(reverse("caseload")).content.decode()
    r = as_user(far_worker).post(
        reverse("case_restrict", args=[case.pk]),
        {"restrict-version": 3, "restrict-restricted": "0", "restrict-reason": "x"},
    )
    assert r.status_code == 403
    client = as_user(supervisor)
    r = client.post(
        reverse("case_named_staff_end", args=[case.pk]),
        {"unname-staff": far_worker.pk, "unname-reason": "Back"},
    )
    assert r.status_code == 302
    assert as_user(far_worker).get(url).status_code == 404
    case.refresh_from_db()
    r = as_user(supervisor).post(
        reverse("case_restrict", args=[case.pk]),
        {"restrict-version": case.version, "restrict-restricted": "0", "restrict-reason": "Done"},
    )
    assert r.status_code == 302 and not Case.objects.get(pk=case.pk).restricted


def test_the_api_restricts_names_and_logs_every_view(case, director, far_worker, colleague):
    api = ApiClient(director.user)
    r = api.post(f"{API}/cases/{case.pk}/restriction", {"restricted": True, "reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = api.post(
        f"{API}/cases/{case.pk}/restriction",
        {"restricted": True, "reason": "Staff family", "version": case.version},
    )
    assert r.status_code == 200 and r.json()["restricted"] is True, r.content
    r = api.post(
        f"{API}/cases/{case.pk}/named-staff", {"staff": far_worker.pk, "reason": "Covers nights"}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["staff"] == {"id": far_worker.pk, "name": far_worker.full_name}
    assert body["named_by"]["id"] == director.pk and body["reason"] == "Covers nights"
    listed = api.get(f"{API}/cases/{case.pk}/named-staff").json()
    assert [g["staff"]["id"] for g in listed] == [far_worker.pk]
    # The named worker opens it (logged), a unit colleague gets the 404 of a missing case.
    before = AccessLog.objects.filter(case=case, user=far_worker.user).count()
    named = ApiClient(far_worker.user)
    assert named.get(f"{API}/cases/{case.pk}").status_code == 200
    assert AccessLog.objects.filter(case=case, user=far_worker.user).count() == before + 1
    missing = ApiClient(colleague.user).get(f"{API}/cases/987654").content
    r = ApiClient(colleague.user).get(f"{API}/cases/{case.pk}")
    assert r.status_code == 404 and r.content == missing
    r = named.post(f"{API}/cases/{case.pk}/restriction", {"restricted": False, "reason": "x"})
    assert r.status_code == 403
    r = api.post(
        f"{API}/cases/{case.pk}/named-staff/{far_worker.pk}/end", {"reason": "Back from leave"}
    )
    assert r.status_code == 200 and r.json()["end_reason"] == "Back from leave"
    assert named.get(f"{API}/cases/{case.pk}").status_code == 404
    history = api.get(f"{API}/cases/{case.pk}/history").json()
    assert {"Staff family", "Covers nights", "Back from leave"} <= {h["reason"] for h in history}
