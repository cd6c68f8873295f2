"""The recommendation pages (O1, O2, P1): a case's recommendations and the form to
recommend a closure, a case plan or a court report (/cases/<pk>/recommendations/); one
recommendation with every round and the actions of whoever reads it: the supervisor's
approval, the state's review with its findings, the revision, the withdrawal, the
presentation to the court (/recommendations/<pk>/); the reviews due to the state staff
member (/oversight/reviews/).

Thin: parse, call a service or selector, render. Forms post back to their page with
`action` naming the form; a refused form shows the page again with the input kept and
answers 422 (409 on a version conflict). Every read goes through hearth.cases.access and
is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.intake import selectors as intake_selectors
from hearth.oversight import access
from hearth.oversight.forms import recommendations as f
from hearth.oversight.models import CourtReport, Recommendation
from hearth.oversight.selectors import recommendations as selectors
from hearth.oversight.services import recommendations as services
from hearth.planning.models import CasePlan
from hearth.policy import recommendations as rules
from hearth.staff import access as staff_access

INVALID = 422


# --- A case's recommendations ------------------------------------------------------------


def _recommend_form(case, data=None):
    return f.RecommendForm(
        data,
        case=case,
        plans=CasePlan.objects.filter(case=case).order_by("-number"),
        reports=CourtReport.objects.filter(case=case, status=CourtReport.Status.DRAFT),
        initial={"kind": rules.CLOSURE},
    )


def _case_page(request, case, *, form=None, status=200):
    recs = selectors.case_recommendations(case)
    can_recommend = case_access.can_edit_case(request.user, case) and not case.is_closed
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(request, audit.LIST, recs, case=case)
    return render(
        request,
        "oversight/recommendations_case.html",
        {
            "case": case,
            "recommendations": recs,
            "can_recommend": can_recommend,
            "form": form or (_recommend_form(case) if can_recommend else None),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_recommendations(request, pk):
    """O1, O2, P1: the case's recommendations; the form recommends one."""
    if request.method == "GET":
        return _case_page(request, case_access.access_case(request.user, pk))
    case = case_access.access_case(request.user, pk, for_edit=True)
    form = _recommend_form(case, request.POST)
    status = INVALID
    if form.is_valid():
        data = form.cleaned_data
        try:
            rec = services.recommendation_submit(
                actor=request.user,
                case=case,
                kind=data["kind"],
                reasons=data["reasons"],
                plan=form.plans.get(data.get("plan") or ""),
                court_report=form.reports.get(data.get("court_report") or ""),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, "Recommendation submitted.")
            return redirect(reverse("recommendation_detail", args=[rec.pk]))
    return _case_page(request, case, form=form, status=status)


# --- One recommendation ------------------------------------------------------------------


def _abilities(request, rec: Recommendation) -> dict[str, bool]:
    """Which of the page's actions the viewer may take on the recommendation now."""
    user = request.user
    edit = case_access.can_edit_case(user, rec.case)
    review = access.can_review_recommendation(user, rec)
    return {
        "supervisor_approve": rec.status == Recommendation.Status.AWAITING_SUPERVISOR
        and access.can_approve_recommendation(user, rec.case),
        "review": review and rec.status == Recommendation.Status.SUBMITTED,
        "resubmit": edit and rec.status == Recommendation.Status.RETURNED,
        "withdraw": edit and rec.status in rules.PENDING,
        "present": review
        and rec.status == Recommendation.Status.APPROVED
        and rec.kind in rules.COURT_KINDS
        and rec.presented_at_id is None,
    }


def _review_form(rec, data=None):
    return f.ReviewForm(
        data,
        prefix="review",
        codes=rules.required_findings(rec.kind, court_involved=rec.case.court_involved),
        evidence=selectors.evidence_choices(rec.case),
        initial={"version": rec.version},
    )


def _forms(rec, can: dict, *, data=None, action=None) -> dict:
    def bound(name):
        return data if action == name else None

    forms = {}
    if can["supervisor_approve"]:
        forms["supervisor_approve"] = f.VersionedForm(
            bound("supervisor_approve"), prefix="approve", initial={"version": rec.version}
        )
    if can["review"]:
        forms["review"] = _review_form(rec, bound("review"))
    if can["resubmit"]:
        forms["resubmit"] = f.ResubmitForm(
            bound("resubmit"),
            prefix="resubmit",
            initial={"version": rec.version, "reasons": rec.reasons},
        )
    if can["withdraw"]:
        forms["withdraw"] = f.VersionedForm(
            bound("withdraw"), prefix="withdraw", initial={"version": rec.version}
        )
    if can["present"]:
        forms["present"] = f.PresentedForm(
            bound("present"),
            prefix="present",
            hearings=selectors.case_hearings(rec.case),
            initial={"version": rec.version, "on": today()},
        )
    return forms


