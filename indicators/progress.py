"""Progress arithmetic: how progress updates become achieved figures, percentages and statuses.

Pure functions over plain values: no database, no Django. Everything the portal shows as
"achieved", "% of target", "expected by now" or a status comes from here, so the rules live in
one place and are tested exhaustively (tests/indicators/test_progress.py).

The rules (see DESIGN.md):
- Only approved readings count; a provisional figure also counts submitted ones.
- `sum`: achieved is the sum of the readings. `latest`: the most recent reading by as-of date,
  ties broken by the later approval. Where several member organisations of a network report the
  same `latest` indicator, each reports its own level: the total is the sum of each one's latest.
- Percentages combine by summing numerators and denominators, never by averaging.
- Milestones are done (100 %) or not (0 %).
- Range targets are measured against their minimum and report whether they are within range.
- Decrease indicators measure progress from the baseline towards the target.
- Expected-now is linear from the start (baseline date or project start) to the target date.
- Status bands: on track when achieved is at most 15 points of target below expected, at risk
  within a further 15, off track beyond that.
- Category targets are absolute values or shares of the total; shares achieved are category
  achieved over total achieved. A share target of a total target implies a count (60 % of 160
  is 96): it is met when that count is reached and the share holds, not by the share alone.
- When a dimension's categories are exhaustive the total is the sum of its parts; otherwise the
  parts may not exceed the total.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
ZERO = Decimal(0)
BAND = Decimal(15)  # width of the on-track and at-risk bands, in points of percent of target
PERCENT_PLACES = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")


class Status(StrEnum):
    NOT_STARTED = "not_started"
    REPORTED = "reported"  # figures came in, but there is no target to be on track for
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"


# The statuses as the API names them (its schema's IndicatorStatusEnum).
STATUS_VALUES = tuple(str(status) for status in Status)
# The order pages, charts and files list them in: the best first.
STATUS_ORDER = tuple(
    str(status)
    for status in (
        Status.ACHIEVED,
        Status.ON_TRACK,
        Status.AT_RISK,
        Status.OFF_TRACK,
        Status.REPORTED,
        Status.NOT_STARTED,
    )
)


class Measure(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"
    AMOUNT = "amount"
    MILESTONE = "milestone"
    QUALITATIVE = "qualitative"


class Aggregation(StrEnum):
    SUM = "sum"
    LATEST = "latest"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class TargetKind(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"


COUNTED_STATUSES = frozenset({"approved"})
PROVISIONAL_STATUSES = frozenset({"approved", "submitted"})

CategoryKey = tuple[str, str]  # (dimension slug, category slug)


@dataclass(frozen=True)
class Reading:
    """One progress update as the arithmetic sees it."""

    as_of: date
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: str = "approved"
    recorded_at: datetime | None = None  # approval time; breaks ties between equal as-of dates
    sequence: int = 0  # last resort tie-break (the update's id)
    source: int | None = None  # the reporting organisation, where a network reports
    parts: Mapping[CategoryKey, Decimal] = field(default_factory=dict)
    # How many updates this reading stands for: the database may hand over one reading that
    # already sums several updates of a `sum` indicator (see services/readings.py).
    updates: int = 1


@dataclass(frozen=True)
class CategoryTarget:
    dimension: str
    category: str
    target_value: Decimal | None = None
    target_share: Decimal | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    measure: str
    aggregation: str
    start_date: date
    target_date: date
    direction: str = Direction.INCREASE
    target_kind: str = TargetKind.AT_LEAST
    target_value: Decimal | None = None
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    category_targets: Sequence[CategoryTarget] = ()


@dataclass(frozen=True)
class Achieved:
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[CategoryKey, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class CategoryProgress:
    dimension: str
    category: str
    target_value: Decimal | None  # absolute target, or the share applied to the total target
    target_share: Decimal | None
    achieved_value: Decimal | None
    achieved_share: Decimal | None
    # A share target ("60 % of 160 are women") is met only when the count it implies (96) is
    # reached and the share holds; None while nothing is achieved.
    met: bool | None
    to_go: Decimal | None = None  # the count still to reach, where the target implies one
    share_on_course: bool | None = None  # for a share target: the share achieved holds it


@dataclass(frozen=True)
class Progress:
    achieved: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    percent_of_target: Decimal | None
    expected_value: Decimal | None
    expected_percent: Decimal | None
    within_range: bool | None
    status: Status
    categories: tuple[CategoryProgress, ...]
    readings_counted: int
    parts: Mapping[CategoryKey, Decimal] = field(default_factory=dict)  # achieved by category


@dataclass(frozen=True)
class PeriodWindow:
    start: date
    end: date
    target_value: Decimal | None = None


@dataclass(frozen=True)
class PeriodFigures:
    start: date
    end: date
    target_value: Decimal | None
    achieved_value: Decimal | None
    cumulative_value: Decimal | None
    percent: Decimal | None = None  # achieved within the period, as a percentage of its target
    parts: Mapping[CategoryKey, Decimal] = field(default_factory=dict)  # achieved by category


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part / whole * HUNDRED).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part / whole).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def share_of(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """A category's share of a figure (0.4333 for 13 of 30); none without both."""
    if part is None or not whole:
        return None
    return _share(part, whole)


