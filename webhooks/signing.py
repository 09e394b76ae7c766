"""What an event looks like on the wire: its body in the webhook's payload version, and the
headers a receiver checks it with (Standard Webhooks, through its reference package).

Version 2 is the Standard Webhooks shape: `{"type", "timestamp", "data"}` with figures as
numbers, signed in `webhook-signature` over `id.timestamp.body`. Version 1, kept for receivers
written before, is the portal's first shape (figures as texts) with `X-Portal-Signature` as
well, and announces its end in `Deprecation` and `Sunset` (RFC 9745, RFC 8594).
"""

import base64
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.utils.http import http_date
from standardwebhooks import Webhook as StandardWebhook

from core.moments import utc_iso

from .models import Delivery, Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of every secret, not a secret)
SIGNATURE_HEADER = "X-Portal-Signature"
EVENT_HEADER = "X-Portal-Event"
# Payload version 1 was deprecated when version 2 came, and ends on this day.
LEGACY_DEPRECATED = datetime(2026, 12, 7, tzinfo=UTC)
LEGACY_SUNSET = datetime(2027, 6, 30, tzinfo=UTC)
MOMENTS = ("computed_at", "sent_at")


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def standard_key(secret: str) -> bytes:
    """The key a secret stands for: a whsec_ secret's base64, or the 32 bytes written in hex
    by secrets made before (the same key a receiver gets from `standard_secret`)."""
    if secret.startswith(SECRET_PREFIX):
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    return bytes.fromhex(secret)


def standard_secret(secret: str) -> str:
    """The secret as Standard Webhooks libraries take it."""
    return SECRET_PREFIX + base64.b64encode(standard_key(secret)).decode()


def legacy_signature(secret: str, body: bytes) -> str:
    """Version 1's signature: sha256=HMAC-SHA256 of the body, keyed with the secret's text."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _moment(text: str) -> str:
    return utc_iso(datetime.fromisoformat(text))


def _number(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def typed(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload as version 2 writes it: figures as numbers, moments in UTC with Z."""
    data = dict(payload)
    if data.get("value") is not None:
        data["value"] = _number(data["value"])
    for name in MOMENTS:
        if data.get(name):
            data[name] = _moment(data[name])
    return data


def body_of(delivery: Delivery, version: int) -> bytes:
    if version == Webhook.PayloadVersion.LEGACY:
        content: dict[str, Any] = {"id": delivery.pk, "event": delivery.event, **delivery.payload}
    else:
        content = {
            "type": delivery.event,
            "timestamp": _moment(delivery.created_at.isoformat()),
            "data": typed(delivery.payload),
        }
    return json.dumps(content, separators=(",", ":"), sort_keys=True).encode()


def message_id(delivery: Delivery) -> str:
    """The same for every attempt and redelivery: a receiver keeps it to act once."""
    return f"msg_{delivery.pk}"


def valid_secrets(webhook: Webhook, now: datetime) -> list[str]:
    """The current secret, and the previous one while a rotation lets receivers change."""
    kept = [webhook.secret]
    until = webhook.previous_secret_until
    if webhook.previous_secret and until is not None and until > now:
        kept.append(webhook.previous_secret)
    return kept


def headers_for(delivery: Delivery, body: bytes, now: datetime) -> dict[str, str]:
    webhook = delivery.webhook
    identifier = message_id(delivery)
    signatures = [
        StandardWebhook(standard_key(secret)).sign(identifier, now, body.decode())
        for secret in valid_secrets(webhook, now)
    ]
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ngo-portfolio-portal-webhooks",
        "webhook-id": identifier,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
    if webhook.payload_version == Webhook.PayloadVersion.LEGACY:
        headers[EVENT_HEADER] = delivery.event
        headers[SIGNATURE_HEADER] = legacy_signature(webhook.secret, body)
        headers["Deprecation"] = f"@{int(LEGACY_DEPRECATED.timestamp())}"
        headers["Sunset"] = http_date(LEGACY_SUNSET.timestamp())
    return headers