def _detail_page(request, rec, *, forms=None, status=200):
    can = _abilities(request, rec)
    forms = forms if forms is not None else _forms(rec, can)
    audit.log_access(request, audit.VIEW, rec, case=rec.case)
    return render(
        request,
        "oversight/recommendations_detail.html",
        {
            "rec": rec,
            "case": rec.case,
            "rounds": list(rec.rounds.all()),
            "forms": forms,
            "can": can,
            "evidence_labels": selectors.EVIDENCE_LABELS,
            # O1: the threats identified at intake, which "threats mitigated" answers.
            "intake_report": intake_selectors.case_report(rec.case),
        },
        status=status,
    )


def _review_errors(exc: DomainError) -> DomainError:
    """The service's findings.<code>[.evidence.<i>] reasons on the form's finding fields."""
    errors = {}
    for key, reason in exc.errors.items():
        parts = key.split(".")
        if parts[0] == "findings" and len(parts) >= 2:
            field = f"{parts[1]}_evidence" if len(parts) > 2 else f"{parts[1]}_met"
            errors[field] = reason
        else:
            errors[key] = reason
    return DomainError(errors)


def _act(request, rec, action, form) -> str:
    """Call the service of `action` with the form's data; the message on success."""
    data = form.cleaned_data
    version = data["version"]
    if action == "supervisor_approve":
        services.recommendation_supervisor_approve(
            actor=request.user, recommendation=rec, version=version
        )
        return "Approved: the recommendation went to the state."
    if action == "review":
        try:
            rec = services.recommendation_review(
                actor=request.user,
                recommendation=rec,
                decision=data["decision"],
                findings=form.findings(),
                reasons=data["reasons"],
                version=version,
            )
        except DomainError as exc:
            raise _review_errors(exc) from None
        return (
            "Recommendation approved." if rec.status == "approved" else "Recommendation returned."
        )
    if action == "resubmit":
        services.recommendation_resubmit(
            actor=request.user, recommendation=rec, reasons=data["reasons"], version=version
        )
        return "Revised recommendation submitted."
    if action == "withdraw":
        services.recommendation_withdraw(actor=request.user, recommendation=rec, version=version)
        return "Recommendation withdrawn."
    services.recommendation_mark_presented(
        actor=request.user,
        recommendation=rec,
        hearing=form.hearings.get(data["hearing"]),
        on=data["on"],
        version=version,
    )
    return "Marked as presented to the court."


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request, pk):
    """O1, O2: one recommendation with every round (who, when, the findings, the
    decision); the viewer's actions post back here."""
    rec = selectors.recommendation(request.user, pk)
    if request.method == "GET":
        return _detail_page(request, rec)
    action = request.POST.get("action")
    can = _abilities(request, rec)
    if not can.get(action):
        raise PermissionDenied
    forms = _forms(rec, can, data=request.POST, action=action)
    form = forms[action]
    status = INVALID
    if form.is_valid():
        try:
            message = _act(request, rec, action, form)
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, message)
            return redirect(reverse("recommendation_detail", args=[rec.pk]))
    return _detail_page(request, rec, forms=forms, status=status)


# --- The reviews due ---------------------------------------------------------------------


@login_required
@require_GET
def oversight_reviews(request):
    """O1, O2: the reviews awaiting the state staff member, by due date, overdue first
    marked."""
    if not staff_access.viewer_can(request.user, "recommendation.review"):
        raise PermissionDenied
    items = selectors.reviews_due(viewer=request.user)
    audit.log_access(request, audit.LIST, items)
    return render(
        request,
        "oversight/recommendations_reviews.html",
        {"items": items, "overdue": sum(1 for r in items if r.overdue)},
    )


urlpatterns = [
    path("cases/<int:pk>/recommendations/", case_recommendations, name="case_recommendations"),
    path("recommendations/<int:pk>/", recommendation_detail, name="recommendation_detail"),
    path("oversight/reviews/", oversight_reviews, name="oversight_reviews"),
]
