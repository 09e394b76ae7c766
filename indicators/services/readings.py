"""Approved readings, reduced in the database to the few that decide the figures.

Loading every approved update into Python costs time in proportion to the whole history. The
figures need much less: for a `sum` indicator, the sums per reporting organisation and per
stretch of time (inside a reporting period, or in the gap before it); for a `latest` indicator
or a milestone, the most recent update of each organisation in each of those stretches. Grouped
queries hand over exactly that, as `progress.Reading`s, and the pure progress module evaluates
them as it would every update:

- a `sum` reading carries the summed value, numerator and denominator of its stretch, the
  newest as-of date in it (so it falls in the same period as the updates it stands for) and how
  many updates it stands for;
- the values of a `sum` indicator in each category are summed per organisation and stretch,
  and carried by that stretch's reading, so that a period's figure by category adds up as the
  overall one does;
- a `latest` reading is a real update, with its category values.

A project's periods do not overlap (the services refuse it), so each update falls in exactly
one stretch: after the end of the period before and up to the end of its own period, or after
the last period.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from indicators import progress
from indicators.models import (
    Category,
    Dimension,
    Indicator,
    IndicatorDimension,
    Period,
    ProgressUpdate,
    UpdateValue,
)

QUANTUM = Decimal("0.0001")  # the places of every stored quantity


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _decimal(value: Any) -> Decimal | None:
    # PostgreSQL returns numerics as Decimal; SQLite stores them as integers or floats.
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(QUANTUM)


def _date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _datetime(value: Any) -> datetime | None:
    # SQLite hands back text, in UTC.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _in(ids: Sequence[int]) -> str:
    return "(" + ", ".join(["%s"] * len(ids)) + ")"


def _stretches(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """The FROM clause both queries share, with its parameters: approved updates of these
    indicators, each with the period whose stretch it falls in (NULL after the last period).

    The periods are listed per indicator, so that each update meets only its own project's
    periods, without a join through the table of every indicator."""
    q = connection.ops.quote_name
    sql = f"""
        {_table(ProgressUpdate)} u
        LEFT JOIN (
            SELECT i.id AS indicator_id, p.id, p.{q("start")} AS starts, p.{q("end")} AS ends,
                   LAG(p.{q("end")}) OVER (
                       PARTITION BY i.id ORDER BY p.{q("start")}
                   ) AS previous_end
            FROM {_table(Indicator)} i
            JOIN {_table(Period)} p ON p.project_id = i.project_id
            WHERE i.id IN {_in(ids)}
        ) b ON b.indicator_id = u.indicator_id AND u.as_of <= b.ends
            AND (b.previous_end IS NULL OR u.as_of > b.previous_end)
        WHERE u.status = %s AND u.indicator_id IN {_in(ids)}
    """
    return sql, [*ids, ProgressUpdate.Status.APPROVED, *ids]


# Whether an update lies inside its stretch's period rather than in the gap before it.
INSIDE = "CASE WHEN u.as_of >= b.starts THEN 1 ELSE 0 END"


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _summed(ids: Sequence[int], with_parts: Sequence[int]) -> dict[int, list[progress.Reading]]:
    """Each stretch's sums, and its sums by category for the indicators in `with_parts`, in
    one statement: the stretches are worked out once and read twice.

    Only values in a category of the indicator's own dimensions count. On PostgreSQL each
    update's values are read through the (update, category) index, once per update, so the
    cost follows the indicators' own updates: a plain join lets the planner hash far more of
    the values table than these updates hold. SQLite has no LATERAL, and its join walks the
    same index anyway. Values are read only for indicators with a dimension, once per update
    however many dimensions it has, summed per category, and only the sums (a few per
    stretch) are then named and checked against the indicator's dimensions.
    """
    stretches, params = _stretches(ids)
    stretch = "s.indicator_id, s.organisation_id, s.period, s.inside"
    values = _table(UpdateValue)
    if connection.vendor == "postgresql":
        # OFFSET 0 keeps the subquery as written, rather than flattened into a join.
        each_value = (
            f"CROSS JOIN LATERAL (SELECT v.category_id, v.value FROM {values} v "
            "WHERE v.update_id = s.id OFFSET 0) v"
        )
    else:
        each_value = f"JOIN {values} v ON v.update_id = s.id"
    by_category = ""
    uses = f"{_table(IndicatorDimension)} uses"
    if with_parts:
        by_category = f"""
        UNION ALL
        SELECT g.indicator_id, g.organisation_id, g.period, g.inside, NULL, g.total,
               NULL, NULL, NULL, NULL, d.slug, c.slug
        FROM (
            SELECT {stretch}, v.category_id, SUM(v.value) AS total
            FROM s
            {each_value}
            WHERE s.indicator_id IN {_in(with_parts)} AND EXISTS (
                SELECT 1 FROM {uses} WHERE uses.indicator_id = s.indicator_id
            )
            GROUP BY {stretch}, v.category_id
        ) g
        JOIN {_table(Category)} c ON c.id = g.category_id
        JOIN {uses} ON uses.indicator_id = g.indicator_id AND uses.dimension_id = c.dimension_id
        JOIN {_table(Dimension)} d ON d.id = c.dimension_id
        """
    rows = _fetch(
        f"""
        WITH s AS (
            SELECT u.id, u.indicator_id, u.organisation_id, b.id AS period, {INSIDE} AS inside,
                   u.value, u.numerator, u.denominator, u.as_of
            FROM {stretches}
        )
        SELECT {stretch}, COUNT(*), SUM(s.value), COUNT(s.numerator), SUM(s.numerator),
               SUM(s.denominator), MAX(s.as_of), NULL, NULL
        FROM s
        GROUP BY {stretch}
        {by_category}
        """,
        [*params, *with_parts],
    )
    totals = []
    parts: dict[tuple[Any, ...], dict[progress.CategoryKey, Decimal]] = defaultdict(dict)
    for row in rows:
        key, dimension, category = row[:4], row[10], row[11]
        if dimension is None:
            totals.append(row)
        elif row[5] is not None:  # no update of the stretch gave a value for the category
            parts[key][(dimension, category)] = _decimal(row[5]) or Decimal(0)
    readings: dict[int, list[progress.Reading]] = defaultdict(list)
    for (
        indicator_id,
        source,
        period,
        inside,
        updates,
        value,
        numerators,
        numerator,
        denominator,
        newest,
        _dimension,
        _category,
    ) in sorted(totals, key=lambda row: (row[0], row[1] or 0, row[9])):
        readings[indicator_id].append(
            progress.Reading(
                as_of=_date(newest),
                value=_decimal(value),
                # A sum of percentages needs a fraction on every update; leaving the
                # numerator out when one lacks it keeps the arithmetic's own refusal.
                numerator=_decimal(numerator) if numerators == updates else None,
                denominator=_decimal(denominator),
                source=source,
                parts=parts.pop((indicator_id, source, period, inside), {}),
                updates=updates,
            )
        )
    return readings


def _latest(ids: Sequence[int]) -> dict[int, list[progress.Reading]]:
    """The newest update of each organisation in each stretch, with its values by category
    (one row per value), in one statement.

    The stretches are grouped first (how many updates, the newest as-of date), and only the
    updates of that date are read again, through the index on (indicator, as-of date), to
    break ties: ordering every update of a stretch would sort the whole history."""
    stretches, params = _stretches(ids)
    newest_first = "COALESCE(u.reviewed_at, u.submitted_at) DESC NULLS LAST, u.id DESC"
    rows = _fetch(
        f"""
        WITH g AS (
            SELECT u.indicator_id, u.organisation_id, b.id AS period, {INSIDE} AS inside,
                   COUNT(*) AS updates, MAX(u.as_of) AS newest
            FROM {stretches}
            GROUP BY u.indicator_id, u.organisation_id, b.id, {INSIDE}
        ), r AS (
            SELECT u.id, u.indicator_id, u.organisation_id, u.as_of, u.value, u.numerator,
                   u.denominator, COALESCE(u.reviewed_at, u.submitted_at) AS recorded_at,
                   g.updates,
                   ROW_NUMBER() OVER (
                       PARTITION BY g.indicator_id, g.organisation_id, g.period, g.inside
                       ORDER BY {newest_first}
                   ) AS position
            FROM g
            JOIN {_table(ProgressUpdate)} u
                ON u.indicator_id = g.indicator_id AND u.as_of = g.newest
                AND u.status = %s AND u.organisation_id IS NOT DISTINCT FROM g.organisation_id
        )
        SELECT r.id, r.indicator_id, r.organisation_id, r.as_of, r.value, r.numerator,
               r.denominator, r.recorded_at, r.updates, d.slug, c.slug, v.value
        FROM r
        LEFT JOIN {_table(UpdateValue)} v ON v.update_id = r.id
        LEFT JOIN {_table(Category)} c ON c.id = v.category_id
        LEFT JOIN {_table(Dimension)} d ON d.id = c.dimension_id
        WHERE r.position = 1
        ORDER BY r.indicator_id, r.id
        """,
        [*params, ProgressUpdate.Status.APPROVED],
    )
    parts: dict[int, dict[progress.CategoryKey, Decimal]] = defaultdict(dict)
    newest: dict[int, tuple] = {}
    for row in rows:
        newest.setdefault(row[0], row[:9])
        if row[9] is not None:
            parts[row[0]][(row[9], row[10])] = _decimal(row[11]) or Decimal(0)
    readings: dict[int, list[progress.Reading]] = defaultdict(list)
    for (
        pk,
        indicator_id,
        source,
        as_of,
        value,
        numerator,
        denominator,
        recorded,
        updates,
    ) in newest.values():
        readings[indicator_id].append(
            progress.Reading(
                as_of=_date(as_of),
                value=_decimal(value),
                numerator=_decimal(numerator),
                denominator=_decimal(denominator),
                recorded_at=_datetime(recorded),
                sequence=pk,
                source=source,
                parts=parts.get(pk, {}),
                updates=updates,
            )
        )
    return readings


def approved_readings(
    indicators: Sequence[Indicator], *, with_parts: set[int]
) -> dict[int, list[progress.Reading]]:
    """Indicator id → the reduced approved readings that give its figures. Category values are
    read for the indicators in `with_parts` only: those reported by category."""
    summed = [
        i.pk
        for i in indicators
        if i.aggregation == Indicator.Aggregation.SUM and i.measure != Indicator.Measure.MILESTONE
    ]
    set_of_summed = set(summed)
    newest = [i.pk for i in indicators if i.pk not in set_of_summed]
    readings: dict[int, list[progress.Reading]] = {}
    if summed:
        readings.update(_summed(summed, [pk for pk in summed if pk in with_parts]))
    if newest:
        readings.update(_latest(newest))
    return readings
