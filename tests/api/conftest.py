import pytest
from rest_framework.test import APIClient

from api.services import create_token
from partners.models import Organisation, User


@pytest.fixture
def tokens(demo):
    """Keys of tokens for the implementing NGOs, funders, with and without write access."""
    admin = User.objects.get(username="admin")

    def make(short_name, scope, can_approve=False):
        _token, key = create_token(
            organisation=Organisation.objects.get(short_name=short_name),
            name=f"{short_name} {scope}{' approver' if can_approve else ''}",
            scope=scope,
            can_approve=can_approve,
            created_by=admin,
        )
        return key

    return {
        "aspem_write": make("ASPEm", "write"),
        "aspem_read": make("ASPEm", "read"),
        "aspem_approver": make("ASPEm", "write", can_approve=True),
        "mam_write": make("MAM", "write"),
        "setec_read": make("setec", "read"),
        "eu_read": make("EU", "read"),
        "ciudadviva_read": make("Ciudad Viva", "read"),
    }


@pytest.fixture
def api(tokens):
    """An API client signed in with one of the tokens: api("aspem_write")."""

    def client(name: str | None = None) -> APIClient:
        connection = APIClient()
        if name is not None:
            connection.credentials(HTTP_AUTHORIZATION=f"Token {tokens[name]}")
        return connection

    return client
