"""Schemathesis against the API's own OpenAPI document: every operation, with data generated from
the schema (and data that breaks it), as a supervisor with every scope, on a small organisation.
Bounded: a fixed number of examples per operation. 0 server errors, 0 schema violations."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.factories import drive, make_task

from luoshi.api import tokens

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]
EXAMPLES = 25  # per operation: 10 operations


# the document as the app serves it (reading it touches no database)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _one_connection():
    """Calls go through the WSGI handler, which closes the database connection after each request;
    the test's transaction lives on that connection, so it stays open (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tasks(org):
    """A task in each of four states, for the calls to read and move."""
    return [drive(org, make_task(org, title=f"{state}任务"), state)
            for state in ("assigned", "in_progress", "submitted", "closed")]


@schema.parametrize()
@pytest.mark.usefixtures("tasks")  # data to read and act on
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_the_api_keeps_its_schema(case, org) -> None:
    _token, secret = tokens.issue(org.supervisor, name="schemathesis", scopes=["read", "report", "act", "ingest"])
    checks = CHECKS
    if case.media_type and case.media_type.startswith("multipart/"):
        # on the wire every part of a form is text: "-25360" is a valid name, and a file's "binary"
        # format has no invalid form, so what schemathesis generates as invalid there is not
        checks = [c for c in CHECKS if c is not negative_data_rejection]
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=checks)
