from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app uses; installed for its management commands (beat_health)."""

    name = "core"
