"""Visitation plans with their signatures and PDF copies, and placement conferences.
Thin: parse, call a service or selector, render. Every read goes through
hearth.cases.access; case pages are logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.documents import page_language
from hearth.core.errors import DomainError, NotFound
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.placements import selectors as placement_selectors
from hearth.visitation import forms as f
from hearth.visitation import services
from hearth.visitation.documents import LANGUAGES, visitation_plan_pdf
from hearth.visitation.models import PlanParticipant, VisitationPlan

INVALID = 422

# --- Visitation plans -----------------------------------------------------------------


def _plan_for(user, plan_id, *, for_edit=False):
    plan = VisitationPlan.objects.filter(pk=plan_id).select_related("child", "case").first()
    if plan is None:
        raise NotFound()
    case = case_access.access_case(user, plan.case_id, for_edit=for_edit)
    return plan, case


def _plan_page(request, plan_id, *, sign_form=None, status=200):
    """The plan and its signatures; a family may read and sign it, so `?lang=es` shows it
    in Spanish (the staff's navigation stays English)."""
    plan, case = _plan_for(request.user, plan_id)
    can_sign = (
        plan.status == VisitationPlan.Status.DRAFT
        and case_access.can_edit_case(request.user, case)
        and not case.is_closed
    )
    participants = list(plan.participants.all())
    forms_by_participant = {}
    if can_sign:
        for p in participants:
            if p.signed:
                continue
            if sign_form is not None and sign_form.data.get("participant") == str(p.pk):
                forms_by_participant[p.pk] = sign_form
            else:
                forms_by_participant[p.pk] = f.SignForm(
                    initial={
                        "participant": p.pk,
                        "version": plan.version,
                        "signed_on": today(),
                        "copy_given": True,
                    },
                    auto_id=f"p{p.pk}_%s",
                )
    audit.log_access(request, audit.VIEW, plan)
    lang = page_language(request)
    with translation.override(lang):
        return render(
            request,
            "visitation/visit_plan.html",
            {
                "plan": plan,
                "case": case,
                "arrangements": list(plan.arrangements.select_related("visitor")),
                "participants": [(p, forms_by_participant.get(p.pk)) for p in participants],
                "languages": LANGUAGES,
                "lang": lang,
            },
            status=status,
        )


@login_required
@require_GET
def visit_plan_detail(request, pk):
    return _plan_page(request, pk)


@login_required
@require_POST
def visit_plan_sign(request, pk):
    plan, case = _plan_for(request.user, pk, for_edit=True)
    lang = page_language(request)
    form = f.SignForm(request.POST, auto_id=f"p{request.POST.get('participant', '')}_%s")
    if not form.is_valid():
        return _plan_page(request, pk, sign_form=form, status=INVALID)
    data = form.cleaned_data
    participant = PlanParticipant.objects.filter(plan=plan, pk=data["participant"]).first()
    if participant is None:
        raise NotFound()
    try:
        services.visit_plan_sign(
            actor=request.user,
            participant=participant,
            method=data["method"],
            signed_on=data["signed_on"],
            signed_as=data["signed_as"],
            copy_given_on=data["signed_on"] if data["copy_given"] else None,
            version=data["version"],
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _plan_page(request, pk, sign_form=form, status=exc.status_code)
    with translation.override(lang):
        done = gettext("%(name)s signed the plan.") % {"name": participant.name}
    messages.success(request, done)
    url = reverse("visit_plan_detail", args=[plan.pk])
    return redirect(url if lang == "en" else f"{url}?lang={lang}")


@login_required
@require_GET
def visit_plan_pdf(request, pk, lang):
    """P6: the participant's copy, in English or Spanish."""
    if lang not in LANGUAGES:
        raise Http404()
    plan, case = _plan_for(request.user, pk)
    audit.log_access(request, audit.EXPORT, plan)
    response = HttpResponse(visitation_plan_pdf(plan, lang), content_type="application/pdf")
    name = f"visitation-plan-{plan.case.case_number}-{plan.pk}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Placement conference (P7) -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_conference(request, pk):
    """Record a placement conference; the visitation schedule of every child in care is
    reviewed in it (P7)."""
    case = case_access.access_case(request.user, pk, for_edit=True)
    children = [c["child"] for c in placement_selectors.case_children(case) if c["episode"]]
    form = f.ConferenceForm(request.POST or None, children=children, initial={"held_on": today()})
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.placement_conference_record(
                    actor=request.user,
                    case=case,
                    held_on=data["held_on"],
                    participants=data["participants"],
                    decisions=data["decisions"],
                    reviews=form.reviews(),
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Placement conference recorded.")
                return redirect(reverse("case_detail", args=[case.pk]) + "#children")
    audit.log_access(request, audit.VIEW, case)
    return render(
        request, "visitation/conference.html", {"case": case, "form": form}, status=status
    )
