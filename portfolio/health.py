"""Health endpoints for the proxy, compose and whoever runs the portal.

`/healthz` says whether this process and its database answer: what compose waits on before
starting the proxy, and what a load balancer asks. `/healthz/ready` adds what background work
needs: Redis and at least one Celery worker serving the queue (where REDIS_URL is set; without
it tasks run in the web process and there is nothing more to ask).

Both are answered by the first middleware, before Django checks the Host header against
ALLOWED_HOSTS: a health check calls the application server by its own address (127.0.0.1, a
container name), never by the public domain the settings allow, and must not get a 400 for it.
Nothing else is answered there, and the answers carry no data of anyone's."""

import datetime
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from health_check.checks import Database
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

LIVE_PATH = "/healthz"
READY_PATH = "/healthz/ready"


class Health(HealthCheckView):
    """django-health-check's view, answering JSON (or text/plain when asked) but never its
    HTML page, which would run the site's templates for a request that skipped the site's
    middleware."""

    def render_to_response(self, context: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response_json(kwargs.get("status", 200))


class Workers(Ping):
    """A worker answers a ping and serves the task queue; named by the queue, not the app."""

    def __repr__(self) -> str:
        return f"Workers(queue={self.app.conf.task_default_queue!r})"


def ready_checks() -> list[Any]:
    checks: list[Any] = [Database]
    if settings.REDIS_URL:
        url = settings.REDIS_URL
        checks += [
            (Redis, {"client_factory": lambda: RedisClient.from_url(url)}),
            (Workers, {"timeout": datetime.timedelta(seconds=2)}),
        ]
    return checks


def _views() -> dict[str, Callable[..., Any]]:
    return {
        LIVE_PATH: async_to_sync(Health.as_view(checks=[Database])),
        READY_PATH: async_to_sync(Health.as_view(checks=ready_checks())),
    }


class HealthMiddleware:
    """Answer the two health paths before anything else runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views = _views()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.views.get(request.path_info.rstrip("/") or "/")
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
