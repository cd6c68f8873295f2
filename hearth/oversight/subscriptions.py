"""What the oversight app registers at start: its obligation sources and the event
handlers it subscribes (ADR 0008: the app reacts to events from the layers below)."""


def connect() -> None:
    from hearth.obligations.registry import register
    from hearth.oversight.obligations import SOURCES

    for source in SOURCES:
        register(source)

    # caseloads (O4): a case the state starts overseeing is routed to a specialist.
    from hearth.cases.events import CaseChanged
    from hearth.core.events import subscribe

    subscribe(CaseChanged, route_overseen_case)


def route_overseen_case(event) -> None:
    """O4: a case that is (or becomes) court-involved, or whose status moves to
    closure_recommended, is routed to the specialist with the lightest load in its region
    (hearth.oversight.services.caseloads.ensure_routed; nothing when it already has one)."""
    from hearth.cases.events import EventType
    from hearth.cases.models import Case
    from hearth.oversight.services.caseloads import ensure_routed

    case = event.case
    if event.kind in (EventType.CASE_CREATED, EventType.CASE_UPDATED):
        due = case.court_involved
    elif event.kind == EventType.CASE_STATUS_CHANGED:
        due = case.status == Case.Status.CLOSURE_RECOMMENDED
    else:
        return
    if due and not case.is_closed:
        ensure_routed(case, actor=None)
