"""Many rows written in one statement, without preparing every value through the ORM.

`bulk_create` prepares each value of each object through the field's chain of methods; for
thousands of snapshot rows that costs more than the database takes to write them. Here each
column's adapter is chosen once (the backend's own adapters, as the fields would call them;
JSON encoded as text) and the rows go in as one INSERT … ON CONFLICT per batch the backend
accepts.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

PARAMETERS_PER_STATEMENT = 65_535  # PostgreSQL's limit on the parameters of one statement


def _adapter(field: Field) -> Callable[[Any], Any]:
    operations = connection.ops
    kind = field.get_internal_type()
    if kind == "JSONField":
        # As text, which the database reads into the column's JSON type: the driver's JSON
        # adapter costs more per value than the encoding itself.
        encoder = getattr(field, "encoder", None)
        return lambda value: json.dumps(value, cls=encoder)
    if kind == "DateTimeField":
        return operations.adapt_datetimefield_value
    if kind == "DateField":
        return operations.adapt_datefield_value
    if kind == "DecimalField":
        digits, places = getattr(field, "max_digits", None), getattr(field, "decimal_places", None)
        return lambda value: (
            None if value is None else operations.adapt_decimalfield_value(value, digits, places)
        )
    return lambda value: value


def _concrete(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column, f"{name} is no column of {model}"
    return field


def upsert(
    model: type[Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    unique: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert these rows (field name → value; a foreign key by its id), or where a row with the
    same `unique` fields exists, set its `update` fields to the new values."""
    if not rows:
        return
    names = list(rows[0])
    fields = [_concrete(model, name) for name in names]
    adapters = [_adapter(field) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ", ".join(quote(_concrete(model, name).column) for name in unique)
    changes = ", ".join(
        f"{quote(column)} = EXCLUDED.{quote(column)}"
        for column in (_concrete(model, name).column for name in update)
    )
    limit = connection.features.max_query_params or PARAMETERS_PER_STATEMENT
    per_statement = max(1, limit // len(names))
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            values: list[Any] = []
            for row in batch:
                values.extend(adapt(row[name]) for adapt, name in zip(adapters, names, strict=True))
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([placeholders] * len(batch))} "
                f"ON CONFLICT ({conflict}) DO "
                + (f"UPDATE SET {changes}" if changes else "NOTHING"),
                values,
            )
