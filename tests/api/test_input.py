"""Input that no column can hold, unknown fields, over-long text and out-of-range page
numbers: each is refused with a 4xx naming the field (API) or a clear 400 (pages), never
a server error, and nothing is written (issue 10, section 6)."""

import inspect
import json

import pytest
from django.forms import CharField
from django.urls import reverse
from django.utils import timezone

from hearth.api.api import api as hearth_api
from hearth.contacts.forms import AmendForm, ExceptionForm, NoteForm
from hearth.contacts.models import ContactNote
from hearth.core.api_common import MAX_PAGE
from hearth.core.errors import LONG_TEXT_MAX
from hearth.core.forms import UsaFormMixin
from hearth.people.forms import PersonEditForm
from hearth.placements.forms import PlaceForm
from hearth.staff.models import Role, StaffMember, Unit
from tests.factories import StaffFactory
from tests.placements.conftest import days_ago

API = "/api/v1"


@pytest.fixture
def api(supervisor, api_as):
    return api_as(supervisor.user)


def note_body(family, **kw):
    body = {
        "occurred_at": timezone.localtime().replace(microsecond=0).isoformat(),
        "method": "in_person",
        "location": "placement",
        "contact_with": [family["child"].pk],
        "collaterals": [{"kind": "resource_parent", "name": "Sam Foster"}],
        "narrative": "Saw Noah at the resource home.",
    }
    body.update(kw)
    return body


# --- NUL characters and lone surrogates: one layer, the API's parser --------------------


def test_a_nul_in_a_patched_name_is_a_422_naming_the_field(case, api):
    person = case.members.get(role="child").person
    r = api.patch(f"{API}/people/{person.pk}", {"first_name": "Ann\u0000", "version": 1})
    assert r.status_code == 422, r.content
    assert set(r.json()["errors"]) == {"first_name"}
    assert "NUL" in r.json()["errors"]["first_name"]
    person.refresh_from_db()
    assert person.first_name == "Ava"


def test_a_lone_surrogate_in_a_narrative_is_a_422_naming_the_field(removed, family, api):
    # json.dumps would escape a valid pair; a lone "\ud800" is what a fuzzer sends.
    raw = json.dumps(note_body(family, narrative="PLACEHOLDER")).replace(
        "PLACEHOLDER", "half a pair \\ud800"
    )
    r = api.post(f"{API}/cases/{family['case'].pk}/notes", raw)
    assert r.status_code == 422, r.content
    assert set(r.json()["errors"]) == {"narrative"}
    assert not ContactNote.objects.exists()


def test_the_error_names_the_path_of_a_nested_field(removed, family, api):
    body = note_body(family, collaterals=[{"kind": "resource_parent", "name": "Sam\u0000"}])
    r = api.post(f"{API}/cases/{family['case'].pk}/notes", body)
    assert r.status_code == 422 and set(r.json()["errors"]) == {"collaterals.0.name"}
    assert not ContactNote.objects.exists()


def test_a_valid_surrogate_pair_is_text_like_any_other(case, api):
    person = case.members.get(role="child").person
    r = api.patch(f"{API}/people/{person.pk}", {"middle_name": "\U0001f600", "version": 1})
    assert r.status_code == 200, r.content
    person.refresh_from_db()
    assert person.middle_name == "\U0001f600"


@pytest.mark.parametrize("path", ["/people", "/cases", "/staff", "/resource-homes", "/search"])
def test_a_nul_in_a_query_string_is_a_422_naming_the_parameter(case, api, path):
    r = api.get(f"{API}{path}", q="\x00")
    # Endpoints without `q` ignore it, and none answers a 500.
    assert r.status_code in (200, 422), r.content
    r = api.client.get(f"{API}/people?q=%00")
    assert r.status_code == 422 and set(r.json()["errors"]) == {"q"}
    r = api.client.get(f"{API}/cases?q=ann%00")
    assert r.status_code == 422 and set(r.json()["errors"]) == {"q"}


