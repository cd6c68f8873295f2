"""Whose figures a viewer of the federal measures may see (F1 to F5).

Counts follow the viewer's reach: the state's staff see every agency's, a program
director their agency's, a supervisor their unit's, a case manager the cases they hold.
Names (a child, a case number) are shown only for cases the viewer may see
(`named_episodes`), and every list that names children is in the access log."""

from hearth.cases import access as case_access
from hearth.core.errors import Forbidden
from hearth.placements.models import RemovalEpisode
from hearth.staff import access as staff_access
from hearth.staff.permissions import can, is_state_staff


def scoped_episodes(viewer):
    """The removal episodes whose counts the viewer may see, and the grouping their
    figures are shown by (agency, unit or worker)."""
    staff = staff_access.staff_for(viewer)
    if staff is None:
        raise Forbidden()
    episodes = RemovalEpisode.objects.all()
    if is_state_staff(staff) and can(staff, "records.use"):
        return episodes, "agency"
    if can(staff, "report.agency"):
        return episodes.filter(case__agency=staff.agency_id), "unit"
    if can(staff, "report.unit") and staff.unit_id:
        return episodes.filter(case__unit=staff.unit_id), "worker"
    if can(staff, "report.held"):
        return episodes.filter(case__in=case_access.held_cases(viewer)), "worker"
    raise Forbidden()


def narrowed(episodes, group: str, filters: dict):
    """The episodes and grouping after the viewer's `agency` and `unit` filters (ids):
    filtering to an agency groups by unit, to a unit by worker. A filter outside the
    viewer's scope leaves nothing to count, never another agency's figures."""
    if "agency" in filters:
        episodes, group = episodes.filter(case__agency=filters["agency"]), "unit"
    if "unit" in filters:
        episodes, group = episodes.filter(case__unit=filters["unit"]), "worker"
    return episodes, group


def named_episodes(viewer, episodes):
    """The episodes among `episodes` whose child the viewer may name (the cases they may
    see): drill-downs list only these."""
    return episodes.filter(case__in=case_access.visible_cases(viewer))
