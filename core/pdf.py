"""What every PDF the portal draws shares: WeasyPrint reads the portal's own static files from
disk and nothing else."""

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


def static_fetcher(base: str) -> Any:
    """A fetcher that gives WeasyPrint the portal's own static files, read from disk, and
    refuses every other address: rendering a report never makes a network request."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    static = base.rstrip("/") + "/" + settings.STATIC_URL.strip("/") + "/"

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(static):
                name = url[len(static) :].split("?")[0]
                path = finders.find(name)
                if path:
                    with open(path, "rb") as stream:
                        return URLFetcherResponse(url, stream.read(), {"Content-Type": "text/css"})
                if staticfiles_storage.exists(name):
                    with staticfiles_storage.open(name) as stream:
                        return URLFetcherResponse(url, stream.read(), {"Content-Type": "text/css"})
            raise URLFetchingError(f"Not fetched: {url}")

    return StaticFetcher()
