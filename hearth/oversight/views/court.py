"""The court pages (O2): a court-involved case's hearings and court reports on
/cases/<pk>/court/ (schedule a hearing, generate a report), one hearing on
/hearings/<pk>/ (edit, continue, cancel, record the outcome), one court report on
/court-reports/<pk>/ (the draft's editor, each section a textarea, written again from the
record on request; the PDF link once approved) and its PDF.

Thin: parse, call a service or selector, render. A refused form shows the page again
with the input kept and answers 422 (409 on a version conflict). Every read goes through
hearth.cases.access and is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.oversight import access
from hearth.oversight.documents import court_report_pdf
from hearth.oversight.forms import court as f
from hearth.oversight.models import CourtReport, Hearing
from hearth.oversight.selectors import court as selectors
from hearth.oversight.services import court as services
from hearth.policy.court import findings_gaps

INVALID = 422


def _refused(form, exc: DomainError) -> int:
    add_domain_errors(form, exc)
    return exc.status_code


# --- A case's hearings and reports -----------------------------------------------------


def _case_page(request, case, *, hearing_form=None, report_form=None, status=200):
    hearings = list(selectors.case_hearings(case))
    reports = list(selectors.case_reports(case))
    can_record = access.can_record_hearing(request.user, case) and not case.is_closed
    can_report = case_access.can_edit_case(request.user, case) and not case.is_closed
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(request, audit.LIST, [*hearings, *reports], case=case)
    return render(
        request,
        "oversight/court_case.html",
        {
            "case": case,
            "hearings": hearings,
            "reports": reports,
            "can_record": can_record and case.court_involved,
            "can_report": can_report and case.court_involved,
            "hearing_form": hearing_form
            or f.HearingForm(
                children=selectors.case_children(case),
                state_staff=selectors.state_attendees(case, request.user),
            ),
            "report_form": report_form
            or f.ReportForm(
                hearings=hearings,
                initial={"period_end": today(), "period_start": case.opened_on},
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_court(request, pk):
    """O2: the case's hearings and court reports; the forms post back here (`action`
    "hearing" schedules a hearing, "report" generates a court report's draft)."""
    if request.method == "GET":
        return _case_page(request, access.hearing_case(request.user, pk))
    if request.POST.get("action") == "report":
        case = case_access.access_case(request.user, pk, for_edit=True)
        form = f.ReportForm(request.POST, hearings=list(selectors.case_hearings(case)))
        status = INVALID
        if form.is_valid():
            d = form.cleaned_data
            try:
                report = services.court_report_generate(
                    actor=request.user,
                    case=case,
                    period_start=d["period_start"],
                    period_end=d["period_end"],
                    hearing=form.hearings.get(d["hearing"] or ""),
                )
            except DomainError as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, "Court report drafted from the record.")
                return redirect("court_report_detail", report.pk)
        return _case_page(request, case, report_form=form, status=status)
    case = access.hearing_case(request.user, pk, for_edit=True)
    form = f.HearingForm(
        request.POST,
        children=selectors.case_children(case),
        state_staff=selectors.state_attendees(case, request.user),
    )
    status = INVALID
    if form.is_valid():
        try:
            hearing = services.hearing_schedule(actor=request.user, case=case, **form.values())
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, "Hearing scheduled.")
            return redirect("hearing_detail", hearing.pk)
    return _case_page(request, case, hearing_form=form, status=status)


# --- One hearing -----------------------------------------------------------------------


def _hearing_forms(request, hearing, *, data=None, action=None) -> dict:
    case = hearing.case
    state_staff = selectors.state_attendees(case, request.user)
    bound = {action: data} if action else {}
    initial = {
        "type": hearing.type,
        "scheduled_at": hearing.scheduled_at,
        "court": hearing.court,
        "judge": hearing.judge,
        "child": hearing.child_id or "",
        "state_attendee": hearing.state_attendee_id or "",
        "state_testifies": hearing.state_testifies,
        "version": hearing.version,
    }
    return {
        "edit": f.HearingEditForm(
            bound.get("edit"),
            children=selectors.case_children(case),
            state_staff=state_staff,
            initial=initial,
        ),
        "continue": f.ContinueForm(bound.get("continue"), initial={"version": hearing.version}),
        "cancel": f.CancelForm(bound.get("cancel"), initial={"version": hearing.version}),
        "outcome": f.OutcomeForm(
            bound.get("outcome"),
            state_staff=state_staff,
            initial={"version": hearing.version, "state_attendee": initial["state_attendee"]},
        ),
    }


