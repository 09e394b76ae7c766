"""The database itself refuses what must never be stored, whatever code writes it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from indicators.models import CategoryTarget, UpdateValue
from tests.factories import (
    CategoryFactory,
    CategoryTargetFactory,
    DimensionFactory,
    IndicatorDimensionFactory,
    IndicatorFactory,
    ProgressUpdateFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_negative_counts_are_refused():
    refused(lambda: ProgressUpdateFactory(value=Decimal(-1)))
    refused(lambda: IndicatorFactory(target_value=Decimal(-5)))


def test_numerator_above_denominator_is_refused():
    refused(lambda: ProgressUpdateFactory(value=None, numerator=Decimal(5), denominator=Decimal(4)))


def test_zero_denominator_is_refused():
    refused(lambda: ProgressUpdateFactory(value=None, numerator=Decimal(0), denominator=Decimal(0)))


def test_percentage_target_above_100_is_refused():
    refused(lambda: IndicatorFactory(measure="percentage", target_value=Decimal(150)))


def test_share_above_one_is_refused():
    refused(lambda: CategoryTargetFactory(target_share=Decimal("1.5")))


def test_category_target_with_both_value_and_share_is_refused():
    refused(lambda: CategoryTargetFactory(target_value=Decimal(5), target_share=Decimal("0.5")))


def test_project_ending_before_it_starts_is_refused():
    refused(lambda: ProjectFactory(planned_start=date(2025, 1, 1), planned_end=date(2024, 1, 1)))


def test_range_with_maximum_below_minimum_is_refused():
    refused(
        lambda: IndicatorFactory(
            target_kind="range", target_value=None, target_min=Decimal(10), target_max=Decimal(5)
        )
    )


def test_category_of_a_dimension_the_indicator_does_not_use_is_refused_as_target():
    indicator = IndicatorFactory()
    women = CategoryFactory()
    refused(
        lambda: CategoryTarget.objects.create(
            indicator=indicator, category=women, target_share=Decimal("0.5")
        )
    )
    IndicatorDimensionFactory(indicator=indicator, dimension=women.dimension)
    CategoryTarget.objects.create(indicator=indicator, category=women, target_share=Decimal("0.5"))


def test_category_of_a_dimension_the_indicator_does_not_use_is_refused_as_value():
    indicator = IndicatorFactory()
    update = ProgressUpdateFactory(indicator=indicator)
    district = CategoryFactory(
        dimension=DimensionFactory(slug="district", name="District", kind="location"),
        slug="la-victoria",
    )
    refused(lambda: UpdateValue.objects.create(update=update, category=district, value=Decimal(1)))


@pytest.fixture
def disaggregated_indicator():
    women = CategoryFactory()
    indicator = IndicatorFactory()
    IndicatorDimensionFactory(indicator=indicator, dimension=women.dimension)
    return indicator, women


def test_target_cannot_be_moved_to_a_category_of_an_unused_dimension(disaggregated_indicator):
    indicator, women = disaggregated_indicator
    target = CategoryTarget.objects.create(
        indicator=indicator, category=women, target_share=Decimal("0.6")
    )
    minors = CategoryFactory(
        dimension=DimensionFactory(slug="age", name="Age", kind="age"), slug="minors"
    )
    target.category = minors
    refused(target.save)
