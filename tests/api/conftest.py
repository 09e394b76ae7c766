import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.test import APIClient

from api.services import create_token
from partners.models import Organisation, User
from projects.models import Funding


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
            by=admin,
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


@pytest.fixture
def ce(demo):
    """The project the EU funds and ASPEm implements, with its people."""
    project = Funding.objects.get(funder__short_name="EU").project
    return {
        "project": project,
        "manager": User.objects.get(username="aspem-manager"),
        "admin": User.objects.get(username="aspem-admin"),
    }


@pytest.fixture
def connection_kept_open():
    """The WSGI handler closes the database connection after each request, and with it the
    test's transaction; Django's test client suspends that for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
