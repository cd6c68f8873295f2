"""A one-time token on every create form: a form sent twice makes one record.

A create form's template puts `{{ once_field }}` beside `{% csrf_token %}` (the context
processor below): a hidden `once` input with a token made for this page. The script
web/once.js writes the token into the page's address, so going Back to the form after
saving it opens it again with the same token (the pages are never cached, so Back asks
for them again). A sent form with its token goes through the middleware: the first time,
the view runs in one transaction with the token's claim (hearth.core.idempotency) and a
redirect (the record made) is remembered; a repeat (Back and save again, a double click,
the browser resending the form) makes nothing and goes to the record already saved. A
form that did not save (errors on it) leaves its token unused, and shows it again."""

import hashlib
import secrets

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import lazy
from django.utils.html import format_html

from hearth.core.idempotency import once

FIELD = "once"
ALREADY_SAVED = "This form was already saved: here is what it saved. Nothing was saved twice."


def form_token(request) -> str:
    """The page's token: the one sent back (a form shown again, or kept over a new sign-in)
    or in the address (Back to a form), else a new one, the same for every form of the
    page."""
    if not hasattr(request, "_once_token"):
        token = request.POST.get(FIELD) or request.GET.get(FIELD) or ""
        if not (0 < len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()):
            token = secrets.token_urlsafe(24)
        request._once_token = token
    return request._once_token


def once_field(request) -> dict:
    """Context processor: `{{ once_field }}`, the hidden input of a create form."""

    def field():
        return format_html('<input type="hidden" name="{}" value="{}">', FIELD, form_token(request))

    return {"once_field": lazy(field, str)()}


class OneTimeFormMiddleware:
    """Runs a page's form that carries its one-time token once (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "POST"
            or request.path_info.startswith("/api/")
            or not request.user.is_authenticated
            or not request.POST.get(FIELD)
        ):
            return self.get_response(request)
        return once(
            user=request.user,
            key=_key(request),
            path=request.path,
            respond=lambda: self.get_response(request),
            keep=_keep,
            replay=lambda row: _replay(request, row),
        )


def _key(request) -> str:
    """The token, for this address and form: the forms of one page share its token, and
    those that post to one address name themselves by their `action`."""
    form = f"{request.path}\n{request.POST.get('action', '')}"
    return f"form:{form_token(request)}:{hashlib.sha256(form.encode()).hexdigest()[:16]}"


def _keep(response, row) -> bool:
    if response.status_code not in (301, 302, 303) or not response.get("Location"):
        return False
    row.status_code = response.status_code
    row.location = response["Location"]
    return True


def _replay(request, row):
    messages.info(request, ALREADY_SAVED)
    return redirect(row.location)
