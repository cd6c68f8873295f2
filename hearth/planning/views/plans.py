"""Case plan and safety plan pages (C1, C2, C4, C5, C9, P9). Thin: parse, call a service or
a selector, render. Every read goes through the case's scope and is logged; every form
keeps its input on error and answers 422 with the errors shown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.cases import access as case_access
from hearth.cases.models import CaseMeeting
from hearth.core import audit
from hearth.core.documents import LANGUAGES
from hearth.core.errors import DomainError, NotFound
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.planning.access import case_of
from hearth.planning.documents import case_plan_pdf
from hearth.planning.forms import plans as f
from hearth.planning.models import ActionStep, CasePlan, PlanSignature, SafetyPlan
from hearth.planning.selectors import plans as selectors
from hearth.planning.selectors.assessments import actionable_needs
from hearth.planning.services import plans as services
from hearth.staff.access import viewer_can
from hearth.visitation.models import VisitationPlan

INVALID = 422
S = CasePlan.Status


def _plan(user, pk, *, for_edit=False):
    plan, case = case_of(user, CasePlan, pk, for_edit=for_edit, related=("approved_by",))
    plan.case = case
    return plan, case


# --- The case's plans ---------------------------------------------------------------------


@login_required
@require_GET
def case_plans(request, pk):
    """The versions of the case's plan and its safety plans (C1, C4)."""
    case = case_access.access_case(request.user, pk)
    versions = selectors.case_plan_versions(case)
    safety = selectors.case_safety_plans(case)
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(request, audit.LIST, [*versions, *safety], case=case)
    can_edit = case_access.can_edit_case(request.user, case) and not case.is_closed
    return render(
        request,
        "planning/plans_case.html",
        {
            "case": case,
            "versions": versions,
            "safety_plans": safety,
            "can_edit": can_edit,
            "has_draft": any(v.status == S.DRAFT for v in versions),
        },
    )


@login_required
@require_POST
def case_plan_new(request, pk):
    case = case_access.access_case(request.user, pk, for_edit=True)
    try:
        plan = services.case_plan_create(actor=request.user, case=case)
    except DomainError as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect(reverse("case_plans", args=[case.pk]))
    messages.success(request, f"Draft version {plan.number} begun.")
    return redirect(reverse("case_plan_edit", args=[plan.pk]))


# --- One version ---------------------------------------------------------------------------


def _detail(request, plan, case, *, forms=None, status=200):
    """The plan page: a fixed number of queries whatever the plan's size."""
    forms = forms or {}
    view = selectors.plan_view(plan, today=today())
    can_edit = case_access.can_edit_case(request.user, case) and not case.is_closed
    live = plan.status in (S.ADOPTED, S.APPROVED)
    progress_forms = {}
    if can_edit and live:
        for row in view.steps:
            sent = forms.get("progress")
            if sent is not None and sent.data.get("step") == str(row.step.pk):
                progress_forms[row.step.pk] = sent
            else:
                progress_forms[row.step.pk] = f.ProgressForm(
                    initial={"step": row.step.pk, "recorded_on": today(), "at": "visit"},
                    auto_id=f"s{row.step.pk}_%s",
                )
    sign_forms = {}
    if can_edit and live:
        for s in view.signatures:
            if s.signed_on or s.declined_on:
                continue
            sent = forms.get("sign")
            if sent is not None and sent.data.get("signature") == str(s.pk):
                sign_forms[s.pk] = sent
            else:
                sign_forms[s.pk] = f.SignForm(
                    initial={
                        "signature": s.pk,
                        "version": plan.version,
                        "signed_on": today(),
                        "agrees": True,
                    },
                    auto_id=f"sig{s.pk}_%s",
                )
    adopt_form = None
    if can_edit and plan.status == S.DRAFT:
        adopt_form = forms.get("adopt") or f.AdoptForm(
            initial={"version": plan.version}, meetings=selectors.family_team_meetings(case)
        )
    approve_form = None
    if can_edit and plan.status == S.ADOPTED and viewer_can(request.user, "plan.approve"):
        approve_form = forms.get("approve") or f.ApproveForm(initial={"version": plan.version})
    rows_by_step = {r.step.pk: r for r in view.steps}
    goals = [
        {
            "goal": g,
            "objectives": [
                {
                    "objective": o,
                    "steps": [
                        {
                            "step": s,
                            "row": rows_by_step[s.pk],
                            "form": progress_forms.get(s.pk),
                        }
                        for s in o.steps.all()
                    ],
                }
                for o in g.objectives.all()
            ],
        }
        for g in view.goals
    ]
    by_rating = {r.rating_id: r for r in view.responses}
    without = {n.pk for n in view.without_service}
    needs = [
        {"need": n, "response": by_rating.get(n.pk), "without_service": n.pk in without}
        for n in view.needs
    ]
    audit.log_access(request, audit.VIEW, plan, case=case)
    return render(
        request,
        "planning/plans_detail.html",
        {
            "case": case,
            "plan": plan,
            "view": view,
            "goals": goals,
            "needs": needs,
            "signatures": [(s, sign_forms.get(s.pk)) for s in view.signatures],
            "adopt_form": adopt_form,
            "approve_form": approve_form,
            "can_edit": can_edit,
            "languages": LANGUAGES,
        },
        status=status,
    )


