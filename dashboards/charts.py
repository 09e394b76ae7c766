"""Geometry of the dashboards' server-rendered SVG charts. Pure: numbers in, shapes out.

Charts draw in a 0–100 wide coordinate space that the SVG scales to the page, so they print and
need no script. Every chart also gets a sentence for screen readers.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any

from indicators import progress, wording

STATUS_ORDER = progress.STATUS_ORDER


def _number(value: Any) -> Decimal | None:
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
    """One category against its target, compared the way the target is set.

    A share target ("60 % women") compares shares: the bar is the achieved share with a marker
    at the target share. A count target ("4 from La Victoria") compares counts: the bar is the
    achieved count as a part of the target, full when it is reached.
    """

    name: str
    is_share_target: bool
    standing: str  # "50 of 96, 46 to go — share 62.5 %, on course for 60 %"
    fill: float  # 0–100
    marker: float | None  # the target on the same scale, 0–100
    met: bool | None  # None: nothing reported yet, or no target to meet
    achieved_value: Decimal | None
    target_value: Decimal | None
    achieved_share: Decimal | None  # in percent
    target_share: Decimal | None  # in percent


def _percent(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else (fraction * 100).quantize(Decimal("0.1"))


def category_bars(
    rows: list[dict], name_of: Callable[[dict], str] = itemgetter("category_name")
) -> list[CategoryBar]:
    """Each category's bar, named by `name_of` (the reader's language)."""
    bars = []
    for row in rows:
        is_share = bool(row.get("is_share_target"))
        achieved, target = _number(row.get("achieved_value")), _number(row.get("target_value"))
        share = _percent(_number(row.get("achieved_share")))
        target_share = _percent(_number(row.get("target_share")))
        if is_share:
            fill = _clamp(share) if share is not None else 0.0
            marker = _clamp(target_share) if target_share is not None else None
        else:
            fill = _clamp(achieved / target * 100) if achieved is not None and target else 0.0
            marker = 100.0 if target else None
        bars.append(
            CategoryBar(
                name=name_of(row),
                is_share_target=is_share,
                standing=wording.of_snapshot(row),
                fill=fill,
                marker=marker,
                met=row.get("met"),
                achieved_value=achieved,
                target_value=target,
                achieved_share=share,
                target_share=target_share,
            )
        )
    return bars


# The period chart's drawing box, in the units of its viewBox. The SVG keeps its proportions
# when it scales, so its text stays legible; the plot leaves room for the axes' labels.
WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 8, 30
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MOST_LABELS = 8  # period labels drawn under the axis; with more periods every n-th is
# The size of the chart's text in its own units, set on the SVG for print (WeasyPrint draws
# the SVG with no page CSS): small beside the 10.5 pt body once the chart is scaled to the
# page. Screens draw it at 9 px (CSS), so labels are given room for that size: about 0.6 of
# it per character.
FONT_SIZE = 7
SCREEN_FONT_SIZE = 9
CHARACTER_WIDTH = 0.6 * SCREEN_FONT_SIZE
LABEL_GAP = 4  # between two labels drawn side by side


@dataclass(frozen=True)
class Tick:
    y: float
    value: Decimal


@dataclass(frozen=True)
class PeriodColumn:
    name: str
    x: float
    width: float
    y: float  # the column's top (SVG's y grows downwards)
    height: float
    right: float  # x + width, where its period target's line ends
    label_x: float  # the middle of its stretch, where its label sits
    labelled: bool  # whether its name is drawn under the axis (all are in the table)
    achieved: Decimal | None
    cumulative: Decimal | None
    target: Decimal | None
    target_y: float | None


@dataclass(frozen=True)
class PeriodChart:
    columns: list[PeriodColumn]
    cumulative_points: str  # an SVG polyline's points
    ticks: list[Tick]  # the value axis, from 0 up
    target: Decimal | None  # the indicator's whole target, drawn across the chart
    target_y: float | None
    scale: Decimal  # the value at the top of the value axis
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 14
    font_size: int = FONT_SIZE

    @property
    def has_period_targets(self) -> bool:
        return any(column.target_y is not None for column in self.columns)


def _not_begun(period: dict, today: date | None) -> bool:
    start = period.get("start")
    return today is not None and bool(start) and date.fromisoformat(str(start)) > today


@dataclass(frozen=True)
class MilestonePeriod:
    name: str
    done: bool | None  # None: the period has not begun


def milestone_periods(periods: list[dict], *, today: date) -> list[MilestonePeriod]:
    """A milestone is done or not: by the end of each period begun, was it? (No axis of
    0, 0.5 and 1 for it.)"""
    return [
        MilestonePeriod(
            name=period["name"],
            done=None
            if _not_begun(period, today)
            else (_number(period.get("cumulative_value")) or Decimal(0)) >= 1,
        )
        for period in periods
    ]


def nice_step(largest: Decimal, steps: int = 4) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) that covers `largest` in about `steps`."""
    if largest <= 0:
        return Decimal(1)
    rough = largest / steps
    power = Decimal(10) ** (rough.adjusted())
    for multiple in (1, 2, 5, 10):
        step = power * multiple
        if step >= rough:
            return step
    return power * 10  # pragma: no cover (the loop ends at ten times the power)


