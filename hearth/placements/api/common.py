"""What the placement endpoints share: a person or a removal reached through access."""

from hearth.cases import access as case_access
from hearth.cases.models import CaseMember
from hearth.core.errors import NotFound
from hearth.placements.models import RemovalEpisode

CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)


def _episode(request, episode_id: int, *, for_edit: bool = False) -> RemovalEpisode:
    """A removal episode, through its case: 404 if the case is not visible, 403 if it
    may not be changed."""
    episode = RemovalEpisode.objects.select_related("child").filter(pk=episode_id).first()
    if episode is None:
        raise NotFound()
    episode.case = case_access.access_case(request.user, episode.case_id, for_edit=for_edit)
    return episode
