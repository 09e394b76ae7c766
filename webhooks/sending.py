"""Posting one event to a partner's address, so that the address cannot lead inside.

The host name is resolved once; every address it resolves to must be globally routable
unicast (no private, loopback, link-local, shared 100.64.0.0/10, reserved or multicast
address), and the connection goes to that very address, with the host name kept for the
Host header and for TLS (its certificate is checked against the name). Redirects are never
followed: a 3xx answer is a failed attempt, like any other answer that is not 2xx."""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the one address the connection goes to


def routable(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def target_of(url: str) -> Target:
    """Where an event for `url` goes, resolved and checked once."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": _("Give an http or https address.")}) from None
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [
            str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        ]
    except OSError:
        raise ValidationError({"url": _("This address's host name does not resolve.")}) from None
    if not addresses:
        raise ValidationError({"url": _("This address's host name does not resolve.")})
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES and not all(map(routable, addresses)):
        raise ValidationError(
            {"url": _("Webhooks go to public addresses, not into a private network.")}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to one address already checked, with the host name for SNI and the certificate."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """Post the body; return the answer's status. Raises on an address not allowed, a failed
    connection or a timeout."""
    target = target_of(url)
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPS(target, timeout)
    else:
        connection = http.client.HTTPConnection(target.address, target.port, timeout=timeout)
    default_port = 443 if target.scheme == "https" else 80
    host = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if ":" in target.host and not target.host.startswith("["):
        host = (
            f"[{target.host}]" if target.port == default_port else f"[{target.host}]:{target.port}"
        )
    try:
        connection.request("POST", target.path, body=body, headers={**headers, "Host": host})
        return connection.getresponse().status
    finally:
        connection.close()