def _hearing_page(request, hearing, *, forms=None, status=200):
    can_record = (
        access.can_record_hearing(request.user, hearing.case) and not hearing.case.is_closed
    )
    scheduled = hearing.status == Hearing.Status.SCHEDULED
    audit.log_access(request, audit.VIEW, hearing, case=hearing.case)
    return render(
        request,
        "oversight/court_hearing.html",
        {
            "case": hearing.case,
            "hearing": hearing,
            "gaps": findings_gaps(hearing.reasonable_efforts_finding, hearing.best_interest_finding)
            if hearing.status == Hearing.Status.HELD
            else [],
            "can_change": can_record and scheduled,
            "forms": forms or _hearing_forms(request, hearing),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_detail(request, pk):
    """O2: one hearing; its forms post back here (`action`: edit, continue, cancel,
    outcome)."""
    hearing = selectors.hearing(request.user, pk)
    if request.method == "GET":
        return _hearing_page(request, hearing)
    if not access.can_record_hearing(request.user, hearing.case):
        raise Forbidden()
    action = request.POST.get("action")
    if action not in ("edit", "continue", "cancel", "outcome"):
        action = "edit"
    forms = _hearing_forms(request, hearing, data=request.POST, action=action)
    form = forms[action]
    status = INVALID
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "outcome":
                services.hearing_record_outcome(
                    actor=request.user,
                    hearing=hearing,
                    version=d["version"],
                    outcome=d["outcome"],
                    orders=d["orders"],
                    reasonable_efforts_finding=d["reasonable_efforts_finding"],
                    best_interest_finding=d["best_interest_finding"],
                    state_attendee=form.state_staff.get(d["state_attendee"] or ""),
                    state_testifies=d["state_testifies"],
                    next_hearing_at=d["next_hearing_at"],
                    next_hearing_type=d["next_hearing_type"] or None,
                )
                message = "Outcome recorded: the hearing is held."
            elif action == "continue":
                services.hearing_update(
                    actor=request.user,
                    hearing=hearing,
                    version=d["version"],
                    change="continue",
                    scheduled_at=d["scheduled_at"],
                )
                message = "Hearing continued; the new hearing is scheduled."
            elif action == "cancel":
                services.hearing_update(
                    actor=request.user, hearing=hearing, version=d["version"], change="cancel"
                )
                message = "Hearing cancelled."
            else:
                services.hearing_update(
                    actor=request.user, hearing=hearing, version=d["version"], **form.values()
                )
                message = "Hearing saved."
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, message)
            return redirect("hearing_detail", hearing.pk)
    return _hearing_page(request, hearing, forms=forms, status=status)


# --- One court report ------------------------------------------------------------------


def _report_page(request, report, *, form=None, status=200):
    editable = (
        report.status == CourtReport.Status.DRAFT
        and case_access.can_edit_case(request.user, report.case)
        and not report.case.is_closed
    )
    audit.log_access(request, audit.VIEW, report, case=report.case)
    initial = {"version": report.version, **report.sections}
    return render(
        request,
        "oversight/court_report.html",
        {
            "case": report.case,
            "report": report,
            "sections": selectors.sections_in_order(report),
            "editable": editable,
            "form": form or f.SectionsForm(initial=initial),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def court_report_detail(request, pk):
    """O2: one court report; a draft's editor posts back here (`action` "save" or
    "regenerate")."""
    if request.method == "GET":
        return _report_page(request, selectors.report(request.user, pk))
    report = selectors.report(request.user, pk, for_edit=True)
    form = f.SectionsForm(request.POST)
    status = INVALID
    if form.is_valid():
        try:
            if request.POST.get("action") == "regenerate":
                services.court_report_regenerate(
                    actor=request.user, report=report, version=form.cleaned_data["version"]
                )
                message = "Sections written again from the record; the recommendation is kept."
            else:
                services.court_report_update(
                    actor=request.user,
                    report=report,
                    version=form.cleaned_data["version"],
                    sections=form.sections(),
                )
                message = "Court report saved."
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, message)
            return redirect("court_report_detail", report.pk)
    return _report_page(request, report, form=form, status=status)


@login_required
@require_GET
def court_report_pdf_view(request, pk):
    """O2: the approved report as a PDF; before approval a 409 page saying why."""
    report = selectors.report(request.user, pk)
    if report.status != CourtReport.Status.APPROVED:
        return render(
            request, "oversight/court_report_not_approved.html", {"report": report}, status=409
        )
    audit.log_access(request, audit.EXPORT, report, case=report.case)
    response = HttpResponse(court_report_pdf(report), content_type="application/pdf")
    name = f"court-report-{report.case.case_number}-{report.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("cases/<int:pk>/court/", case_court, name="case_court"),
    path("hearings/<int:pk>/", hearing_detail, name="hearing_detail"),
    path("court-reports/<int:pk>/", court_report_detail, name="court_report_detail"),
    path("court-reports/<int:pk>/pdf/", court_report_pdf_view, name="court_report_pdf"),
]
