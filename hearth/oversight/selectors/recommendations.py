"""O1, O2: reading recommendations and the reviews due. Every read is scoped by the
viewer's cases (hearth.cases.access): a recommendation of a case the viewer does not see
answers like a missing one. Set-based: a list is one query whatever its length."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from hearth.cases import access as case_access
from hearth.contacts.models import ContactNote
from hearth.core.errors import NotFound
from hearth.core.services import today
from hearth.oversight.models import Finding, Hearing, Recommendation, RecommendationRound
from hearth.planning.models import Assessment, CasePlan, SafetyPlan, ServiceReferral
from hearth.staff import access as staff_access
from hearth.staff.permissions import can

_ROUNDS = Prefetch(
    "rounds",
    queryset=RecommendationRound.objects.select_related(
        "submitted_by", "supervisor_approved_by", "reviewer", "decided_by"
    ).prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("id"))),
)


def _base() -> QuerySet:
    return Recommendation.objects.select_related(
        "case", "submitted_by", "reviewer", "plan", "court_report", "presented_at"
    )


def reviews_due(*, viewer, now: date | None = None) -> list:
    """The recommendations awaiting the viewer's review (submitted to them, or for a state
    oversight supervisor every one), by due date, each with `overdue` set (due before
    `now`), `days_left` and `days_over`. One query after the viewer's staff record."""
    now = now or today()
    staff = staff_access.staff_for(viewer)
    if staff is None or not can(staff, "recommendation.review"):
        return []
    qs = _base().filter(
        status=Recommendation.Status.SUBMITTED,
        case__in=case_access.visible_cases(viewer),
    )
    if not can(staff, "recommendation.review_any"):
        qs = qs.filter(reviewer=staff)
    out = list(qs.order_by("due_on", "case__case_number", "id"))
    for rec in out:
        rec.days_left = (rec.due_on - now).days if rec.due_on else None
        rec.overdue = rec.due_on is not None and rec.due_on < now
        rec.days_over = max(0, -rec.days_left) if rec.days_left is not None else 0
    return out


def case_recommendations(case) -> list[Recommendation]:
    """The case's recommendations, newest first, with their rounds (three queries). The
    caller has checked the viewer sees the case."""
    return list(_base().filter(case=case).prefetch_related(_ROUNDS))


def recommendation(viewer, pk, *, for_edit: bool = False) -> Recommendation:
    """One recommendation with its rounds and their findings, through the viewer's case
    scope (NotFound when missing or unseen; Forbidden when `for_edit` and the case is not
    the viewer's to change)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    rec = _base().prefetch_related(_ROUNDS).filter(pk=pk).first()
    if rec is None:
        raise NotFound()
    rec.case = case_access.access_case(viewer, rec.case_id, for_edit=for_edit)
    return rec


def evidence_choices(case) -> dict[str, list[tuple[int, str]]]:
    """The records of the case a finding may cite (O1: notes, services, safety plans,
    assessments; and case plans): type -> [(id, label)], newest first, one query each."""
    notes = ContactNote.objects.filter(case=case).order_by("-occurred_at", "-id")
    services = (
        ServiceReferral.objects.filter(case=case)
        .select_related("service", "provider")
        .order_by("-referred_on", "-id")
    )
    safety = SafetyPlan.objects.filter(case=case).order_by("-made_on", "-id")
    assessments = Assessment.objects.filter(case=case).select_related("instrument").order_by("-id")
    plans = CasePlan.objects.filter(case=case).order_by("-number")
    return {
        "contact_note": [
            (n.pk, f"{n.occurred_at:%Y-%m-%d} {n.get_method_display().lower()} contact")
            for n in notes
        ],
        "service_referral": [
            (s.pk, f"{s.referred_on:%Y-%m-%d} {s.service.name}, {s.get_status_display().lower()}")
            for s in services
        ],
        "safety_plan": [
            (p.pk, f"{p.made_on:%Y-%m-%d} {p.get_kind_display()}, {p.get_status_display().lower()}")
            for p in safety
        ],
        "assessment": [(a.pk, f"{a.instrument.name} (assessment {a.pk})") for a in assessments],
        "case_plan": [
            (p.pk, f"Case plan version {p.number}, {p.get_status_display().lower()}") for p in plans
        ],
    }


EVIDENCE_LABELS = {
    "contact_note": "Contact notes",
    "service_referral": "Services",
    "safety_plan": "Safety plans",
    "assessment": "Assessments",
    "case_plan": "Case plans",
}


def case_hearings(case) -> QuerySet:
    """The case's hearings, for marking a plan or report presented (O2)."""
    return Hearing.objects.filter(case=case).order_by("-scheduled_at", "-id")
