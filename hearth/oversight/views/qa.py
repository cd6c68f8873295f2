"""QA pages (O3, C8, P9): the QA home, drawing a sample and reading it, a review (its
reviewer answers and finalizes it; the contractor reads it and responds), the compliance
report with its chart and CSV export, and the corrective actions. Thin: parse, call a
service or selector, render. A record outside the viewer's scope answers 404; the pages
that show case records log them."""

import csv
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.exports import csv_writer
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.oversight.forms import qa as f
from hearth.oversight.models import CorrectiveAction, QaReview
from hearth.oversight.selectors import qa as selectors
from hearth.oversight.services import qa as services
from hearth.staff.access import staff_for
from hearth.staff.models import Agency, StaffMember
from hearth.staff.permissions import can

INVALID = 422


@login_required
@require_GET
def qa_home(request):
    """O3: a QA reviewer's reviews due and samples; the state oversight supervisor's
    samples and open corrective actions; a contractor's finalized reviews to respond to
    and its corrective actions."""
    staff = staff_for(request.user)
    due = list(selectors.reviews_due(request.user))
    reviews = (
        list(selectors.visible_reviews(request.user).filter(status="finalized")[:50])
        if not can(staff, "qa.review")
        else []
    )
    samples = list(selectors.visible_samples(request.user).select_related("drawn_by")[:20])
    actions = list(selectors.visible_actions(request.user).filter(status="open")[:50])
    if not (due or reviews or samples or actions) and not (
        can(staff, "qa.sample") or can(staff, "qa.review") or can(staff, "qa.respond")
    ):
        raise Forbidden()
    audit.log_access(request, audit.LIST, [r.sample_case.case for r in [*due, *reviews]])
    return render(
        request,
        "oversight/qa_home.html",
        {
            "due": due,
            "reviews": reviews,
            "samples": samples,
            "actions": actions,
            "today": today(),
            "can_draw": can(staff, "qa.sample"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def qa_sample_new(request):
    """O3: the state oversight supervisor draws a period's sample."""
    if not can(staff_for(request.user), "qa.sample"):
        raise Forbidden()
    start = today().replace(day=1) - timedelta(days=1)
    form = f.SampleForm(
        request.POST if request.method == "POST" else None,
        agencies=Agency.objects.exclude(kind=Agency.Kind.STATE_OVERSIGHT).order_by("name"),
        reviewers=services.qa_reviewers().order_by("last_name", "first_name", "pk"),
        initial={"period_start": start.replace(day=1), "period_end": start},
    )
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            d = form.cleaned_data
            try:
                sample = services.sample_draw(
                    actor=request.user,
                    period_start=d["period_start"],
                    period_end=d["period_end"],
                    size=d["size"],
                    seed=d["seed"],
                    agency=d["agency"],
                    reviewers=list(d["reviewers"]),
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Sample drawn with seed {sample.seed}.")
                return redirect("qa_sample_detail", pk=sample.pk)
    return render(request, "oversight/qa_sample_new.html", {"form": form}, status=status)


@login_required
@require_GET
def qa_sample_detail(request, pk):
    """O3: a sample: its period, seed, strata and cases with their reviewers."""
    sample = selectors.visible_samples(request.user).select_related("drawn_by").filter(pk=pk)
    sample = sample.first()
    if sample is None:
        raise NotFound()
    rows = list(selectors.sample_cases(sample, request.user))
    audit.log_access(request, audit.LIST, [sc.case for sc in rows])
    return render(
        request,
        "oversight/qa_sample.html",
        {"sample": sample, "rows": rows, "strata": selectors.strata(sample)},
    )


def _review(request, pk) -> QaReview:
    review = selectors.visible_reviews(request.user).filter(pk=pk).first()
    if review is None:
        raise NotFound()
    return review


@login_required
@require_http_methods(["GET", "POST"])
def qa_review(request, pk):
    """C8, O3: the review's items by domain. Its reviewer answers each yes, no or not
    applicable with a comment, saves the draft or finalizes it; the contractor reads the
    finalized review and responds."""
    review = _review(request, pk)
    staff = staff_for(request.user)
    domains = selectors.review_domains(review)
    editable = review.status == "draft" and review.reviewer_id == getattr(staff, "pk", None)
    respondable = (
        review.status == "finalized"
        and services.contractor_reviews_q(staff) is not None
        and can(staff, "qa.respond")
    )
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if post else ""
    form = f.ReviewForm(
        post if action in ("save", "finalize") else None,
        domains=domains,
        initial={"version": review.version, "summary": review.summary},
    )
    response_form = f.ResponseForm(
        post if action == "respond" else None,
        initial={"version": review.version, "response": review.contractor_response},
    )
    status = 200
    if post is not None:
        if action in ("save", "finalize") and not editable:
            raise Forbidden()
        if action == "respond" and not respondable:
            raise Forbidden()
        if action not in ("save", "finalize", "respond"):
            raise Forbidden()
        status = INVALID
        done = _act(request, review, action, form, response_form)
        if done:
            return redirect("qa_review", pk=review.pk)
    audit.log_access(request, audit.VIEW, review, case=review.sample_case.case)
    return render(
        request,
        "oversight/qa_review.html",
        {
            "review": review,
            "domains": domains,
            "form": form,
            "response_form": response_form,
            "editable": editable,
            "respondable": respondable,
        },
        status=status,
    )


def _act(request, review, action, form, response_form) -> bool:
    target = response_form if action == "respond" else form
    if not target.is_valid():
        return False
    d = target.cleaned_data
    try:
        with transaction.atomic():
            if action == "respond":
                services.review_respond(
                    actor=request.user, review=review, response=d["response"], version=d["version"]
                )
                messages.success(request, "Response saved.")
                return True
            review = services.review_answer(
                actor=request.user,
                review=review,
                answers=form.answers(),
                summary=d["summary"],
                version=d["version"],
            )
            if action == "finalize":
                services.review_finalize(actor=request.user, review=review, version=review.version)
    except DomainError as exc:
        answers = {k: v for k, v in exc.errors.items() if k.startswith("answers.")}
        if not answers:
            add_domain_errors(target, exc)
        else:
            form.add_service_errors(exc.errors)
        return False
    messages.success(request, "Review finalized." if action == "finalize" else "Answers saved.")
    return True


def _period(request):
    form = f.ComplianceForm(request.GET or None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, d["start"], d["end"], tuple(d["by"]) or ("agency", "item")
    year_ago = today() - timedelta(days=365)
    return form, year_ago, today(), ("agency", "item")


def chart(report) -> dict:
    """A horizontal bar chart of the report's compliance, drawn as SVG on the server:
    one bar per row (at most 40), the threshold as a vertical line."""
    rows = [r for r in report.rows if r.percent is not None][:40]
    scale, left, bar, gap = 4, 260, 14, 6
    bars = []
    for i, r in enumerate(rows):
        label = " · ".join(report.label(r, part) for part in report.by)
        bars.append(
            {
                "y": i * (bar + gap) + 10,
                "width": r.percent * scale,
                "percent": r.percent,
                "label": label[:45] + ("…" if len(label) > 45 else ""),
                "below": r.percent < report.threshold,
            }
        )
    return {
        "bars": bars,
        "left": left,
        "bar": bar,
        "height": len(bars) * (bar + gap) + 30,
        "width": left + 100 * scale + 40,
        "threshold_x": left + report.threshold * scale,
        "threshold": report.threshold,
        "more": len(report.rows) > len(rows),
    }


@login_required
@require_GET
def qa_compliance(request):
    """P9: compliance per contractor, unit, item and month, as a chart and a table with the
    same numbers; `?format=csv` exports the table (logged)."""
    form, start, end, by = _period(request)
    if form.is_bound and not form.is_valid():
        selectors.compliance_scope(request.user)
        return render(
            request, "oversight/qa_compliance.html", {"form": form, "report": None}, status=INVALID
        )
    if end < start:
        form.add_error("end", "The period ends on or after its first day.")
        return render(
            request, "oversight/qa_compliance.html", {"form": form, "report": None}, status=INVALID
        )
    report = selectors.compliance(request.user, start, end, by)
    if request.GET.get("format") == "csv":
        return _csv(request, report)
    return render(
        request,
        "oversight/qa_compliance.html",
        {
            "form": form,
            "report": report,
            "chart": chart(report),
            "rows": [
                {"labels": [report.label(r, p) for p in report.by], "r": r} for r in report.rows
            ],
            "headers": [dict(f.GROUP_CHOICES)[p] for p in report.by],
            "csv_query": request.GET.urlencode(),
        },
    )


def _csv(request, report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="qa-compliance-{report.start}-{report.end}.csv"'
    )
    writer = csv_writer(response, quoting=csv.QUOTE_MINIMAL)
    writer.writerow([*report.by, "yes", "no", "na", "percent", "threshold"])
    for r in report.rows:
        writer.writerow(
            [
                *[report.label(r, p) for p in report.by],
                r.yes,
                r.no,
                r.na,
                r.percent,
                report.threshold,
            ]
        )
    audit.log_access(request, audit.EXPORT, list(report.agencies.values()))
    return response


@login_required
@require_GET
def qa_actions(request):
    """P9: the corrective actions the viewer sees, open first."""
    actions = list(selectors.visible_actions(request.user).order_by("status", "due_on", "pk"))
    staff = staff_for(request.user)
    if not actions and not (can(staff, "qa.corrective_action") or can(staff, "qa.respond")):
        raise Forbidden()
    return render(request, "oversight/qa_actions.html", {"actions": actions, "today": today()})


@login_required
@require_http_methods(["GET", "POST"])
def qa_action_detail(request, pk):
    """P9: a corrective action: the state oversight supervisor sets its owner, due date and
    plan, links follow-up reviews and closes it; the contractor writes its plan."""
    action = selectors.visible_actions(request.user).filter(pk=pk).first()
    if action is None:
        raise NotFound()
    staff = staff_for(request.user)
    state = can(staff, "qa.corrective_action")
    writer = state or (can(staff, "qa.respond") and staff.agency_id == action.agency_id)
    kind = request.POST.get("action", "") if request.method == "POST" else ""
    post = request.POST if request.method == "POST" else None
    initial = {
        "version": action.version,
        "owner": action.owner_id,
        "due_on": action.due_on,
        "plan": action.plan,
    }
    owners = StaffMember.objects.filter(agency_id=action.agency_id).exclude(status="departed")
    forms_ = {
        "update": f.ActionForm(
            post if kind == "update" else None, owners=owners, state=state, initial=initial
        ),
        "follow_up": f.FollowUpForm(
            post if kind == "follow_up" else None,
            reviews=selectors.visible_reviews(request.user).filter(
                status="finalized", sample_case__agency_id=action.agency_id
            ),
            initial=initial,
        ),
        "close": f.CloseForm(post if kind == "close" else None, initial=initial),
    }
    status = 200
    if post is not None:
        if kind not in forms_ or not writer or (kind != "update" and not state):
            raise Forbidden()
        status = INVALID
        form = forms_[kind]
        if form.is_valid():
            d = form.cleaned_data
            try:
                _action_change(request, action, kind, d, state)
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Corrective action saved.")
                return redirect("qa_action_detail", pk=action.pk)
    return render(
        request,
        "oversight/qa_action.html",
        {
            "action": action,
            "follow_ups": list(
                action.follow_up_reviews.select_related("sample_case__case").order_by("pk")
            ),
            "forms": forms_,
            "writer": writer and action.status == "open",
            "state": state and action.status == "open",
        },
        status=status,
    )


def _action_change(request, action: CorrectiveAction, kind: str, d: dict, state: bool) -> None:
    version = d["version"]
    if kind == "update":
        changes = {"plan": d["plan"]}
        if state:
            changes |= {"owner": d["owner"], "due_on": d["due_on"]}
        services.corrective_action_update(
            actor=request.user, action=action, version=version, **changes
        )
    elif kind == "follow_up":
        services.corrective_action_add_follow_up(
            actor=request.user, action=action, review=d["review"], version=version
        )
    else:
        services.corrective_action_close(
            actor=request.user,
            action=action,
            closing_note=d["closing_note"],
            no_follow_up_reason=d["no_follow_up_reason"],
            version=version,
        )


urlpatterns = [
    path("qa/", qa_home, name="qa_home"),
    path("qa/samples/new/", qa_sample_new, name="qa_sample_new"),
    path("qa/samples/<int:pk>/", qa_sample_detail, name="qa_sample_detail"),
    path("qa/reviews/<int:pk>/", qa_review, name="qa_review"),
    path("qa/compliance/", qa_compliance, name="qa_compliance"),
    path("qa/corrective-actions/", qa_actions, name="qa_actions"),
    path("qa/corrective-actions/<int:pk>/", qa_action_detail, name="qa_action_detail"),
]
