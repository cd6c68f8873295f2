from django.core.exceptions import PermissionDenied
from django.http import Http404
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
