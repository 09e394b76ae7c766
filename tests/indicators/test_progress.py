"""The progress arithmetic, rule by rule. No database."""

from datetime import UTC, date, datetime
from decimal import Decimal as D
from typing import Any

import pytest

from indicators import progress
from indicators.progress import CategoryTarget, IndicatorSpec, PeriodWindow, Reading, Status

START = date(2024, 1, 1)
END = date(2025, 1, 1)  # 366 days later
HALF_WAY = date(2024, 7, 2)  # 183 days in: exactly half


def spec(**overrides) -> IndicatorSpec:
    values: dict[str, Any] = {
        "measure": "count",
        "aggregation": "sum",
        "start_date": START,
        "target_date": END,
        "target_value": D(100),
    }
    values.update(overrides)
    return IndicatorSpec(**values)


def reading(value=None, *, as_of=date(2024, 3, 1), status="approved", **extra) -> Reading:
    return Reading(as_of=as_of, value=None if value is None else D(value), status=status, **extra)


# Which updates count


def test_only_approved_updates_count():
    readings = [reading(10), reading(5, status="submitted"), reading(7, status="draft")]
    result = progress.evaluate(spec(), readings, today=HALF_WAY)
    assert result.achieved == D(10)
    assert result.readings_counted == 1


def test_provisional_figure_includes_submitted_but_never_drafts_or_returned():
    readings = [
        reading(10),
        reading(5, status="submitted"),
        reading(7, status="draft"),
        reading(9, status="returned"),
    ]
    result = progress.evaluate(spec(), readings, today=HALF_WAY, provisional=True)
    assert result.achieved == D(15)


def test_no_approved_data_is_not_started_whatever_was_submitted():
    result = progress.evaluate(spec(), [reading(50, status="submitted")], today=HALF_WAY)
    assert result.status == Status.NOT_STARTED
    assert result.achieved is None
    assert result.percent_of_target is None


# Sum versus latest


def test_sum_adds_every_approved_update():
    readings = [reading(10), reading(20, as_of=date(2024, 5, 1)), reading(5)]
    assert progress.evaluate(spec(), readings, today=HALF_WAY).achieved == D(35)


def test_latest_takes_the_most_recent_as_of_date_not_the_last_entered():
    readings = [
        reading(300, as_of=date(2024, 6, 1), sequence=1),
        reading(200, as_of=date(2024, 3, 1), sequence=2),
    ]
    result = progress.evaluate(spec(aggregation="latest"), readings, today=HALF_WAY)
    assert result.achieved == D(300)


def test_latest_breaks_a_tie_on_as_of_date_by_the_later_approval():
    same_day = date(2024, 6, 1)
    readings = [
        reading(80, as_of=same_day, recorded_at=datetime(2024, 6, 3, tzinfo=UTC), sequence=9),
        reading(70, as_of=same_day, recorded_at=datetime(2024, 6, 2, tzinfo=UTC), sequence=10),
    ]
    result = progress.evaluate(spec(aggregation="latest"), readings, today=HALF_WAY)
    assert result.achieved == D(80)


# Percentages


def test_summed_percentages_combine_numerators_and_denominators_never_averages():
    # 1 of 2 and 9 of 98 make 10 of 100 = 10 %; averaging 50 % and 9.18 % would say 29.59 %.
    readings = [
        Reading(as_of=date(2024, 2, 1), numerator=D(1), denominator=D(2)),
        Reading(as_of=date(2024, 3, 1), numerator=D(9), denominator=D(98)),
    ]
    result = progress.evaluate(
        spec(measure="percentage", target_value=D(100)), readings, today=HALF_WAY
    )
    assert (result.numerator, result.denominator) == (D(10), D(100))
    assert result.achieved == D("10.00")
    assert result.percent_of_target == D("10.00")


def test_latest_percentage_is_the_last_fraction_reported():
    readings = [
        Reading(as_of=date(2024, 2, 1), numerator=D(40), denominator=D(134)),
        Reading(as_of=date(2024, 5, 1), numerator=D(67), denominator=D(134)),
    ]
    result = progress.evaluate(
        spec(measure="percentage", aggregation="latest", target_value=D(100)),
        readings,
        today=HALF_WAY,
    )
    assert result.achieved == D("50.00")
    assert (result.numerator, result.denominator) == (D(67), D(134))


