"""What the placements app does when the layers below announce a change (ADR 0008)."""

from hearth.cases.events import CaseClosing
from hearth.core.errors import DomainError
from hearth.core.events import subscribe


def refuse_closing_with_child_in_care(event: CaseClosing) -> None:
    """O1, P1: a case never closes while a child's removal episode is open: the child
    leaves care (an exit with its reason) first."""
    from hearth.placements.models import RemovalEpisode

    if RemovalEpisode.objects.filter(case=event.case, exited_on__isnull=True).exists():
        raise DomainError(
            {
                "status": "A child of this case is still in care: record the end of the "
                "removal episode (the child's exit) before the case closes (O1)."
            }
        )


def connect() -> None:
    subscribe(CaseClosing, refuse_closing_with_child_in_care)
