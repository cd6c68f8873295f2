"""Request ids: each request gets one, answered in `X-Request-ID` and put on every log
record written while it runs. A module of its own, free of models, because the logging
configuration loads the filter before the apps are ready."""

import contextvars
import logging
import uuid

# The id of the request being served, for log records (RequestIdFilter).
_request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Give each request an id (`request.id`), answer it in the `X-Request-ID` header and
    put it on every log record written while the request runs, so that a user who
    quotes the id from an error page leads support to the traceback. The id is always
    made here, never taken from the client, so a log line cannot be forged through it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every record that reaches the handler it is attached to
    (settings.LOGGING): the id of the request the record names (Django's request log
    lines for 4xx and 5xx answers), else of the request being served, else "-"."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "id", None) or _request_id.get()
        return True
