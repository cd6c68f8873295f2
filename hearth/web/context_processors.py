from django.urls import reverse

from hearth.core.access import staff_for
from hearth.staff.models import Role


def staff(request):
    """The signed-in user's staff record (with roles) and the navigation for the layout."""
    user = getattr(request, "user", None)
    member = staff_for(user)
    items = []
    if member is not None:
        roles = member.role_set
        if Role.CASE_MANAGER in roles:
            items.append(("My caseload", reverse("caseload")))
            items.append(("My contacts", reverse("my_contacts")))
        if roles & {Role.SUPERVISOR, Role.PROGRAM_DIRECTOR, Role.STATE_OVERSIGHT, Role.QA_REVIEWER}:
            items.append(("Who has been seen", reverse("contacts_dashboard")))
            items.append(("Monthly visits (federal)", reverse("f1_report")))
        if roles & {Role.PROGRAM_DIRECTOR, Role.INTAKE_COORDINATOR, Role.SUPERVISOR}:
            items.append(("Intake queue", reverse("intake_queue")))
        if Role.SUPERVISOR in roles and member.unit_id:
            items.append(("My unit", reverse("unit_detail", args=[member.unit_id])))
        if Role.PROGRAM_DIRECTOR in roles:
            items.append(("Units", reverse("unit_list")))
        if roles - {Role.ADMINISTRATOR}:
            items.append(("Cases", reverse("case_list")))
            items.append(("People search", reverse("people_search")))
            items.append(("Resource directory", reverse("resource_home_list")))
        if Role.ADMINISTRATOR in roles:
            items.append(("Administration", reverse("admin:index")))
    path = request.path
    nav = [{"label": label, "url": url, "current": path.startswith(url)} for label, url in items]
    return {"current_staff": member, "nav_items": nav}
