"""The API object under /api/v1/. Each app contributes its router.

Errors are always JSON: {"detail": "...", "errors": {"field": "reason", ...}}.
"""

import json
import re
from importlib import import_module

from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from hearth.api.auth import AUTH
from hearth.api.docs import signed_in_docs
from hearth.api.openapi import INT_MAX, INT_MIN, HearthAPI
from hearth.core.audit import log_refused
from hearth.core.errors import DomainError, Forbidden, NotFound, PreconditionRequired

# Values no database column can hold: text with NUL (PostgreSQL refuses it) or a lone
# UTF-16 surrogate (it cannot be encoded as UTF-8; JSON's "\ud800" decodes to one), and a
# whole number beyond 64 bits (SQLite overflows; hearth.api.openapi documents the range).
UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")
UNSAFE_TEXT_MESSAGE = "Text may not contain a NUL character or an unpaired surrogate."
WHOLE_NUMBER = re.compile(r"[+-]?\d+")
OUT_OF_RANGE_MESSAGE = f"Whole numbers run from {INT_MIN} to {INT_MAX}."


def _refusals(value, path: tuple = (), *, in_query: bool = False):
    """(location, reason) for each value of parsed input that no column can hold."""
    if isinstance(value, str):
        if UNSAFE_TEXT.search(value):
            yield path, UNSAFE_TEXT_MESSAGE
        elif in_query and WHOLE_NUMBER.fullmatch(value) and not INT_MIN <= int(value) <= INT_MAX:
            yield path, OUT_OF_RANGE_MESSAGE
    elif isinstance(value, int) and not isinstance(value, bool):
        if not INT_MIN <= value <= INT_MAX:
            yield path, OUT_OF_RANGE_MESSAGE
    elif isinstance(value, dict):
        for key, item in value.items():
            if UNSAFE_TEXT.search(key):
                yield (*path, key), UNSAFE_TEXT_MESSAGE
            else:
                yield from _refusals(item, (*path, key), in_query=in_query)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _refusals(item, (*path, index), in_query=in_query)


def _refuse_unsafe(data, source: str):
    errors = [
        {"loc": (source, *path), "msg": reason}
        for path, reason in _refusals(data, in_query=source == "query")
    ]
    if errors:
        raise ValidationError(errors)
    return data


class InputParser(Parser):
    """The API's one input-cleaning layer: JSON bodies, query strings and forms with a
    NUL character, a lone surrogate or a number beyond 64 bits anywhere are refused with
    a 422 naming the field, before any schema or service sees them."""

    def parse_body(self, request):
        # ninja wraps a parser's error in a 400; on_http_error unwraps a ValidationError.
        return _refuse_unsafe(json.loads(request.body), "body")

    def parse_querydict(self, data, list_fields, request):
        parsed = super().parse_querydict(data, list_fields, request)
        return _refuse_unsafe(parsed, "query")


api = HearthAPI(
    title="Hearth API",
    version="1",
    description=(
        "Case management for child welfare agencies. Authenticate with "
        "`Authorization: Bearer <token>`: make a token on the API tokens page (your account "
        "menu), with `POST /api/v1/tokens` from a signed-in session, or with `python "
        "manage.py create_api_token USERNAME`. A token expires "
        f"{settings.HEARTH_API_TOKEN_DAYS} days after it is made (`HEARTH_API_TOKEN_DAYS`) "
        "or when revoked (`POST /api/v1/tokens/{id}/revoke`); an expired or revoked token "
        "answers 401. "
        "Every record is scoped to what the token's user may see; a record outside that "
        "scope answers 404 exactly like a missing one."
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_decorator=signed_in_docs,
    parser=InputParser(),
)


api.add_router("/", "hearth.cases.api.people.router")
api.add_router("/", "hearth.cases.api.cases.router")
# Intake adds its operations on the case endpoints to the cases router (ADR 0008).
import_module("hearth.intake.api.cases")
api.add_router("/", "hearth.staff.api.router")
api.add_router("/", "hearth.placements.api.router")
api.add_router("/", "hearth.visitation.api.router")
api.add_router("/", "hearth.contacts.api.router")
api.add_router("/", "hearth.intake.api.router")
api.add_router("/", "hearth.planning.api.router")
api.add_router("/", "hearth.oversight.api.router")
api.add_router("/", "hearth.reports.api.router")
api.add_router("/", "hearth.api.tokens.router")
api.add_router("/", "hearth.api.access_log.router")


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(
        request, exc.status_code, "The request breaks a rule; nothing was changed.", exc.errors
    )


@api.exception_handler(PreconditionRequired)
def on_precondition_required(request, exc: PreconditionRequired):
    return _error(
        request, 428, "A change needs the version you read; nothing was changed.", exc.errors
    )


@api.exception_handler(NotFound)
def on_not_found(request, exc):
    log_refused(request, exc)
    return _error(request, 404, "Not found.")


@api.exception_handler(Http404)
def on_http404(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(OverflowError)
def on_overflow(request, exc):
    """A record id in a path beyond 64 bits (the document bounds it, the path converter
    takes any digits): SQLite cannot bind it; no such record exists."""
    return _error(request, 404, "Not found.")


@api.exception_handler(Forbidden)
def on_forbidden(request, exc):
    return _error(request, 403, "You may see this record but not change it.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "Sign in or send a valid bearer token.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Malformed bodies and other protocol errors: say what is wrong with the body."""
    if isinstance(exc.__cause__, ValidationError):  # InputParser refused the body's text
        return on_validation_error(request, exc.__cause__)
    field = "body" if exc.status_code == 400 else "__all__"
    return _error(request, exc.status_code, str(exc), {field: str(exc)})


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors: dict[str, str] = {}
    for err in exc.errors:
        field = _field_name(err.get("loc", ()))
        errors.setdefault(field, err.get("msg", "Invalid value."))
    return _error(request, 422, "The request is not valid; nothing was changed.", errors)


@csrf_exempt  # it changes nothing, whatever the method
def unknown_path(request, *args, **kwargs):
    """Any other address under /api/ (hearth/urls.py): the API's 404, in JSON, like an
    unknown record; never the pages' HTML."""
    return _error(request, 404, "Not found.")
