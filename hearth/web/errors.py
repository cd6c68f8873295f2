"""Error pages (handler403, handler404 and handler500 in hearth/urls.py).

Pages get the product's layout; the API keeps its JSON errors ({"detail", "errors"}), also
for an unknown API address or a server error inside an endpoint. Every answer names the
request id (RequestIdMiddleware) that the log line of a server error carries, so that a
user can quote it to support. Django itself logs each 500 with its traceback
(`django.request`); the 500 page is rendered without the database or the request's
context processors, since either may be what failed.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

API_PREFIX = "/api/"


def _api_error(request, status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail, "errors": {}, "request_id": getattr(request, "id", None)},
        status=status,
    )


def permission_denied(request, exception):
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 403, "You may not do this.")
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent without its valid token (expired, or posted
    from another site). The API checks its own (hearth/api/auth.py) and answers JSON."""
    return render(request, "403.html", {"csrf_failed": True}, status=403)


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 404, "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 500, "Server error. Quote the request id to support.")
    html = loader.get_template("500.html").render({"request_id": getattr(request, "id", None)})
    return HttpResponseServerError(html)
