"""Planning pages: a case's assessments and actionable needs, recording an assessment,
an assessment with what changed since the previous one, and the instruments (C3, C9).
Thin: parse, call a service or selector, render. Every read goes through
hearth.cases.access (an unseen case answers 404); case pages are logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from hearth.cases import access as case_access
from hearth.cases.models import CaseMember
from hearth.core import audit
from hearth.core.errors import DomainError, NotFound
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.planning.forms import assessments as f
from hearth.planning.models import Instrument
from hearth.planning.selectors import assessments as selectors
from hearth.planning.services import assessments as services
from hearth.policy.assessments import FIDELITY_SCORE_LABELS, SCORE_LABELS
from hearth.staff.access import viewer_can

INVALID = 422


def _can_assess(user, case) -> bool:
    return not case.is_closed and case_access.can_edit_case(user, case)


@login_required
@require_GET
def case_assessments(request, pk):
    """C3: the case's assessments, newest first; C9: the actionable needs of the latest
    ones (trauma needs named as such), and whether a service meets each."""
    case = case_access.access_case(request.user, pk)
    assessments = list(selectors.case_assessments(case))
    needs = list(selectors.actionable_needs(case))
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(request, audit.LIST, assessments, case=case)
    return render(
        request,
        "planning/assessments_case.html",
        {
            "case": case,
            "assessments": assessments,
            "needs": needs,
            "labels": SCORE_LABELS,
            "can_assess": _can_assess(request.user, case),
        },
    )


def _subject(case, instrument, raw):
    """The person chosen as subject, among the case's members who may be one."""
    if not raw or instrument.subject == Instrument.Subject.FAMILY:
        return None
    member = (
        services.subject_members(case, instrument.subject)
        .filter(person_id=raw if str(raw).isdigit() else 0)
        .select_related("person")
        .first()
    )
    return member.person if member else None


def _qa_instruments(case) -> list:
    """C8: the quality assurance instruments, named on the page but not offered."""
    return list(services.quality_assurance_instruments(case).order_by("name", "id"))


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request, pk):
    """C3: choose the instrument and the subject, then rate every item that applies.
    C8: the fidelity (quality assurance) instruments are listed, not offered."""
    case = case_access.access_case(request.user, pk, for_edit=True)
    instruments = list(services.assessable_instruments(case).order_by("name", "id"))
    params = request.POST if request.method == "POST" else request.GET
    chosen = next((i for i in instruments if str(i.pk) == params.get("instrument")), None)
    members = (
        CaseMember.objects.filter(
            case=case,
            ends_on__isnull=True,
            role__in=[*services.CHILD_ROLES, *services.CAREGIVER_ROLES],
        )
        .select_related("person")
        .order_by("role", "id")
    )
    if chosen is None:
        choose = f.ChooseForm(
            params if "instrument" in params else None,  # C8: a fidelity one is refused
            instruments=instruments,
            members=members,
        )
        status = 200
        if choose.is_bound:
            choose.is_valid()
            status = INVALID
        audit.log_access(request, audit.VIEW, case)
        return render(
            request,
            "planning/assessments_choose.html",
            {"case": case, "form": choose, "qa_instruments": _qa_instruments(case)},
            status=status,
        )
    chosen = (
        Instrument.objects.filter(pk=chosen.pk)
        .prefetch_related("domains__items")
        .select_related("agency")
        .get()
    )
    subject = _subject(case, chosen, params.get("subject"))
    if chosen.subject != Instrument.Subject.FAMILY and subject is None:
        choose = f.ChooseForm(params, instruments=instruments, members=members)
        choose.is_valid()
        choose.add_error(
            "subject",
            "Choose the child assessed."
            if chosen.subject == Instrument.Subject.CHILD
            else "Choose the parent or caregiver assessed.",
        )
        audit.log_access(request, audit.VIEW, case)
        return render(
            request,
            "planning/assessments_choose.html",
            {"case": case, "form": choose, "qa_instruments": _qa_instruments(case)},
            status=INVALID,
        )
    on = f.applicable_on(request.POST.get("assessed_on"), case.opened_on, today())
    form = f.AssessmentForm(
        request.POST if request.method == "POST" else None,
        instrument=chosen,
        subject=subject,
        on=on,
        initial={"assessed_on": today(), "reason": "initial"},
    )
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            data = form.cleaned_data
            try:
                assessment = services.assessment_record(
                    actor=request.user,
                    case=case,
                    instrument=chosen,
                    subject=subject,
                    assessed_on=data["assessed_on"],
                    reason=data["reason"],
                    situation=data["situation"],
                    risk_level=data.get("risk_level", ""),
                    summary=data["summary"],
                    ratings=form.ratings(),
                )
            except DomainError as exc:
                add_domain_errors(form, form.field_errors(exc))
                status = exc.status_code
            else:
                messages.success(request, f"{chosen.name} recorded.")
                return redirect(reverse("assessment_detail", args=[assessment.pk]))
    audit.log_access(request, audit.VIEW, case)
    if subject is not None:
        audit.log_access(request, audit.VIEW, subject, case=case)
    return render(
        request,
        "planning/assessments_form.html",
        {"case": case, "instrument": chosen, "subject": subject, "form": form},
        status=status,
    )


@login_required
@require_GET
def assessment_detail(request, pk):
    """C3: the ratings by domain, what changed since the previous assessment of the same
    case, instrument and subject, and the actionable needs (C9)."""
    assessment = selectors.assessment_for_detail(pk)
    if assessment is None:
        raise NotFound()
    case = case_access.access_case(request.user, assessment.case_id)
    detail = selectors.assessment_detail(assessment)
    audit.log_access(request, audit.VIEW, assessment, case=case)
    return render(
        request,
        "planning/assessments_detail.html",
        {"case": case, "a": assessment, "d": detail, "labels": SCORE_LABELS},
    )


@login_required
@require_GET
def instruments(request):
    """C3: the instruments the viewer's agency uses (configured, not coded)."""
    return render(
        request,
        "planning/assessments_instruments.html",
        {
            "instruments": list(selectors.visible_instruments(request.user).order_by("name", "id")),
            "can_manage": viewer_can(request.user, "instrument.manage"),
        },
    )


@login_required
@require_GET
def instrument_detail(request, pk):
    """C3: an instrument's domains and items; C8: a fidelity one's ratings as measures met."""
    instrument = (
        selectors.instruments_with_items(selectors.visible_instruments(request.user))
        .filter(pk=pk)
        .first()
    )
    if instrument is None:
        raise NotFound()
    return render(
        request,
        "planning/assessments_instrument.html",
        {
            "instrument": instrument,
            "labels": FIDELITY_SCORE_LABELS
            if instrument.kind == Instrument.Kind.FIDELITY
            else SCORE_LABELS,
        },
    )


urlpatterns = [
    path("cases/<int:pk>/assessments/", case_assessments, name="case_assessments"),
    path("cases/<int:pk>/assessments/new/", assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("instruments/", instruments, name="instruments"),
    path("instruments/<int:pk>/", instrument_detail, name="instrument_detail"),
]
