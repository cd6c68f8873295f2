"""People search and the person page: the person (hearth.people) with the cases they are
in, their relatives and who has seen the record, as far as the viewer may see (ADR 0008)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hearth.cases import access as case_access
from hearth.cases import events as case_events
from hearth.cases import people_selectors as selectors
from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.forms import add_domain_errors
from hearth.people import services
from hearth.people.forms import PersonEditForm
from hearth.people.models import Relationship
from hearth.staff import access as staff_access


@login_required
def people_search(request):
    """The people search page, also the header's search box: cases by number on top,
    then the people the words may name, with the matching of intake (misspelt and
    sound-alike names, nicknames, a last name alone, a swapped date of birth)."""
    q = request.GET.get("q", "").strip()[:200]
    found = selectors.search(viewer=request.user, q=q) if q else None
    if found is not None:
        audit.log_access(request, audit.SEARCH, [*found.cases, *(m.person for m in found.people)])
    return render(request, "web/people_search.html", {"q": q, "found": found})


def _person_page(request, pk, *, form=None, status=200):
    person = case_access.access_person(request.user, pk)
    can_edit = case_access.editable_people(request.user).filter(pk=person.pk).exists()
    relationships = list(
        Relationship.objects.filter(Q(person=person) | Q(other=person)).select_related(
            "person", "other"
        )
    )

    def counterpart(r):
        return r.other_id if r.person_id == person.pk else r.person_id

    # Only relatives the viewer may see are named.
    visible_ids = set(
        case_access.visible_people(request.user)
        .filter(pk__in=[counterpart(r) for r in relationships])
        .values_list("pk", flat=True)
    )
    audit.log_access(request, audit.VIEW, person)
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "memberships": selectors.person_cases(viewer=request.user, person=person),
            "relationships": [r for r in relationships if counterpart(r) in visible_ids],
            "form": form or (PersonEditForm.for_person(person) if can_edit else None),
            "can_read_access_log": staff_access.can_read_access_log(request.user),
        },
        status=status,
    )


@login_required
def person_detail(request, pk):
    return _person_page(request, pk)


@login_required
@require_POST
def person_edit(request, pk):
    person = case_access.access_person(request.user, pk, for_edit=True)
    form = PersonEditForm.for_person(person, data=request.POST)
    status = 422
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            with transaction.atomic():
                services.person_update(actor=request.user, person=person, version=version, **data)
                case_events.person_icwa_changed(person, actor=request.user, fields=data)  # C7
            messages.success(request, "Person saved.")
            return redirect("person_detail", pk=person.pk)
        except DomainError as exc:
            add_domain_errors(form, exc)
            status = exc.status_code
    return _person_page(request, pk, form=form, status=status)
