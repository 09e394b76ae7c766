"""Geometry of the dashboards' server-rendered SVG charts. Pure: numbers in, shapes out.

Charts draw in a 0–100 wide coordinate space that the SVG scales to the page, so they print and
need no script. Every chart also gets a sentence for screen readers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

STATUS_ORDER = ("achieved", "on_track", "at_risk", "off_track", "not_started")


def _number(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _clamp(value: Decimal, high: Decimal = Decimal(100)) -> float:
    return float(max(Decimal(0), min(high, value)))


@dataclass(frozen=True)
class Bar:
    fill: float  # 0–100
    marker: float | None  # where it should be, 0–100
    label: str


def progress_bar(percent: Decimal | None, expected: Decimal | None, label: str) -> Bar:
    return Bar(
        fill=_clamp(percent) if percent is not None else 0.0,
        marker=_clamp(expected) if expected is not None else None,
        label=label,
    )


@dataclass(frozen=True)
class Segment:
    status: str
    x: float
    width: float
    count: int


def status_segments(counts: dict[str, int]) -> list[Segment]:
    """A stacked bar of indicators by status."""
    total = sum(counts.get(status, 0) for status in STATUS_ORDER)
    segments, x = [], 0.0
    for status in STATUS_ORDER:
        count = counts.get(status, 0)
        if count and total:
            width = 100.0 * count / total
            segments.append(Segment(status=status, x=x, width=width, count=count))
            x += width
    return segments


@dataclass(frozen=True)
class CategoryBar:
    name: str
    share: float | None  # achieved share, 0–100
    target: float | None  # target share, 0–100
    met: bool | None
    achieved_value: Decimal | None
    target_value: Decimal | None


def category_bars(
    rows: list[dict], name_of: Callable[[dict], str] = itemgetter("category_name")
) -> list[CategoryBar]:
    """Each category's achieved share against its target share ("women 62.5 % vs 60 %"),
    named by `name_of` (the reader's language)."""
    bars = []
    for row in rows:
        share = _number(row.get("achieved_share"))
        target = _number(row.get("target_share"))
        bars.append(
            CategoryBar(
                name=name_of(row),
                share=_clamp(share * 100) if share is not None else None,
                target=_clamp(target * 100) if target is not None else None,
                met=row.get("met"),
                achieved_value=_number(row.get("achieved_value")),
                target_value=_number(row.get("target_value")),
            )
        )
    return bars


@dataclass(frozen=True)
class PeriodColumn:
    name: str
    x: float
    width: float
    height: float  # achieved in the period, 0–100 of the chart's scale
    y: float  # the column's top (SVG's y grows downwards)
    achieved: Decimal | None
    cumulative: Decimal | None
    target: Decimal | None
    target_y: float | None


@dataclass(frozen=True)
class PeriodChart:
    columns: list[PeriodColumn]
    cumulative_points: str  # an SVG polyline's points
    scale: Decimal  # the value at the top of the chart


def period_chart(periods: list[dict], total_target: Decimal | None) -> PeriodChart | None:
    """Columns of what was achieved in each period and a line of the cumulative figure."""
    if not periods:
        return None
    achieved = [_number(p.get("achieved_value")) for p in periods]
    cumulative = [_number(p.get("cumulative_value")) for p in periods]
    targets = [_number(p.get("target_value")) for p in periods]
    scale = max(
        [v for v in (*achieved, *cumulative, *targets, total_target) if v is not None],
        default=Decimal(0),
    )
    if scale <= 0:
        scale = Decimal(1)
    width = 100.0 / len(periods)
    columns, points = [], []
    for index, period in enumerate(periods):
        x = index * width
        value, running, target = achieved[index], cumulative[index], targets[index]
        height = _clamp(value / scale * 100) if value is not None else 0.0
        columns.append(
            PeriodColumn(
                name=period["name"],
                x=x + width * 0.15,
                width=width * 0.7,
                height=height,
                y=100 - height,
                achieved=value,
                cumulative=running,
                target=target,
                target_y=100 - _clamp(target / scale * 100) if target is not None else None,
            )
        )
        if running is not None:
            points.append(f"{x + width / 2:.2f},{100 - _clamp(running / scale * 100):.2f}")
    return PeriodChart(columns=columns, cumulative_points=" ".join(points), scale=scale)