@pytest.mark.parametrize("period", ["2027C", "\x00", "2027A\x00"])
def test_f5_a_bad_report_period_is_a_422_naming_it(case, api, period):
    """F5: the extract's and the data-quality report's `period` is a fiscal year and A or B."""
    r = api.get(f"{API}/reports/data-quality", period=period)
    assert r.status_code == 422 and set(r.json()["errors"]) == {"period"}, r.content


def test_a_nul_in_an_api_path_names_nothing(api):
    r = api.client.get(f"{API}/agencies/ns%00f/policy")
    assert r.status_code == 404 and r.json() == {"detail": "Not found.", "errors": {}}


def test_an_unknown_api_address_answers_the_api_404_in_json(api):
    for method in ("get", "post", "patch"):
        r = getattr(api.client, method)(f"{API}/people/null,null", content_type="application/json")
        assert r.status_code == 404 and r.json() == {"detail": "Not found.", "errors": {}}


# --- Numbers beyond 64 bits, repeated items ------------------------------------------


def test_a_number_beyond_64_bits_is_a_422_naming_the_field(case, api):
    r = api.client.get(f"{API}/cases?unit=51698616879250050287403008")
    assert r.status_code == 422 and set(r.json()["errors"]) == {"unit"}
    members = case.members.count()
    r = api.post(f"{API}/cases/{case.pk}/members", {"person": 2**64, "role": "sibling"})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"person"}
    assert case.members.count() == members
    # Even a search for a run of digits beyond 64 bits is refused, naming `q`.
    r = api.client.get(f"{API}/people?q=51698616879250050287403008")
    assert r.status_code == 422 and set(r.json()["errors"]) == {"q"}


def test_every_integer_of_the_document_is_bounded_to_64_bits():
    document = hearth_api.get_openapi_schema()

    def integers(value):
        if isinstance(value, dict):
            if value.get("type") == "integer":
                yield value
            for item in value.values():
                yield from integers(item)
        elif isinstance(value, list):
            for item in value:
                yield from integers(item)

    found = list(integers(document))
    assert len(found) > 100
    assert all(i["minimum"] >= -(2**63) and i["maximum"] <= 2**63 - 1 for i in found)


def test_a_role_given_twice_is_refused(agency, api_as):
    director = StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR])
    body = {
        "username": "new.worker",
        "first_name": "New",
        "last_name": "Worker",
        "hire_date": "2026-01-05",
        "roles": ["case_manager", "case_manager"],
    }
    r = api_as(director.user).post(f"{API}/staff", body)
    assert r.status_code == 422 and set(r.json()["errors"]) == {"roles"}
    assert not StaffMember.objects.filter(user__username="new.worker").exists()


# --- Pages: a clear 400, never a 500 ----------------------------------------------------


def test_pages_refuse_a_nul_in_a_query_string_or_a_form(case, worker, as_user):
    c = as_user(worker)
    assert c.get(reverse("people_search"), {"q": "rivera"}).status_code == 200
    assert c.get(reverse("people_search") + "?q=%00").status_code == 400
    assert c.get(reverse("caseload") + "?page=%00").status_code == 400
    person = case.members.get(role="child").person
    r = c.post(
        reverse("person_edit", args=[person.pk]),
        {"first_name": "Ann\x00", "last_name": "Rivera"},
    )
    assert r.status_code == 400
    person.refresh_from_db()
    assert person.first_name == "Ava"


def test_a_page_number_beyond_64_bits_shows_the_last_page(case, worker, as_user):
    c = as_user(worker)
    r = c.get(reverse("case_list"), {"page": str(2**63)})
    assert r.status_code == 200 and case.case_number in r.content.decode()


# --- Page numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["9223372036854775808", str(10**40), "0", "-1"])
def test_a_page_number_out_of_range_is_a_422_naming_page(case, api, page):
    r = api.get(f"{API}/cases", page=page)
    assert r.status_code == 422, r.content
    assert set(r.json()["errors"]) == {"page"}


