"""The OpenAPI document and the interactive docs are for signed-in staff and API clients
only (NinjaAPI's docs_decorator): a session or a bearer token. Anonymous, the document
answers 401 in the API's JSON shape and the docs page sends the browser to sign in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse

from hearth.api.auth import BearerToken

_bearer = BearerToken()


def signed_in_docs(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or _bearer(request) is not None:
            return view(request, *args, **kwargs)
        if request.resolver_match.url_name == "openapi-view":  # the docs page
            return redirect_to_login(request.get_full_path())
        return JsonResponse(
            {"detail": "Sign in or send a valid bearer token.", "errors": {}}, status=401
        )

    return wrapper
