from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from . import services


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`: the token acts as its service user."""

    keyword = "token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token."))
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = services.authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"
