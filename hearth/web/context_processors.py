from django.urls import reverse

from hearth.staff.access import staff_for
from hearth.staff.permissions import can


def staff(request):
    """The signed-in user's staff record (with roles) and the navigation for the layout."""
    user = getattr(request, "user", None)
    member = staff_for(user)
    items = []
    if member is not None:
        if can(member, "case.hold"):
            items.append(("My caseload", reverse("caseload")))
            items.append(("My contacts", reverse("my_contacts")))
        if can(member, "report.dashboard"):
            items.append(("Who has been seen", reverse("contacts_dashboard")))
            items.append(("Monthly visits (federal)", reverse("f1_report")))
        if can(member, "referral.queue"):
            items.append(("Intake queue", reverse("intake_queue")))
        if can(member, "unit.manage_own") and member.unit_id:
            items.append(("My unit", reverse("unit_detail", args=[member.unit_id])))
        if can(member, "unit.manage_agency"):
            items.append(("Units", reverse("unit_list")))
        if can(member, "records.use"):
            items.append(("Cases", reverse("case_list")))
            items.append(("People search", reverse("people_search")))
            items.append(("Resource directory", reverse("resource_home_list")))
        if can(member, "admin.site"):
            items.append(("Administration", reverse("admin:index")))
    path = request.path
    nav = [{"label": label, "url": url, "current": path.startswith(url)} for label, url in items]
    return {"current_staff": member, "nav_items": nav}