def period_chart(
    periods: list[dict], total_target: Decimal | None, *, today: date | None = None
) -> PeriodChart | None:
    """Columns of what was achieved in each period, a line of the cumulative figure, each
    period's target over its column, the whole target across the chart, and a value axis.
    A period that has not begun by `today` has no figure to date yet: blank, not a repeat."""
    if not periods:
        return None
    achieved = [_number(p.get("achieved_value")) for p in periods]
    cumulative = [
        None if _not_begun(p, today) else _number(p.get("cumulative_value")) for p in periods
    ]
    targets = [_number(p.get("target_value")) for p in periods]
    largest = max(
        [v for v in (*achieved, *cumulative, *targets, total_target) if v is not None],
        default=Decimal(0),
    )
    step = nice_step(largest)
    count = max(1, math.ceil(largest / step))
    scale = step * count

    def y_of(value: Decimal) -> float:
        return TOP + PLOT_HEIGHT - _clamp(value / scale * PLOT_HEIGHT, Decimal(PLOT_HEIGHT))

    stretch = PLOT_WIDTH / len(periods)
    # Every n-th label, so that the drawn ones fit side by side ("Primer semestre 2025" takes
    # more room than "S1 2025") and there are never more than MOST_LABELS.
    widest = max(len(str(period["name"])) for period in periods) * CHARACTER_WIDTH + LABEL_GAP
    every = max(-(-len(periods) // MOST_LABELS), math.ceil(widest / stretch))
    columns, points = [], []
    for index, period in enumerate(periods):
        x = LEFT + index * stretch
        value, running, target = achieved[index], cumulative[index], targets[index]
        top = y_of(value) if value is not None else float(TOP + PLOT_HEIGHT)
        columns.append(
            PeriodColumn(
                name=period["name"],
                x=x + stretch * 0.15,
                width=stretch * 0.7,
                y=top,
                height=TOP + PLOT_HEIGHT - top,
                right=x + stretch * 0.85,
                label_x=x + stretch / 2,
                labelled=index % every == 0,
                achieved=value,
                cumulative=running,
                target=target,
                target_y=y_of(target) if target is not None else None,
            )
        )
        if running is not None:
            points.append(f"{x + stretch / 2:.2f},{y_of(running):.2f}")
    ticks = [Tick(y=y_of(step * n), value=step * n) for n in range(count + 1)]
    return PeriodChart(
        columns=columns,
        cumulative_points=" ".join(points),
        ticks=ticks,
        target=total_target,
        target_y=y_of(total_target) if total_target is not None else None,
        scale=scale,
    )