def test_summing_percentages_without_fractions_is_refused():
    with pytest.raises(ValueError):
        progress.achieved("percentage", "sum", [Reading(as_of=START, value=D(50))])


def test_percentage_of_a_percentage_target():
    # 60 % of the population reached against a target of 60 % is the whole target.
    readings = [Reading(as_of=date(2024, 2, 1), numerator=D(60), denominator=D(100))]
    result = progress.evaluate(
        spec(measure="percentage", aggregation="latest", target_value=D(60)),
        readings,
        today=HALF_WAY,
    )
    assert result.percent_of_target == D("100.00")
    assert result.status == Status.ACHIEVED


# Milestones


def test_milestone_not_done_is_zero_percent_and_on_track_before_its_date():
    result = progress.evaluate(spec(measure="milestone"), [reading(0)], today=HALF_WAY)
    assert result.percent_of_target == D(0)
    assert result.status == Status.ON_TRACK


def test_milestone_done_is_one_hundred_percent_and_achieved():
    result = progress.evaluate(spec(measure="milestone"), [reading(1)], today=HALF_WAY)
    assert result.percent_of_target == D(100)
    assert result.status == Status.ACHIEVED


def test_milestone_not_done_after_its_date_is_off_track():
    result = progress.evaluate(spec(measure="milestone"), [reading(0)], today=date(2025, 2, 1))
    assert result.status == Status.OFF_TRACK


def test_milestone_uses_the_latest_report_even_when_set_to_sum():
    readings = [reading(1, as_of=date(2024, 2, 1)), reading(1, as_of=date(2024, 3, 1))]
    result = progress.evaluate(spec(measure="milestone"), readings, today=HALF_WAY)
    assert result.achieved == D(1)


# Ranges


def test_range_is_measured_against_its_minimum():
    range_spec = spec(
        measure="amount",
        target_kind="range",
        target_value=None,
        target_min=D(5000),
        target_max=D(10000),
    )
    result = progress.evaluate(range_spec, [reading(2500)], today=HALF_WAY)
    assert result.percent_of_target == D("50.00")
    assert result.within_range is False


def test_range_reached_is_within_range_and_achieved():
    range_spec = spec(
        measure="amount",
        target_kind="range",
        target_value=None,
        target_min=D(5000),
        target_max=D(10000),
    )
    result = progress.evaluate(range_spec, [reading(7000)], today=HALF_WAY)
    assert result.within_range is True
    assert result.status == Status.ACHIEVED


def test_range_overshot_is_achieved_but_not_within_range():
    range_spec = spec(
        measure="amount",
        target_kind="range",
        target_value=None,
        target_min=D(5000),
        target_max=D(10000),
    )
    result = progress.evaluate(range_spec, [reading(12000)], today=HALF_WAY)
    assert result.within_range is False
    assert result.status == Status.ACHIEVED


# Decrease indicators


def decrease_spec(**overrides):
    return spec(
        direction="decrease",
        aggregation="latest",
        baseline_value=D(200),
        target_value=D(100),
        **overrides,
    )


def test_decrease_progress_runs_from_baseline_towards_target():
    result = progress.evaluate(decrease_spec(), [reading(150)], today=HALF_WAY)
    assert result.percent_of_target == D("50.00")


def test_decrease_reaching_the_target_is_achieved():
    result = progress.evaluate(decrease_spec(), [reading(90)], today=HALF_WAY)
    assert result.status == Status.ACHIEVED


def test_decrease_getting_worse_is_negative_progress_and_off_track():
    result = progress.evaluate(decrease_spec(), [reading(220)], today=HALF_WAY)
    assert result.percent_of_target == D("-20.00")
    assert result.status == Status.OFF_TRACK


def test_decrease_expected_now_falls_from_the_baseline():
    assert progress.expected_now(decrease_spec(), HALF_WAY) == D(150)


# At most


