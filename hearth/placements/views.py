"""The child's placement page and its actions, visitation plans with signatures and PDF
copies, placement conferences, and the resource directory. Thin: parse, call a service
or selector, render. Every read goes through hearth.cases.access; case pages are logged.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.cases import access as case_access
from hearth.cases.models import CaseMember
from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.placements import forms as f
from hearth.placements import selectors, services
from hearth.placements.documents import LANGUAGES, visitation_plan_pdf
from hearth.placements.models import (
    PlanParticipant,
    RemovalEpisode,
    ResourceHome,
    SchoolEnrollment,
    Setting,
    VisitationPlan,
)
from hearth.policy.placement import LEVEL_LABELS, setting_level
from hearth.staff import access as staff_access

INVALID = 422

ACTIONS = {  # action -> (label, available when)
    "remove": ("Record a removal", "in_home"),
    "place": ("Place or move the child", "in_care"),
    "exit": ("Record the exit from care", "in_care"),
    "goal": ("Change the permanency goal", "any"),
    "school": ("Record the school of origin", "any"),
    "enrolment": ("Record a new school's enrolment date", "any"),
    "plan": ("New visitation plan", "in_care"),
    "visit": ("Record a family visit", "any"),
}


def _visitors(case, child):
    """Case members who may visit the child: everyone in the case but the child."""
    return [
        m.person
        for m in CaseMember.objects.filter(case=case, ends_on__isnull=True)
        .exclude(person=child)
        .select_related("person")
    ]


def _blank_form(action, record):
    child, case = record.child, record.case
    if action == "remove":
        return f.RemovalForm(initial={"removed_on": today()})
    if action == "place":
        return f.PlaceForm(initial={"starts_on": today()})
    if action == "exit":
        return f.ExitForm(initial={"exited_on": today(), "version": record.episode.version})
    if action == "goal":
        return f.GoalForm(initial={"starts_on": today()})
    if action == "school":
        return f.SchoolForm()
    if action == "enrolment":
        pending = next((s for s in record.schools if s.placement_id and not s.enrolled_on), None)
        return f.EnrolmentForm(
            initial={"school": pending and pending.pk, "version": pending and pending.version}
        )
    if action == "plan":
        return _plan_forms(case, child)
    if action == "visit":
        return f.VisitForm(initial={"visit_on": today()}, visitors=_visitors(case, child))
    raise Http404()


def _plan_forms(case, child, data=None):
    """The plan form with its arrangement and participant rows, prefilled with the
    parents and siblings as visitors and the parents, child and worker as participants."""
    visitors = _visitors(case, child)
    members = {
        m.person_id: m.role for m in CaseMember.objects.filter(case=case, ends_on__isnull=True)
    }
    arrangement_initial, participant_initial = [], []
    for p in visitors:
        role = members.get(p.pk)
        if role == "parent":
            arrangement_initial.append(
                {"visitor": str(p.pk), "visitor_role": "parent", "frequency": "weekly"}
            )
            participant_initial.append({"name": p.full_name, "role": "parent"})
        elif role in ("child", "sibling"):
            arrangement_initial.append(
                {"visitor": str(p.pk), "visitor_role": "sibling", "frequency": "weekly"}
            )
    participant_initial += [{"role": "resource_parent"}, {"role": "worker"}]
    kw = {"form_kwargs": {"visitors": visitors}}
    return {
        "plan": f.PlanForm(data, initial={"made_on": today(), "made_at": "family_team_meeting"}),
        "arrangements": f.ArrangementFormSet(
            data, prefix="arr", initial=None if data else arrangement_initial, **kw
        ),
        "participants": f.ParticipantFormSet(
            data, prefix="par", initial=None if data else participant_initial
        ),
    }


def _page(request, case_id, child_id, *, action=None, form=None, status=200):
    case = case_access.access_case(request.user, case_id)
    record = selectors.child_record(viewer=request.user, case=case, child_id=child_id)
    allowed = []
    if record.can_edit:
        state = "in_care" if record.episode else "in_home"
        allowed = [a for a, (_, when) in ACTIONS.items() if when in (state, "any")]
        if not any(s.placement_id and not s.enrolled_on for s in record.schools):
            allowed.remove("enrolment")
        if record.schools:
            allowed.remove("school")
    action = action or request.GET.get("action")
    if action not in allowed:
        action = None
    if action and form is None:
        form = _blank_form(action, record)
    ranked = []
    if action == "place":
        ranked = selectors.rank_for_child(record.episode, viewer=request.user)[:25]
    context = {
        "r": record,
        "case": case,
        "child": record.child,
        "actions": [(a, ACTIONS[a][0]) for a in allowed],
        "action": action,
        "action_label": ACTIONS[action][0] if action else "",
        "form": form,
        "ranked": ranked,
        "level_labels": LEVEL_LABELS,
    }
    audit.log_access(request, audit.VIEW, record.child, case=case)
    return render(request, "placements/child.html", context, status=status)


@login_required
@require_GET
def case_child(request, pk, child_id):
    return _page(request, pk, child_id)


def _done(request, case, child, message):
    messages.success(request, message)
    return redirect(reverse("case_child", args=[case.pk, child.pk]))


@login_required
@require_POST
def case_child_action(request, pk, child_id, action):
    """Every action of the child's page: validate the form, call the service, show the
    page again with the errors (nothing saved) or go back to it."""
    case = case_access.access_case(request.user, pk, for_edit=True)
    child = selectors.case_child_member(case, child_id).person
    if action not in ACTIONS:
        raise Http404()
    handler = HANDLERS[action]
    form = _bound_form(action, request, case, child)
    valid = all(x.is_valid() for x in form.values()) if isinstance(form, dict) else form.is_valid()
    if not valid:
        return _page(request, pk, child_id, action=action, form=form, status=INVALID)
    try:
        message = handler(request, case, child, form)
    except DomainError as exc:
        target = form["plan"] if isinstance(form, dict) else form
        add_domain_errors(target, exc)
        return _page(request, pk, child_id, action=action, form=form, status=exc.status_code)
    return _done(request, case, child, message)


def _bound_form(action, request, case, child):
    data = request.POST
    if action == "plan":
        return _plan_forms(case, child, data)
    if action == "visit":
        return f.VisitForm(data, visitors=_visitors(case, child))
    form_class = {
        "remove": f.RemovalForm,
        "place": f.PlaceForm,
        "exit": f.ExitForm,
        "goal": f.GoalForm,
        "school": f.SchoolForm,
        "enrolment": f.EnrolmentForm,
    }[action]
    return form_class(data)


def _open_episode(case, child) -> RemovalEpisode:
    episode = RemovalEpisode.objects.filter(case=case, child=child, exited_on__isnull=True).first()
    if episode is None:
        raise DomainError("This child is not in out-of-home care.")
    return episode


def _remove(request, case, child, form):
    data = dict(form.cleaned_data)
    school = data.pop("school_of_origin").strip()
    with transaction.atomic():
        services.child_remove(actor=request.user, case=case, child=child, **data)
        if school and not SchoolEnrollment.objects.filter(child=child).exists():
            services.school_record(actor=request.user, case=case, child=child, school_name=school)
    return "Removal recorded. Next: choose the placement."


def _place(request, case, child, form):
    data = dict(form.cleaned_data)
    services.child_place(actor=request.user, episode=_open_episode(case, child), **data)
    return "Placement recorded."


def _exit(request, case, child, form):
    services.episode_exit(
        actor=request.user, episode=_open_episode(case, child), **form.cleaned_data
    )
    return "Exit from care recorded."


def _goal(request, case, child, form):
    services.goal_change(actor=request.user, case=case, child=child, **form.cleaned_data)
    return "Permanency goal changed."


def _school(request, case, child, form):
    services.school_record(actor=request.user, case=case, child=child, **form.cleaned_data)
    return "School of origin recorded."


def _enrolment(request, case, child, form):
    school = SchoolEnrollment.objects.filter(child=child, pk=form.cleaned_data["school"]).first()
    if school is None:
        raise DomainError({"school": "No such school move."})
    services.school_record(
        actor=request.user,
        case=case,
        child=child,
        school_name=school.school_name,
        enrolled_on=form.cleaned_data["enrolled_on"],
        enrolment_of=school,
        version=form.cleaned_data["version"],
    )
    return "Enrolment date recorded."


def _plan(request, case, child, forms):
    arrangements = [a for a in (x.arrangement() for x in forms["arrangements"]) if a]
    participants = [p for p in (x.participant() for x in forms["participants"]) if p]
    plan = services.visit_plan_create(
        actor=request.user,
        case=case,
        child=child,
        arrangements=arrangements,
        participants=participants,
        **forms["plan"].cleaned_data,
    )
    return f"Visitation plan saved (plan {plan.pk}). Every participant now signs it."


def _visit(request, case, child, form):
    data = dict(form.cleaned_data)
    data["visitors"] = form.chosen_visitors()
    services.family_visit_record(actor=request.user, case=case, child=child, **data)
    return "Family visit recorded."


HANDLERS = {
    "remove": _remove,
    "place": _place,
    "exit": _exit,
    "goal": _goal,
    "school": _school,
    "enrolment": _enrolment,
    "plan": _plan,
    "visit": _visit,
}


# --- Visitation plans -----------------------------------------------------------------


def _plan_for(user, plan_id, *, for_edit=False):
    plan = VisitationPlan.objects.filter(pk=plan_id).select_related("child", "case").first()
    if plan is None:
        raise NotFound()
    case = case_access.access_case(user, plan.case_id, for_edit=for_edit)
    return plan, case


def _plan_page(request, plan_id, *, sign_form=None, status=200):
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
    return render(
        request,
        "placements/visit_plan.html",
        {
            "plan": plan,
            "case": case,
            "arrangements": list(plan.arrangements.select_related("visitor")),
            "participants": [(p, forms_by_participant.get(p.pk)) for p in participants],
            "languages": LANGUAGES,
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
    messages.success(request, f"{participant.name} signed the plan.")
    return redirect(reverse("visit_plan_detail", args=[plan.pk]))


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
    children = [c["child"] for c in selectors.case_children(case) if c["episode"]]
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
        request, "placements/conference.html", {"case": case, "form": form}, status=status
    )


# --- Resource directory -------------------------------------------------------------------


@login_required
@require_GET
def resource_home_list(request):
    """The resource directory: homes and facilities with their room, ages and needs."""
    if staff_access.staff_for(request.user) is None:
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
    for home in page:
        home.level = LEVEL_LABELS.get(setting_level(home.setting), "")
    return render(
        request,
        "placements/resource_homes.html",
        {
            "page_obj": page,
            "settings": [c for c in Setting.choices if setting_level(c[0])],
            "setting": setting,
            "q": q,
            "room": bool(request.GET.get("room")),
            "query_string": urlencode(params) + "&" if params else "",
        },
    )
