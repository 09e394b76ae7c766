"""The live OpenAPI schema, and generated requests against every operation it describes.

Schemathesis builds requests from the schema (NUL bytes, huge numbers and odd dates included)
and sends them through the WSGI application with a real write token; every response must be no
server error and must conform to the schema.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from portfolio.wsgi import application

pytestmark = pytest.mark.django_db
# More with SCHEMA_EXAMPLES=200 for a deeper run by hand.
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMA_EXAMPLES", "25"))


def test_schema_and_offline_docs_are_served(api):
    client = api()
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/organisations/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/iati/",
        "/api/v1/indicators/",
        "/api/v1/indicators/{id}/periods/",
        "/api/v1/updates/",
        "/api/v1/updates/{id}/approve/",
    ):
        assert path in paths, path
    parameters = {p["name"] for p in paths["/api/v1/projects/"]["get"]["parameters"]}
    assert {"status", "country", "funder", "partner", "search", "updated_since"} <= parameters
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content  # served locally


@pytest.fixture
def connection_kept_open():
    """The WSGI handler closes the database connection after each request, and with it the
    test's transaction; Django's test client suspends that for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_generated_requests_never_fail_and_conform_to_the_schema(tokens, connection_kept_open):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    # Uncompressed: the in-process client does not undo GZipMiddleware.
    headers = {"Authorization": f"Token {tokens['aspem_write']}", "Accept-Encoding": "identity"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(headers=headers)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        check()