def test_at_most_ceiling_kept_is_achieved_and_exceeded_is_off_track():
    ceiling = spec(target_kind="at_most", target_value=D(5), aggregation="latest")
    assert progress.evaluate(ceiling, [reading(3)], today=HALF_WAY).status == Status.ACHIEVED
    assert progress.evaluate(ceiling, [reading(8)], today=HALF_WAY).status == Status.OFF_TRACK


# Expected now and status bands


def test_expected_now_is_linear_from_project_start_to_target_date():
    assert progress.expected_now(spec(), START) == D(0)
    assert progress.expected_now(spec(), HALF_WAY) == D(50)
    assert progress.expected_now(spec(), END) == D(100)


def test_expected_now_is_clamped_before_start_and_after_target_date():
    assert progress.expected_now(spec(), date(2023, 6, 1)) == D(0)
    assert progress.expected_now(spec(), date(2026, 6, 1)) == D(100)


def test_expected_now_starts_at_the_baseline_date_and_level_for_latest_indicators():
    stock = spec(
        aggregation="latest",
        baseline_value=D(50),
        baseline_date=date(2024, 7, 2),
        target_value=D(100),
    )
    assert progress.expected_now(stock, date(2024, 7, 2)) == D(50)
    assert progress.expected_now(stock, END) == D(100)


def test_status_on_track_within_fifteen_points_of_expected():
    # Half way, 50 expected: 35 is exactly 15 points below.
    assert progress.evaluate(spec(), [reading(35)], today=HALF_WAY).status == Status.ON_TRACK


def test_status_at_risk_within_a_further_fifteen_points():
    assert progress.evaluate(spec(), [reading(34)], today=HALF_WAY).status == Status.AT_RISK
    assert progress.evaluate(spec(), [reading(20)], today=HALF_WAY).status == Status.AT_RISK


def test_status_off_track_beyond_thirty_points():
    assert progress.evaluate(spec(), [reading(19)], today=HALF_WAY).status == Status.OFF_TRACK


def test_status_achieved_once_the_target_is_reached():
    assert progress.evaluate(spec(), [reading(100)], today=START).status == Status.ACHIEVED


def test_indicator_without_a_target_is_reported_not_on_track_and_has_no_percent():
    tracking = spec(target_value=None, aggregation="latest", baseline_value=D(5664))
    assert progress.evaluate(tracking, [], today=HALF_WAY).status == Status.NOT_STARTED
    result = progress.evaluate(tracking, [reading(5900)], today=HALF_WAY)
    assert result.percent_of_target is None
    assert result.status == Status.REPORTED


def test_qualitative_indicator_has_no_figure():
    result = progress.evaluate(
        spec(measure="qualitative", target_value=None), [reading(None)], today=HALF_WAY
    )
    assert result.achieved is None
    assert result.status == Status.REPORTED


# Disaggregation


WOMEN = ("sex", "women")
MEN = ("sex", "men")


def test_share_target_reports_share_achieved_and_implied_value():
    # "160 associates, 60 % women": 50 women and 30 men reported.
    associates = spec(
        target_value=D(160),
        category_targets=[CategoryTarget("sex", "women", target_share=D("0.6"))],
    )
    readings = [reading(80, parts={WOMEN: D(50), MEN: D(30)})]
    result = progress.evaluate(associates, readings, today=HALF_WAY)
    assert result.achieved == D(80)
    assert result.percent_of_target == D("50.00")
    (women,) = result.categories
    assert women.target_value == D(96)
    assert women.achieved_value == D(50)
    assert women.achieved_share == D("0.6250")
    # The share holds, but 60 % of 160 is 96 women and 50 are reached: not met, 46 to go.
    assert (women.met, women.to_go, women.share_on_course) == (False, D(46), True)


def test_share_target_met_once_its_count_is_reached_and_the_share_holds():
    associates = spec(
        target_value=D(160),
        category_targets=[CategoryTarget("sex", "women", target_share=D("0.6"))],
    )
    for women_reached, men_reached, met, to_go, on_course in (
        (96, 64, True, 0, True),  # exactly 96 of 160: met
        (100, 60, True, 0, True),
        (96, 70, False, 0, False),  # the count, but 57.8 %: the share does not hold
        (95, 1, False, 1, True),  # 99 %, one woman short
        (13, 17, False, 83, False),  # 43 %, far from the count and below the share
    ):
        readings = [
            reading(
                women_reached + men_reached, parts={WOMEN: D(women_reached), MEN: D(men_reached)}
            )
        ]
        (women,) = progress.evaluate(associates, readings, today=HALF_WAY).categories
        assert (women.met, women.to_go, women.share_on_course) == (met, D(to_go), on_course), (
            women_reached,
            men_reached,
        )


