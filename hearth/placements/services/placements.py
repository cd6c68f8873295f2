"""Placements: a child placed, moved, or given a status (P2, P3, ICWA, V11, V12)."""

from datetime import date

from django.db import transaction

from hearth.cases import events
from hearth.core.errors import DomainError
from hearth.core.services import lock, not_future
from hearth.people.models import Person
from hearth.placements.models import Placement, RemovalEpisode, ResourceHome, Setting
from hearth.placements.selectors import (
    child_facts,
    option_for_choice,
    option_key,
    rank_for_child,
)
from hearth.placements.services.common import check_child, save_checked
from hearth.placements.services.requests import accepted_request, mark_placed
from hearth.placements.services.schools import _school_for_placement
from hearth.policy import placement as rules


@transaction.atomic
def child_place(
    *,
    actor,
    episode: RemovalEpisode,
    starts_on: date,
    choice: str = "",
    setting: str = "",
    provider_name: str = "",
    address_line1: str = "",
    city: str = "",
    state: str = "",
    out_of_state: bool = False,
    ends_on: date | None = None,
    move_reason: str = "",
    departure_reason: str = "",
    school: str = Placement.School.UNKNOWN,
    new_school_name: str = "",
    new_school_enrolled_on: date | None = None,
    best_interest_reason: str = "",
) -> Placement:
    """Place the child: `choice` is an option key from the ranking ("home:ID",
    "relative:PERSON_ID"), or give a `setting` (with a provider name) for a place that is
    not in the directory, or a status: trial home visit, runaway (V11), whereabouts
    unknown. The current placement ends on `starts_on`.

    A choice that is more restrictive or farther than an available option, or that
    departs from the ICWA order, needs `departure_reason` (P2, P3, ICWA). A managed home
    (one with a manager) must have accepted the child first (placement_request_send)."""
    episode = lock(RemovalEpisode, episode.pk)
    case = episode.case
    child = episode.child
    check_child(case, child)
    not_future("starts_on", starts_on, "A placement")
    if starts_on < episode.removed_on:
        raise DomainError(
            {"starts_on": f"A placement cannot start before the removal ({episode.removed_on})."}
        )
    if episode.exited_on and (starts_on >= episode.exited_on or ends_on is None):
        raise DomainError({"starts_on": f"The child left care on {episode.exited_on}."})
    if episode.exited_on and ends_on > episode.exited_on:
        raise DomainError({"ends_on": f"The child left care on {episode.exited_on}."})
    if ends_on is not None:
        not_future("ends_on", ends_on, "A placement's end")
        if ends_on <= starts_on:
            raise DomainError({"ends_on": "A placement ends after the day it starts."})

    placement = Placement(
        episode=episode,
        child=child,
        starts_on=starts_on,
        ends_on=ends_on,
        provider_name=provider_name,
        address_line1=address_line1,
        city=city,
        state=state.upper(),
        out_of_state=out_of_state,
        move_reason=move_reason,
        departure_reason=departure_reason,
        school=school,
    )
    if out_of_state and not state:
        raise DomainError({"state": "Name the state of an out-of-state placement (V12)."})
    _choose(placement, episode, choice=choice, setting=setting, viewer=actor)
    request = accepted_request(placement)

    others = Placement.objects.select_for_update().filter(child=child)
    current = others.filter(ends_on__isnull=True).first()
    if others.filter(episode=episode).exists() and not move_reason.strip():
        raise DomainError({"move_reason": "Record the reason for this move."})
    if placement.setting not in rules.STATUS_SETTINGS:
        # The place the child is leaving is not an option to compare with.
        leaving = option_key(current) if current is not None and ends_on is None else None
        ranked = [
            r
            for r in rank_for_child(episode, on=starts_on, viewer=actor)
            if r.option.key != leaving
        ]
        chosen = option_for_choice(placement, episode, ranked, viewer=actor)
        if chosen.full:
            raise DomainError({"choice": "This home is full: " + "; ".join(chosen.problems)})
        needs_reason = rules.departures(chosen, ranked)
        if needs_reason and not departure_reason.strip():
            raise DomainError({"departure_reason": " ".join(needs_reason)})
    if current is not None and ends_on is None:
        if starts_on <= current.starts_on:
            raise DomainError(
                {
                    "starts_on": f"The current placement began on {current.starts_on}; a move "
                    "starts after it."
                }
            )
        current.ends_on = starts_on
        current.bump_version()
        save_checked(current, actor=actor)
    for other in others.exclude(pk=current.pk if current and ends_on is None else None):
        if _overlaps(other.starts_on, other.ends_on, starts_on, ends_on):
            raise DomainError(
                {
                    "starts_on": f"This overlaps the placement from {other.starts_on} to "
                    f"{other.ends_on or 'now'}."
                }
            )
    save_checked(placement, actor=actor)
    if request is not None:
        mark_placed(request, placement, actor=actor)
    if (
        episode.entered_care_on is None
        and not others.filter(episode=episode, starts_on__lt=starts_on).exists()
    ):
        # F5: the child entered care with the episode's first placement, when the date
        # was not recorded with the removal (as migration 0006 backfilled it). Derived
        # from the placement, not an edit of the removal: its version is unchanged, so a
        # client holding it may still end the removal.
        episode.entered_care_on = starts_on
        save_checked(episode, actor=actor)
    _school_for_placement(
        actor=actor,
        placement=placement,
        name=new_school_name,
        enrolled_on=new_school_enrolled_on,
        reason=best_interest_reason,
    )
    events.child_placed(
        case, actor=actor, placement=placement, reason=move_reason or departure_reason
    )
    return placement


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Half-open intervals [start, end); an open end runs for ever."""
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def _choose(
    placement: Placement, episode: RemovalEpisode, *, choice: str, setting: str, viewer
) -> None:
    if choice.startswith("home:"):
        home = ResourceHome.objects.filter(pk=_id(choice), active=True).first()
        if home is None:
            raise DomainError({"choice": "No such home in the directory."})
        if home.licence_expires_on and home.licence_expires_on < placement.starts_on:
            raise DomainError(
                {"choice": f"This home's licence expired on {home.licence_expires_on}."}
            )
        placement.home = home
        placement.setting = home.setting
        placement.latitude, placement.longitude = home.latitude, home.longitude
        placement.address_line1 = placement.address_line1 or home.address_line1
        placement.city = placement.city or home.city
        placement.state = placement.state or home.state
    elif choice.startswith("relative:"):
        facts = child_facts(episode, viewer=viewer)
        relative = Person.objects.filter(pk=_id(choice), pk__in=facts.relative_ids).first()
        if relative is None:
            raise DomainError({"choice": "This person is not a recorded relative of the child."})
        placement.caregiver = relative
        placement.setting = Setting.RELATIVE_HOME
        placement.latitude, placement.longitude = relative.latitude, relative.longitude
        placement.address_line1 = placement.address_line1 or relative.address_line1
        placement.city = placement.city or relative.city
        placement.state = placement.state or relative.state
    elif choice:
        raise DomainError({"choice": "Unknown choice."})
    elif setting in Setting.values:
        if setting == Setting.RELATIVE_HOME:
            raise DomainError({"choice": "Choose the relative from the child's relatives."})
        if setting not in rules.STATUS_SETTINGS and not placement.provider_name:
            raise DomainError({"provider_name": "Name the place or provider."})
        placement.setting = setting
    else:
        raise DomainError({"choice": "Choose an option, or a setting with the provider's name."})


def _id(choice: str) -> int:
    try:
        return int(choice.split(":", 1)[1])
    except ValueError:
        raise DomainError({"choice": "Unknown choice."}) from None
