"""Defining indicators: derived totals, clear refusals, nothing half-saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators import services
from indicators.models import CategoryTarget, Indicator
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 1)


@pytest.fixture
def gender_group():
    dimension = DimensionFactory(slug="gender-group", name="Gender group")
    return (
        dimension,
        CategoryFactory(dimension=dimension, slug="women-lgbtiq", name="Women and LGBTIQ people"),
        CategoryFactory(dimension=dimension, slug="men", name="Men"),
    )


def test_total_target_is_the_sum_of_absolute_targets_on_an_exhaustive_dimension(gender_group):
    dimension, women, men = gender_group
    indicator = services.define_indicator(
        project=ProjectFactory(),
        code="JOBS",
        name="Have a job",
        dimensions=[services.DimensionUse(dimension=dimension, exhaustive=True)],
        category_targets=[
            services.CategoryTargetInput(category=women, value=Decimal(550)),
            services.CategoryTargetInput(category=men, value=Decimal(50)),
        ],
    )
    assert indicator.target_value == Decimal(600)
    assert indicator.category_targets.count() == 2


def test_category_targets_above_the_total_are_refused_and_nothing_is_stored(gender_group):
    dimension, women, _men = gender_group
    with pytest.raises(ValidationError) as error:
        services.define_indicator(
            project=ProjectFactory(),
            code="JOBS",
            name="Have a job",
            target_value=Decimal(500),
            dimensions=[services.DimensionUse(dimension=dimension)],
            category_targets=[services.CategoryTargetInput(category=women, value=Decimal(550))],
        )
    assert "more than the total" in str(error.value)
    assert not Indicator.objects.exists()


def test_percentage_target_of_150_is_refused():
    with pytest.raises(ValidationError, match="above 100"):
        services.define_indicator(
            project=ProjectFactory(),
            code="P",
            name="Mapped",
            measure="percentage",
            target_value=Decimal(150),
        )


def test_redefining_an_indicator_replaces_its_category_targets(gender_group):
    dimension, women, _men = gender_group
    project = ProjectFactory()
    common = {"project": project, "code": "X", "name": "X", "target_value": Decimal(100)}
    uses = [services.DimensionUse(dimension=dimension)]
    services.define_indicator(
        **common,
        dimensions=uses,
        category_targets=[services.CategoryTargetInput(category=women, share=Decimal("0.5"))],
    )
    services.define_indicator(
        **common,
        dimensions=uses,
        category_targets=[services.CategoryTargetInput(category=women, share=Decimal("0.6"))],
    )
    assert list(CategoryTarget.objects.values_list("target_share", flat=True)) == [Decimal("0.6")]


def test_a_disaggregation_with_reported_values_cannot_be_removed(gender_group):
    from tests.factories import ProgressUpdateFactory

    dimension, women, men = gender_group
    common = {"project": ProjectFactory(), "code": "JOBS", "name": "Have a job"}
    indicator = services.define_indicator(
        **common,
        dimensions=[services.DimensionUse(dimension=dimension, exhaustive=True)],
        category_targets=[services.CategoryTargetInput(category=women, value=Decimal(550))],
    )
    update = ProgressUpdateFactory(indicator=indicator)
    update.values.create(category=men, value=Decimal(3))
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.define_indicator(**common, target_value=Decimal(600))
    assert indicator.indicator_dimensions.count() == 1


def test_an_indicator_without_updates_is_deleted_with_its_disaggregation(gender_group):
    dimension, women, _men = gender_group
    indicator = services.define_indicator(
        project=ProjectFactory(),
        code="X",
        name="X",
        target_value=Decimal(10),
        dimensions=[services.DimensionUse(dimension=dimension)],
        category_targets=[services.CategoryTargetInput(category=women, share=Decimal("0.5"))],
    )
    indicator.delete()
    assert not Indicator.objects.exists()


def test_an_indicator_or_project_with_reported_updates_cannot_be_deleted(gender_group):
    from django.db.models import ProtectedError

    from indicators.models import ProgressUpdate
    from tests.factories import ProgressUpdateFactory

    dimension, women, _men = gender_group
    indicator = services.define_indicator(
        project=ProjectFactory(),
        code="X",
        name="X",
        target_value=Decimal(10),
        dimensions=[services.DimensionUse(dimension=dimension)],
    )
    update = ProgressUpdateFactory(indicator=indicator, status="approved")
    update.values.create(category=women, value=Decimal(2))
    with pytest.raises(ProtectedError):
        indicator.delete()
    with pytest.raises(ProtectedError):
        indicator.project.delete()
    assert ProgressUpdate.objects.filter(pk=update.pk, status="approved").exists()
