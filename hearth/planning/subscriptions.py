"""What the planning app registers at start: its obligation sources and the event
handlers it subscribes (ADR 0008: the app reacts to events from the layers below)."""


def connect() -> None:
    from hearth.obligations.registry import register
    from hearth.planning.obligations import SOURCES

    for source in SOURCES:
        register(source)

    # teaming: C7's clock starts at the case's first assignment (CaseStaffed)
    from hearth.planning.obligations import teaming

    teaming.connect()
