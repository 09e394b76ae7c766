"""The rate each token (and each signed-in person) may call the API at, and the RateLimit
headers that tell a client where it stands (IETF draft "RateLimit header fields for HTTP")."""

from collections.abc import Callable
from math import ceil
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from rest_framework.throttling import UserRateThrottle

POLICY = "default"
STANDING = "api_rate_standing"  # (quota, window, remaining, reset), on the Django request


class TokenRateThrottle(UserRateThrottle):
    """DRF's per-user throttle (each token acts as its own user), remembering what is left of
    the quota for the headers."""

    def allow_request(self, request: Request, view: Any) -> bool:
        allowed = super().allow_request(request, view)
        if self.rate is None:
            return allowed
        remaining = max(self.num_requests - len(self.history), 0)
        # The window slides: the quota grows again when the oldest request counted leaves it.
        reset = self.duration - (self.now - self.history[-1]) if self.history else 0
        standing = (self.num_requests, self.duration, remaining, max(ceil(reset), 0))
        setattr(request._request, STANDING, standing)
        return allowed


class RateLimitHeadersMiddleware:
    """Writes `RateLimit-Policy` and `RateLimit` on every API answer the throttle counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        standing = getattr(request, STANDING, None)
        if standing is not None:
            quota, window, remaining, reset = standing
            response["RateLimit-Policy"] = f'"{POLICY}";q={quota};w={window}'
            response["RateLimit"] = f'"{POLICY}";r={remaining};t={reset}'
        return response