def counted(readings: Iterable[Reading], *, provisional: bool = False) -> list[Reading]:
    """The readings that count: approved ones, plus submitted ones for a provisional figure."""
    statuses = PROVISIONAL_STATUSES if provisional else COUNTED_STATUSES
    return [reading for reading in readings if reading.status in statuses]


def latest(readings: Sequence[Reading]) -> Reading | None:
    """The most recent reading by as-of date; ties go to the later approval."""
    if not readings:
        return None
    return max(readings, key=_recency)


def _recency(reading: Reading) -> tuple[date, float, int]:
    approved = reading.recorded_at.timestamp() if reading.recorded_at else float("-inf")
    return (reading.as_of, approved, reading.sequence)


def latest_per_source(readings: Sequence[Reading]) -> list[Reading]:
    """The most recent reading of each reporting organisation."""
    by_source: dict[int | None, list[Reading]] = {}
    for reading in readings:
        by_source.setdefault(reading.source, []).append(reading)
    return [r for r in (latest(group) for group in by_source.values()) if r is not None]


def _combined(measure: str, readings: Sequence[Reading]) -> Achieved:
    """Readings that add up: values summed, percentages from summed fractions."""
    if measure == Measure.PERCENTAGE:
        if any(r.numerator is None or r.denominator is None for r in readings):
            raise ValueError("Summed percentages need a numerator and denominator on every update.")
        numerator = sum((r.numerator for r in readings if r.numerator is not None), ZERO)
        denominator = sum((r.denominator for r in readings if r.denominator is not None), ZERO)
        return Achieved(
            value=_percent(numerator, denominator),
            numerator=numerator,
            denominator=denominator,
            parts=_sum_parts(readings),
        )
    total = sum((r.value for r in readings if r.value is not None), ZERO)
    return Achieved(value=total, parts=_sum_parts(readings))


def _sum_parts(readings: Sequence[Reading]) -> dict[CategoryKey, Decimal]:
    totals: dict[CategoryKey, Decimal] = {}
    for reading in readings:
        for key, value in reading.parts.items():
            totals[key] = totals.get(key, ZERO) + value
    return totals


def achieved(measure: str, aggregation: str, readings: Sequence[Reading]) -> Achieved:
    """Combine the given readings (already filtered to those that count) into one figure."""
    if not readings or measure == Measure.QUALITATIVE:
        return Achieved(value=None)
    if measure == Measure.MILESTONE or aggregation == Aggregation.LATEST:
        newest = latest_per_source(readings)
        if measure == Measure.MILESTONE:
            # Done once every reporting organisation says it is done.
            return Achieved(value=min((r.value or ZERO) for r in newest))
        if len(newest) == 1:
            last = newest[0]
            if measure == Measure.PERCENTAGE and last.denominator is not None:
                assert last.numerator is not None
                return Achieved(
                    value=_percent(last.numerator, last.denominator),
                    numerator=last.numerator,
                    denominator=last.denominator,
                    parts=dict(last.parts),
                )
            return Achieved(value=last.value, parts=dict(last.parts))
        return _combined(measure, newest)
    return _combined(measure, readings)


def reference_target(spec: IndicatorSpec) -> Decimal | None:
    """The single figure progress is measured against: the minimum of a range, else the target."""
    if spec.measure == Measure.MILESTONE:
        return Decimal(1)
    if spec.target_kind == TargetKind.RANGE:
        return spec.target_min
    return spec.target_value


