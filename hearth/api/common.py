"""Small pieces the routers share: reference-code lookups and the access-log hooks."""

from django.db.models import Model
from ninja import Schema
from ninja.pagination import PageNumberPagination

from hearth.core import audit
from hearth.core.errors import DomainError


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
