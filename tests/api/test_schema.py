"""The live OpenAPI schema, and generated requests against every operation it describes.

Schemathesis builds requests from the schema (NUL bytes, huge numbers and odd dates included)
and sends them through the WSGI application with a real write token; every response must be no
server error and must conform to the schema.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.models import IdempotentRequest
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


# Positive data must be accepted, except on the two operations that record figures: their rules
# span fields and records (the as-of date within the project, categories adding up to the
# total, a numerator at most its denominator, the indicator's own categories, an organisation
# the caller reports for), which JSON Schema cannot state. There a schema-valid body may get a
# 400 naming the rule; every other check still runs on them.
RULES_BEYOND_THE_SCHEMA = {
    # A cursor is opaque: only one the API gave out is accepted, and not beside page or ordering.
    "GET /api/v1/updates/",
    "GET /api/v1/changes/",
    "POST /api/v1/updates/",
    "PATCH /api/v1/updates/{id}/",
    "POST /api/v1/updates/import/",
}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_pass_every_schemathesis_check(tokens, connection_kept_open, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    # Uncompressed: the in-process client does not undo GZipMiddleware.
    headers = {"Authorization": f"Token {tokens['aspem_write']}", "Accept-Encoding": "identity"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        excluded = [positive_data_acceptance] if operation.label in RULES_BEYOND_THE_SCHEMA else []

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,  # the same requests on every run: CI never depends on luck
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Generated Idempotency-Keys repeat across unrelated requests, which the contract
            # answers with 422 (tests/api/test_idempotency.py): each case starts afresh.
            IdempotentRequest.objects.all().delete()
            response = case.call(headers=headers)
            case.validate_response(response, headers=headers, excluded_checks=excluded)  # noqa: B023 (called within this iteration)

        check()


def test_every_operation_documents_its_error_statuses(api):
    paths = api().get("/api/v1/schema/?format=json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "429"} <= documented, (method, path)
            if "{id}" in path:
                assert "404" in documented, (method, path)
            if method in ("post", "patch", "delete"):
                assert {"400", "403", "404"} <= documented, (method, path)
    patch = paths["/api/v1/updates/{id}/"]["patch"]["responses"]
    assert patch["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Conflict"
    }


@pytest.fixture
def draft_id(api):
    from indicators.models import Indicator

    body = {"indicator": Indicator.objects.get(code="CE-5").pk, "as_of": "2026-06-30", "value": 5}
    response = api("aspem_write").post("/api/v1/updates/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "3"])
def test_a_patch_body_that_is_not_an_object_is_a_400(api, draft_id, body):
    update_id = draft_id
    response = api("aspem_write").generic(
        "PATCH", f"/api/v1/updates/{update_id}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON object" in str(response.json())


@pytest.mark.parametrize("version", ["²", "-1", "x", "1e3"])
def test_a_delete_with_a_malformed_version_is_a_400(api, draft_id, version):
    from indicators.models import ProgressUpdate

    update_id = draft_id
    response = api("aspem_write").delete(f"/api/v1/updates/{update_id}/?version={version}")
    assert response.status_code == 400
    assert "version" in response.json()
    assert ProgressUpdate.objects.filter(pk=update_id).exists()


@pytest.mark.parametrize(
    "query",
    ["ordering=nonsense", "ordering=", "page=0", "page_size=x", "status=", "search=", "country=P"],
)
def test_malformed_list_parameters_are_a_400(api, query):
    assert api("eu_read").get(f"/api/v1/projects/?{query}").status_code == 400


def test_unknown_fields_are_refused(api):
    indicator = api("aspem_write").get("/api/v1/indicators/?page_size=1").json()["results"][0]
    body = {"indicator": indicator["id"], "as_of": "2026-06-30", "value": 1, "valeu": 2}
    response = api("aspem_write").post("/api/v1/updates/", body, format="json")
    assert response.status_code == 400
    assert "valeu" in response.json()
