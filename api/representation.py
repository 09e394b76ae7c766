"""How API v1 writes values: date-times in UTC, decimals with their field's places, dates and
translations; shared by the serializers of every kind."""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from rest_framework import serializers

from core.moments import utc_iso


class UtcDateTimeField(serializers.DateTimeField):
    """A date-time written in UTC with "Z" (2026-12-06T09:30:00Z), whatever the portal's own
    time zone; one read without a zone is UTC too."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)


# Every model date-time of every serializer of the API.
serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = UtcDateTimeField


def number(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def translations_field() -> serializers.DictField:
    """{language: {field: text}}: the texts in the other interface languages."""
    return serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        read_only=True,
        help_text="The translated texts by language code (en, es, fr) and field; a field "
        "without a translation in a language is left out.",
    )


def places(
    value: Decimal | None,
    model: type[models.Model] | None = None,
    name: str = "",
    places: int | None = None,
) -> Decimal | None:
    """A decimal with the places its field declares, as DRF's DecimalField writes it."""
    if value is None:
        return None
    if places is None:
        assert model is not None
        field: Any = model._meta.get_field(name)
        places = field.decimal_places
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


def translations(texts: dict | None) -> dict[str, dict[str, str]]:
    return {
        language: {name: str(text) for name, text in fields.items()}
        for language, fields in (texts or {}).items()
    }


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


STORED_PLACES = Decimal("0.0001")


def stored_quantity(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)


def moment(value: datetime | None) -> str | None:
    """As every date-time the API writes: ISO 8601 in UTC, with "Z"."""
    if value is None:
        return None
    return utc_iso(value)


def snapshot_of(owner: models.Model) -> Any:
    """The snapshot read with its indicator or project, or None where none is computed yet (a
    missing one-to-one row is an AttributeError too)."""
    return getattr(owner, "snapshot", None)
