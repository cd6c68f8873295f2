"""The API's OpenAPI document: unique schema names and the error answers, by rule.

ninja builds one JSON schema per operation and merges their definitions by name, and
pydantic names a definition after its class alone: `Unit.Kind`, `Relationship.Kind` and
`ParentContactException.Kind` were all `Kind`, the last one written won, and a client
generated from the document sent a contact-exception kind to create a unit. Here every
definition is named by its qualified name (`UnitKind`, `RelationshipKind`, ...), and two
different definitions under one name stop the document from being built.

The error answers (`{"detail": ..., "errors": {field: reason}}`) are declared by rule, in
one place, rather than on each of the operations.
"""

import re
from http.client import responses

from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from hearth.api.idempotency import DESCRIPTION, HEADER, MAX_LENGTH
from hearth.core.api_common import ErrorOut

CHANGING = {"post", "put", "patch", "delete"}

# The whole numbers a request may carry (a 64-bit column; hearth.api.api.InputParser).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

ERRORS = {
    400: "The body is not JSON.",
    401: "No valid bearer token (or signed-in session).",
    403: "Your role does not allow this, or you may see the record but not change it.",
    404: "Not found, or not visible to you: the two answer the same.",
    409: "The record changed since you read it: nothing was changed.",
    422: "The input is not valid or breaks a rule (`errors` names each field): nothing "
    "was changed.",
    428: "The change does not name the version of the record you read.",
}


def error_codes(method: str, path: str, operation: dict) -> set[int]:
    """The error answers an operation can give, by rule:
    401 on every authenticated operation, 403 where a role is needed (every authenticated
    operation: each one needs some role), 404 on a path with an id, 422 with any input
    (parameters or a body; 400 when a body is not JSON), 409 and 428 on a change to an
    existing record (PATCH, PUT, DELETE, and POST under a record's path)."""
    found = set()
    if operation.get("security"):
        found |= {401, 403}
    has_id = "{" in path
    if has_id:
        found.add(404)
    if operation.get("parameters") or "requestBody" in operation:
        found.add(422)
    if "requestBody" in operation:
        found.add(400)
    if method in CHANGING and (method != "post" or has_id):
        found |= {409, 428}
    return found


class QualifiedNames(NinjaGenerateJsonSchema):
    """Names each definition by its class's qualified name, without the module:
    `Unit.Kind` is `UnitKind`, `CaseMember.Role` is `CaseMemberRole`."""

    def get_defs_ref(self, core_mode_ref):
        core_ref, mode = core_mode_ref
        return super().get_defs_ref((re.sub(r"\b([A-Z]\w*)\.(?=[A-Z])", r"\1", core_ref), mode))


class _QualifiedModel:
    """A request or response model as ninja's document sees it, with QualifiedNames."""

    def __init__(self, model):
        self._model = model

    def __getattr__(self, name):
        return getattr(self._model, name)

    def model_json_schema(self, **kwargs):
        return self._model.model_json_schema(**{**kwargs, "schema_generator": QualifiedNames})


class DuplicateSchemaName(Exception):
    """Two different definitions would share one name in the document."""


class HearthOpenAPISchema(OpenAPISchema):
    def _extract_parameters(self, model):
        return super()._extract_parameters(_QualifiedModel(model))

    def _create_schema_from_model(self, model, *args, **kwargs):
        return super()._create_schema_from_model(_QualifiedModel(model), *args, **kwargs)

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if self.schemas.setdefault(name, definition) != definition:
                raise DuplicateSchemaName(
                    f"Two different schemas are named {name!r}: {self.schemas[name]} and "
                    f"{definition}. Rename one of the classes."
                )


# Operation ids are part of the API's contract: they stay when code moves. An endpoint's id
# is its app's API module and its function's name (`hearth_cases_api_get_case`), whatever
# module of an `api/` package it lives in; the people endpoints keep their ids from when
# they lived in the people app (they moved up to cases, which scopes people), and intake's
# operations on the case endpoints theirs from when they were the cases API's, and the
# visitation endpoints theirs from when they were the placements app's (ADR 0008).
MOVED_OPERATIONS = {
    "hearth.cases.api.people": "hearth.people.api",
    "hearth.intake.api.cases": "hearth.cases.api",
    "hearth.visitation.api": "hearth.placements.api",
}


def operation_module(module: str) -> str:
    """The module an endpoint's operation id is named after (see MOVED_OPERATIONS)."""
    if module in MOVED_OPERATIONS:
        return MOVED_OPERATIONS[module]
    return re.sub(r"^(hearth\.(?!api\.)\w+\.api)\..+$", r"\1", module)


class HearthAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        func = operation.view_func
        return f"{operation_module(func.__module__)}.{func.__name__}".replace(".", "_")

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        document = HearthOpenAPISchema(self, path_prefix)
        add_idempotency_key(document)
        add_error_responses(document)
        bound_integers(document)
        ids_from_one(document)
        return document


def add_idempotency_key(document: dict) -> None:
    """The `Idempotency-Key` header on every POST (hearth.api.idempotency)."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
        "description": DESCRIPTION,
    }
    for operations in document["paths"].values():
        if "post" in operations:
            operations["post"].setdefault("parameters", []).append(parameter)


def add_error_responses(document: dict) -> None:
    error = ErrorOut.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=QualifiedNames)
    document["components"]["schemas"]["Error"] = error
    content = {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="Error")}}}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code in sorted(error_codes(method, path, operation)):
                operation["responses"].setdefault(
                    code, {"description": f"{responses[code]}: {ERRORS[code]}", "content": content}
                )


def bound_integers(value) -> None:
    """Every integer in the document runs over 64 bits at most, as the parser enforces."""
    if isinstance(value, dict):
        if value.get("type") == "integer":
            value["minimum"] = max(value.get("minimum", INT_MIN), INT_MIN)
            value["maximum"] = min(value.get("maximum", INT_MAX), INT_MAX)
        for item in value.values():
            bound_integers(item)
    elif isinstance(value, list):
        for item in value:
            bound_integers(item)


def ids_from_one(document: dict) -> None:
    """A record's id in a path is a whole number from 1 (the path converter takes digits
    only)."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    parameter["schema"]["minimum"] = 1