def _is_decrease(spec: IndicatorSpec) -> bool:
    return spec.direction == Direction.DECREASE


def percent_of_target(spec: IndicatorSpec, value: Decimal | None) -> Decimal | None:
    """Achieved as a percentage of the target (50.00 when half way)."""
    if value is None:
        return None
    if spec.measure == Measure.MILESTONE:
        return HUNDRED if value >= 1 else ZERO
    target = reference_target(spec)
    if target is None:
        return None
    if _is_decrease(spec):
        baseline = spec.baseline_value
        if baseline is None:
            return None
        return _percent(baseline - value, baseline - target)
    return _percent(value, target)


def is_target_met(spec: IndicatorSpec, value: Decimal | None) -> bool:
    if value is None:
        return False
    if spec.measure == Measure.MILESTONE:
        return value >= 1
    target = reference_target(spec)
    if target is None:
        return False
    if _is_decrease(spec) or spec.target_kind == TargetKind.AT_MOST:
        return value <= target
    return value >= target


def within_range(spec: IndicatorSpec, value: Decimal | None) -> bool | None:
    if spec.target_kind != TargetKind.RANGE or value is None:
        return None
    assert spec.target_min is not None and spec.target_max is not None
    return spec.target_min <= value <= spec.target_max


def elapsed_fraction(spec: IndicatorSpec, today: date) -> Decimal:
    """How far through the time to the target date we are, from 0 to 1."""
    start = spec.baseline_date or spec.start_date
    total_days = (spec.target_date - start).days
    if total_days <= 0:
        return Decimal(1) if today >= spec.target_date else ZERO
    elapsed = (today - start).days
    return min(Decimal(1), max(ZERO, Decimal(elapsed) / Decimal(total_days)))


def expected_now(
    spec: IndicatorSpec, today: date, *, elapsed: Decimal | None = None
) -> Decimal | None:
    """Where the indicator should be today on a straight line from its start to its target
    (`elapsed`: the indicator's `elapsed_fraction` today, where the caller has it already)."""
    target = reference_target(spec)
    if target is None or spec.measure in (Measure.QUALITATIVE, Measure.MILESTONE):
        return None
    starts_from_baseline = _is_decrease(spec) or spec.aggregation == Aggregation.LATEST
    start_level = spec.baseline_value if starts_from_baseline and spec.baseline_value else ZERO
    fraction = elapsed_fraction(spec, today) if elapsed is None else elapsed
    return start_level + (target - start_level) * fraction


def status(
    spec: IndicatorSpec,
    value: Decimal | None,
    has_data: bool,
    today: date,
    *,
    expected: Decimal | None = None,
) -> Status:
    """The indicator's status today (`expected`: its `expected_now`, where the caller has it)."""
    if not has_data:
        return Status.NOT_STARTED
    if spec.measure == Measure.QUALITATIVE:
        return Status.REPORTED
    if is_target_met(spec, value):
        return Status.ACHIEVED
    if spec.measure == Measure.MILESTONE:
        return Status.OFF_TRACK if today > spec.target_date else Status.ON_TRACK
    achieved_percent = percent_of_target(spec, value)
    if expected is None:
        expected = expected_now(spec, today)
    expected_percent = percent_of_target(spec, expected)
    if achieved_percent is None or expected_percent is None:
        # Nothing to measure against (a tracking indicator without a target).
        return Status.REPORTED
    if spec.target_kind == TargetKind.AT_MOST and not _is_decrease(spec):
        return Status.OFF_TRACK  # a ceiling that has been exceeded
    on_track_from, at_risk_from = status_bands(expected_percent)
    if achieved_percent >= on_track_from:
        return Status.ON_TRACK
    if achieved_percent >= at_risk_from:
        return Status.AT_RISK
    return Status.OFF_TRACK


def status_bands(expected_percent: Decimal) -> tuple[Decimal, Decimal]:
    """The percentages of target from which an indicator is on track, and at risk, when this
    much is expected by now: within one band of what is expected, within two."""
    return expected_percent - BAND, expected_percent - 2 * BAND