def test_a_share_target_without_a_total_target_is_a_share_only():
    referred = spec(
        target_value=None,
        category_targets=[CategoryTarget("sex", "women", target_share=D("0.6"))],
    )
    readings = [reading(10, parts={WOMEN: D(7), MEN: D(3)})]
    (women,) = progress.evaluate(referred, readings, today=HALF_WAY).categories
    assert (women.target_value, women.to_go, women.met) == (None, None, True)


def test_share_target_not_met_when_share_is_below():
    associates = spec(
        target_value=D(160),
        category_targets=[CategoryTarget("sex", "women", target_share=D("0.6"))],
    )
    readings = [reading(80, parts={WOMEN: D(40), MEN: D(40)})]
    (women,) = progress.evaluate(associates, readings, today=HALF_WAY).categories
    assert women.achieved_share == D("0.5")
    assert women.met is False


def test_absolute_category_targets_with_their_share_of_the_total():
    # "550 women and LGBTIQ people and 50 men": 600 in all.
    jobs = spec(
        target_value=D(600),
        category_targets=[
            CategoryTarget("gender-group", "women-lgbtiq", target_value=D(550)),
            CategoryTarget("gender-group", "men", target_value=D(50)),
        ],
    )
    readings = [
        reading(
            300, parts={("gender-group", "women-lgbtiq"): D(260), ("gender-group", "men"): D(40)}
        ),
        reading(
            100, parts={("gender-group", "women-lgbtiq"): D(90), ("gender-group", "men"): D(10)}
        ),
    ]
    women, men = progress.evaluate(jobs, readings, today=HALF_WAY).categories
    assert (women.achieved_value, women.met, women.to_go) == (D(350), False, D(200))
    assert (men.achieved_value, men.met, men.to_go) == (D(50), True, D(0))
    assert women.share_on_course is None  # an absolute target: no share to hold
    assert women.target_share == D("0.9167")
    assert men.achieved_share == D("0.125")


def test_two_dimensions_are_tracked_independently():
    referred = spec(
        target_value=D(1000),
        category_targets=[
            CategoryTarget("sex", "women", target_share=D("0.5")),
            CategoryTarget("age", "minors", target_share=D("0.2")),
        ],
    )
    readings = [reading(200, parts={WOMEN: D(110), ("age", "minors"): D(30)})]
    women, minors = progress.evaluate(referred, readings, today=HALF_WAY).categories
    # 55 % of 200 holds the share, but 50 % of 1,000 is 500 women: 390 to go.
    assert (women.achieved_share, women.met, women.to_go) == (D("0.55"), False, D(390))
    assert (minors.achieved_share, minors.met) == (D("0.15"), False)


def test_latest_indicator_takes_the_parts_of_the_latest_update():
    stock = spec(
        aggregation="latest",
        category_targets=[CategoryTarget("sex", "women", target_share=D("0.5"))],
    )
    readings = [
        reading(100, as_of=date(2024, 2, 1), parts={WOMEN: D(20)}),
        reading(120, as_of=date(2024, 4, 1), parts={WOMEN: D(66)}),
    ]
    (women,) = progress.evaluate(stock, readings, today=HALF_WAY).categories
    assert women.achieved_value == D(66)
    assert women.achieved_share == D("0.55")


def test_category_without_reported_part_counts_as_zero_once_there_is_a_total():
    associates = spec(category_targets=[CategoryTarget("sex", "women", target_share=D("0.6"))])
    (women,) = progress.evaluate(associates, [reading(10)], today=HALF_WAY).categories
    assert (women.achieved_value, women.achieved_share, women.met) == (D(0), D(0), False)


