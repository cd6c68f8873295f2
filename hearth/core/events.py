"""In-process events: a lower layer announces a change, the layers above react to it,
and the lower layer never imports them.

An app defines its events as dataclasses (hearth.cases.events.CaseChanged); another
app subscribes a handler in its AppConfig.ready(); `emit` calls every handler of the
event's type (and of its base classes) synchronously, in the caller's transaction, so a
handler's writes commit or roll back with the change that caused them. No signals, no
on_commit: a handler that fails fails the change.
"""

from collections.abc import Callable

_handlers: dict[type, list[Callable]] = {}


def subscribe(event_type: type, handler: Callable) -> None:
    """Call `handler(event)` for every event of `event_type` emitted from now on. A
    handler subscribed twice is called once (ready() may run more than once)."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def emit(event) -> None:
    """Call the handlers of the event's type, in the order they subscribed."""
    for cls in type(event).__mro__:
        for handler in _handlers.get(cls, ()):
            handler(event)
