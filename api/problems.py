"""Errors as RFC 9457 problem details, for clients that ask for them.

An API error answers `{"detail": …}` or the fields with their messages, as it always has. A
client that sends `Accept: application/problem+json` gets the same error as a problem instead:
a stable `type` and `code` it can branch on, the translated `title` and `detail` a person reads,
and for a refused request each field's errors with their own codes. Whoever raises an error may
name its code on the response (`problem_code`, and `field_codes` for the fields); otherwise the
status gives it.
"""

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:ngo-portfolio:problem:"
PROBLEM_CODE = "problem_code"  # attribute of a response: its code, when the status is not enough
FIELD_CODES = "field_codes"  # attribute of a response: {field: [code, …]} for a refused request

# Every code an error can have, with its status and title: docs/api.md lists the same.
PROBLEMS: dict[str, tuple[int, Any]] = {
    "invalid_request": (400, _("The request is not valid.")),
    "not_authenticated": (401, _("Credentials are missing or not valid.")),
    "permission_denied": (403, _("You may not do this.")),
    "not_found": (404, _("Not found.")),
    "method_not_allowed": (405, _("This method is not allowed here.")),
    "not_acceptable": (406, _("No answer in a media type the request accepts.")),
    "stale_version": (409, _("The update changed since you read it.")),
    "update_conflict": (409, _("The update's state does not allow this now.")),
    "idempotency_request_running": (409, _("A request with this Idempotency-Key is running.")),
    "request_too_large": (413, _("The request is too large.")),
    "unsupported_media_type": (415, _("The body's media type is not accepted.")),
    "idempotency_key_reused": (422, _("This Idempotency-Key was used for another request.")),
    "import_rejected": (422, _("The import was refused; nothing was stored.")),
    "throttled": (429, _("Too many requests.")),
    "server_error": (500, _("A server error occurred.")),
}
BY_STATUS = {
    400: "invalid_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "update_conflict",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "idempotency_key_reused",
    429: "throttled",
    500: "server_error",
}


def wants_problems(request: HttpRequest) -> bool:
    return PROBLEM_JSON in request.headers.get("Accept", "")


def _messages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    if isinstance(value, dict):
        return [f"{key}: {m}" for key, item in value.items() for m in _messages(item)]
    return [str(value)]


def _field_errors(body: dict[str, Any], codes: dict[str, Any]) -> dict[str, list[dict]]:
    errors = {}
    for field, value in body.items():
        messages = _messages(value)
        field_codes = codes.get(field)
        flat = _messages(field_codes) if field_codes is not None else []
        errors[field] = [
            {"code": flat[index] if index < len(flat) else "invalid", "message": message}
            for index, message in enumerate(messages)
        ]
    return errors


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The error answer `response` rewritten as problem details."""
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {"non_field_errors": body}
    code = getattr(response, PROBLEM_CODE, None) or BY_STATUS.get(response.status_code)
    if code is None:
        code = "server_error" if response.status_code >= 500 else "invalid_request"
    _status, title = PROBLEMS[code]
    problem: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "code": code,
        "title": str(title),
        "status": response.status_code,
        "instance": request.path,
    }
    detail = body.pop("detail", None)
    extra = {key: body.pop(key) for key in ("version", "problems") if key in body}
    if body:
        problem["errors"] = _field_errors(body, getattr(response, FIELD_CODES, None) or {})
        detail = detail or " ".join(
            f"{field}: {error['message']}"
            for field, errors in problem["errors"].items()
            for error in errors
        )
    problem["detail"] = str(detail) if detail is not None else problem["title"]
    problem.update(extra)
    rewritten = HttpResponse(
        json.dumps(problem, ensure_ascii=False),
        status=response.status_code,
        content_type=PROBLEM_JSON,
    )
    for header, value in response.items():
        if header.lower() not in ("content-type", "content-length"):
            rewritten[header] = value
    return rewritten


class ProblemDetailsMiddleware:
    """Rewrites API errors as problem details for the clients that ask for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.streaming
            and response.get("Content-Type", "").startswith("application/json")
            and wants_problems(request)
        ):
            return as_problem(request, response)
        return response


class ProblemAwareNegotiation(DefaultContentNegotiation):
    """A client that accepts problem details for its errors gets JSON for its answers, rather
    than 406."""

    def get_accept_list(self, request: Request) -> list[str]:
        accepted = super().get_accept_list(request)
        if any(item.split(";")[0].strip() == PROBLEM_JSON for item in accepted):
            accepted = [*accepted, "application/json"]
        return accepted