def test_category_progress_is_empty_until_something_is_achieved():
    associates = spec(category_targets=[CategoryTarget("sex", "women", target_share=D("0.6"))])
    (women,) = progress.evaluate(associates, [], today=HALF_WAY).categories
    assert (women.achieved_value, women.achieved_share, women.met) == (None, None, None)


def test_total_derived_from_an_exhaustive_dimension():
    parts = {WOMEN: D(50), MEN: D(30), ("age", "minors"): D(10)}
    assert progress.total_from_parts(parts, ["sex"]) == D(80)
    assert progress.total_from_parts(parts, ["district"]) is None


def test_parts_must_equal_the_total_on_an_exhaustive_dimension():
    problems = progress.check_parts(D(90), {WOMEN: D(50), MEN: D(30)}, ["sex"])
    assert problems == [("sex", "parts_not_equal_total")]


def test_parts_may_fall_short_of_the_total_on_a_non_exhaustive_dimension():
    assert progress.check_parts(D(90), {WOMEN: D(50)}, []) == []


def test_parts_above_the_total_are_refused():
    assert progress.check_parts(D(40), {WOMEN: D(50)}, []) == [("sex", "parts_above_total")]


def test_negative_parts_are_refused():
    assert ("sex:women", "negative") in progress.check_parts(D(40), {WOMEN: D(-1)}, [])


def test_total_target_from_absolute_targets_on_an_exhaustive_dimension():
    targets = [
        CategoryTarget("gender-group", "women-lgbtiq", target_value=D(550)),
        CategoryTarget("gender-group", "men", target_value=D(50)),
    ]
    assert progress.total_target_from_categories(targets, ["gender-group"]) == D(600)
    assert progress.total_target_from_categories(targets, []) is None


def test_category_targets_checked_against_the_total_target():
    roles = [
        CategoryTarget("leader-role", "kitchen", target_value=D(250)),
        CategoryTarget("leader-role", "violence", target_value=D(80)),
        CategoryTarget("leader-role", "environment", target_value=D(30)),
        CategoryTarget("leader-role", "covid", target_value=D(18)),
    ]
    # 378 of 380: fine when the roles are not exhaustive, wrong when they are.
    assert progress.check_category_targets(D(380), roles, []) == []
    assert progress.check_category_targets(D(380), roles, ["leader-role"]) == [
        ("leader-role", "parts_not_equal_total")
    ]
    assert progress.check_category_targets(D(300), roles, []) == [
        ("leader-role", "parts_above_total")
    ]


def test_share_targets_above_one_are_refused():
    shares = [
        CategoryTarget("sex", "women", target_share=D("0.7")),
        CategoryTarget("sex", "men", target_share=D("0.4")),
    ]
    assert progress.check_category_targets(D(100), shares, []) == [("sex", "shares_above_one")]
    assert ("sex:women", "share_out_of_range") in progress.check_category_targets(
        D(100), [CategoryTarget("sex", "women", target_share=D("1.5"))], []
    )


def test_category_target_needs_exactly_one_of_value_and_share():
    both = [CategoryTarget("sex", "women", target_value=D(5), target_share=D("0.5"))]
    assert progress.check_category_targets(D(10), both, []) == [("sex:women", "value_or_share")]


# Periods


def test_per_period_achieved_and_cumulative_for_a_sum_indicator():
    periods = [
        PeriodWindow(date(2024, 1, 1), date(2024, 6, 30), target_value=D(40)),
        PeriodWindow(date(2024, 7, 1), date(2024, 12, 31), target_value=D(60)),
    ]
    readings = [
        reading(10, as_of=date(2024, 2, 1)),
        reading(25, as_of=date(2024, 6, 30)),
        reading(30, as_of=date(2024, 9, 1)),
        reading(99, as_of=date(2024, 9, 2), status="submitted"),
    ]
    first, second = progress.period_figures(spec(), readings, periods)
    assert (first.achieved_value, first.cumulative_value, first.target_value) == (
        D(35),
        D(35),
        D(40),
    )
    assert (second.achieved_value, second.cumulative_value) == (D(30), D(65))


