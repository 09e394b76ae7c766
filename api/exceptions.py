"""Refusals from the services, in the API's terms: 400 with field messages for what was sent,
409 when the update's state stands in the way (a stale version, its status, a locked period)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from indicators.services import Conflict, StaleUpdate


def handler(exc, context):
    if isinstance(exc, StaleUpdate):
        return Response(
            {
                "detail": _("The update changed since you read it: fetch it again and resend."),
                "version": exc.current.version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Conflict):
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {
                field: [str(m) for m in messages] for field, messages in exc.message_dict.items()
            }
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
