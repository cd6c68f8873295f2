"""The OpenAPI document tells the truth: each enum schema has a unique name and the
values of the model choices it stands for, and the error answers are declared where
they can occur (issue 10, section 6)."""

import enum
import importlib

import pytest
from django.apps import apps
from django.db import models
from ninja import Router, Schema

from hearth.api.api import api as hearth_api
from hearth.api.openapi import DuplicateSchemaName, HearthAPI

ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def document():
    return hearth_api.get_openapi_schema()


def model_choices() -> dict[str, list]:
    """Every Choices class of every app's models, by the name the document gives it:
    its qualified name without dots (Unit.Kind: UnitKind; a module's own Role: Role)."""
    found: dict[str, type[models.Choices]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("hearth."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.models")
        except ModuleNotFoundError:
            continue
        candidates = [v for v in vars(module).values() if isinstance(v, type)]
        candidates += [
            v for m in config.get_models() for v in vars(m).values() if isinstance(v, type)
        ]
        for cls in candidates:
            # An app's models may be a package (planning): its modules' choices count.
            own = cls.__module__ == module.__name__ or cls.__module__.startswith(
                f"{module.__name__}."
            )
            if issubclass(cls, models.Choices) and own:
                name = cls.__qualname__.replace(".", "")
                assert found.setdefault(name, cls) is cls, f"two choices named {name}"
    return {name: list(cls.values) for name, cls in found.items()}


def test_every_enum_schema_is_a_model_choices_list_under_its_own_name(document):
    choices = model_choices()
    enums = {n: s["enum"] for n, s in document["components"]["schemas"].items() if "enum" in s}
    assert len(enums) >= 40
    for name, values in enums.items():
        assert name in choices, f"{name} stands for no model choices"
        assert values == choices[name], name


def _ref(schema) -> str:
    if "items" in schema:
        schema = schema["items"]
    for sub in [schema, *schema.get("anyOf", []), *schema.get("allOf", [])]:
        if "$ref" in sub:
            return sub["$ref"].rsplit("/", 1)[-1]
    if "items" in schema.get("anyOf", [{}])[0]:
        return _ref(schema["anyOf"][0]["items"])
    raise AssertionError(f"no reference in {schema}")


@pytest.mark.parametrize(
    "schema, field, enum",
    [
        ("UnitIn", "kind", "UnitKind"),
        ("UnitPatch", "kind", "UnitKind"),
        ("RelationshipIn", "kind", "RelationshipKind"),
        ("StaffIn", "roles", "Role"),
        ("StaffPatch", "status", "StaffMemberStatus"),
        ("RemovalIn", "child_needs", "Need"),
        ("ExceptionIn", "kind", "ParentContactExceptionKind"),
        ("MemberIn", "role", "CaseMemberRole"),
        ("StatusIn", "status", "CaseStatus"),
        ("VisitIn", "status", "FamilyVisitStatus"),
    ],
)
def test_the_fields_the_issue_found_point_at_their_own_lists(document, schema, field, enum):
    properties = document["components"]["schemas"][schema]["properties"]
    assert _ref(properties[field]) == enum


def test_two_enums_of_one_name_get_two_names():
    class Unit:
        class Kind(enum.StrEnum):
            TEAM = "team"

    class Note:
        class Kind(enum.StrEnum):
            VISIT = "visit"

    class UnitBody(Schema):
        kind: Unit.Kind

    class NoteBody(Schema):
        kind: Note.Kind

    router = Router()

    @router.post("/units")
    def make_unit(request, payload: UnitBody):
        return {}

    @router.post("/notes")
    def make_note(request, payload: NoteBody):
        return {}

    api = HearthAPI(urls_namespace="test-two-enums")
    api.add_router("/", router)
    schemas = api.get_openapi_schema(path_prefix="")["components"]["schemas"]
    assert schemas["UnitKind"]["enum"] == ["team"]
    assert schemas["NoteKind"]["enum"] == ["visit"]
    assert "Kind" not in schemas


def test_two_different_schemas_under_one_name_stop_the_document():
    def body(values):
        Kind = enum.StrEnum("Kind", values)

        class Body(Schema):
            kind: Kind

        return Body

    first, second = body({"A": "a"}), body({"B": "b"})
    router = Router()

    @router.post("/first")
    def one(request, payload: first):
        return {}

    @router.post("/second")
    def two(request, payload: second):
        return {}

    api = HearthAPI(urls_namespace="test-duplicates")
    api.add_router("/", router)
    with pytest.raises(DuplicateSchemaName, match="'Kind'"):
        api.get_openapi_schema(path_prefix="")


# --- Error answers -----------------------------------------------------------------------


def test_the_error_body_is_documented(document):
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["detail", "errors"]
    assert error["properties"]["errors"]["additionalProperties"] == {"type": "string"}


def operations(document):
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            yield method, path, op


def declared(op, code: int) -> bool:
    answer = op["responses"].get(code)
    if answer is None:
        return False
    assert answer["content"]["application/json"]["schema"] == ERROR_REF
    return True


def test_every_operation_declares_its_error_answers(document):
    counted = {401: 0, 403: 0, 404: 0, 409: 0, 422: 0, 428: 0}
    for method, path, op in operations(document):
        where = f"{method.upper()} {path}"
        assert op.get("security"), where  # every operation needs a token or a session
        assert declared(op, 401) and declared(op, 403), where
        has_id = "{" in path
        assert declared(op, 404) == has_id, where
        has_input = bool(op.get("parameters")) or "requestBody" in op
        assert declared(op, 422) == has_input, where
        changes_a_record = method in ("put", "patch", "delete") or (method == "post" and has_id)
        assert declared(op, 409) == declared(op, 428) == changes_a_record, where
        for code in counted:
            counted[code] += code in op["responses"]
    assert counted[404] >= 30 and counted[409] >= 20 and counted[422] >= 50


def test_the_documented_answers_are_the_ones_given(document, case, supervisor, api_as, db):
    """A few real answers against the document: anonymous (401), unknown id (404), bad
    input (422), a role needed (403)."""
    anonymous = api_as()
    r = anonymous.get("/api/v1/cases")
    assert r.status_code == 401 and set(r.json()) == {"detail", "errors"}
    api = api_as(supervisor.user)
    r = api.get("/api/v1/cases/999999")
    assert (
        r.status_code == 404
        and 404 in document["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"]
    )
    r = api.patch(f"/api/v1/cases/{case.pk}", {"complexity": 9, "version": case.version})
    assert r.status_code == 422 and "complexity" in r.json()["errors"]
    r = api.post("/api/v1/staff", {"username": "x", "first_name": "X", "last_name": "Y"})
    assert r.status_code in (403, 422)
