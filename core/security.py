"""Where a request comes from, for the sign-in lockout."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the person signing in. Behind the reverse proxy of the production setup,
    which overwrites X-Real-IP with the address it was connected from, that header; otherwise
    the connection's own address (a client could forge the header if it were trusted here)."""
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR", "")
