"""Until a signed-in person who has two-factor sign-in has given their code, or one whose
organisation requires it has set it up, every page leads to that step (and the API answers
403 to their session). Signing out, the language switch and static files stay open."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import two_factor
from .models import User

OPEN_NAMES = ("logout", "set_language", "javascript-catalog", "service-worker")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or user.is_verified():  # type: ignore[attr-defined]
            return self.get_response(request)
        step = {"code": "two-factor-code", "setup": "two-factor"}.get(two_factor.next_step(user))
        if step is None:
            return self.get_response(request)
        if self._open(request, step):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Give the second factor of your sign-in first.")}, status=403
            )
        if request.method == "GET":  # back to where they were going, once it is done
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return redirect(reverse(step))

    def _open(self, request: HttpRequest, step: str) -> bool:
        match = request.resolver_match
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        return match.url_name in (step, *OPEN_NAMES) or request.path_info.startswith(
            ("/static/", "/i18n/")
        )
