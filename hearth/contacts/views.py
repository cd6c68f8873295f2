"""Contact pages: record a note, read and finalize or amend it, "my contacts this month",
and the dashboard of who is not seen yet and why (V13), with CSV export."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.cases import access as case_access
from hearth.cases.models import CaseMember
from hearth.contacts import selectors, services
from hearth.contacts.forms import AmendForm, ContactPlanForm, ExceptionForm, NoteForm
from hearth.contacts.models import ContactNote
from hearth.core import audit
from hearth.core.errors import DomainError, Forbidden, NotFound
from hearth.core.exports import csv_writer
from hearth.core.forms import VersionForm, add_domain_errors
from hearth.core.services import parse_month, today
from hearth.obligations import selectors as obligations
from hearth.staff import access as staff_access
from hearth.staff.models import Agency, StaffMember, Unit

INVALID = 422


def _members(case):
    return [
        m.person
        for m in CaseMember.objects.filter(case=case, ends_on__isnull=True).select_related("person")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def note_new(request, pk):
    """Record a contact in under a minute: who was seen is ticked, the note is final
    unless the worker keeps it as a draft."""
    case = case_access.access_case(request.user, pk, for_edit=True)
    members = _members(case)
    initial = {}
    if request.GET.get("with"):
        initial = {"contact_with": [request.GET["with"]]}
    form = NoteForm(request.POST or None, members=members, initial=initial)
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                note = services.contact_note_create(
                    actor=request.user,
                    author=staff_access.staff_for(request.user),
                    case=case,
                    **form.service_kwargs(),
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Contact recorded." if note.is_final else "Draft saved.")
                return redirect(request.GET.get("next") or reverse("note_detail", args=[note.pk]))
    audit.log_access(request, audit.VIEW, case)
    return render(request, "contacts/note_form.html", {"case": case, "form": form}, status=status)


def _parent_form(request, pk, form_class, service, message):
    """A supervisor's exception (V7, V8) or contact plan (V6) for a parent of the case."""
    case = case_access.access_case(request.user, pk, for_edit=True)
    parents = [
        m.person
        for m in CaseMember.objects.filter(
            case=case, role="parent", ends_on__isnull=True
        ).select_related("person")
    ]
    form = form_class(request.POST or None, parents=parents, initial={"starts_on": today()})
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                service(request, case, form.service_kwargs())
            except DomainError as exc:
                add_domain_errors(form, exc)
                status = exc.status_code
            else:
                messages.success(request, message)
                return redirect(reverse("case_detail", args=[case.pk]) + "#contacts")
    audit.log_access(request, audit.VIEW, case)
    title = (
        "Approve a contact exception"
        if form_class is ExceptionForm
        else ("Agree a parent contact plan")
    )
    return render(
        request,
        "contacts/parent_form.html",
        {"case": case, "form": form, "title": title},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exception_new(request, pk):
    def save(request, case, data):
        services.contact_exception_approve(
            actor=request.user, approver=staff_access.staff_for(request.user), case=case, **data
        )

    return _parent_form(request, pk, ExceptionForm, save, "Exception approved.")


@login_required
@require_http_methods(["GET", "POST"])
def contact_plan_new(request, pk):
    def save(request, case, data):
        services.parent_contact_plan_set(
            actor=request.user, agreed_by=staff_access.staff_for(request.user), case=case, **data
        )

    return _parent_form(request, pk, ContactPlanForm, save, "Contact plan agreed.")


def _note_for(user, note_id, *, for_edit=False) -> ContactNote:
    note = ContactNote.objects.filter(pk=note_id).first()
    if note is None:
        raise NotFound()
    case_access.access_case(user, note.case_id, for_edit=for_edit)
    return note


@login_required
@require_GET
def note_detail(request, pk, amend_form=None, status=200):
    note = _note_for(request.user, pk)
    note = selectors.case_notes(note.case).get(pk=note.pk)
    can_edit = case_access.can_edit_case(request.user, note.case)
    staff = staff_access.staff_for(request.user)
    audit.log_access(request, audit.VIEW, note)
    return render(
        request,
        "contacts/note_detail.html",
        {
            "note": note,
            "can_finalize": can_edit
            and not note.is_final
            and note.author_id == getattr(staff, "pk", None),
            "amend_form": (amend_form or AmendForm()) if can_edit and note.is_final else None,
        },
        status=status,
    )


@login_required
@require_POST
def note_finalize(request, pk):
    note = _note_for(request.user, pk, for_edit=True)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Reload the note: the form did not say which version you read.")
        services.contact_note_finalize(
            actor=request.user, note=note, version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect(reverse("note_detail", args=[pk]))
    messages.success(request, "Note finalized.")
    return redirect(reverse("note_detail", args=[pk]))


@login_required
@require_POST
def note_amend(request, pk):
    note = _note_for(request.user, pk, for_edit=True)
    form = AmendForm(request.POST)
    if form.is_valid():
        try:
            services.contact_note_amend(
                actor=request.user, note=note, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
            return note_detail(request, pk, amend_form=form, status=exc.status_code)
        messages.success(request, "Amendment added.")
        return redirect(reverse("note_detail", args=[pk]))
    return note_detail(request, pk, amend_form=form, status=INVALID)


def _month(request) -> date:
    """The month asked for (YYYY-MM), else this month."""
    try:
        return parse_month(request.GET.get("month", ""))
    except ValueError:
        return today().replace(day=1)


def _shift(month: date, n: int) -> str:
    y, m = month.year, month.month + n
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return f"{y:04d}-{m:02d}"


@login_required
@require_GET
def my_contacts(request):
    """V13 for a caseworker: who still has to be seen this month, most urgent first,
    with one click to record the contact; then who has been seen."""
    month = _month(request)
    rows = obligations.my_obligations(viewer=request.user, month=month)
    now = today()
    todo = [o for o in rows if o.state != "met"]
    for o in todo:  # the urgency in words next to each row (issue 15): days left or over
        o.days_left = (o.due_on - now).days
    done = [o for o in rows if o.state == "met"]
    audit.log_access(request, audit.LIST, rows)
    return render(
        request,
        "contacts/my_contacts.html",
        {
            "month": month,
            "prev": _shift(month, -1),
            "next": _shift(month, 1),
            "todo": todo,
            "done": done,
            "today": now,
        },
    )


FILTERS = ("agency", "unit", "worker")


@login_required
@require_GET
def dashboard(request):
    """V13 for supervisors (by worker), program directors (by unit) and the state (by
    agency): counts and shares for the month, drill-down to who is not seen and why, and
    CSV export. It says who is not seen and why, not who failed."""
    if staff_access.staff_for(request.user) is None:
        raise Forbidden()
    month = _month(request)
    filters = {k: int(request.GET[k]) for k in FILTERS if request.GET.get(k, "").isdigit()}
    group = obligations.default_group(request.user)
    order = list(FILTERS)
    for key in FILTERS:  # drill one level below the deepest filter
        if key in filters and order.index(key) + 1 < len(order):
            group = order[order.index(key) + 1]
    if "worker" in filters:
        group = None
    rows = (
        obligations.dashboard(viewer=request.user, month=month, group=group, filters=filters)
        if group
        else []
    )
    people = None
    if "worker" in filters:
        people = list(obligations.unmet(viewer=request.user, month=month, filters=filters)[:500])
    if people is not None:  # the drill-down names people: a list, or an export
        exported = request.GET.get("format") == "csv"
        audit.log_access(request, audit.EXPORT if exported else audit.LIST, people)
    if request.GET.get("format") == "csv":
        return _csv(month, group, rows, people)
    params = {"month": f"{month:%Y-%m}", **filters}
    totals = obligations.dashboard_totals(rows)
    return render(
        request,
        "contacts/dashboard.html",
        {
            "month": month,
            "prev_query": urlencode({**params, "month": _shift(month, -1)}),
            "next_query": urlencode({**params, "month": _shift(month, 1)}),
            "group": group,
            "rows": rows,
            "totals": totals,
            "people": people,
            "filters": filters,
            "query": urlencode(params),
            "filter_names": _filter_names(filters),
        },
    )


def _filter_names(filters: dict) -> list[str]:
    names = []
    if "agency" in filters:
        names.append(
            Agency.objects.filter(pk=filters["agency"]).values_list("name", flat=True).first()
        )
    if "unit" in filters:
        names.append(Unit.objects.filter(pk=filters["unit"]).values_list("name", flat=True).first())
    if "worker" in filters:
        w = StaffMember.objects.filter(pk=filters["worker"]).first()
        names.append(w.full_name if w else None)
    return [n for n in names if n]


def _csv(month, group, rows, people):
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="contacts-{month:%Y-%m}.csv"'
    out = csv_writer(response)
    if people is not None:
        out.writerow(["case", "person", "rule", "requirement", "due", "state", "reason"])
        for o in people:
            out.writerow(
                [
                    o.case.case_number,
                    o.person.full_name if o.person else "family",
                    o.rule,
                    o.description,
                    o.due_on.isoformat(),
                    o.state,
                    o.reason,
                ]
            )
    else:
        figures = obligations.FIGURES
        out.writerow([group, "requirements", *figures[1:], "percent met"])
        for r in rows:
            out.writerow([r["label"], *(r[k] for k in figures), r["percent"]])
    return response
