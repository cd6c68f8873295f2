"""Who has seen this record: the access log of a case (any record of it) and of a person,
for program directors and state oversight staff (the `access_log.read` capability) on
the records they may see. Reading it is itself a disclosure of the record, and is
logged."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.errors import Forbidden
from hearth.staff import access as staff_access


def _page(request, record, title, back, **scope):
    if not staff_access.can_read_access_log(request.user):
        raise Forbidden()
    audit.log_access(request, audit.VIEW, record)
    page = Paginator(audit.access_log_for(**scope), settings.HEARTH_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for row in page:
        row.staff_id, row.who = audit.viewer_of(row)
    return render(
        request,
        "web/access_log.html",
        {"title": title, "back": back, "page_obj": page, "query_string": ""},
    )


@login_required
@require_GET
def case_access_log(request, pk):
    case = case_access.access_case(request.user, pk)
    back = reverse("case_detail", args=[case.pk])
    return _page(request, case, f"Case {case.case_number}", back, case=case)


@login_required
@require_GET
def person_access_log(request, pk):
    person = case_access.access_person(request.user, pk)
    back = reverse("person_detail", args=[person.pk])
    return _page(request, person, person.full_name, back, person=person)
