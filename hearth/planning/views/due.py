"""Planning pages: the one due list (P9). The signed-in worker's due list (/due/), a
unit's overdue list by worker (/units/<pk>/due/), the calendar feed's token (make, revoke,
see the feed's address once) and the feed itself (/calendar/<token>.ics, no session: the
token is the credential)."""

import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from hearth.core import audit
from hearth.core.errors import Forbidden
from hearth.core.services import now, today
from hearth.planning import access as planning_access
from hearth.planning.forms.due import HorizonForm
from hearth.planning.models import CalendarToken
from hearth.planning.selectors import due as selectors
from hearth.planning.services import due as services
from hearth.staff import access as staff_access

# How far ahead the calendar feed reaches (overdue items are in it too).
FEED_HORIZON_DAYS = 90


@login_required
@require_GET
def due_list(request):
    """P9: the signed-in worker's due list, by group (overdue, due this week, upcoming),
    each item with its rule, case, person, due date and days left or over."""
    form = HorizonForm(request.GET or None)
    horizon = selectors.DEFAULT_HORIZON_DAYS
    if form.is_bound and form.is_valid() and form.cleaned_data["horizon"]:
        horizon = form.cleaned_data["horizon"]
    due = selectors.due_list(viewer=request.user, horizon_days=horizon)
    audit.log_access(request, audit.LIST, due.items)
    return render(
        request,
        "planning/due_list.html",
        {
            "due": due,
            "form": form if form.is_bound else HorizonForm(initial={"horizon": horizon}),
            "units": list(selectors.visible_due_units(request.user)),
            "has_staff": staff_access.staff_for(request.user) is not None,
        },
        status=200 if not form.is_bound or form.is_valid() else 422,
    )


@login_required
@require_GET
def unit_due(request, pk):
    """P9: a unit's overdue items by worker, for its supervisor (due.unit) and the
    agency's program director (due.agency); any other unit answers like a missing one."""
    unit = planning_access.access_due_unit(request.user, pk)
    workers = selectors.unit_overdue(viewer=request.user, unit=unit)
    audit.log_access(request, audit.LIST, [o for w in workers for o in w.items])
    return render(
        request,
        "planning/due_unit.html",
        {"unit": unit, "workers": workers, "total": sum(len(w.items) for w in workers)},
    )


# The calendar feed ---------------------------------------------------------------------------


def _own_staff(request):
    staff = staff_access.staff_for(request.user)
    if staff is None:
        raise Forbidden()
    return staff


@login_required
@require_http_methods(["GET", "POST"])
def due_calendar(request):
    """P9: the worker's calendar feed: make a new address (the previous one stops working)
    and see it this once; only its digest is kept."""
    staff = _own_staff(request)
    created = None
    if request.method == "POST":
        token, raw = services.calendar_token_create(actor=request.user, staff=staff)
        created = request.build_absolute_uri(reverse("calendar_feed", args=[raw]))
    active = CalendarToken.objects.filter(staff=staff, revoked_at__isnull=True).first()
    return render(request, "planning/due_calendar.html", {"created": created, "active": active})


@login_required
@require_POST
def due_calendar_revoke(request):
    staff = _own_staff(request)
    token = CalendarToken.objects.filter(staff=staff, revoked_at__isnull=True).first()
    if token is not None:
        services.calendar_token_revoke(actor=request.user, token=token)
        messages.success(request, "Your calendar feed is revoked: its address no longer works.")
    return redirect("due_calendar")


def event_uid(o) -> str:
    """An obligation's UID, stable while the obligation is the same (the engine replaces
    rows, so the row id is not): its source, rule, case, person, need and month, hashed."""
    key = f"{o.source}|{o.rule}|{o.case_id}|{o.person_id or 0}|{o.need}|{o.month:%Y-%m}"
    return hashlib.sha256(key.encode()).hexdigest()[:32] + "@hearth"


def calendar_ics(items, *, stamp) -> bytes:
    """P9: the items as all-day events (RFC 5545). SUMMARY holds the rule, what is needed
    and the case number, never a person's name: a calendar is less protected than Hearth
    (it syncs to phones and other services)."""
    cal = Calendar()
    cal.add("prodid", "-//Hearth//Due list//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Hearth: my due list")
    for o in items:
        event = Event()
        event.add("uid", event_uid(o))
        event.add("dtstamp", stamp)
        event.add("dtstart", o.due_on)
        event.add("dtend", o.due_on + timedelta(days=1))
        overdue = "Overdue: " if o.group == selectors.OVERDUE else ""
        event.add("summary", f"{overdue}{o.rule} {o.description} (case {o.case.case_number})")
        event.add(
            "description",
            f"{o.group_label}, rule {o.rule}: {o.description}. Due {o.due_on:%Y-%m-%d}. "
            "Open the case in Hearth for who and what.",
        )
        event.add("categories", [o.rule])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


@require_GET
def calendar_feed(request, token):
    """P9: the worker's open obligations as an iCalendar feed. No session: the token is
    the credential; an unknown or revoked token is a 404. The feed is a disclosure and is
    written to the access log (its path without the token)."""
    found = services.calendar_token_find(token)
    if found is None:
        raise Http404("Not found")
    user = found.staff.user
    due = selectors.due_list(viewer=user, horizon_days=FEED_HORIZON_DAYS, now=today())
    services.log_disclosure(user, "/calendar/(token).ics", due.items, request.META)
    response = HttpResponse(
        calendar_ics(due.items, stamp=now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="hearth-due.ics"'
    return response


urlpatterns = [
    path("due/", due_list, name="due_list"),
    path("due/calendar/", due_calendar, name="due_calendar"),
    path("due/calendar/revoke/", due_calendar_revoke, name="due_calendar_revoke"),
    path("units/<int:pk>/due/", unit_due, name="unit_due"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
