"""Planning pages: the provider directory (P8) and a case's service referrals (C9).
Thin: parse, call a service or selector, render. Case pages read through the case's
scope (hearth.cases.access, hearth.planning.access) and are logged; a refused form keeps
the input and answers 422 with the reasons beside the fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.forms import VersionForm, add_domain_errors
from hearth.core.services import today
from hearth.people.models import Person
from hearth.planning.access import case_of
from hearth.planning.forms import services as f
from hearth.planning.models import CasePlan, Provider, ServiceReferral
from hearth.planning.selectors import services as selectors
from hearth.planning.selectors.assessments import actionable_needs
from hearth.planning.services import services
from hearth.reference.models import County, Language
from hearth.staff.access import viewer_can

INVALID = 422
PAGE_SIZE = 50

# --- The provider directory (P8) ----------------------------------------------------------


def _references() -> dict:
    return {
        "service_types": list(selectors.active_service_types()),
        "languages": list(Language.objects.filter(active=True).order_by("name")),
        "counties": list(County.objects.filter(active=True).order_by("name")),
    }


def _check_reader(user) -> None:
    if not selectors.can_read_providers(user):
        raise Forbidden()


@login_required
@require_http_methods(["GET", "POST"])
def providers(request):
    """P8: the community providers, searched by service, language, county and name; those
    who keep the directory (provider.manage) add providers here."""
    _check_reader(request.user)
    refs = _references()
    manager = viewer_can(request.user, "provider.manage")
    form = None
    status = 200
    if manager:
        form = f.ProviderForm(request.POST or None, **refs)
    if request.method == "POST":
        if form is None:
            raise Forbidden()
        status = INVALID
        if form.is_valid():
            try:
                provider = services.provider_create(actor=request.user, **form.values())
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"{provider.name} was added to the directory.")
                return redirect(reverse("provider_detail", args=[provider.pk]))
    search = f.ProviderFilterForm(request.GET or None, **refs)
    chosen = {"q": "", "service": "", "language": "", "county": "", "inactive": False}
    if search.is_valid():
        chosen |= search.cleaned_data
    by_code = {key: {x.code: x for x in refs[key]} for key in refs}
    found = selectors.provider_search(
        viewer=request.user,
        q=chosen["q"],
        service=by_code["service_types"].get(chosen["service"]),
        language=by_code["languages"].get(chosen["language"]),
        county=by_code["counties"].get(chosen["county"]),
        active=None if chosen["inactive"] else True,
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in chosen.items() if v}
    return render(
        request,
        "planning/services_providers.html",
        {
            "page_obj": page,
            "search": search,
            "form": form,
            "query_string": urlencode(params) + "&" if params else "",
        },
        status=status,
    )


def _provider(user, pk) -> Provider:
    _check_reader(user)
    provider = selectors.with_lists(Provider.objects.filter(pk=pk)).first()
    if provider is None:
        raise NotFound()
    return provider


def _provider_initial(provider: Provider) -> dict:
    return {
        "version": provider.version,
        "name": provider.name,
        "services": [s.code for s in provider.services.all()],
        "languages": [x.code for x in provider.languages.all()],
        "county": provider.county.code if provider.county_id else "",
        "address": provider.address,
        "phone": provider.phone,
        "email": provider.email,
        "contact_name": provider.contact_name,
    }


@login_required
@require_http_methods(["GET", "POST"])
def provider_detail(request, pk):
    """P8: a provider's entry; those who keep the directory change it here."""
    provider = _provider(request.user, pk)
    manager = viewer_can(request.user, "provider.manage")
    form = None
    status = 200
    if manager:
        refs = _references()
        form = f.ProviderForm(request.POST or None, initial=_provider_initial(provider), **refs)
    if request.method == "POST":
        if form is None:
            raise Forbidden()
        status = INVALID
        if form.is_valid():
            try:
                services.provider_update(
                    actor=request.user,
                    provider=provider,
                    version=form.cleaned_data["version"],
                    **form.values(),
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "The provider's entry was changed.")
                return redirect(reverse("provider_detail", args=[provider.pk]))
    return render(
        request,
        "planning/services_provider.html",
        {
            "provider": provider,
            "form": form,
            "deactivate": (
                VersionForm(initial={"version": provider.version}, auto_id="deactivate_%s")
                if manager
                else None
            ),
        },
        status=status,
    )


