"""Case pages: thin views over hearth.cases.selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hearth.cases import selectors, services
from hearth.cases.forms import AssignForm, CaseEditForm, MemberAddForm, StatusForm
from hearth.cases.models import Case
from hearth.core import access
from hearth.core.audit import log_view
from hearth.core.errors import DomainError, Forbidden
from hearth.people import services as people_services
from hearth.staff.models import Role, StaffMember
from hearth.web.forms import add_domain_errors

PAGE_SIZE = 50


@login_required
def caseload(request):
    cases = list(selectors.caseload(viewer=request.user))
    return render(request, "cases/caseload.html", {"cases": cases})


@login_required
def case_list(request):
    filters = {k: request.GET.get(k, "") for k in ("status", "case_type", "q", "worker", "unit")}
    clean = {k: v for k, v in filters.items() if v}
    for key in ("worker", "unit"):
        if key in clean and not clean[key].isdigit():
            clean.pop(key)
    qs = selectors.case_list(viewer=request.user, filters=clean)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = "".join(f"{k}={v}&" for k, v in clean.items())
    return render(
        request,
        "cases/case_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "statuses": Case.Status.choices,
            "types": Case.Type.choices,
            "query_string": query_string,
        },
    )


def _assignable_workers(request, case):
    return (
        access.visible_staff(request.user)
        .filter(
            agency_id=case.agency_id,
            status=StaffMember.Status.ACTIVE,
            roles__role=Role.CASE_MANAGER,
        )
        .select_related("unit")
        .order_by("last_name", "first_name")
    )


def _case_page(request, case_id, *, forms=None, status=200):
    detail = selectors.case_detail(viewer=request.user, case_id=case_id)
    case = detail.case
    forms = forms or {}
    context = {
        "d": detail,
        "case": case,
        "history": selectors.case_history(viewer=request.user, case_id=case.pk),
    }
    if detail.can_edit and not case.is_closed:
        context["edit_form"] = forms.get("edit") or CaseEditForm.for_case(case)
        context["status_form"] = forms.get("status") or StatusForm(
            initial={"version": case.version}
        )
        context["member_form"] = forms.get("member") or MemberAddForm()
    if detail.can_assign and not case.is_closed:
        context["assign_form"] = forms.get("assign") or AssignForm(
            workers=_assignable_workers(request, case)
        )
    log_view(user=request.user, request=request, obj=case, case=case)
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    return _case_page(request, pk)


def _done(request, case, message):
    messages.success(request, message)
    return redirect(reverse("case_detail", args=[case.pk]))


@login_required
@require_POST
def case_edit(request, pk):
    case = access.access_case(request.user, pk, for_edit=True)
    form = CaseEditForm.for_case(case, data=request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.case_update(actor=request.user, case=case, version=version, **data)
            return _done(request, case, "Case saved.")
        except DomainError as exc:
            add_domain_errors(form, exc)
    return _case_page(request, pk, forms={"edit": form}, status=422)


@login_required
@require_POST
def case_status(request, pk):
    case = access.access_case(request.user, pk, for_edit=True)
    form = StatusForm(data=request.POST)
    if form.is_valid():
        try:
            services.case_change_status(
                actor=request.user,
                case=case,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                version=form.cleaned_data["version"],
            )
            return _done(request, case, "Case status changed.")
        except DomainError as exc:
            add_domain_errors(form, exc)
    return _case_page(request, pk, forms={"status": form}, status=422)


@login_required
@require_POST
def case_assign(request, pk):
    case = access.access_case(request.user, pk)
    if not access.can_assign_case(request.user, case):
        raise Forbidden()
    form = AssignForm(data=request.POST, workers=_assignable_workers(request, case))
    if form.is_valid():
        try:
            services.case_assign(
                actor=request.user,
                assigned_by=access.staff_for(request.user),
                case=case,
                worker=form.cleaned_data["worker"],
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data["override_reason"],
            )
            return _done(request, case, "Case assigned.")
        except DomainError as exc:
            add_domain_errors(form, exc)
    return _case_page(request, pk, forms={"assign": form}, status=422)


@login_required
@require_POST
def case_member_add(request, pk):
    case = access.access_case(request.user, pk, for_edit=True)
    form = MemberAddForm(data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = people_services.person_create(
                    actor=request.user,
                    recorded_by_agency=case.agency,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                    sex=data["sex"],
                )
                services.case_member_add(
                    actor=request.user,
                    case=case,
                    person=person,
                    role=data["role"],
                    in_household=data["in_household"],
                )
            return _done(request, case, "Family member added.")
        except DomainError as exc:
            add_domain_errors(form, exc)
    return _case_page(request, pk, forms={"member": form}, status=422)
