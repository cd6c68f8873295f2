"""The recommendations' lifecycle through the services (O1, O2, P1)."""

from datetime import timedelta

import pytest

from hearth.cases.models import Case
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import today
from hearth.oversight.models import Finding, Recommendation
from hearth.oversight.services import recommendations as services
from hearth.policy.recommendations import add_business_days
from tests.oversight.recommendations.conftest import REASONS, four_findings, recommend, review


def test_o1_submitting_a_closure_routes_it_to_the_specialist_and_moves_the_case(
    overseen, worker, state
):
    rec = recommend(overseen, worker)
    overseen.refresh_from_db()
    assert rec.status == "submitted"
    assert rec.reviewer == state["specialist"]
    assert overseen.status == Case.Status.CLOSURE_RECOMMENDED
    assert overseen.closure_recommended_on == today()
    rnd = rec.rounds.get()
    assert rnd.number == 1 and rnd.sent_to_state_at and rnd.reviewer == state["specialist"]
    assert rnd.submitted_by == worker


def test_p1_a_closure_needs_substantive_reasons(overseen, worker):
    with pytest.raises(DomainError) as exc:
        recommend(overseen, worker, reasons="All good.")
    assert "P1" in exc.value.errors["reasons"]
    assert not Recommendation.objects.exists()
    overseen.refresh_from_db()
    assert overseen.status == "open"


def test_o2_a_case_plan_is_recommended_only_for_a_court_involved_case(overseen, worker):
    with pytest.raises(DomainError) as exc:
        recommend(overseen, worker, kind="court_report", reasons="Approve the report.")
    assert "O2" in exc.value.errors["kind"]


def test_o1_approving_with_the_four_findings_closes_the_case(overseen, worker, state, note):
    rec = recommend(overseen, worker)
    rec = review(rec, state["specialist"], note=note)
    overseen.refresh_from_db()
    assert rec.status == "approved" and rec.decided_on == today()
    assert overseen.status == Case.Status.CLOSED and overseen.closed_on == today()
    rnd = rec.rounds.get()
    assert rnd.decision == "approved" and rnd.decided_by == state["specialist"]
    assert Finding.objects.filter(round=rnd, met=True).count() == 4
    assert Finding.objects.first().evidence == [{"type": "contact_note", "id": note.pk}]


def test_o1_a_closure_without_all_four_findings_is_refused(overseen, worker, state, note):
    rec = recommend(overseen, worker)
    with pytest.raises(DomainError) as exc:
        review(rec, state["specialist"], findings=four_findings(note)[:3])
    assert "O1" in exc.value.errors["findings.best_interest"]
    findings = four_findings(note)
    findings[2]["met"] = False
    with pytest.raises(DomainError) as exc:
        review(rec, state["specialist"], findings=findings)
    assert "O1" in exc.value.errors["decision"]
    assert not Finding.objects.exists()
    overseen.refresh_from_db()
    assert overseen.status == Case.Status.CLOSURE_RECOMMENDED


def test_o1_each_finding_cites_evidence(overseen, worker, state):
    rec = recommend(overseen, worker)
    findings = four_findings()
    findings[0]["explanation"] = "  "
    with pytest.raises(DomainError) as exc:
        review(rec, state["specialist"], findings=findings)
    assert "evidence" in exc.value.errors["findings.reasonable_efforts"]


def test_o1_evidence_must_be_a_record_of_the_same_case(overseen, worker, state, world):
    from hearth.contacts.models import ContactNote

    rec = recommend(overseen, worker)
    other = world["cases"]["colleagues"]
    from hearth.contacts import services as contact_services
    from hearth.core.services import now

    holder = world["staff"]["holder"]
    foreign = contact_services.contact_note_create(
        actor=holder.user,
        author=holder,
        case=other,
        occurred_at=now(),
        method="phone",
        narrative="Called.",
        contact_with=[other.members.first().person],
        finalize=True,
    )
    findings = four_findings(foreign)
    with pytest.raises(DomainError) as exc:
        review(rec, state["specialist"], findings=findings)
    assert exc.value.errors == {
        "findings.reasonable_efforts.evidence.0": "Not a record of this case."
    }
    assert ContactNote.objects.filter(pk=foreign.pk).exists()