def category_progress(spec: IndicatorSpec, total: Achieved) -> tuple[CategoryProgress, ...]:
    """Each category target against what was achieved in that category."""
    total_target = reference_target(spec)
    rows = []
    for target in spec.category_targets:
        key = (target.dimension, target.category)
        value = total.parts.get(key) if total.value is not None else None
        if value is None and total.value is not None:
            value = ZERO
        share = _share(value, total.value) if value is not None and total.value else None
        if target.target_share is not None:
            implied = (
                (total_target * target.target_share).quantize(SHARE_PLACES)
                if total_target is not None
                else None
            )
            on_course = None if share is None else share >= target.target_share
            reached = None if value is None or implied is None else value >= implied
            met = on_course if reached is None else bool(on_course and reached)
            rows.append(
                CategoryProgress(
                    dimension=target.dimension,
                    category=target.category,
                    target_value=implied.normalize() if implied is not None else None,
                    target_share=target.target_share,
                    achieved_value=value,
                    achieved_share=share,
                    met=met,
                    to_go=_to_go(implied, value),
                    share_on_course=on_course,
                )
            )
        else:
            target_share = (
                _share(target.target_value, total_target)
                if target.target_value is not None and total_target
                else None
            )
            met = (
                None
                if value is None or target.target_value is None
                else value >= target.target_value
            )
            rows.append(
                CategoryProgress(
                    dimension=target.dimension,
                    category=target.category,
                    target_value=target.target_value,
                    target_share=target_share,
                    achieved_value=value,
                    achieved_share=share,
                    met=met,
                    to_go=_to_go(target.target_value, value),
                )
            )
    return tuple(rows)


def _to_go(target: Decimal | None, achieved: Decimal | None) -> Decimal | None:
    """How many are still to come towards a count target (0 once it is reached)."""
    if target is None or achieved is None:
        return None
    return max(target - achieved, ZERO)


def evaluate(
    spec: IndicatorSpec, readings: Iterable[Reading], *, today: date, provisional: bool = False
) -> Progress:
    """Everything a page shows about one indicator's progress."""
    return _evaluate_counted(spec, counted(readings, provisional=provisional), today)


def _evaluate_counted(
    spec: IndicatorSpec, used: Sequence[Reading], today: date, elapsed: Decimal | None = None
) -> Progress:
    total = achieved(spec.measure, spec.aggregation, used)
    expected = expected_now(spec, today, elapsed=elapsed)
    return Progress(
        achieved=total.value,
        numerator=total.numerator,
        denominator=total.denominator,
        percent_of_target=percent_of_target(spec, total.value),
        expected_value=expected,
        expected_percent=percent_of_target(spec, expected),
        within_range=within_range(spec, total.value),
        status=status(spec, total.value, bool(used), today, expected=expected),
        categories=category_progress(spec, total),
        readings_counted=sum(reading.updates for reading in used),
        parts=dict(total.parts) if total.value is not None else {},
    )


def period_figures(
    spec: IndicatorSpec,
    readings: Iterable[Reading],
    periods: Sequence[PeriodWindow],
    *,
    provisional: bool = False,
) -> list[PeriodFigures]:
    """Per period: achieved within it and cumulative to its end, beside its target."""
    return _period_rows(spec, counted(readings, provisional=provisional), periods)


def _period_rows(
    spec: IndicatorSpec, used: Sequence[Reading], periods: Sequence[PeriodWindow]
) -> list[PeriodFigures]:
    # In as-of order, a period's readings and those up to its end are slices found by
    # bisection, rather than a scan of every reading for every period.
    ordered = sorted(used, key=_as_of)
    dates = [reading.as_of for reading in ordered]
    rows = []
    for window in periods:
        up_to_end = bisect_right(dates, window.end)
        inside = ordered[bisect_left(dates, window.start) : up_to_end]
        within = achieved(spec.measure, spec.aggregation, inside)
        rows.append(
            PeriodFigures(
                start=window.start,
                end=window.end,
                target_value=window.target_value,
                achieved_value=within.value,
                cumulative_value=achieved(
                    spec.measure, spec.aggregation, ordered[:up_to_end]
                ).value,
                percent=period_percent(spec, within.value, window.target_value),
                parts=dict(within.parts) if within.value is not None else {},
            )
        )
    return rows


def _as_of(reading: Reading) -> date:
    return reading.as_of


@dataclass(frozen=True)
class Case:
    """One indicator to evaluate among many: its rules, its readings, its periods."""

    spec: IndicatorSpec
    readings: Sequence[Reading]
    periods: Sequence[PeriodWindow] = ()


