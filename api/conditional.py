"""Conditional requests on the API: a strong ETag and a Last-Modified on every answer read
with GET or HEAD, and 304 Not Modified when the client already holds it.

The ETag is the SHA-256 of the body the view wrote, before compression. Django's gzip would
turn it into a weak one, so the inner middleware works it out and the outer one, outside gzip,
writes it: with `-gzip` appended when the body went compressed, as that is another
representation. Last-Modified is when this caller first got this very body at this address:
kept in the cache beside the ETag it belongs to, so that a body that comes back to an earlier
state counts as changed, and one the cache has forgotten counts as changed now (a 200, never a
wrong 304).
"""

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

API_PREFIX = "/api/v1/"
DIGEST = "_api_body_digest"  # of a 200, for the outer middleware to write as its ETag
HELD = "_api_held_etag"  # of a 304: the tag the client holds, written back as it sent it
GZIP_SUFFIX = "-gzip"
REMEMBERED = 60 * 60 * 24 * 30  # seconds the cache keeps when a body was first sent
PASSED_ON = ("Cache-Control", "Content-Location", "Date", "Expires", "Vary")


def _applies(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.path.startswith(API_PREFIX)
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
    )


def _first_sent(request: HttpRequest, digest: str) -> datetime:
    """When this caller was first sent this body at this address (with these preferences)."""
    caller = getattr(request, "user", None)
    place = "|".join(
        [
            str(getattr(caller, "pk", "")),
            request.get_full_path(),
            request.headers.get("Accept", ""),
            request.headers.get("Accept-Language", ""),
        ]
    )
    key = "api-sent:" + hashlib.sha256(place.encode()).hexdigest()
    kept = cache.get(key)
    if kept is not None and kept[0] == digest:
        return kept[1]
    # To the second, as Last-Modified says it; and after the body it replaces, even within the
    # same second, so that a client holding that one sees a change.
    now = timezone.now().replace(microsecond=0)
    if kept is not None and now <= kept[1]:
        now = kept[1] + timedelta(seconds=1)
    cache.set(key, (digest, now), REMEMBERED)
    return now


def _held(request: HttpRequest, digest: str, modified: datetime) -> str | None:
    """The tag of this body the client says it holds (RFC 9110, 13.2.2), or None."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        for tag in parse_etags(if_none_match):
            # Weak comparison, as If-None-Match asks; a compressed form names the same body.
            opaque = tag.removeprefix("W/").strip('"')
            if tag == "*" or opaque.removesuffix(GZIP_SUFFIX) == digest:
                return opaque if opaque.startswith(digest) else digest
        return None
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and int(modified.timestamp()) <= since:
        return digest
    return None


class ConditionalRequestMiddleware:
    """Inside gzip: works out the validators and answers 304 when they match."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _applies(request, response):
            return response
        digest = hashlib.sha256(response.content).hexdigest()[:40]
        modified = _first_sent(request, digest)
        response["Last-Modified"] = http_date(modified.timestamp())
        response.setdefault("Cache-Control", "private, no-cache")
        patch_vary_headers(response, ["Accept-Encoding"])
        held = _held(request, digest, modified)
        if held is not None:
            unchanged = HttpResponseNotModified()
            for header in (*PASSED_ON, "Last-Modified"):
                if header in response:
                    unchanged[header] = response[header]
            for header, value in response.items():
                if header.lower().startswith("ratelimit"):
                    unchanged[header] = value
            setattr(unchanged, HELD, f'"{held}"')
            return unchanged
        setattr(response, DIGEST, digest)
        return response


class StrongETagMiddleware:
    """Outside gzip: writes the ETag the inner middleware worked out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        held = getattr(response, HELD, None)
        if held is not None:
            response["ETag"] = held
        digest = getattr(response, DIGEST, None)
        if digest is not None:
            compressed = response.get("Content-Encoding") == "gzip"
            response["ETag"] = f'"{digest}{GZIP_SUFFIX if compressed else ""}"'
        return response
