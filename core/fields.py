"""Model fields every app declares alike."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def person_field(verbose_name: "StrOrPromise", *, blank: bool = False) -> Any:
    """Who did something (created, loaded, linked, confirmed, reviewed): emptied, not deleted
    with the record, when that person's account goes; never followed back from the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
    )