def test_o1_approval_is_refused_while_a_child_is_in_care(overseen, worker, state, note):
    from hearth.placements import services as placement_services

    child = overseen.members.get(role="child").person
    placement_services.child_remove(
        actor=worker.user,
        case=overseen,
        child=child,
        removed_on=today() - timedelta(days=10),
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    rec = recommend(overseen, worker)
    with pytest.raises(DomainError) as exc:
        review(rec, state["specialist"], note=note)
    assert "still in care" in exc.value.errors["status"]
    rec.refresh_from_db()
    overseen.refresh_from_db()
    assert rec.status == "submitted" and overseen.status == "closure_recommended"
    assert not Finding.objects.exists()


def test_o1_return_revise_resubmit_keeps_every_round(overseen, worker, state, note):
    rec = recommend(overseen, worker)
    first_due = rec.due_on
    with pytest.raises(DomainError) as exc:
        review(rec, state["specialist"], decision="returned", findings=[], reasons="")
    assert "reasons" in exc.value.errors
    rec = review(
        rec,
        state["specialist"],
        decision="returned",
        findings=[],
        reasons="Aftercare is not arranged yet: name the provider.",
    )
    overseen.refresh_from_db()
    assert rec.status == "returned" and overseen.status == "closure_recommended"
    rec = services.recommendation_resubmit(
        actor=worker.user,
        recommendation=rec,
        reasons=REASONS + " Aftercare: weekly sessions with the family centre.",
        version=rec.version,
    )
    assert rec.status == "submitted" and rec.reviewer == state["specialist"]
    assert rec.due_on >= first_due
    rec = review(rec, state["specialist"], note=note)
    rounds = list(rec.rounds.order_by("number"))
    assert [(r.number, r.decision) for r in rounds] == [(1, "returned"), (2, "approved")]
    assert rounds[0].decision_reasons.startswith("Aftercare")
    assert "family centre" in rounds[1].reasons and "family centre" not in rounds[0].reasons


def test_only_the_reviewer_or_the_state_supervisor_reviews(overseen, worker, state, note):
    rec = recommend(overseen, worker)
    with pytest.raises(Forbidden):
        review(rec, state["other_specialist"], note=note)
    with pytest.raises(Forbidden):
        review(rec, worker, note=note)
    rec = review(rec, state["supervisor"], note=note)
    assert rec.status == "approved"


def test_the_supervisor_approval_setting(overseen, worker, supervisor, state):
    agency = overseen.agency
    agency.policy_overrides = {"recommendation_supervisor_approval": 1}
    agency.save()
    rec = recommend(overseen, worker)
    overseen.refresh_from_db()
    assert rec.status == "awaiting_supervisor" and rec.reviewer is None
    assert overseen.status == "open" and overseen.closure_recommended_on is None
    with pytest.raises(Forbidden):
        services.recommendation_supervisor_approve(
            actor=worker.user, recommendation=rec, version=rec.version
        )
    rec = services.recommendation_supervisor_approve(
        actor=supervisor.user, recommendation=rec, version=rec.version
    )
    overseen.refresh_from_db()
    assert rec.status == "submitted" and rec.reviewer == state["specialist"]
    assert overseen.status == "closure_recommended"
    rnd = rec.rounds.get()
    assert rnd.supervisor_approved_by == supervisor and rnd.sent_to_state_at


def test_withdrawing_a_closure_reopens_the_case(overseen, worker):
    rec = recommend(overseen, worker)
    rec = services.recommendation_withdraw(
        actor=worker.user, recommendation=rec, version=rec.version
    )
    overseen.refresh_from_db()
    assert rec.status == "withdrawn" and overseen.status == "open"
    # O1: the state has seen the case since the recommendation; it keeps the date.
    assert overseen.closure_recommended_on == today()


def test_a_stale_version_is_a_conflict(overseen, worker, state, note):
    from hearth.core.errors import ConflictError

    rec = recommend(overseen, worker)
    with pytest.raises(ConflictError):
        services.recommendation_review(
            actor=state["specialist"].user,
            recommendation=rec,
            decision="approved",
            findings=four_findings(note),
            version=rec.version - 1,
        )


def test_one_pending_recommendation_of_a_kind(overseen, worker):
    recommend(overseen, worker)
    with pytest.raises(DomainError) as exc:
        recommend(overseen, worker)
    assert "case" in exc.value.errors or "kind" in exc.value.errors


def test_the_review_is_due_in_five_business_days(overseen, worker):
    rec = recommend(overseen, worker)
    assert rec.due_on == add_business_days(today(), 5)
    assert (rec.due_on - today()).days in (5, 6, 7)