def test_the_highest_page_number_answers_an_empty_page(case, api):
    r = api.get(f"{API}/cases", page=1_000_000)
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["count"] == 1


def test_every_paginated_endpoint_bounds_the_page_number():
    document = hearth_api.get_openapi_schema()
    paginated = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            params = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
            if "page" in params:
                paginated += 1
                assert params["page"]["maximum"] == MAX_PAGE, (method, path)
    assert paginated == 13  # planning: services adds GET /providers


# --- Unknown fields ------------------------------------------------------------------


def test_an_unknown_field_in_a_body_is_a_422_naming_it(case, api):
    person = case.members.get(role="child").person
    r = api.patch(f"{API}/people/{person.pk}", {"first_nme": "Ann", "version": 1})
    assert r.status_code == 422, r.content
    assert set(r.json()["errors"]) == {"first_nme"}
    person.refresh_from_db()
    assert person.first_name == "Ava" and person.version == 1


def test_an_unknown_field_in_a_nested_body_is_named_by_its_path(removed, family, api):
    body = note_body(family, collaterals=[{"kind": "provider", "name": "A", "phone": "1"}])
    r = api.post(f"{API}/cases/{family['case'].pk}/notes", body)
    assert r.status_code == 422 and set(r.json()["errors"]) == {"collaterals.0.phone"}


def _body_schemas(document):
    """Every object schema a request body can contain, by name."""
    schemas = document["components"]["schemas"]
    found, todo = {}, []
    for operations in document["paths"].values():
        for operation in operations.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                todo.append(("body", content["schema"]))
    while todo:
        name, schema = todo.pop()
        if "$ref" in schema:
            ref = schema["$ref"].rsplit("/", 1)[-1]
            if ref not in found:
                todo.append((ref, schemas[ref]))
            continue
        if schema.get("type") == "object" and "properties" in schema:
            found[name] = schema
        for key in ("anyOf", "allOf", "oneOf"):
            todo.extend((name, sub) for sub in schema.get(key, []))
        if "items" in schema:
            todo.append((name, schema["items"]))
        todo.extend((name, sub) for sub in schema.get("properties", {}).values())
    return found


def test_every_request_body_schema_forbids_unknown_fields():
    bodies = _body_schemas(hearth_api.get_openapi_schema())
    assert len(bodies) >= 30
    assert {
        name for name, s in bodies.items() if s.get("additionalProperties") is not False
    } == set()


# --- Text lengths ----------------------------------------------------------------------


def test_a_100000_character_narrative_is_refused_and_not_stored(removed, family, api):
    r = api.post(
        f"{API}/cases/{family['case'].pk}/notes", note_body(family, narrative="x" * 100_000)
    )
    assert r.status_code == 422 and set(r.json()["errors"]) == {"narrative"}
    assert not ContactNote.objects.exists()
    r = api.post(
        f"{API}/cases/{family['case'].pk}/notes", note_body(family, narrative="x" * LONG_TEXT_MAX)
    )
    assert r.status_code == 201, r.content


def _unbounded_strings(schema, schemas, where, seen):
    """Places in `schema` where a free string has no maxLength (enums, dates and the
    string form of a decimal number are bounded by their format)."""
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        if ref not in seen:
            seen.add(ref)
            yield from _unbounded_strings(schemas[ref], schemas, f"{where}>{ref}", seen)
        return
    alternatives = schema.get("anyOf", [])
    numeric = any(a.get("type") == "number" for a in alternatives)
    for sub in alternatives:
        if not (numeric and sub.get("type") == "string"):
            yield from _unbounded_strings(sub, schemas, where, seen)
    for sub in schema.get("allOf", []):
        yield from _unbounded_strings(sub, schemas, where, seen)
    if schema.get("type") == "string" and not ({"enum", "format", "maxLength"} & set(schema)):
        yield where
    if "items" in schema:
        yield from _unbounded_strings(schema["items"], schemas, f"{where}[]", seen)
    for name, sub in schema.get("properties", {}).items():
        yield from _unbounded_strings(sub, schemas, f"{where}.{name}", seen)