@login_required
@require_POST
def provider_deactivate(request, pk):
    """P8: the provider no longer takes referrals (its referrals run their course)."""
    provider = _provider(request.user, pk)
    if not viewer_can(request.user, "provider.manage"):
        raise Forbidden()
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again.")
        return redirect(reverse("provider_detail", args=[provider.pk]))
    try:
        services.provider_deactivate(
            actor=request.user, provider=provider, version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        messages.error(request, " ".join(exc.errors.values()))
    else:
        messages.success(request, f"{provider.name} no longer takes referrals.")
    return redirect(reverse("provider_detail", args=[provider.pk]))


# --- A case's services (C9) ----------------------------------------------------------------


def _people(case) -> list[Person]:
    ids = case.members.filter(ends_on__isnull=True).values("person_id")
    return list(Person.objects.filter(pk__in=ids).order_by("last_name", "first_name", "id"))


def _refer_form(case, data=None, *, service_code: str = ""):
    """C9: the referral form; providers are those offering the chosen service (on a
    posted form, every active provider: the service checks the pair)."""
    types = list(selectors.active_service_types())
    chosen = next((t for t in types if t.code == service_code), None)
    providers = selectors.with_lists(Provider.objects.filter(active=True)).order_by("name", "id")
    if data is None and chosen is not None:
        providers = providers.filter(services=chosen)
    initial = {"referred_on": today(), "service": chosen.code if chosen else ""}
    return f.ReferralForm(
        data,
        initial=initial,
        people=_people(case),
        service_types=types,
        providers=list(providers),
        needs=list(actionable_needs(case)),
        plans=list(CasePlan.objects.filter(case=case).order_by("-number")),
    )


def _case_page(request, case, *, refer=None, bound=None, status=200):
    """The case's services page. `bound`: (referral id, "status"|"report", form) of a
    refused form, shown again in place of the blank one."""
    can_edit = case_access.can_edit_case(request.user, case) and not case.is_closed
    referrals = list(selectors.case_referrals(case))
    covered, without = selectors.need_coverage(case)
    rows = []
    for r in referrals:
        status_form = report_form = None
        if can_edit and r.status in ("sent", "accepted", "started"):
            status_form = f.StatusForm(
                initial={"version": r.version, "on": today()}, auto_id=f"s{r.pk}_%s"
            )
        if can_edit and r.status != "sent":
            report_form = f.ReportForm(initial={"reported_on": today()}, auto_id=f"p{r.pk}_%s")
        if bound is not None and bound[0] == r.pk:
            if bound[1] == "status":
                status_form = bound[2]
            else:
                report_form = bound[2]
        reports = list(r.reports.all())
        rows.append(
            {
                "referral": r,
                "latest": reports[0] if reports else None,
                "reports": reports,
                "status_form": status_form,
                "report_form": report_form,
            }
        )
    if can_edit and refer is None:
        refer = _refer_form(case, service_code=request.GET.get("service", ""))
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(request, audit.LIST, referrals, case=case)
    return render(
        request,
        "planning/services_case.html",
        {
            "case": case,
            "rows": rows,
            "covered": covered,
            "without": without,
            "refer": refer if can_edit else None,
            "service_types": list(selectors.active_service_types()),
            "service_code": request.GET.get("service", ""),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_services(request, pk):
    """C9: the case's referrals with their status and latest report, the actionable needs
    without a service, and the referral form."""
    if request.method == "GET":
        return _case_page(request, case_access.access_case(request.user, pk))
    case = case_access.access_case(request.user, pk, for_edit=True)
    form = _refer_form(case, request.POST)
    if not form.is_valid():
        return _case_page(request, case, refer=form, status=INVALID)
    try:
        services.service_referral_create(actor=request.user, case=case, **form.values())
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _case_page(request, case, refer=form, status=exc.status_code)
    messages.success(request, "The referral was sent to the provider.")
    return redirect(reverse("case_services", args=[case.pk]))


def _referral(request, pk):
    referral, case = case_of(request.user, ServiceReferral, pk, for_edit=True)
    return referral, case


@login_required
@require_POST
def service_referral_status(request, pk):
    """P8: the referral accepted, started, completed or ended early."""
    referral, case = _referral(request, pk)
    form = f.StatusForm(request.POST, auto_id=f"s{referral.pk}_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.service_referral_status(
                actor=request.user,
                referral=referral,
                status=data["status"],
                on=data["on"],
                reason=data["reason"],
                version=data["version"],
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, "The referral's status was changed.")
            return redirect(reverse("case_services", args=[case.pk]) + f"#referral-{pk}")
    else:
        status = INVALID
    return _case_page(request, case, bound=(referral.pk, "status", form), status=status)


@login_required
@require_POST
def service_referral_report(request, pk):
    """P8: the provider's progress report on the referral."""
    referral, case = _referral(request, pk)
    form = f.ReportForm(request.POST, auto_id=f"p{referral.pk}_%s")
    if form.is_valid():
        try:
            services.progress_report_record(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, "The provider's report was recorded.")
            return redirect(reverse("case_services", args=[case.pk]) + f"#referral-{pk}")
    else:
        status = INVALID
    return _case_page(request, case, bound=(referral.pk, "report", form), status=status)


urlpatterns = [
    path("providers/", providers, name="providers"),
    path("providers/<int:pk>/", provider_detail, name="provider_detail"),
    path("providers/<int:pk>/deactivate/", provider_deactivate, name="provider_deactivate"),
    path("cases/<int:pk>/services/", case_services, name="case_services"),
    path(
        "service-referrals/<int:pk>/status/",
        service_referral_status,
        name="service_referral_status",
    ),
    path(
        "service-referrals/<int:pk>/reports/",
        service_referral_report,
        name="service_referral_report",
    ),
]
