"""The child's page: removals, placements, goals and schools (hearth.placements) with
visitation plans and family visits (hearth.visitation), and every action on them. Thin:
parse, call a service or selector, render. Every read goes through hearth.cases.access;
the page is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hearth.cases import access as case_access
from hearth.cases.models import CaseMember
from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.placements import forms as placement_forms
from hearth.placements import selectors as placement_selectors
from hearth.placements import services as placement_services
from hearth.placements.models import RemovalEpisode, ResourceHome, SchoolEnrollment
from hearth.policy.placement import LEVEL_LABELS
from hearth.visitation import forms as visitation_forms
from hearth.visitation import selectors as visitation_selectors
from hearth.visitation import services as visitation_services

INVALID = 422

ACTIONS = {  # action -> (label, available when)
    "remove": ("Record a removal", "in_home"),
    "request": ("Ask a home to take the child", "in_care"),
    "place": ("Place or move the child", "in_care"),
    "exit": ("Record the exit from care", "in_care"),
    "entry": ("Record the date the child entered care", "in_care"),
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
        return placement_forms.RemovalForm(initial={"removed_on": today()})
    if action == "place":
        return placement_forms.PlaceForm(initial={"starts_on": today()})
    if action == "request":
        return placement_forms.PlacementRequestForm(initial={"starts_on": today()})
    if action == "exit":
        return placement_forms.ExitForm(
            initial={"exited_on": today(), "version": record.episode.version}
        )
    if action == "entry":
        episode = record.episode
        return placement_forms.EntryDateForm(
            initial={"entered_care_on": episode.entered_care_on, "version": episode.version}
        )
    if action == "goal":
        return placement_forms.GoalForm(initial={"starts_on": today()})
    if action == "school":
        return placement_forms.SchoolForm()
    if action == "enrolment":
        pending = next((s for s in record.schools if s.placement_id and not s.enrolled_on), None)
        return placement_forms.EnrolmentForm(
            initial={"school": pending and pending.pk, "version": pending and pending.version}
        )
    if action == "plan":
        return _plan_forms(case, child)
    if action == "visit":
        return visitation_forms.VisitForm(
            initial={"visit_on": today()}, visitors=_visitors(case, child)
        )
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
        "plan": visitation_forms.PlanForm(
            data, initial={"made_on": today(), "made_at": "family_team_meeting"}
        ),
        "arrangements": visitation_forms.ArrangementFormSet(
            data, prefix="arr", initial=None if data else arrangement_initial, **kw
        ),
        "participants": visitation_forms.ParticipantFormSet(
            data, prefix="par", initial=None if data else participant_initial
        ),
    }


def _page(request, case_id, child_id, *, action=None, form=None, status=200):
    case = case_access.access_case(request.user, case_id)
    record = placement_selectors.child_record(viewer=request.user, case=case, child_id=child_id)
    visitation = visitation_selectors.child_visitation(case=case, child=record.child)
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
    if action in ("place", "request"):
        ranked = placement_selectors.rank_for_child(record.episode, viewer=request.user)[:25]
        if action == "request":  # a home of the directory accepts; a relative does not
            ranked = [o for o in ranked if o.option.key.startswith("home:")]
    context = {
        "r": record,
        "visitation": visitation,
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
    return render(request, "web/child.html", context, status=status)


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
    child = placement_selectors.case_child_member(case, child_id).person
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
        return visitation_forms.VisitForm(data, visitors=_visitors(case, child))
    form_class = {
        "remove": placement_forms.RemovalForm,
        "place": placement_forms.PlaceForm,
        "request": placement_forms.PlacementRequestForm,
        "exit": placement_forms.ExitForm,
        "entry": placement_forms.EntryDateForm,
        "goal": placement_forms.GoalForm,
        "school": placement_forms.SchoolForm,
        "enrolment": placement_forms.EnrolmentForm,
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
        placement_services.child_remove(actor=request.user, case=case, child=child, **data)
        if school and not SchoolEnrollment.objects.filter(child=child).exists():
            placement_services.school_record(
                actor=request.user, case=case, child=child, school_name=school
            )
    return "Removal recorded. Next: choose the placement."


def _place(request, case, child, form):
    data = dict(form.cleaned_data)
    placement_services.child_place(actor=request.user, episode=_open_episode(case, child), **data)
    return "Placement recorded."


def _request(request, case, child, form):
    data = dict(form.cleaned_data)
    home = ResourceHome.objects.filter(pk=data.pop("home")).first()
    if home is None:
        raise DomainError({"home": "No such home in the directory."})
    placement_services.placement_request_send(
        actor=request.user, case=case, episode=_open_episode(case, child), home=home, **data
    )
    return f"{home.name} was asked to take the child; the placement starts once it accepts."


def _exit(request, case, child, form):
    placement_services.episode_exit(
        actor=request.user, episode=_open_episode(case, child), **form.cleaned_data
    )
    return "Exit from care recorded."


def _entry(request, case, child, form):
    placement_services.episode_entry_date_set(
        actor=request.user, episode=_open_episode(case, child), **form.cleaned_data
    )
    return "Date entered care recorded."


def _goal(request, case, child, form):
    placement_services.permanency_goal_change(
        actor=request.user, case=case, child=child, **form.cleaned_data
    )
    return "Permanency goal changed."


def _school(request, case, child, form):
    placement_services.school_record(
        actor=request.user, case=case, child=child, **form.cleaned_data
    )
    return "School of origin recorded."


def _enrolment(request, case, child, form):
    school = SchoolEnrollment.objects.filter(child=child, pk=form.cleaned_data["school"]).first()
    if school is None:
        raise DomainError({"school": "No such school move."})
    placement_services.school_record(
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
    plan = visitation_services.visit_plan_create(
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
    visitation_services.family_visit_record(actor=request.user, case=case, child=child, **data)
    return "Family visit recorded."


HANDLERS = {
    "remove": _remove,
    "place": _place,
    "request": _request,
    "exit": _exit,
    "entry": _entry,
    "goal": _goal,
    "school": _school,
    "enrolment": _enrolment,
    "plan": _plan,
    "visit": _visit,
}
