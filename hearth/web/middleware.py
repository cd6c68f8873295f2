from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.cache import add_never_cache_headers

from hearth.core.audit import log_refused
from hearth.core.errors import Forbidden, NotFound


class NoStoreMiddleware:
    """`Cache-Control: no-store` (with Django's full never-cache set) on every response
    that passes through Django: pages, API answers, exports and errors may all carry
    personal data, and no browser or proxy may keep them. Static files are answered by
    WhiteNoise before this middleware and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class AccessErrorsMiddleware:
    """Turn the scoping module's NotFound into a 404 and Forbidden into a 403 for pages,
        so every view answers an invisible record exactly like a missing one (a refused read of
    a record that exists is written to the access log)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            log_refused(request, exception)
            raise Http404("Not found")
        if isinstance(exception, Forbidden):
            raise PermissionDenied("You may see this record but not change it.")
        return None


class RefuseNulMiddleware:
    """The pages' one input-cleaning layer: a NUL character in a query string or a form
    post is refused with a 400 (no database column holds one: PostgreSQL refuses it
    outright), and a path with one names nothing (404). The API's query strings and
    bodies are checked by its parser (hearth.api.api.InputParser), which names the field
    in a 422; its paths are checked here."""

    API_PREFIX = "/api/"
    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            if request.path.startswith(self.API_PREFIX):
                return JsonResponse({"detail": "Not found.", "errors": {}}, status=404)
            raise Http404("Not found")
        if not request.path.startswith(self.API_PREFIX) and self._has_nul(request):
            raise BadRequest("The request contains a NUL character, which no field accepts.")
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        sources = [request.GET]
        if request.method == "POST" and request.content_type in self.FORMS:
            sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for source in sources
            for key, values in source.lists()
        )
