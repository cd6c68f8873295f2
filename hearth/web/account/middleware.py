"""Session lifetime and the steps a signed-in user must take before anything else.

Idle timeout and absolute lifetime: the session stores when the user signed in and when
they were last seen (refreshed at most once a minute, so that reading pages does not write
the session each time); a session past either limit is signed out and the page asks for a
new sign-in. API requests on such a session then answer 401.

Steps (hearth.staff.signin.pending_step): a user who must set up or confirm the second
factor, or choose a new password, is sent to that page from every other page, the Django
admin included. The API refuses such a session itself (hearth.api.auth).

A form sent after the session ended is not lost: when its CSRF token is good, what was
typed is kept in the new signed-out session (sign-in keeps the session's data when it
cycles its key), and once signed in again the form's page opens with it filled in, for
the user to check and save (nothing is saved without their click)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.datastructures import MultiValueDict

from hearth.core.audit import client_address
from hearth.core.services import now
from hearth.staff import signin

SIGNED_IN_AT = "hearth_signed_in_at"
SEEN_AT = "hearth_seen_at"
SEEN_GRANULARITY = 60  # seconds
KEPT_FORM = "hearth_kept_form"
KEPT_MESSAGE = "What you typed before you were signed out is back in the form. Check it, then save."

STEP_PAGES = {
    signin.SET_UP_TWO_FACTOR: "two_factor_setup",
    signin.VERIFY_TWO_FACTOR: "two_factor_verify",
    signin.CHANGE_PASSWORD: "password_change",
}
# Pages a user with a step left may still open (besides the step's own page).
ALWAYS_OPEN = {"login", "logout"}


def client_ip(request) -> str:
    """The client's address for the lockout (django-axes): the one the access log records
    (hearth.core.audit.client_address, HEARTH_PROXY_COUNT trusted proxies)."""
    return client_address(request) or ""


def session_started(request) -> None:
    """Start the session's clocks (at sign-in, or at the first request of a session made
    otherwise)."""
    stamp = now().timestamp()
    request.session[SIGNED_IN_AT] = stamp
    request.session[SEEN_AT] = stamp


def _session_ended(request) -> str | None:
    """Why the session is over, or None (and the last-seen time is refreshed)."""
    session = request.session
    stamp = now().timestamp()
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if started is None or seen is None:
        session_started(request)
        return None
    idle = settings.HEARTH_SESSION_IDLE_MINUTES
    if stamp - seen > idle * 60:
        return f"You were signed out after {idle} minutes without activity. Sign in again."
    if stamp - started > settings.HEARTH_SESSION_MAX_HOURS * 3600:
        return (
            f"You were signed out {settings.HEARTH_SESSION_MAX_HOURS} hours after signing "
            "in. Sign in again."
        )
    if stamp - seen >= SEEN_GRANULARITY:
        session[SEEN_AT] = stamp
    return None


def _typed(request) -> dict | None:
    """A page form's input, to keep across a new sign-in: only one that passes the CSRF
    check (a form from another site keeps nothing), without its CSRF token or files."""
    if request.method != "POST":
        return None
    if CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is not None:
        return None
    data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    return {"path": request.path, "data": data} if data else None


def _restore_typed(request) -> None:
    """The kept input, on the first page of its form's address after signing in again:
    bound to the page's form as if just sent, but the page is only shown (a GET)."""
    kept = request.session.get(KEPT_FORM)
    if request.method != "GET" or not kept or kept["path"] != request.path:
        return
    del request.session[KEPT_FORM]
    post = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        post.setlist(key, values)
    post._mutable = False
    request._post, request._files = post, MultiValueDict()
    messages.info(request, KEPT_MESSAGE)


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class SignInGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._guard(request)
            if response is not None:
                return response
            _restore_typed(request)
        return self.get_response(request)

    def _guard(self, request):
        api = request.path_info.startswith("/api/")
        ended = _session_ended(request)
        if ended:
            typed = None if api else _typed(request)
            logout(request)
            if api:
                return None  # the API now answers 401
            if typed:
                request.session[KEPT_FORM] = typed
                ended += " What you typed is kept: after signing in you will find it in the form."
            messages.info(request, ended)
            return redirect_to_login(request.get_full_path())
        if api:
            return None  # the API refuses a session with a step left (hearth.api.auth)
        step = signin.pending_step(request.user)
        if step is None:
            return None
        page = STEP_PAGES[step]
        if _url_name(request) in ALWAYS_OPEN | {page}:
            return None
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
