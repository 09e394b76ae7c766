"""Writes sent with an `Idempotency-Key` header happen once (IETF draft "The Idempotency-Key
HTTP Header Field"): a partner system that retries after a lost answer gets the first answer
again, marked `Idempotent-Replayed: true`, not a second update.

The key is kept with who sent it (a hash of the token, or the signed-in user) and a hash of
the method, path and body, for 24 hours: the same key with another request answers 422, and
while the first is still running, 409. Answers that a retry may change (401, 403, 429 and
server errors) are not kept, so the retry runs. Without the header, nothing changes."""

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotentRequest
from .problems import PROBLEM_CODE

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
KEPT = timedelta(hours=24)
VALID_KEY = re.compile(r"[ -~]{1,255}")  # as the schema says
NOT_KEPT = {401, 403, 429}


def _json(status: int, detail: str, code: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"detail": detail}), status=status, content_type="application/json"
    )
    setattr(response, PROBLEM_CODE, code)
    return response


def _caller(request: HttpRequest) -> str | None:
    authorization = request.headers.get("Authorization")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(earlier: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(earlier.body), status=earlier.status_code, content_type=earlier.content_type
    )
    if earlier.location:
        response["Location"] = earlier.location
    response[REPLAYED] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not VALID_KEY.fullmatch(key):
            return _json(
                400,
                _("An Idempotency-Key is 1 to 255 printable ASCII characters."),
                "invalid_request",
            )
        caller = _caller(request)
        if caller is None:  # the API answers 401 itself
            return self.get_response(request)
        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return _json(
                413,
                _("This request is too large to be sent with an Idempotency-Key."),
                "request_too_large",
            )
        record = self._claim(caller, key, fingerprint)
        if isinstance(record, HttpResponse):
            return record
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 500 or response.status_code in NOT_KEPT or response.streaming:
            record.delete()
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = response.content
        record.location = response.get("Location", "")
        record.save(update_fields=["status_code", "content_type", "body", "location"])
        return response

    def _claim(self, caller: str, key: str, fingerprint: str) -> IdempotentRequest | HttpResponse:
        """This request's record, new; or the answer owed for an earlier one with that key."""
        for _attempt in range(2):
            try:
                with transaction.atomic():
                    return IdempotentRequest.objects.create(
                        caller=caller, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                earlier = IdempotentRequest.objects.filter(caller=caller, key=key).first()
                if earlier is None:
                    continue  # gone meanwhile: claim it again
                if earlier.created_at < timezone.now() - KEPT:
                    earlier.delete()  # an old key may be used again
                    continue
                if earlier.fingerprint != fingerprint:
                    return _json(
                        422,
                        _("This Idempotency-Key was used for another request: use a new key."),
                        "idempotency_key_reused",
                    )
                if earlier.status_code is None:
                    return _json(
                        409,
                        _("A request with this Idempotency-Key is still being processed."),
                        "idempotency_request_running",
                    )
                return _replay(earlier)
        return _json(
            409,
            _("A request with this Idempotency-Key is still being processed."),
            "idempotency_request_running",
        )
