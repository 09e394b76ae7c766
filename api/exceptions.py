"""Refusals from the services, in the API's terms: 400 with field messages for what was sent,
409 when the update's state stands in the way (a stale version, its status, a locked period)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from indicators.services import Conflict, StaleUpdate

from .problems import FIELD_CODES, PROBLEM_CODE

# DRF's codes for its own refusals, as the problem codes of api/problems.py.
DRF_CODES = {
    "authentication_failed": "not_authenticated",
    "not_authenticated": "not_authenticated",
    "permission_denied": "permission_denied",
    "not_found": "not_found",
    "method_not_allowed": "method_not_allowed",
    "not_acceptable": "not_acceptable",
    "unsupported_media_type": "unsupported_media_type",
    "throttled": "throttled",
    "parse_error": "invalid_request",
    "invalid": "invalid_request",
}


def _coded(response: Response, code: str, fields: dict | None = None) -> Response:
    setattr(response, PROBLEM_CODE, code)
    if fields is not None:
        setattr(response, FIELD_CODES, fields)
    return response


def _codes_of(error: DjangoValidationError) -> list[str]:
    return [item.code or "invalid" for item in error.error_list]


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleUpdate):
        response = Response(
            {
                "detail": _("The update changed since you read it: fetch it again and resend."),
                "version": exc.current.version,
            },
            status=status.HTTP_409_CONFLICT,
        )
        return _coded(response, "stale_version")
    if isinstance(exc, Conflict):
        response = Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return _coded(response, "update_conflict")
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {
                field: [str(m) for m in messages] for field, messages in exc.message_dict.items()
            }
            codes = {
                field: [code for error in errors for code in _codes_of(error)]
                for field, errors in exc.error_dict.items()
            }
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
            codes = {"non_field_errors": _codes_of(exc)}
        return _coded(Response(body, status=status.HTTP_400_BAD_REQUEST), "invalid_request", codes)
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException):
        codes = exc.get_codes()
        if isinstance(exc, ValidationError):
            fields = codes if isinstance(codes, dict) else {"non_field_errors": codes}
            return _coded(response, "invalid_request", fields)
        if isinstance(codes, str) and codes in DRF_CODES:
            return _coded(response, DRF_CODES[codes])
    return response
