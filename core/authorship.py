"""Who makes a change, for the history every audited model keeps (django-simple-history)."""

from typing import Any

from django.db import models


def set_author(instance: models.Model, by: Any) -> None:
    """Name the person (or None, for loaded data) behind the instance's next save, so that its
    history records who changed it. Services call this before every save of an audited model."""
    # simple-history reads this attribute when it writes the historical row.
    instance._history_user = by  # type: ignore[attr-defined]
