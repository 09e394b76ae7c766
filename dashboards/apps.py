import ctypes.util
from typing import Any

from django.apps import AppConfig
from django.core import checks


class DashboardsConfig(AppConfig):
    name = "dashboards"
    # The label these pages had when they lived in the project package: the exports' table, its
    # migration history, content types and existing backups stay as they are.
    label = "portfolio"

    def ready(self) -> None:
        checks.register(pdf_renderer_check)


def pdf_renderer_available() -> bool:
    """WeasyPrint draws text with Pango, a system library that may be missing."""
    return ctypes.util.find_library("pango-1.0") is not None


def pdf_renderer_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Say at start-up when reports cannot be made into PDF files; everything else works."""
    if pdf_renderer_available():
        return []
    return [
        checks.Info(
            "PDF reports are off: the Pango library is not installed. The printable report "
            "still works in the browser.",
            hint="On Debian or Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0",
            id="portfolio.I001",
        )
    ]
