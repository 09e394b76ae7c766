"""Many indicators evaluated at once give, indicator by indicator, what the rules give one at a
time: compared over random indicators, readings and periods with a naive recomputation of the
periods' figures (every reading checked against every period, as the definition says)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import progress
from indicators.progress import Case, IndicatorSpec, PeriodWindow, Reading

START = date(2025, 1, 1)
TODAY = date(2025, 9, 15)
SEX = ("sex", "women")


def naive_periods(spec: IndicatorSpec, readings, windows) -> list[progress.PeriodFigures]:
    used = progress.counted(readings)
    rows = []
    for window in windows:
        inside = [r for r in used if window.start <= r.as_of <= window.end]
        to_date = [r for r in used if r.as_of <= window.end]
        within = progress.achieved(spec.measure, spec.aggregation, inside)
        rows.append(
            progress.PeriodFigures(
                start=window.start,
                end=window.end,
                target_value=window.target_value,
                achieved_value=within.value,
                cumulative_value=progress.achieved(spec.measure, spec.aggregation, to_date).value,
                percent=progress.period_percent(spec, within.value, window.target_value),
                parts=dict(within.parts) if within.value is not None else {},
            )
        )
    return rows


days = st.integers(min_value=-30, max_value=420)
amounts = st.integers(min_value=0, max_value=500).map(Decimal)


@st.composite
def readings(draw, measure: str) -> list[Reading]:
    drawn = []
    for sequence in range(draw(st.integers(min_value=0, max_value=8))):
        as_of = START + timedelta(days=draw(days))
        status = draw(st.sampled_from(["approved", "approved", "submitted", "draft"]))
        source = draw(st.sampled_from([None, 1, 2]))
        if measure == "percentage":
            denominator = draw(st.integers(min_value=1, max_value=200))
            numerator = draw(st.integers(min_value=0, max_value=denominator))
            drawn.append(
                Reading(
                    as_of=as_of,
                    value=Decimal(numerator * 100) / Decimal(denominator),
                    numerator=Decimal(numerator),
                    denominator=Decimal(denominator),
                    status=status,
                    sequence=sequence,
                    source=source,
                )
            )
        else:
            value = draw(amounts) if measure != "milestone" else draw(st.sampled_from([0, 1]))
            women = draw(st.integers(min_value=0, max_value=int(value)))
            drawn.append(
                Reading(
                    as_of=as_of,
                    value=Decimal(value),
                    status=status,
                    sequence=sequence,
                    source=source,
                    parts={SEX: Decimal(women)} if measure == "count" else {},
                )
            )
    return drawn


@st.composite
def cases(draw) -> Case:
    measure = draw(st.sampled_from(["count", "amount", "percentage", "milestone", "qualitative"]))
    aggregation = draw(st.sampled_from(["sum", "latest"]))
    start = START + timedelta(days=draw(st.integers(min_value=0, max_value=60)))
    spec = IndicatorSpec(
        measure=measure,
        aggregation=aggregation,
        start_date=start,
        target_date=start + timedelta(days=draw(st.integers(min_value=0, max_value=400))),
        direction=draw(st.sampled_from(["increase", "decrease"])),
        target_value=draw(st.one_of(st.none(), amounts)),
        baseline_value=draw(st.one_of(st.none(), amounts)),
        category_targets=(
            (progress.CategoryTarget(*SEX, target_share=Decimal("0.6")),)
            if measure == "count" and draw(st.booleans())
            else ()
        ),
    )
    windows = []
    edge = START
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        begins = edge + timedelta(days=draw(st.integers(min_value=0, max_value=40)))
        ends = begins + timedelta(days=draw(st.integers(min_value=0, max_value=120)))
        windows.append(PeriodWindow(begins, ends, draw(st.one_of(st.none(), amounts))))
        edge = ends + timedelta(days=1)
    return Case(spec=spec, readings=draw(readings(measure)), periods=windows)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(cases(), max_size=6))
def test_many_indicators_at_once_equal_each_one_evaluated_by_the_rules(many):
    results = progress.evaluate_many(many, today=TODAY)

    assert len(results) == len(many)
    for case, (figures, periods) in zip(many, results, strict=True):
        assert figures == progress.evaluate(case.spec, case.readings, today=TODAY)
        assert periods == naive_periods(case.spec, case.readings, case.periods)
        assert periods == progress.period_figures(case.spec, case.readings, case.periods)


def test_indicators_sharing_their_dates_still_get_their_own_baseline():
    # Two indicators of one project run between the same dates; only one starts from a
    # baseline level: what each should be at today differs.
    common = {"measure": "count", "start_date": START, "target_date": date(2025, 12, 31)}
    plain = IndicatorSpec(aggregation="sum", target_value=Decimal(100), **common)
    from_baseline = IndicatorSpec(
        aggregation="latest", target_value=Decimal(100), baseline_value=Decimal(40), **common
    )
    reading = Reading(as_of=date(2025, 6, 30), value=Decimal(50))

    (first, _), (second, _) = progress.evaluate_many(
        [Case(plain, [reading]), Case(from_baseline, [reading])], today=TODAY
    )

    assert first.expected_value == progress.expected_now(plain, TODAY)
    assert second.expected_value == progress.expected_now(from_baseline, TODAY)
    assert first.expected_value != second.expected_value
