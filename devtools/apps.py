from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The demo portfolio, synthetic portfolios and the benchmark: installed in development and
    tests, and in production only where DEVTOOLS is set (a demonstration site)."""

    name = "devtools"
