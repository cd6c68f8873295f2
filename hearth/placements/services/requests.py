"""The home accepts a placement before it starts: the placing worker asks a managed home
(one with a manager) to take the child; the home's manager (or a keeper of its agency's
homes) accepts or declines; the placement in the home is then recorded with
hearth.placements.services.child_place, which refuses a managed home that has not
accepted and marks the request placed."""

from datetime import date

from django.db import transaction

from hearth.cases.models import Case
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import lock, today, validated_save
from hearth.placements import access
from hearth.placements.models import PlacementRequest, RemovalEpisode, ResourceHome
from hearth.placements.selectors import with_occupancy
from hearth.placements.services.common import check_child


@transaction.atomic
def placement_request_send(
    *, actor, case: Case, episode: RemovalEpisode, home: ResourceHome, starts_on: date, note=""
) -> PlacementRequest:
    """Ask a home to take the child in care from `starts_on` (callers checked that the
    actor may edit the case)."""
    check_child(case, episode.child)
    if episode.case_id != case.pk or episode.exited_on is not None:
        raise DomainError({"child": "This child is not in out-of-home care in this case."})
    if not home.active:
        raise DomainError({"home": "This home is no longer in the directory."})
    if starts_on < episode.removed_on:
        raise DomainError(
            {"starts_on": f"A placement cannot start before the removal ({episode.removed_on})."}
        )
    if home.licence_expires_on and home.licence_expires_on < starts_on:
        raise DomainError({"home": f"This home's licence expires on {home.licence_expires_on}."})
    home = with_occupancy(ResourceHome.objects.filter(pk=home.pk)).get()
    if home.occupancy >= home.capacity:
        raise DomainError({"home": f"This home is full ({home.occupancy} of {home.capacity})."})
    request = PlacementRequest(
        episode=episode,
        child=episode.child,
        home=home,
        starts_on=starts_on,
        note=note.strip(),
        requested_by=actor,
    )
    validated_save(request, actor=actor)
    return request


@transaction.atomic
def placement_request_answer(
    *, actor, request: PlacementRequest, accept: bool, reason: str = "", version=None
) -> PlacementRequest:
    """The home accepts the child, or declines with a reason."""
    if not access.can_answer(actor, request.home):
        raise Forbidden()
    request = lock(PlacementRequest, request.pk)
    request.check_version(version)
    if request.status != PlacementRequest.Status.PENDING:
        raise DomainError({"status": f"This request is already {request.get_status_display()}."})
    if not accept and not reason.strip():
        raise DomainError({"reason": "Say why the home declines."})
    request.status = (
        PlacementRequest.Status.ACCEPTED if accept else PlacementRequest.Status.DECLINED
    )
    request.reason = reason.strip()
    request.decided_by = actor
    request.decided_on = today()
    request.bump_version()
    validated_save(request, actor=actor)
    return request


@transaction.atomic
def placement_request_withdraw(*, actor, request: PlacementRequest, version=None):
    """The placing worker withdraws a request not yet placed (callers checked that the
    actor may edit the case)."""
    request = lock(PlacementRequest, request.pk)
    request.check_version(version)
    if request.status not in (PlacementRequest.Status.PENDING, PlacementRequest.Status.ACCEPTED):
        raise DomainError({"status": f"This request is already {request.get_status_display()}."})
    request.status = PlacementRequest.Status.WITHDRAWN
    request.bump_version()
    validated_save(request, actor=actor)
    return request


def accepted_request(placement) -> PlacementRequest | None:
    """A placement in a managed home needs the home's acceptance of the child: the
    accepted request it fulfils (None for a home without a manager)."""
    home = placement.home
    if home is None or home.manager_id is None:
        return None
    request = (
        PlacementRequest.objects.select_for_update()
        .filter(child=placement.child_id, home=home, episode=placement.episode_id, placement=None)
        .exclude(status__in=[PlacementRequest.Status.WITHDRAWN, PlacementRequest.Status.PLACED])
        .order_by("-id")
        .first()
    )
    if request is None or request.status != PlacementRequest.Status.ACCEPTED:
        state = "has not been asked" if request is None else "has not accepted"
        raise DomainError(
            {
                "choice": f"{home.name} {state} to take the child yet: a placement in a "
                "managed home starts once the home accepts."
            }
        )
    return request


def mark_placed(request: PlacementRequest, placement, *, actor) -> None:
    request.status = PlacementRequest.Status.PLACED
    request.placement = placement
    request.bump_version()
    validated_save(request, actor=actor)
