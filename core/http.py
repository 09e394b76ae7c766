"""Small things every app's views need from a request."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest) -> str:
    """Where to go back to after a form, if it is an address of this site; else empty."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def act(request: HttpRequest, action: Callable[[], object], done: str | Callable[[], str]) -> bool:
    """Run a one-button action through its service and say how it went on the next page: `done`
    (worded after the action, when it is a function), or the service's refusal."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done() if callable(done) else done)
    return True
