"""The resource directory's pages: the list, a home's page, and the forms of those who
keep the agency's homes (home.manage) and answer for a home. Thin: parse, call a
selector or a service, render. (The child's page, which shows placements with
visitation, is hearth.web.pages.child.)"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.placements import access, selectors, services
from hearth.placements import forms as f
from hearth.placements.models import PlacementRequest, ResourceHome, Setting
from hearth.policy.placement import LEVEL_LABELS, licence_status, setting_level
from hearth.staff.access import staff_for
from hearth.staff.models import StaffMember

INVALID = 422


@login_required
@require_GET
def resource_home_list(request):
    """The resource directory: homes and facilities with their room, ages and needs;
    first the homes whose licence needs attention, for those it concerns."""
    staff = staff_for(request.user)
    if staff is None:
        raise Forbidden()
    setting = request.GET.get("setting", "")
    q = request.GET.get("q", "").strip()
    homes = selectors.with_occupancy(ResourceHome.objects.filter(active=True)).select_related(
        "county"
    )
    if setting in Setting.values:
        homes = homes.filter(setting=setting)
    if q:
        homes = homes.filter(name__icontains=q) | homes.filter(county__name__icontains=q)
    if request.GET.get("room"):
        homes = homes.filter(occupancy__lt=F("capacity"))
    page = Paginator(homes.order_by("name", "id"), settings.HEARTH_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = {k: v for k, v in (("q", q), ("setting", setting)) if v}
    if request.GET.get("room"):
        params["room"] = "1"
    now, warn_days = today(), staff.agency.policy.licence_warning_days
    for home in page:
        home.level = LEVEL_LABELS.get(setting_level(home.setting), "")
        home.licence_state = licence_status(home.licence_expires_on, today=now, warn_days=warn_days)
    return render(
        request,
        "placements/resource_homes.html",
        {
            "page_obj": page,
            "attention": selectors.homes_needing_attention(request.user, on=now),
            "can_create": access.can_create_homes(request.user),
            "settings": [c for c in Setting.choices if setting_level(c[0])],
            "setting": setting,
            "q": q,
            "room": bool(request.GET.get("room")),
            "query_string": urlencode(params) + "&" if params else "",
        },
    )


def _managers(user):
    staff = staff_for(user)
    return (
        StaffMember.objects.filter(agency_id=staff.agency_id)
        .exclude(status=StaffMember.Status.DEPARTED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def _values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def resource_home_new(request):
    """A program director (home.manage) adds a home or facility to the agency's directory."""
    if not access.can_create_homes(request.user):
        raise Forbidden()
    form = f.NewHomeForm(request.POST or None, managers=_managers(request.user))
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                home = services.home_create(actor=request.user, **_values(form))
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"{home.name} was added to the directory.")
                return redirect(reverse("resource_home_detail", args=[home.pk]))
    return render(request, "placements/resource_home_form.html", {"form": form}, status=status)


@login_required
@require_GET
def resource_home_detail(request, pk):
    """A home's page: its entry, room, resource parents and licence, with a warning when
    the licence has expired or expires soon; the placement requests sent to it for those
    who answer them; the licence and parent forms for those who keep it."""
    home = access.access_home(request.user, pk)
    ctx = selectors.home_detail(request.user, home)
    home = ctx["home"]
    audit.log_access(request, audit.VIEW, [home, *[p.person for p in ctx["parents"]]])
    if ctx["requests"]:
        audit.log_access(request, audit.LIST, [r.child for r in ctx["requests"]])
    if ctx["can_keep"]:
        ctx["licence_form"] = f.LicenceForm(
            initial={"version": home.version, "licence_number": home.licence_number}
        )
        ctx["parent_form"] = f.ResourceParentForm(initial={"starts_on": today()})
    return render(request, "placements/resource_home.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def resource_home_edit(request, pk):
    home = access.access_home(request.user, pk, for_edit=True)
    initial = {
        name: getattr(home, name)
        for name in f.EditHomeForm.base_fields
        if name not in ("manager", "version")
    }
    initial |= {"manager": home.manager_id, "version": home.version}
    form = f.EditHomeForm(request.POST or None, initial=initial, managers=_managers(request.user))
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                services.home_update(
                    actor=request.user,
                    home=home,
                    version=form.cleaned_data["version"],
                    **_values(form),
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "The home's entry was changed.")
                return redirect(reverse("resource_home_detail", args=[home.pk]))
    return render(
        request, "placements/resource_home_form.html", {"form": form, "home": home}, status=status
    )


@login_required
@require_POST
def resource_home_action(request, pk, action):
    """The home page's forms: renew the licence, link a resource parent (home.manage);
    answer a placement request (the home's manager)."""
    home = access.access_home(request.user, pk, for_edit=action != "answer")
    if action == "licence":
        form = f.LicenceForm(request.POST)
        done = "The licence was recorded."
    elif action == "parent":
        form = f.ResourceParentForm(request.POST)
        done = "The resource parent was linked to the home."
    elif action == "answer":
        if not access.can_answer(request.user, home):
            raise Forbidden()
        form = f.AnswerForm(request.POST)
        done = "The answer was recorded."
    else:
        raise NotFound()
    if form.is_valid():
        try:
            _act(request, home, action, form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(reverse("resource_home_detail", args=[home.pk]))
    ctx = selectors.home_detail(request.user, home)
    key = {"licence": "licence_form", "parent": "parent_form", "answer": "answer_form"}[action]
    ctx[key] = form
    if ctx["can_keep"]:
        ctx.setdefault("licence_form", f.LicenceForm(initial={"version": ctx["home"].version}))
        ctx.setdefault("parent_form", f.ResourceParentForm(initial={"starts_on": today()}))
    return render(request, "placements/resource_home.html", ctx, status=INVALID)


def _act(request, home, action, data) -> None:
    if action == "licence":
        services.home_licence_renew(actor=request.user, home=home, **data)
    elif action == "parent":
        person = case_access.visible_people(request.user).filter(pk=data["person"]).first()
        if person is None:
            raise DomainError({"person": "No such person among the people you may see."})
        services.resource_parent_add(
            actor=request.user,
            home=home,
            person=person,
            role=data["role"],
            starts_on=data["starts_on"],
        )
    else:
        found = PlacementRequest.objects.filter(pk=data["request"], home=home).first()
        if found is None:
            raise DomainError({"request": "No such request to this home."})
        services.placement_request_answer(
            actor=request.user,
            request=found,
            accept=data["accept"],
            reason=data["reason"],
            version=data["version"],
        )
