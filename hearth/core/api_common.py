"""Small pieces the routers share: the input base class and text limits, the pagination,
reference-code lookups, the access-log hooks, and record versions (ETag, If-Match)."""

import re
from typing import Annotated

from django.db.models import Model
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, ConfigDict, StringConstraints

from hearth.core import audit
from hearth.core.errors import LONG_TEXT_MAX, DomainError, PreconditionRequired

# --- Input ------------------------------------------------------------------------------

# A reference code (county, language, race, tribe, skill: `ReferenceItem.code`).
Code = Annotated[str, StringConstraints(max_length=40)]
# A narrative, a note, a reason.
LongText = Annotated[str, StringConstraints(max_length=LONG_TEXT_MAX)]


def _each_once(items: list) -> list:
    if len(set(items)) != len(items):
        raise ValueError("List each item once.")
    return items


def unique_list(item_type):
    """A list in which each item appears once: a repeat is a 422 (`uniqueItems`)."""
    return Annotated[
        list[item_type],
        AfterValidator(_each_once),
        Field(json_schema_extra={"uniqueItems": True}),
    ]


class InputSchema(Schema):
    """The base of every request body (*In, *Patch): a field the schema does not name is
    refused with a 422 naming it, never silently dropped. Text cleaning (NUL, lone
    surrogates) happens before, in the API's parser (hearth.api.api.InputParser)."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    """Every 4xx answer of the API (the document declares it by rule: hearth.api.openapi)."""

    detail: str = Field(..., description="What went wrong, in a sentence")
    errors: dict[str, str] = Field(
        ..., description="Field -> reason (`__all__`: the request as a whole)"
    )


# --- Pages ------------------------------------------------------------------------------

# The highest page number a list accepts: with 100 rows a page, a hundred million rows.
MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    """Every paginated list: the page number is bounded, so that one beyond 64 bits is a
    422 naming `page`, not a database overflow (a page size is capped at the maximum)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(
            None,
            ge=1,
            description=f"At most {ninja_settings.PAGINATION_MAX_PER_PAGE_SIZE} rows a page: "
            "a larger size gives that many",
        )


# --- Lookups ----------------------------------------------------------------------------


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


class LoggedPages(Pagination):
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
