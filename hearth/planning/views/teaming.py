"""The teaming pages: a case's family team meetings (C5, P7), supervisor conferences
(V13), diligent search log (C6), its children's ICWA status and tribe contacts (C7), on
/cases/<pk>/teaming/; one family team meeting on /team-meetings/<pk>/.

Thin: parse, call a service or selector, render. The page's forms post back to it with
`action` naming the form; a refused form shows the page again with the input kept and
answers 422. Every read goes through hearth.cases.access and is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.forms import add_domain_errors
from hearth.core.services import today
from hearth.placements import selectors as placement_selectors
from hearth.planning.forms import teaming as f
from hearth.planning.selectors import teaming as selectors
from hearth.planning.services import teaming as services
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

INVALID = 422
ACTIONS = ("meeting", "conference", "search", "tribe")


def _workers(case) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(assignments__case=case).distinct().order_by("last_name", "id")
    )


def _forms(request, case, *, data=None, action=None) -> dict:
    """Every form of the page: the one posted bound to `data`, the others empty."""
    people = selectors.meeting_people(case)
    children_icwa = selectors.children_icwa(case)
    away = [c["child"] for c in placement_selectors.case_children(case) if c["episode"]]
    staff = staff_access.staff_for(request.user)

    def bound(name):
        return data if action == name else None

    return {
        "meeting": f.TeamMeetingForm(
            bound("meeting"),
            people=people,
            children=away,
            initial={"held_on": today(), "facilitator_name": staff.full_name if staff else ""},
        ),
        "conference": f.ConferenceForm(
            bound("conference"),
            people=people,
            workers=_workers(case),
            initial={"held_on": today()},
        ),
        "search": f.SearchForm(
            bound("search"),
            children=[c["child"] for c in children_icwa],
            initial={"searched_on": today()},
        ),
        "tribe": f.TribeContactForm(
            bound("tribe"), children=children_icwa, initial={"contacted_on": today()}
        ),
        "children_icwa": children_icwa,
    }


def _page(request, case, *, forms=None, status=200):
    forms = forms or _forms(request, case)
    can_edit = case_access.can_edit_case(request.user, case) and not case.is_closed
    meetings = list(selectors.team_meetings(case))
    conferences = list(selectors.conferences(case))
    searches = list(selectors.searches(case))
    contacts = list(selectors.tribe_contacts(case))
    audit.log_access(request, audit.VIEW, case)
    audit.log_access(
        request, audit.LIST, [*meetings, *conferences, *searches, *contacts], case=case
    )
    return render(
        request,
        "planning/teaming_case.html",
        {
            "case": case,
            "meetings": meetings,
            "conferences": conferences,
            "searches": searches,
            "tribe_contacts": contacts,
            "children_icwa": forms["children_icwa"],
            "forms": forms,
            "can_edit": can_edit,
            "can_confer": can_edit and staff_access.viewer_can(request.user, "conference.record"),
        },
        status=status,
    )


def _meeting_errors(exc: DomainError, rows: list[int]) -> DomainError:
    """The service's participants.<n>.<field> reasons on the form's row fields."""
    errors = {}
    for key, reason in exc.errors.items():
        parts = key.split(".")
        if parts[0] == "participants" and len(parts) == 3 and parts[1].isdigit():
            n = int(parts[1])
            errors[f"p{rows[n]}_{parts[2]}" if n < len(rows) else "participants"] = reason
        else:
            errors[key] = reason
    return DomainError(errors)


def _record(request, case, action, form) -> str:
    """Call the service of `action` with the form's data; the message on success."""
    data = form.cleaned_data
    if action == "meeting":
        participants, rows = form.participants()
        try:
            services.team_meeting_record(
                actor=request.user,
                case=case,
                held_on=data["held_on"],
                type=data["type"],
                facilitator_name=data["facilitator_name"],
                location=data["location"],
                participants=participants,
                decisions=data["decisions"],
                reviews=form.reviews(),
            )
        except DomainError as exc:
            raise _meeting_errors(exc, rows) from None
        return "Family team meeting recorded."
    if action == "conference":
        services.supervisor_conference_record(
            actor=request.user,
            case=case,
            held_on=data["held_on"],
            worker=form.workers.get(data["worker"] or ""),
            discussed=data["discussed"],
            decisions=data["decisions"],
            not_seen=form.people.get(data["not_seen"] or ""),
            not_seen_reason=data["not_seen_reason"],
            next_steps=data["next_steps"],
        )
        return "Supervisor conference recorded."
    if action == "search":
        new_person = form.new_person()
        try:
            services.diligent_search_record(
                actor=request.user,
                case=case,
                sought_for=data["sought_for"],
                sought_name=data["sought_name"],
                method=data["method"],
                searched_on=data["searched_on"],
                result=data["result"],
                child=form.children.get(data["child"] or ""),
                new_person=new_person,
                relative_kind=data["relative_kind"],
                notes=data["notes"],
            )
        except DomainError as exc:
            errors = {
                k.replace("new_person.first_name", "found_first_name")
                .replace("new_person.last_name", "found_last_name")
                .replace("found_person", "found_first_name"): v
                for k, v in exc.errors.items()
            }
            raise DomainError(errors) from None
        return "Diligent search recorded."
    services.tribe_contact_record(
        actor=request.user,
        case=case,
        child=form.children.get(data["child"]),
        tribe=form.tribes.get(data["tribe"] or ""),
        contacted_on=data["contacted_on"],
        method=data["method"],
        tribe_contact_name=data["tribe_contact_name"],
        response=data["response"],
        active_efforts=data["active_efforts"],
    )
    return "Tribe contact recorded."


@login_required
@require_http_methods(["GET", "POST"])
def case_teaming(request, pk):
    """C5, C6, C7, V13: the case's teaming; its forms post back here."""
    if request.method == "GET":
        return _page(request, case_access.access_case(request.user, pk))
    case = case_access.access_case(request.user, pk, for_edit=True)
    action = request.POST.get("action")
    if action not in ACTIONS:
        action = "meeting"
    if action == "conference" and not staff_access.viewer_can(request.user, "conference.record"):
        raise PermissionDenied
    forms = _forms(request, case, data=request.POST, action=action)
    form = forms[action]
    if action == "meeting" and "add_rows" in request.POST:
        return _page(request, case, forms=forms)  # more participant rows, input kept
    status = INVALID
    if form.is_valid():
        try:
            message = _record(request, case, action, form)
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, message)
            return redirect(reverse("case_teaming", args=[case.pk]) + f"#{action}")
    return _page(request, case, forms=forms, status=status)


@login_required
@require_GET
def team_meeting_detail(request, pk):
    """C5: one family team meeting: participants and their input, decisions, the
    visitation reviews (P7) and the case plan versions adopted at it."""
    team = selectors.team_meeting(request.user, pk)
    audit.log_access(request, audit.VIEW, team.meeting, case=team.meeting.case)
    return render(
        request,
        "planning/teaming_meeting.html",
        {
            "team": team,
            "meeting": team.meeting,
            "case": team.meeting.case,
            "participants": list(team.participants.all()),
            "reviews": list(team.meeting.visitation_reviews.all()),
            "plans": team.meeting.adopted_plans,
        },
    )


urlpatterns = [
    path("cases/<int:pk>/teaming/", case_teaming, name="case_teaming"),
    path("team-meetings/<int:pk>/", team_meeting_detail, name="team_meeting_detail"),
]
