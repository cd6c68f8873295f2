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
            items.append(("My due list", reverse("due_list")))  # P9
        elif can(member, "due.agency"):
            items.append(("Due lists", reverse("due_list")))  # P9: the agency's units
        if can(member, "due.unit") and member.unit_id:
            items.append(("Overdue in my unit", reverse("unit_due", args=[member.unit_id])))
        if can(member, "report.dashboard"):
            items.append(("Who has been seen", reverse("contacts_dashboard")))
            items.append(("Monthly visits (federal)", reverse("f1_report")))
            items.append(("Reports", reverse("reports_home")))  # F1, V13 trends
        if can(member, "referral.queue"):
            items.append(("Intake queue", reverse("intake_queue")))
        if can(member, "unit.manage_own") and member.unit_id:
            items.append(("My unit", reverse("unit_detail", args=[member.unit_id])))
        if can(member, "unit.manage_agency"):
            items.append(("Units", reverse("unit_list")))
        if can(member, "agency.manage_own"):
            items.append(("Policy settings", reverse("policy_settings")))
        if can(member, "case.read_oversight_grant"):  # issue 13: the oversight home
            items.append(("Oversight home", reverse("oversight_home")))
        if can(member, "oversight.assign"):  # O4
            items.append(("Oversight caseloads", reverse("oversight_caseloads")))
        if can(member, "records.use"):
            items.append(("Cases", reverse("case_list")))
            items.append(("People search", reverse("people_search")))
            items.append(("Resource directory", reverse("resource_home_list")))
        if can(member, "records.use") or can(member, "provider.manage"):
            items.append(("Service providers", reverse("providers")))
        if can(member, "qa.sample") or can(member, "qa.review") or can(member, "qa.respond"):
            items.append(("Quality assurance", reverse("qa_home")))  # O3, P9
        if can(member, "admin.site"):
            items.append(("Administration", reverse("admin:index")))
    path = request.path
    # The current item is the one whose address is the longest start of the path's.
    current = max((url for _, url in items if path.startswith(url)), key=len, default=None)
    nav = [{"label": label, "url": url, "current": url == current} for label, url in items]
    return {
        "current_staff": member,
        "nav_items": nav,
        "can_assign_oversight": can(member, "oversight.assign"),  # O4: links to a case's
    }