def test_every_text_input_of_the_api_has_a_maximum_length():
    document = hearth_api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    unbounded = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for param in operation.get("parameters", []):
                unbounded += _unbounded_strings(
                    param["schema"], schemas, f"{where} {param['name']}", set()
                )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                unbounded += _unbounded_strings(content["schema"], schemas, where, set())
    assert unbounded == []


def _forms():
    """Every form of the pages (each one takes the shared UsaFormMixin)."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted(set(subclasses(UsaFormMixin)), key=lambda f: f.__qualname__)


def _form(form, case):
    """A form as its page builds it, with the records it needs."""
    needs = {
        "case": case,
        "choices": [],
        "units": Unit.objects.none(),
        "staff": StaffMember.objects.none(),
        "prefix": "form",
        "user": None,
    }
    wanted = set()  # the arguments of every __init__ along the form's own classes
    for klass in form.__mro__:
        if "__init__" in vars(klass) and not klass.__module__.startswith("django.forms"):
            wanted |= set(inspect.signature(klass.__init__).parameters)
    return form(**{k: v for k, v in needs.items() if k in wanted})


def test_every_text_field_of_every_form_has_a_maximum_length(case):
    forms = _forms()
    assert {NoteForm, AmendForm, ExceptionForm, PlaceForm, PersonEditForm} <= set(forms)
    texts = 0
    for form in forms:
        for name, field in _form(form, case).fields.items():
            if isinstance(field, CharField):
                texts += 1
                assert field.max_length, (form.__name__, name)
                if not field.widget.is_hidden:
                    assert field.widget.attrs["maxlength"] == str(field.max_length)
    assert texts >= 40
    # A narrative without a limit of its own takes the API's.
    assert _form(NoteForm, case).fields["narrative"].max_length == LONG_TEXT_MAX


def test_a_note_form_with_an_over_long_narrative_shows_the_error(worker, removed, family, client):
    client.force_login(worker.user)
    url = reverse("note_new", args=[family["case"].pk])
    r = client.post(
        url,
        {
            "kind": "contact",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "in_person",
            "location": "placement",
            "contact_with": [family["child"].pk],
            "narrative": "x" * (LONG_TEXT_MAX + 1),
        },
    )
    assert r.status_code in (200, 422)
    assert "at most 20000 characters" in r.content.decode().replace(",", "")
    assert not ContactNote.objects.exists()


# --- Database constraints in words --------------------------------------------------------


def test_an_exit_dated_before_the_removal_names_the_field(removed, worker, api_as):
    api = api_as(worker.user)
    r = api.post(
        f"{API}/removals/{removed.pk}/exit",
        {"exited_on": days_ago(61).isoformat(), "exit_reason": "reunification", "version": 1},
    )
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == {"exited_on": "The exit cannot be dated before the removal."}
    removed.refresh_from_db()
    assert removed.exited_on is None


def test_a_record_id_beyond_64_bits_in_a_path_is_not_found(api):
    """Every read of one record: an id past 2**63 - 1 (the document's bound; the path
    converter takes any digits) answers 404 like a missing record, never a 500."""
    doc = hearth_api.get_openapi_schema()
    paths = [
        path for path, operations in doc["paths"].items() if "get" in operations and "{" in path
    ]
    assert len(paths) > 20
    for path in paths:
        url = path.replace("/api/v1", API, 1)
        for name in {part[1:-1] for part in url.split("/") if part.startswith("{")}:
            url = url.replace("{" + name + "}", str(2**63) if name.endswith("id") else "x")
        r = api.get(url)
        assert r.status_code == 404, (path, r.status_code, r.content[:200])
