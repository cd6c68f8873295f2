"""Removals, exits from care and permanency goals (P4)."""

from datetime import date

from django.db import transaction

from hearth.cases import events
from hearth.cases.models import Case
from hearth.core.errors import DomainError
from hearth.core.services import lock, not_future, validated_save
from hearth.people.models import Person
from hearth.placements.models import Need, PermanencyGoal, RemovalEpisode
from hearth.placements.services.common import check_child, save_checked
from hearth.policy import placement as rules


@transaction.atomic
def child_remove(
    *,
    actor,
    case: Case,
    child: Person,
    removed_on: date,
    legal_basis: str,
    removal_reasons: list[str],
    entered_care_on: date | None = None,
    child_needs: list[str] = (),
    goal: str = PermanencyGoal.Goal.REUNIFICATION,
    goal_reason: str = "",
) -> RemovalEpisode:
    """Start a removal episode; the first permanency goal is reunification unless a
    reason is recorded (P4). `entered_care_on`, the date the child entered foster care
    (F5), stays empty when not given, until the first placement fills it."""
    check_child(case, child)
    not_future("removed_on", removed_on, "A removal")
    if entered_care_on is not None:
        not_future("entered_care_on", entered_care_on, "The date the child entered care")
    if removed_on < case.opened_on:
        raise DomainError({"removed_on": "A removal cannot be before the case opened."})
    if not removal_reasons:
        raise DomainError({"removal_reasons": "Give at least one removal reason."})
    bad = set(removal_reasons) - set(RemovalEpisode.RemovalReason.values)
    if bad:
        raise DomainError({"removal_reasons": f"Unknown removal reason: {', '.join(sorted(bad))}."})
    _check_needs(child_needs)
    lock(Person, child.pk)
    earlier = RemovalEpisode.objects.filter(child=child)
    if earlier.filter(exited_on__isnull=True).exists():
        raise DomainError({"child": "This child is already in out-of-home care."})
    last = earlier.order_by("-exited_on").first()
    if last and removed_on < last.exited_on:
        raise DomainError(
            {"removed_on": f"The child's previous removal ended on {last.exited_on}."}
        )
    problem = rules.initial_goal_problem(goal, goal_reason)
    if problem:
        raise DomainError({"goal_reason": problem})
    episode = RemovalEpisode(
        case=case,
        child=child,
        removed_on=removed_on,
        entered_care_on=entered_care_on,
        legal_basis=legal_basis,
        removal_reasons=list(removal_reasons),
        child_needs=list(child_needs),
    )
    save_checked(episode, actor=actor)
    _set_goal(
        actor=actor, case=case, child=child, goal=goal, starts_on=removed_on, reason=goal_reason
    )
    events.child_removed(episode, actor=actor)
    return episode


def _check_needs(needs) -> None:
    bad = set(needs) - set(Need.values)
    if bad:
        raise DomainError({"child_needs": f"Unknown need: {', '.join(sorted(bad))}."})


def _set_goal(*, actor, case, child, goal, starts_on, reason) -> PermanencyGoal:
    current = PermanencyGoal.objects.filter(case=case, child=child, ends_on__isnull=True).first()
    if current is not None:
        if starts_on < current.starts_on:
            raise DomainError(
                {"starts_on": f"The current goal began on {current.starts_on}; pick a later date."}
            )
        current.ends_on = starts_on
        current.bump_version()
        validated_save(current, actor=actor)
    new = PermanencyGoal(case=case, child=child, goal=goal, starts_on=starts_on, reason=reason)
    validated_save(new, actor=actor)
    return new


@transaction.atomic
def permanency_goal_change(
    *, actor, case: Case, child: Person, goal: str, starts_on: date, reason: str
) -> PermanencyGoal:
    """A new permanency goal for the child (P4); the reason for the change is kept."""
    check_child(case, child)
    not_future("starts_on", starts_on, "A goal")
    if not reason.strip():
        raise DomainError({"reason": "Record why the permanency goal changes."})
    current = PermanencyGoal.objects.filter(case=case, child=child, ends_on__isnull=True).first()
    if current is not None and current.goal == goal:
        raise DomainError({"goal": "This is already the child's goal."})
    new = _set_goal(
        actor=actor, case=case, child=child, goal=goal, starts_on=starts_on, reason=reason
    )
    events.permanency_goal_changed(new, actor=actor, reason=reason)
    return new


@transaction.atomic
def episode_exit(
    *,
    actor,
    episode: RemovalEpisode,
    exited_on: date,
    exit_reason: str,
    transfer_agency: str = "",
    version: int | None = None,
) -> RemovalEpisode:
    """The child leaves care: the episode and its current placement end on the exit date;
    the visitation plan in effect ends with it (hearth.visitation reacts to the event)."""
    episode = lock(RemovalEpisode, episode.pk)
    episode.check_version(version)
    if not episode.is_open:
        raise DomainError({"exited_on": "This removal has already ended."})
    not_future("exited_on", exited_on, "An exit")
    if exit_reason == RemovalEpisode.ExitReason.TRANSFER and not transfer_agency:
        raise DomainError({"transfer_agency": "Name the kind of agency the child went to."})
    current = episode.placements.filter(ends_on__isnull=True).first()
    if current is not None:
        if exited_on <= current.starts_on:
            raise DomainError(
                {
                    "exited_on": f"The current placement began on {current.starts_on}; the exit "
                    "must be after it."
                }
            )
        current.ends_on = exited_on
        current.bump_version()
        save_checked(current, actor=actor)
    elif episode.placements.filter(ends_on__gt=exited_on).exists():
        raise DomainError({"exited_on": "A placement of this removal runs past this date."})
    episode.exited_on = exited_on
    episode.exit_reason = exit_reason
    episode.transfer_agency = transfer_agency
    episode.bump_version()
    save_checked(episode, actor=actor)
    events.episode_exited(episode, actor=actor, exit_reason=exit_reason)
    return episode


@transaction.atomic
def episode_entry_date_set(
    *, actor, episode: RemovalEpisode, entered_care_on: date, version: int | None = None
) -> RemovalEpisode:
    """Record or correct the date the child entered foster care (F5: the data-quality
    report lists the removals that lack it): on or after the removal, not after the exit,
    not in the future. The history keeps the value it replaces."""
    episode = lock(RemovalEpisode, episode.pk)
    episode.check_version(version)
    not_future("entered_care_on", entered_care_on, "The date the child entered care")
    if entered_care_on < episode.removed_on:
        raise DomainError(
            {"entered_care_on": f"The child was removed on {episode.removed_on}; not before."}
        )
    if episode.exited_on and entered_care_on > episode.exited_on:
        raise DomainError(
            {"entered_care_on": f"The child left care on {episode.exited_on}; not after."}
        )
    episode.entered_care_on = entered_care_on
    episode.bump_version()
    save_checked(episode, actor=actor)
    return episode