def evaluate_many(
    cases: Iterable[Case], *, today: date
) -> list[tuple[Progress, list[PeriodFigures]]]:
    """Each indicator's figures and its periods' figures, for many indicators at once, by the
    same rules as `evaluate` and `period_figures`: what a recompute of snapshots writes.

    Each indicator's readings are counted once for both, and what depends only on the dates
    an indicator runs between (how far along it should be today) is worked out once for all
    the indicators that share them, as a project's indicators mostly do.
    """
    fractions: dict[tuple[date, date | None, date], Decimal] = {}
    results = []
    for case in cases:
        used = counted(case.readings)
        key = (case.spec.start_date, case.spec.baseline_date, case.spec.target_date)
        if key not in fractions:
            fractions[key] = elapsed_fraction(case.spec, today)
        results.append(
            (
                _evaluate_counted(case.spec, used, today, elapsed=fractions[key]),
                _period_rows(case.spec, used, case.periods) if case.periods else [],
            )
        )
    return results


@dataclass(frozen=True)
class Standing:
    """An achieved figure beside the target it is measured against."""

    value: Decimal | None
    target: Decimal | None
    percent: Decimal | None


@dataclass(frozen=True)
class ApprovalEffect:
    """What a reviewer weighs: the approved figure now and once this update is approved, for
    the whole indicator and within the update's period."""

    whole_before: Standing
    whole_after: Standing
    period_before: Standing | None
    period_after: Standing | None


