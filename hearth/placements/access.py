"""Who keeps which resource homes (the permission map's `home.manage`, ADR 0002).

Any staff member reads the resource directory (it holds no case records). A program
director keeps the homes their agency licenses: creates, edits, licenses and renews them
and links their resource parents. A home's manager (the staff member named on it) and
the keepers of its agency answer the placement requests sent to it. A home the viewer
may not keep is answered with Forbidden when they may read it, NotFound when it does
not exist.
"""

from django.db.models import Q, QuerySet

from hearth.core.errors import Forbidden, NotFound
from hearth.placements.models import ResourceHome
from hearth.staff.access import staff_for
from hearth.staff.permissions import can


def can_read_homes(user) -> bool:
    return staff_for(user) is not None


def can_create_homes(user) -> bool:
    """A program director adds homes to their agency's directory."""
    return can(staff_for(user), "home.manage")


def kept_homes(user) -> QuerySet[ResourceHome]:
    """The homes the viewer keeps: their agency's, for a holder of home.manage."""
    staff = staff_for(user)
    if not can(staff, "home.manage"):
        return ResourceHome.objects.none()
    return ResourceHome.objects.filter(agency_id=staff.agency_id)


def can_keep(user, home: ResourceHome) -> bool:
    staff = staff_for(user)
    return can(staff, "home.manage") and home.agency_id == staff.agency_id


def answering_homes(user) -> QuerySet[ResourceHome]:
    """The homes whose placement requests the viewer answers: the ones they manage, and
    their agency's for a holder of home.manage."""
    staff = staff_for(user)
    if staff is None:
        return ResourceHome.objects.none()
    scope = Q(manager=staff)
    if can(staff, "home.manage"):
        scope |= Q(agency_id=staff.agency_id)
    return ResourceHome.objects.filter(scope)


def can_answer(user, home: ResourceHome) -> bool:
    staff = staff_for(user)
    return staff is not None and (home.manager_id == staff.pk or can_keep(user, home))


def access_home(user, home_id, *, for_edit: bool = False) -> ResourceHome:
    """A home of the directory: NotFound when it does not exist (or the viewer is not
    staff), Forbidden when `for_edit` and the viewer does not keep it."""
    if not can_read_homes(user) or not str(home_id).isdigit():
        raise NotFound()
    home = ResourceHome.objects.select_related("agency", "county", "manager").filter(pk=home_id)
    home = home.first()
    if home is None:
        raise NotFound()
    if for_edit and not can_keep(user, home):
        raise Forbidden()
    return home
