"""The API object under /api/v1/. Each app contributes its router.

Errors are always JSON: {"detail": "...", "errors": {"field": "reason", ...}}.
"""

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from hearth.api.auth import AUTH
from hearth.api.docs import signed_in_docs
from hearth.core.audit import log_refused
from hearth.core.errors import DomainError, Forbidden, NotFound, PreconditionRequired

api = NinjaAPI(
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
)


api.add_router("/", "hearth.people.api.router")
api.add_router("/", "hearth.cases.api.router")
api.add_router("/", "hearth.staff.api.router")
api.add_router("/", "hearth.placements.api.router")
api.add_router("/", "hearth.contacts.api.router")
api.add_router("/", "hearth.intake.api.router")
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


@api.exception_handler(Forbidden)
def on_forbidden(request, exc):
    return _error(request, 403, "You may see this record but not change it.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "Sign in or send a valid bearer token.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Malformed bodies and other protocol errors: say what is wrong with the body."""
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