def period_percent(
    spec: IndicatorSpec, value: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """What a period achieved as a percentage of that period's own target. A period's target of
    a decrease or a milestone is no share of a way to go, so it has none."""
    measured = spec.measure != Measure.MILESTONE and not _is_decrease(spec)
    if value is None or target is None or not measured:
        return None
    return _percent(value, target)


def category_period_target(target: CategoryTarget, period_target: Decimal | None) -> Decimal | None:
    """A category's target for one period: its share of the period's target. A category's
    count target belongs to the whole project and is not divided among periods."""
    if target.target_share is None or period_target is None:
        return None
    return (period_target * target.target_share).quantize(SHARE_PLACES).normalize()


def _period_standing(
    spec: IndicatorSpec, readings: Sequence[Reading], window: PeriodWindow
) -> Standing:
    inside = [r for r in readings if window.start <= r.as_of <= window.end]
    value = achieved(spec.measure, spec.aggregation, inside).value
    return Standing(value, window.target_value, period_percent(spec, value, window.target_value))


def approval_effect(
    spec: IndicatorSpec,
    approved: Iterable[Reading],
    candidate: Reading,
    window: PeriodWindow | None = None,
) -> ApprovalEffect:
    """The figures before and after approving `candidate`, so that approving twice the same
    figures shows as the double it would be."""
    before = counted(approved)
    after = [*before, replace(candidate, status="approved")]
    target = reference_target(spec)

    def whole(readings: Sequence[Reading]) -> Standing:
        value = achieved(spec.measure, spec.aggregation, readings).value
        return Standing(value, target, percent_of_target(spec, value))

    return ApprovalEffect(
        whole_before=whole(before),
        whole_after=whole(after),
        period_before=_period_standing(spec, before, window) if window else None,
        period_after=_period_standing(spec, after, window) if window else None,
    )


# Checks on targets and on reported values. They return problems as (field, message) pairs in
# plain English; the services translate and attach them to forms and API errors.


def total_from_parts(
    parts: Mapping[CategoryKey, Decimal], exhaustive_dimensions: Iterable[str]
) -> Decimal | None:
    """The total implied by the parts of an exhaustive dimension, if one has parts."""
    for dimension in exhaustive_dimensions:
        values = [value for (dim, _cat), value in parts.items() if dim == dimension]
        if values:
            return sum(values, ZERO)
    return None


def is_whole(number: Decimal) -> bool:
    return number == number.to_integral_value()


def takes_whole_numbers(measure: str, whole_numbers: bool) -> tuple[str, ...]:
    """Which figures of an indicator must be whole: a count's value, parts and targets; a
    percentage's numerator, denominator and parts (they count people or things too)."""
    if not whole_numbers:
        return ()
    if measure == Measure.COUNT:
        return ("value", "parts", "targets")
    if measure == Measure.PERCENTAGE:
        return ("numerator", "denominator", "parts", "default_denominator")
    return ()


def check_parts(
    total: Decimal | None,
    parts: Mapping[CategoryKey, Decimal],
    exhaustive_dimensions: Iterable[str],
) -> list[tuple[str, str]]:
    """Problems with per-category values against the total they belong to."""
    problems: list[tuple[str, str]] = []
    exhaustive = set(exhaustive_dimensions)
    by_dimension: dict[str, Decimal] = {}
    for (dimension, category), value in parts.items():
        if value < 0:
            problems.append((f"{dimension}:{category}", "negative"))
        by_dimension[dimension] = by_dimension.get(dimension, ZERO) + value
    if total is None:
        return problems
    for dimension, part_sum in sorted(by_dimension.items()):
        if dimension in exhaustive and part_sum != total:
            problems.append((dimension, "parts_not_equal_total"))
        elif part_sum > total:
            problems.append((dimension, "parts_above_total"))
    return problems


def total_target_from_categories(
    targets: Sequence[CategoryTarget], exhaustive_dimensions: Iterable[str]
) -> Decimal | None:
    """The total target implied by absolute targets on an exhaustive dimension (550 + 50 = 600)."""
    for dimension in exhaustive_dimensions:
        values = [t.target_value for t in targets if t.dimension == dimension]
        if values and all(value is not None for value in values):
            return sum((value for value in values if value is not None), ZERO)
    return None


def check_category_targets(
    total_target: Decimal | None,
    targets: Sequence[CategoryTarget],
    exhaustive_dimensions: Iterable[str],
) -> list[tuple[str, str]]:
    """Problems with category targets against the indicator's total target."""
    problems: list[tuple[str, str]] = []
    exhaustive = set(exhaustive_dimensions)
    values: dict[str, Decimal] = {}
    shares: dict[str, Decimal] = {}
    for target in targets:
        if (target.target_value is None) == (target.target_share is None):
            problems.append((f"{target.dimension}:{target.category}", "value_or_share"))
            continue
        if target.target_share is not None:
            if not ZERO <= target.target_share <= 1:
                problems.append((f"{target.dimension}:{target.category}", "share_out_of_range"))
            shares[target.dimension] = shares.get(target.dimension, ZERO) + target.target_share
        elif target.target_value is not None:
            if target.target_value < 0:
                problems.append((f"{target.dimension}:{target.category}", "negative"))
            values[target.dimension] = values.get(target.dimension, ZERO) + target.target_value
    for dimension, share_sum in sorted(shares.items()):
        if share_sum > 1:
            problems.append((dimension, "shares_above_one"))
    if total_target is not None:
        for dimension, value_sum in sorted(values.items()):
            if dimension in exhaustive and value_sum != total_target:
                problems.append((dimension, "parts_not_equal_total"))
            elif value_sum > total_target:
                problems.append((dimension, "parts_above_total"))
    return problems


@dataclass(frozen=True)
class Reach:
    """People reached across beneficiary groups, each counted by the one indicator of its
    group that counts every person once."""

    people: Decimal
    by_sex: Mapping[str, Decimal]  # category slug of the "sex" dimension → people
    not_by_sex: Decimal  # people no indicator said the sex of
    groups: int  # groups with approved figures


SEX = "sex"


def people_reached(figures: Iterable[tuple[Decimal | None, Mapping[str, str]]]) -> Reach:
    """Add up the reach indicators' achieved figures (with their parts, "sex/women" → value,
    as snapshots keep them). A figure without a sex breakdown adds to those not by sex."""
    people = ZERO
    by_sex: dict[str, Decimal] = {}
    groups = 0
    for achieved, parts in figures:
        if achieved is None:
            continue
        groups += 1
        people += achieved
        for key, value in parts.items():
            dimension, _slash, category = key.partition("/")
            if dimension == SEX:
                by_sex[category] = by_sex.get(category, ZERO) + Decimal(value)
    told = sum(by_sex.values(), ZERO)
    return Reach(people, by_sex, max(people - told, ZERO), groups)


def half_year_ends(first: date, last: date) -> list[date]:
    """The ends of the half-years (30 June, 31 December) from the one `first` falls in to the
    last one ended by `last`."""
    ends: list[date] = []
    year, half = first.year, 1 if first.month <= 6 else 2
    while True:
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        if end > last:
            return ends
        ends.append(end)
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def reach_to_date(
    series: Iterable[Sequence[tuple[date, Decimal | None]]], ends: Sequence[date]
) -> list[Decimal]:
    """People reached by each of these dates: for every reach indicator, its cumulative figure
    at the end of its last period ended by then (periods differ between projects), added up."""
    totals = [ZERO] * len(ends)
    for periods in series:
        for position, end in enumerate(ends):
            known = [value for period_end, value in periods if period_end <= end]
            if known and known[-1] is not None:
                totals[position] += known[-1]
    return totals


@dataclass(frozen=True)
class Contribution:
    """What one project's indicator, linked to a standard indicator, brings to the results
    across projects: its approved figures (None where it has none yet)."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[str, Decimal] = field(default_factory=dict)  # "dimension/category" → value
    by_year: Mapping[int, Decimal] = field(default_factory=dict)  # year a period ends → value


@dataclass(frozen=True)
class AcrossProjects:
    value: Decimal | None  # counts and amounts: the sum; None where figures do not add up
    share: Decimal | None  # percentages: summed numerators over summed denominators
    parts: dict[str, Decimal]
    by_year: dict[int, Decimal]
    contributing: int  # projects with a figure


def across_projects(measure: str, contributions: Sequence[Contribution]) -> AcrossProjects:
    """The results of one standard indicator over the projects linked to it, each project once.
    Counts and amounts add up (the links guarantee the same unit and way of combining, and a
    project links one indicator per standard indicator); a percentage combines its counts,
    and only when every project gave them; milestones and qualitative answers do not add up."""
    given = [c for c in contributions if c.value is not None]
    additive = measure in (Measure.COUNT, Measure.AMOUNT)
    value = sum((c.value for c in given if c.value is not None), Decimal(0)) if additive else None
    share = None
    if measure == Measure.PERCENTAGE and given:
        pairs = [(c.numerator, c.denominator) for c in given]
        if all(n is not None and d for n, d in pairs):
            share = _share(
                sum((n for n, _d in pairs if n is not None), Decimal(0)),
                sum((d for _n, d in pairs if d is not None), Decimal(0)),
            )
    parts: dict[str, Decimal] = {}
    by_year: dict[int, Decimal] = {}
    if additive:
        for contribution in given:
            for key, part in contribution.parts.items():
                parts[key] = parts.get(key, Decimal(0)) + part
            for year, part in contribution.by_year.items():
                by_year[year] = by_year.get(year, Decimal(0)) + part
    return AcrossProjects(
        value=value if given else None,
        share=share,
        parts=dict(sorted(parts.items())),
        by_year=dict(sorted(by_year.items())),
        contributing=len(given),
    )


def by_year(aggregation: str, periods: Sequence[tuple[date, Decimal | None]]) -> dict[int, Decimal]:
    """A project's figures by the year its periods end: the periods' sum for summed figures,
    the last period's figure for a latest value (two periods of a year are not added up)."""
    years: dict[int, Decimal] = {}
    for end, value in sorted(periods, key=lambda period: period[0]):
        if value is None:
            continue
        if aggregation == Aggregation.SUM:
            years[end.year] = years.get(end.year, Decimal(0)) + value
        else:
            years[end.year] = value
    return years


@dataclass(frozen=True)
class Burn:
    """Money spent against the budget, in one currency (amounts are never converted)."""

    currency: str
    budget: Decimal
    spent: Decimal
    spent_percent: Decimal | None  # None when nothing is budgeted in the currency


def burn(budget: Mapping[str, Decimal], spent: Mapping[str, Decimal]) -> list[Burn]:
    """Per currency, what was spent (approved) against what the budget lines hold; a currency
    spent in but not budgeted has no percentage."""
    return [
        Burn(
            currency=currency,
            budget=budget.get(currency, ZERO),
            spent=spent.get(currency, ZERO),
            spent_percent=_percent(spent.get(currency, ZERO), budget.get(currency, ZERO)),
        )
        for currency in sorted(set(budget) | set(spent))
    ]


def time_elapsed_percent(start: date, end: date, today: date) -> Decimal:
    """How much of a project's time has passed, 0 to 100 %."""
    total = (end - start).days
    if total <= 0:
        return HUNDRED if today >= end else ZERO
    fraction = min(Decimal(1), max(ZERO, Decimal((today - start).days) / Decimal(total)))
    return (fraction * HUNDRED).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
