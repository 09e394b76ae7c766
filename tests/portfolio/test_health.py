"""The health endpoints answer whatever Host they are sent to, and say what they checked."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_health_check_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"Database(alias='default')": "OK"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(ALLOWED_HOSTS=["portal.example.org"], SECURE_SSL_REDIRECT=True)
def test_health_checks_answer_a_host_the_settings_do_not_allow(client):
    """Compose calls the web container as 127.0.0.1:8000 over plain HTTP, while the settings
    allow only the public domain and redirect everything else to HTTPS."""
    for path in ("/healthz", "/healthz/ready", "/healthz/"):
        response = client.get(path, HTTP_HOST="127.0.0.1:8000")
        # Ready may be 500 where REDIS_URL is set and no worker runs: not refused, though.
        assert response.status_code in (200, 500), path
        assert response.json()["Database(alias='default')"] == "OK", path
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400  # the rest still is


def test_readiness_without_redis_is_the_database(client, settings):
    settings.REDIS_URL = ""
    from portfolio.health import ready_checks

    assert [getattr(check, "__name__", check) for check in ready_checks()] == ["Database"]


def test_plain_text_when_asked(client):
    response = client.get("/healthz", HTTP_ACCEPT="text/plain")
    assert response.text == "Database(alias='default'): OK\n"