def test_per_period_for_a_latest_indicator_is_the_level_reached():
    periods = [
        PeriodWindow(date(2024, 1, 1), date(2024, 6, 30)),
        PeriodWindow(date(2024, 7, 1), date(2024, 12, 31)),
    ]
    readings = [reading(5700, as_of=date(2024, 3, 1)), reading(5900, as_of=date(2024, 8, 1))]
    first, second = progress.period_figures(spec(aggregation="latest"), readings, periods)
    assert (first.achieved_value, first.cumulative_value) == (D(5700), D(5700))
    assert (second.achieved_value, second.cumulative_value) == (D(5900), D(5900))


def test_period_without_updates_has_no_achieved_value():
    periods = [PeriodWindow(date(2024, 7, 1), date(2024, 12, 31))]
    (only,) = progress.period_figures(spec(), [reading(10, as_of=date(2024, 2, 1))], periods)
    assert only.achieved_value is None
    assert only.cumulative_value == D(10)


# Networks: several member organisations report the same indicator


def test_latest_indicator_reported_by_several_organisations_sums_each_ones_latest():
    # Two soup kitchens report how many women lead them: 12 then 14, and 9.
    readings = [
        reading(12, as_of=date(2024, 2, 1), source=1),
        reading(14, as_of=date(2024, 5, 1), source=1),
        reading(9, as_of=date(2024, 3, 1), source=2),
    ]
    result = progress.evaluate(spec(aggregation="latest"), readings, today=HALF_WAY)
    assert result.achieved == D(23)


def test_latest_percentage_across_organisations_sums_their_fractions():
    readings = [
        Reading(as_of=date(2024, 2, 1), numerator=D(10), denominator=D(20), source=1),
        Reading(as_of=date(2024, 3, 1), numerator=D(30), denominator=D(80), source=2),
    ]
    result = progress.evaluate(
        spec(measure="percentage", aggregation="latest"), readings, today=HALF_WAY
    )
    assert (result.numerator, result.denominator, result.achieved) == (D(40), D(100), D("40.00"))


def test_latest_parts_across_organisations_are_summed():
    readings = [
        reading(10, as_of=date(2024, 2, 1), source=1, parts={WOMEN: D(6)}),
        reading(10, as_of=date(2024, 3, 1), source=2, parts={WOMEN: D(8)}),
    ]
    stock = spec(
        aggregation="latest",
        category_targets=[CategoryTarget("sex", "women", target_share=D("0.5"))],
    )
    (women,) = progress.evaluate(stock, readings, today=HALF_WAY).categories
    assert (women.achieved_value, women.achieved_share) == (D(14), D("0.7"))


def test_network_milestone_is_done_once_every_organisation_is_done():
    readings = [reading(1, source=1), reading(0, source=2)]
    assert progress.evaluate(spec(measure="milestone"), readings, today=HALF_WAY).achieved == D(0)
    readings.append(reading(1, as_of=date(2024, 4, 1), source=2))
    assert progress.evaluate(spec(measure="milestone"), readings, today=HALF_WAY).achieved == D(1)


def test_sum_indicator_adds_every_organisations_reports():
    readings = [reading(5400, source=1), reading(4100, source=2), reading(3900, source=3)]
    assert progress.evaluate(spec(), readings, today=HALF_WAY).achieved == D(13400)


# What approving an update would change


def test_approving_a_repeat_of_an_approved_sum_shows_the_double():
    first_half = PeriodWindow(date(2024, 1, 1), date(2024, 6, 30), target_value=D(80))
    approved = [reading(80, as_of=date(2024, 6, 30))]
    effect = progress.approval_effect(
        spec(target_value=D(160)),
        approved,
        reading(80, as_of=date(2024, 6, 30), status="submitted"),
        first_half,
    )
    assert (effect.whole_before.value, effect.whole_before.percent) == (D(80), D(50))
    assert (effect.whole_after.value, effect.whole_after.percent) == (D(160), D(100))
    assert effect.whole_after.target == D(160)
    assert (effect.period_before.value, effect.period_before.percent) == (D(80), D(100))
    assert (effect.period_after.value, effect.period_after.percent) == (D(160), D(200))


