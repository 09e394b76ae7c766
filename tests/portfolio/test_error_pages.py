"""403, 404 and 500 answer with a page of the portal, in the reader's language, with a way back;
API paths keep answering in JSON."""

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import path, reverse

import portfolio.urls
from tests.factories import UserFactory


def boom(request: HttpRequest):
    raise RuntimeError("a failure the portal did not foresee")


urlpatterns = [
    *portfolio.urls.urlpatterns,
    path("boom/", boom),
    path("api/v1/boom/", boom),
]
handler403 = portfolio.urls.handler403
handler404 = portfolio.urls.handler404
handler500 = portfolio.urls.handler500

pytestmark = pytest.mark.django_db


def looks_like_the_portal(text: str) -> bool:
    return "css/portal.css" in text and 'class="button" href="/"' in text


def test_a_missing_page_is_a_styled_404_in_spanish(client):
    client.force_login(UserFactory())
    response = client.get("/projects/999999/", headers={"accept-language": "es"})
    assert response.status_code == 404
    assert 'lang="es"' in response.text and "Página no encontrada" in response.text
    assert looks_like_the_portal(response.text)
    assert "Ir a su portafolio" in response.text


def test_a_forbidden_action_is_a_styled_403_in_french(client, world):
    client.cookies["django_language"] = "fr"
    client.force_login(world["editor_a"])
    response = client.get(reverse("projects:setup", args=[world["project_a"].pk]))
    assert response.status_code == 403
    assert "Vous ne pouvez pas faire cela" in response.text
    assert looks_like_the_portal(response.text)


def test_someone_signed_out_is_offered_to_sign_in_from_a_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "/accounts/login/?next=/no-such-page/" in response.text


@override_settings(ROOT_URLCONF=__name__)
def test_a_failure_is_a_styled_500_in_the_readers_language():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", headers={"accept-language": "fr"})
    assert response.status_code == 500
    assert "Une erreur s'est produite" in response.content.decode()
    assert looks_like_the_portal(response.content.decode())


@override_settings(ROOT_URLCONF=__name__)
def test_api_paths_keep_answering_in_json():
    client = Client(raise_request_exception=False)
    failed = client.get("/api/v1/boom/")
    assert failed.status_code == 500 and failed.json() == {"detail": "A server error occurred."}
    missing = client.get("/api/v1/no-such-list/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}


def test_a_form_sent_without_its_token_explains_itself(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["editor_a"])
    response = client.post(reverse("projects:archive", args=[world["project_a"].pk]))
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
    assert looks_like_the_portal(response.content.decode())
