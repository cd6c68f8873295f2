"""Schemathesis over every operation of the API, in process against the WSGI app, as a
program director and as a case manager of a small seeded demo: no answer is a server
error, and every answer conforms to the OpenAPI document (status code, content type,
body, headers). Run with `make fuzz` (CI runs it after `make test`); `make test` leaves
it out (the `fuzz` marker). HEARTH_FUZZ_EXAMPLES sets the examples per operation."""

import os
from collections import Counter

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hearth.api.api import api
from hearth.api.models import ApiToken
from hearth.api.openapi import INT_MAX
from hearth.demo.demo import build_demo

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("HEARTH_FUZZ_EXAMPLES", "12"))
RECORDS = 40  # path ids are drawn from 1 to RECORDS
USERS = {"program director": "director", "case manager": "casemanager"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


# Answers by status code, reported at the end of the run.
ANSWERS: Counter = Counter()


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker, request):
    """A small demo agency (seeded, so every run fuzzes the same records), and a bearer
    token for each user; all of it is rolled back at the end."""
    # Requests reach the WSGI app as in production, but, as with Django's test client,
    # a request must not close the connection holding the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(seed=1, families=6)
        users = get_user_model().objects
        yield {role: ApiToken.issue(users.get(username=name))[1] for role, name in USERS.items()}
        transaction.set_rollback(True)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
    if ANSWERS:
        codes = ", ".join(f"{code}: {n:,}" for code, n in sorted(ANSWERS.items()))
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\nfuzz: {ANSWERS.total():,} requests ({codes})")


# Built when the module is collected (schemathesis' lazy loader does not run on pytest 9).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
# The bearer token is ours (below): no generated Authorization header to count as input.
schema.config.generation.update(with_security_parameters=False)


@schema.hook
def map_path_parameters(context, path_parameters):
    """Ids among the demo's first records, so that most requests reach a record (some of
    them visible to the user, some not); ids out of range stay as generated."""
    if not path_parameters:
        return path_parameters
    return {
        name: value % RECORDS + 1
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT_MAX
        else value
        for name, value in path_parameters.items()
    }


examples = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def call_as(role, case, tokens):
    __tracebackhide__ = True
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS
    )
    ANSWERS[response.status_code] += 1


@schema.parametrize()
@examples
def test_as_a_program_director(case, tokens, db):
    call_as("program director", case, tokens)


@schema.parametrize()
@examples
def test_as_a_case_manager(case, tokens, db):
    call_as("case manager", case, tokens)