def test_approving_an_earlier_reading_of_a_latest_indicator_leaves_the_figure():
    approved = [reading(40, as_of=date(2024, 9, 30))]
    effect = progress.approval_effect(
        spec(aggregation="latest"),
        approved,
        reading(30, as_of=date(2024, 3, 31), status="submitted"),
    )
    assert effect.whole_before.value == effect.whole_after.value == D(40)
    assert effect.period_before is None and effect.period_after is None


def test_the_period_figure_counts_only_readings_inside_the_period():
    second_half = PeriodWindow(date(2024, 7, 1), date(2024, 12, 31), target_value=None)
    approved = [reading(50, as_of=date(2024, 6, 30)), reading(5, as_of=date(2024, 7, 30))]
    effect = progress.approval_effect(
        spec(), approved, reading(10, as_of=date(2024, 8, 1)), second_half
    )
    assert (effect.period_before.value, effect.period_after.value) == (D(5), D(15))
    assert effect.period_after.percent is None  # no period target
    assert (effect.whole_before.value, effect.whole_after.value) == (D(55), D(65))


def test_unapproved_readings_never_count_before_approval():
    approved = [reading(50, status="submitted"), reading(20, status="returned")]
    effect = progress.approval_effect(spec(), approved, reading(10))
    assert effect.whole_before.value is None
    assert effect.whole_after.value == D(10)


def test_a_decrease_has_no_period_percentage_but_a_whole_one_from_the_baseline():
    window = PeriodWindow(date(2024, 1, 1), date(2024, 12, 31), target_value=D(20))
    decrease = spec(
        aggregation="latest", direction="decrease", baseline_value=D(40), target_value=D(20)
    )
    effect = progress.approval_effect(decrease, [], reading(30), window)
    assert effect.whole_after.percent == D(50)
    assert effect.period_after.value == D(30) and effect.period_after.percent is None


def test_a_periods_percentage_met_is_against_its_own_target():
    spec = IndicatorSpec(
        measure="count",
        aggregation="sum",
        start_date=date(2025, 1, 1),
        target_date=date(2026, 12, 31),
        target_value=D(100),
    )
    assert progress.period_percent(spec, D(30), D(40)) == D("75.00")
    assert progress.period_percent(spec, None, D(40)) is None
    assert progress.period_percent(spec, D(30), None) is None
    decrease = IndicatorSpec(**{**spec.__dict__, "direction": "decrease"})
    assert progress.period_percent(decrease, D(30), D(40)) is None
    milestone = IndicatorSpec(**{**spec.__dict__, "measure": "milestone"})
    assert progress.period_percent(milestone, D(1), D(1)) is None


def test_a_share_targets_category_gets_its_share_of_each_periods_target():
    women = progress.CategoryTarget("sex", "women", target_share=D("0.6"))
    assert progress.category_period_target(women, D(40)) == D(24)
    assert progress.category_period_target(women, D(25)) == D(15)
    assert progress.category_period_target(women, None) is None
    counted = progress.CategoryTarget("sex", "women", target_value=D(96))
    assert progress.category_period_target(counted, D(40)) is None


def test_each_period_keeps_what_it_achieved_in_every_category():
    spec = IndicatorSpec(
        measure="count",
        aggregation="sum",
        start_date=date(2025, 1, 1),
        target_date=date(2025, 12, 31),
        target_value=D(160),
    )
    women, men = ("sex", "women"), ("sex", "men")
    readings = [
        Reading(as_of=date(2025, 3, 1), value=D(30), parts={women: D(18)}),
        Reading(as_of=date(2025, 8, 1), value=D(20), parts={women: D(8), men: D(12)}),
    ]
    first, second = progress.period_figures(
        spec,
        readings,
        [
            PeriodWindow(date(2025, 1, 1), date(2025, 6, 30), D(40)),
            PeriodWindow(date(2025, 7, 1), date(2025, 12, 31), None),
        ],
    )
    assert first.parts == {women: D(18)} and first.percent == D("75.00")
    assert second.parts == {women: D(8), men: D(12)} and second.percent is None
    whole = progress.evaluate(spec, readings, today=date(2025, 12, 31))
    assert whole.parts == {women: D(26), men: D(12)}
