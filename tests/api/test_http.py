"""HTTP as clients expect it: validators and 304, CORS, problem details, rate headers."""

import gzip
import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from indicators.models import Indicator, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_a_list_and_a_detail_carry_a_strong_etag_and_answer_304_when_it_matches(api):
    client = api("aspem_read")
    for url in ("/api/v1/indicators/", "/api/v1/projects/", "/api/v1/changes/"):
        first = client.get(url)
        tag = first["ETag"]
        assert tag.startswith('"') and not tag.startswith("W/"), tag
        again = client.get(url, HTTP_IF_NONE_MATCH=tag)
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == tag
        assert "RateLimit" in again
    indicator = Indicator.objects.get(code="CE-5")
    detail = client.get(f"/api/v1/indicators/{indicator.pk}/")
    assert (
        client.get(
            f"/api/v1/indicators/{indicator.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]
        ).status_code
        == 304
    )


def test_a_change_gives_a_new_etag_and_a_full_answer(api):
    client = api("aspem_read")
    update = ProgressUpdate.objects.filter(indicator__code="CE-1").get()
    first = client.get(f"/api/v1/updates/{update.pk}/")
    ProgressUpdate.objects.filter(pk=update.pk).update(narrative="Counted again on site.")
    second = client.get(f"/api/v1/updates/{update.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second.json()["narrative"] == "Counted again on site."
    assert second["ETag"] != first["ETag"]


def test_a_compressed_answer_keeps_a_strong_etag_of_its_own(api):
    client = api("aspem_read")
    plain = client.get("/api/v1/indicators/")
    packed = client.get("/api/v1/indicators/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert packed["ETag"] == plain["ETag"][:-1] + '-gzip"'
    held = client.get(
        "/api/v1/indicators/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]
    )
    assert (held.status_code, held["ETag"]) == (304, packed["ETag"])


def test_if_modified_since_answers_304_until_the_body_changes(api):
    client = api("aspem_read")
    update = ProgressUpdate.objects.filter(indicator__code="CE-1").get()
    url = f"/api/v1/updates/{update.pk}/"
    first = client.get(url)
    modified = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    ProgressUpdate.objects.filter(pk=update.pk).update(narrative="Changed.")
    changed = client.get(url, HTTP_IF_MODIFIED_SINCE=modified)
    assert changed.status_code == 200
    # And a body that comes back to an earlier state is a change too.
    ProgressUpdate.objects.filter(pk=update.pk).update(narrative=update.narrative)
    back = client.get(url, HTTP_IF_MODIFIED_SINCE=changed["Last-Modified"])
    assert back.status_code == 200


def test_an_outsider_gets_404_whatever_validators_it_sends(api):
    update = ProgressUpdate.objects.filter(indicator__code="CE-1").get()
    held = api("aspem_read").get(f"/api/v1/updates/{update.pk}/")
    outsider = api("ciudadviva_read").get(
        f"/api/v1/updates/{update.pk}/", HTTP_IF_NONE_MATCH=held["ETag"]
    )
    assert outsider.status_code == 404
    assert "ETag" not in outsider


@override_settings(CORS_ALLOWED_ORIGINS=["https://partner.example"])
def test_a_browser_on_a_configured_origin_gets_its_preflight_and_the_headers(api):
    anonymous = APIClient()
    preflight = anonymous.options(
        "/api/v1/updates/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://partner.example"
    allowed = preflight["Access-Control-Allow-Headers"]
    assert {"authorization", "idempotency-key", "if-none-match"} <= set(allowed.split(", "))
    assert "Access-Control-Allow-Credentials" not in preflight
    answer = api("aspem_read").get("/api/v1/projects/", HTTP_ORIGIN="https://partner.example")
    exposed = answer["Access-Control-Expose-Headers"]
    assert {"ETag", "RateLimit", "Retry-After", "Idempotent-Replayed"} <= set(exposed.split(", "))


@override_settings(CORS_ALLOWED_ORIGINS=["https://partner.example"])
def test_another_origin_and_the_web_pages_get_no_cors_headers(api):
    other = api("aspem_read").get("/api/v1/projects/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in other
    page = APIClient().get("/accounts/login/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in page


PROBLEM = "application/problem+json"


def test_errors_are_problem_details_when_asked_and_unchanged_otherwise(api):
    client = api("aspem_write")
    asked = client.get("/api/v1/updates/999999/", HTTP_ACCEPT=PROBLEM)
    assert (asked.status_code, asked["Content-Type"]) == (404, PROBLEM)
    body = json.loads(asked.content)
    assert body["type"] == "urn:ngo-portfolio:problem:not_found"
    assert (body["code"], body["status"], body["instance"]) == (
        "not_found",
        404,
        "/api/v1/updates/999999/",
    )
    unasked = client.get("/api/v1/updates/999999/")
    assert (unasked["Content-Type"], list(unasked.json())) == ("application/json", ["detail"])


def test_a_refused_write_lists_each_field_with_a_stable_code(api):
    indicator = Indicator.objects.get(code="CE-5")
    body = {"indicator": indicator.pk, "as_of": "2026-06-30", "value": -1, "narrative": "a\x00b"}
    answer = api("aspem_write").post(
        "/api/v1/updates/", body, format="json", HTTP_ACCEPT=PROBLEM, HTTP_ACCEPT_LANGUAGE="es"
    )
    problem = json.loads(answer.content)
    assert (answer.status_code, problem["code"]) == (400, "invalid_request")
    assert [error["code"] for error in problem["errors"]["value"]] == ["min_value"]
    assert [error["code"] for error in problem["errors"]["narrative"]] == [
        "null_characters_not_allowed"
    ]
    assert "0" in problem["errors"]["value"][0]["message"]
    assert problem["title"] == "La solicitud no es válida."


def test_a_stale_version_is_a_problem_with_the_current_version(api):
    update = ProgressUpdate.objects.filter(indicator__code="CE-1").get()
    answer = api("aspem_approver").post(
        f"/api/v1/updates/{update.pk}/reopen/",
        {"version": update.version + 5, "note": "Recount"},
        format="json",
        HTTP_ACCEPT=f"{PROBLEM}, application/json",
    )
    problem = json.loads(answer.content)
    assert (answer.status_code, problem["code"], problem["version"]) == (
        409,
        "stale_version",
        update.version,
    )


def test_a_client_accepting_only_problem_details_still_gets_its_answers(api):
    answer = api("aspem_read").get("/api/v1/projects/", HTTP_ACCEPT=PROBLEM)
    assert answer.status_code == 200
    assert answer.json()["count"] >= 1


def test_every_answer_tells_the_rate_and_a_refusal_when_to_come_back(api, settings):
    from rest_framework.throttling import UserRateThrottle

    client = api("aspem_read")
    quota = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"].split("/")[0])
    first = client.get("/api/v1/projects/")
    assert first["RateLimit-Policy"] == f'"default";q={quota};w=60'
    assert first["RateLimit"].startswith(f'"default";r={quota - 1};t=')
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = {"user": "2/minute"}
    try:
        cache.clear()
        client.get("/api/v1/projects/")
        client.get("/api/v1/projects/")
        refused = client.get("/api/v1/projects/", HTTP_ACCEPT=PROBLEM)
    finally:
        UserRateThrottle.THROTTLE_RATES = original
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["RateLimit"].startswith('"default";r=0;t=')
    assert json.loads(refused.content)["code"] == "throttled"


def test_the_schema_declares_validators_rates_problems_and_files(api):
    schema = api("aspem_read").get("/api/v1/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/updates/"]["get"]
    assert {"ETag", "Last-Modified", "RateLimit", "RateLimit-Policy"} <= set(
        listing["responses"]["200"]["headers"]
    )
    assert "304" in listing["responses"]
    assert {"If-None-Match", "If-Modified-Since"} <= {p["name"] for p in listing["parameters"]}
    assert PROBLEM in listing["responses"]["400"]["content"]
    assert "Retry-After" in listing["responses"]["429"]["headers"]
    iati = schema["paths"]["/api/v1/projects/{id}/iati/"]["get"]["responses"]["200"]["content"]
    assert iati["application/xml"]["schema"] == {"type": "string", "format": "binary"}