@login_required
@require_GET
def case_plan_detail(request, pk):
    plan, case = _plan(request.user, pk)
    return _detail(request, plan, case)


@login_required
@require_POST
def case_plan_adopt(request, pk):
    """C5: adopt the draft at a family team meeting of the case."""
    plan, case = _plan(request.user, pk, for_edit=True)
    form = f.AdoptForm(request.POST, meetings=selectors.family_team_meetings(case))
    if not form.is_valid():
        return _detail(request, plan, case, forms={"adopt": form}, status=INVALID)
    meeting = CaseMeeting.objects.filter(case=case, pk=form.cleaned_data["meeting"]).first()
    try:
        services.case_plan_adopt(
            actor=request.user, plan=plan, meeting=meeting, version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        for field, reason in exc.errors.items():
            if field not in form.fields:
                form.add_error(None, reason)
        return _detail(request, plan, case, forms={"adopt": form}, status=exc.status_code)
    messages.success(request, f"Version {plan.number} adopted at the meeting.")
    return redirect(reverse("case_plan_detail", args=[plan.pk]))


@login_required
@require_POST
def case_plan_approve(request, pk):
    plan, case = _plan(request.user, pk, for_edit=True)
    form = f.ApproveForm(request.POST)
    if not form.is_valid():
        return _detail(request, plan, case, forms={"approve": form}, status=INVALID)
    try:
        services.case_plan_approve(
            actor=request.user,
            plan=plan,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _detail(request, plan, case, forms={"approve": form}, status=exc.status_code)
    messages.success(request, f"Version {plan.number} approved.")
    return redirect(reverse("case_plan_detail", args=[plan.pk]))


@login_required
@require_POST
def case_plan_sign(request, pk):
    """A participant signs or declines; a disagreement is recorded in their words."""
    plan, case = _plan(request.user, pk, for_edit=True)
    form = f.SignForm(request.POST, auto_id=f"sig{request.POST.get('signature', '')}_%s")
    if not form.is_valid():
        return _detail(request, plan, case, forms={"sign": form}, status=INVALID)
    data = form.cleaned_data
    signature = PlanSignature.objects.filter(plan=plan, pk=data["signature"]).first()
    if signature is None:
        raise NotFound()
    try:
        if data["declined"]:
            services.case_plan_signature_decline(
                actor=request.user,
                signature=signature,
                declined_on=data["signed_on"],
                reason=data["disagreement"],
                version=data["version"],
            )
        else:
            services.case_plan_sign(
                actor=request.user,
                signature=signature,
                signed_on=data["signed_on"],
                method=data["method"],
                signed_as=data["signed_as"],
                agrees=data["agrees"],
                disagreement=data["disagreement"],
                language=data["language"],
                version=data["version"],
            )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _detail(request, plan, case, forms={"sign": form}, status=exc.status_code)
    messages.success(request, f"{signature.name}'s answer recorded.")
    return redirect(reverse("case_plan_detail", args=[plan.pk]) + "#signatures")


@login_required
@require_POST
def case_plan_progress(request, pk):
    """P9: progress on one step of the plan."""
    plan, case = _plan(request.user, pk, for_edit=True)
    form = f.ProgressForm(request.POST, auto_id=f"s{request.POST.get('step', '')}_%s")
    if not form.is_valid():
        return _detail(request, plan, case, forms={"progress": form}, status=INVALID)
    data = form.cleaned_data
    step = ActionStep.objects.filter(pk=data["step"], objective__goal__plan=plan).first()
    if step is None:
        raise NotFound()
    try:
        services.step_progress_record(
            actor=request.user,
            step=step,
            recorded_on=data["recorded_on"],
            status=data["status"],
            at=data["at"],
            note=data["note"],
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _detail(request, plan, case, forms={"progress": form}, status=exc.status_code)
    messages.success(request, "Progress recorded.")
    return redirect(reverse("case_plan_detail", args=[plan.pk]) + f"#step-{step.pk}")


@login_required
@require_GET
def case_plan_pdf_view(request, pk, lang):
    if lang not in LANGUAGES:
        raise Http404()
    plan, case = _plan(request.user, pk)
    audit.log_access(request, audit.EXPORT, plan, case=case)
    response = HttpResponse(case_plan_pdf(plan, lang), content_type="application/pdf")
    name = f"case-plan-{case.case_number}-{plan.number}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- The draft editor -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_plan_edit(request, pk):
    """C2, C9: the draft's goals, objectives and steps, the needs it answers and every
    parent's parenting time, saved as a whole. "Add" buttons post back with a blank row."""
    plan, case = _plan(request.user, pk, for_edit=True)
    if plan.status != S.DRAFT:
        messages.error(request, "Only a draft is edited; begin a new version.")
        return redirect(reverse("case_plan_detail", args=[plan.pk]))
    context = {
        "needs": list(actionable_needs(case)),
        "parents": selectors.case_parents(case, today()),
        "visitation_plans": list(
            VisitationPlan.objects.filter(case=case).select_related("child").order_by("-made_on")
        ),
    }
    status = 200
    if request.method == "POST":
        editor = f.PlanEditor.from_post(request.POST, **context)
        if editor.action == "save":
            content = editor.content()
            if not editor.errors:
                try:
                    services.case_plan_update(
                        actor=request.user, plan=plan, version=editor.version(), **content
                    )
                except DomainError as exc:
                    editor.add_errors(exc.errors)
                    status = exc.status_code
                else:
                    messages.success(request, f"Draft version {plan.number} saved.")
                    return redirect(reverse("case_plan_detail", args=[plan.pk]))
            else:
                status = INVALID
    else:
        view = selectors.plan_view(plan, today=today())
        editor = f.PlanEditor.from_plan(
            plan, view.goals, view.responses, view.parenting_time, **context
        )
    audit.log_access(request, audit.VIEW, plan, case=case)
    return render(
        request,
        "planning/plans_edit.html",
        {"case": case, "plan": plan, "editor": editor.rows(), "errors": editor.errors},
        status=status,
    )


# --- Safety plans (C4) ------------------------------------------------------------------------


def _measure_forms(data, n):
    return [f.MeasureForm(data, prefix=f"m{i}") for i in range(n)]


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_new(request, pk):
    """C4: a safety plan with proactive and reactive measures; "add a row" posts back."""
    case = case_access.access_case(request.user, pk, for_edit=True)
    status = 200
    if request.method == "POST":
        form = f.SafetyPlanForm(request.POST)
        rows = min(max(int(request.POST.get("rows") or 4), 2), 40)
        if request.POST.get("action") == "add_row":
            rows += 1
            data = request.POST.copy()
            data["rows"] = rows
            form = f.SafetyPlanForm(data)
            form.is_valid()
            form.errors.clear()
            measures = _measure_forms(data, rows)
            for m in measures:
                m.is_valid()
                m.errors.clear()
        else:
            measures = _measure_forms(request.POST, rows)
            status = INVALID
            if form.is_valid() and all(m.is_valid() for m in measures):
                items = [m.measure() for m in measures]
                try:
                    plan = services.safety_plan_create(
                        actor=request.user,
                        case=case,
                        kind=form.cleaned_data["kind"],
                        made_on=form.cleaned_data["made_on"],
                        threats=form.cleaned_data["threats"],
                        measures=[m for m in items if m is not None],
                    )
                except DomainError as exc:
                    status = exc.status_code
                    kept = [i for i, m in enumerate(items) if m is not None]
                    for field, reason in exc.errors.items():
                        parts = field.split(".")
                        if parts[0] == "measures" and len(parts) == 3:
                            measures[kept[int(parts[1])]].add_error(parts[2], reason)
                        elif field in form.fields:
                            form.add_error(field, reason)
                        else:
                            form.add_error(None, reason)
                else:
                    messages.success(request, "Safety plan made.")
                    return redirect(reverse("safety_plan_detail", args=[plan.pk]))
    else:
        form = f.SafetyPlanForm(initial={"made_on": today(), "rows": 4})
        measures = [
            f.MeasureForm(
                prefix=f"m{i}", initial={"kind": "proactive" if i % 2 == 0 else "reactive"}
            )
            for i in range(4)
        ]
    audit.log_access(request, audit.VIEW, case)
    return render(
        request,
        "planning/plans_safety_new.html",
        {"case": case, "form": form, "measures": measures},
        status=status,
    )


def _safety_page(request, pk, *, end_form=None, status=200):
    plan, case = case_of(request.user, SafetyPlan, pk)
    can_edit = (
        case_access.can_edit_case(request.user, case) and plan.status == SafetyPlan.Status.ACTIVE
    )
    if can_edit and end_form is None:
        end_form = f.EndSafetyPlanForm(initial={"ended_on": today(), "version": plan.version})
    audit.log_access(request, audit.VIEW, plan, case=case)
    return render(
        request,
        "planning/plans_safety_detail.html",
        {
            "case": case,
            "plan": plan,
            "measures": list(plan.measures.order_by("kind", "order", "id")),
            "end_form": end_form if can_edit else None,
        },
        status=status,
    )


@login_required
@require_GET
def safety_plan_detail(request, pk):
    return _safety_page(request, pk)


@login_required
@require_POST
def safety_plan_end(request, pk):
    plan, case = case_of(request.user, SafetyPlan, pk, for_edit=True)
    form = f.EndSafetyPlanForm(request.POST)
    if not form.is_valid():
        return _safety_page(request, pk, end_form=form, status=INVALID)
    try:
        services.safety_plan_end(
            actor=request.user,
            safety_plan=plan,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _safety_page(request, pk, end_form=form, status=exc.status_code)
    messages.success(request, "Safety plan ended.")
    return redirect(reverse("safety_plan_detail", args=[plan.pk]))


urlpatterns = [
    path("cases/<int:pk>/plans/", case_plans, name="case_plans"),
    path("cases/<int:pk>/plans/new/", case_plan_new, name="case_plan_new"),
    path("cases/<int:pk>/safety-plans/new/", safety_plan_new, name="safety_plan_new"),
    path("case-plans/<int:pk>/", case_plan_detail, name="case_plan_detail"),
    path("case-plans/<int:pk>/edit/", case_plan_edit, name="case_plan_edit"),
    path("case-plans/<int:pk>/adopt/", case_plan_adopt, name="case_plan_adopt"),
    path("case-plans/<int:pk>/approve/", case_plan_approve, name="case_plan_approve"),
    path("case-plans/<int:pk>/sign/", case_plan_sign, name="case_plan_sign"),
    path("case-plans/<int:pk>/progress/", case_plan_progress, name="case_plan_progress"),
    path("case-plans/<int:pk>/pdf/<slug:lang>/", case_plan_pdf_view, name="case_plan_pdf"),
    path("safety-plans/<int:pk>/", safety_plan_detail, name="safety_plan_detail"),
    path("safety-plans/<int:pk>/end/", safety_plan_end, name="safety_plan_end"),
]
