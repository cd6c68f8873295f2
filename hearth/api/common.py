"""Small pieces the routers share: reference-code lookups, the access-log hooks, and
record versions (ETag, If-Match)."""

import re

from django.db.models import Model
from ninja import Schema
from ninja.pagination import PageNumberPagination

from hearth.core import audit
from hearth.core.errors import DomainError, PreconditionRequired


def by_code(model: type[Model], code: str | None, field: str):
    """The active reference row with `code`, None for None, or a 422 naming `field`."""
    if code is None:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise DomainError({field: f"Unknown code: {code}."})
    return found


def by_codes(model: type[Model], codes: list[str] | None, field: str):
    if codes is None:
        return None
    found = list(model.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {f.code for f in found})
    if missing:
        raise DomainError({field: f"Unknown codes: {', '.join(missing)}."})
    return found


def by_id(queryset, pk: int | None, field: str, label: str):
    """A row of a scoped queryset, or a 422 naming `field` (never saying whether it exists)."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DomainError({field: f"Unknown {label}."})
    return found


def refuse_nulls(data: dict, fields) -> None:
    """A PATCH may leave a field out, but not send null for a field that needs a value."""
    for field in fields:
        if field in data and data[field] is None:
            raise DomainError({field: "This field cannot be null."})


def log_api_view(request, obj, case=None) -> None:
    audit.log_access(request, audit.VIEW, obj, case=case)


class LoggedPages(PageNumberPagination):
    """Page-number pagination that writes the page's records to the access log (one bulk
    insert): as found by a search when the endpoint was given a `q`, else as listed."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = list(page["items"])
        kind = audit.SEARCH if params.get("q") else audit.LIST
        audit.log_access(request, kind, page["items"])
        return page


# Versions: every change names the version it was read at (no lost update).

_ETAG = re.compile(r'(?:W/)?"(\d{1,9})"')


def expected_version(request, body_version: int | None) -> int:
    """The version of the record the client read: `If-Match` with the ETag of its GET
    (`"3"` or `W/"3"`) or `version` in the body. Missing: 428 (PreconditionRequired);
    the service then answers 409 if the record has changed since."""
    header = request.headers.get("If-Match")
    if header is None:
        if body_version is None:
            raise PreconditionRequired(
                {
                    "version": "Send the version you read: `version` in the body, or the "
                    "ETag of the record's GET as If-Match."
                }
            )
        return body_version
    match = _ETAG.fullmatch(header.strip())
    if match is None:
        raise DomainError({"If-Match": 'Send one ETag of the record, such as "3".'})
    version = int(match.group(1))
    if body_version is not None and body_version != version:
        raise DomainError({"version": "The body's version and If-Match disagree."})
    return version


def set_etag(response, record) -> None:
    """Give a response the ETag of `record`'s version (a GET, or a change's new version)."""
    response["ETag"] = f'"{record.version}"'


def codes(manager) -> list[str]:
    """Codes of a prefetched many-to-many relation."""
    return sorted(item.code for item in manager.all())


# References to other records inside a response: an id and what a person reads.


class NamedRef(Schema):
    """A person, a staff member or a unit: its id and its name."""

    id: int
    name: str


class CaseRef(Schema):
    id: int
    case_number: str
