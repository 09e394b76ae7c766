"""Organisation administrators create, list and revoke tokens; the key is shown once."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import hash_key
from partners.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def aspem_admin(demo):
    admin = User.objects.get(username="aspem-admin")  # the demo's administrator at ASPEm
    assert Membership.objects.get(user=admin).organisation.short_name == "ASPEm"
    return admin


def tokens_url():
    return reverse("api-tokens", args=[Organisation.objects.get(short_name="ASPEm").pk])


def test_an_admin_creates_a_token_whose_key_is_shown_once_and_stored_hashed(client, aspem_admin):
    client.force_login(aspem_admin)
    response = client.post(tokens_url(), {"name": "M&E database", "scope": "write"})
    assert "no-store" in response["Cache-Control"]  # the key stays in no cache
    page = response.text
    token = ApiToken.objects.get(name="M&E database")
    key = page.split('<code class="key">')[1].split("</code>")[0]
    assert key.startswith(token.prefix + ".")
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert key not in client.get(tokens_url()).text  # never shown again

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/projects/").status_code == 200
    listing = client.get(tokens_url()).text
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at.strftime("%Y") in listing


def test_a_revoked_token_stops_working_at_once(client, aspem_admin):
    client.force_login(aspem_admin)
    page = client.post(tokens_url(), {"name": "robot", "scope": "read"}).text
    key = page.split('<code class="key">')[1].split("</code>")[0]
    token = ApiToken.objects.get(name="robot")
    client.post(reverse("api-token-revoke", args=[token.organisation_id, token.pk]))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/projects/").status_code == 401
    assert "revoked" in client.get(tokens_url()).text


def test_approval_can_only_be_granted_to_write_tokens(client, aspem_admin):
    client.force_login(aspem_admin)
    page = client.post(tokens_url(), {"name": "reader", "scope": "read", "can_approve": "on"}).text
    assert "Only a write token may approve" in page
    assert not ApiToken.objects.filter(name="reader").exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [("aspem-manager", 403), ("aspem-editor", 403), ("eu-viewer", 404), ("outsider", 404)],
)
def test_only_the_organisations_admins_reach_its_tokens(client, demo, username, status):
    client.force_login(User.objects.get(username=username))
    assert client.get(tokens_url()).status_code == status
    assert client.post(tokens_url(), {"name": "x", "scope": "write"}).status_code == status
    assert not ApiToken.objects.exists()


def test_a_token_cannot_sign_in_to_the_web_pages(client, aspem_admin):
    client.force_login(aspem_admin)
    client.post(tokens_url(), {"name": "robot", "scope": "write"})
    principal = ApiToken.objects.get(name="robot").user
    assert not principal.has_usable_password()
    assert principal.is_api_client


def test_an_operator_creates_a_token_from_the_command_line(demo):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("create_api_token", organisation="ASPEm", name="robot", scope="write", stdout=out)
    key = out.getvalue().strip()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/indicators/").json()["count"] == 5
    with pytest.raises(CommandError):
        call_command("create_api_token", organisation="NOPE", name="robot", stdout=StringIO())
    with pytest.raises(CommandError, match="Only an administrator"):
        call_command(
            "create_api_token", organisation="ASPEm", name="x", by="aspem-editor", stdout=StringIO()
        )
