"""Defining indicators and recording progress: clear refusals, nothing half-saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators import services
from indicators.models import CategoryTarget, Indicator, ProgressUpdate
from tests.factories import (
    CategoryFactory,
    DimensionFactory,
    IndicatorDimensionFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
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


@pytest.fixture
def associates():
    women = CategoryFactory()
    men = CategoryFactory(dimension=women.dimension, slug="men", name="Men")
    indicator = IndicatorFactory(
        project=ProjectFactory(planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31)),
        target_value=Decimal(160),
    )
    IndicatorDimensionFactory(indicator=indicator, dimension=women.dimension, exhaustive=True)
    return indicator, women, men


def record(indicator, **kwargs):
    values = {
        "indicator": indicator,
        "author": UserFactory(),
        "as_of": date(2025, 3, 1),
        "today": TODAY,
    }
    values.update(kwargs)
    return services.create_update(**values)


def test_total_is_computed_from_the_parts_of_an_exhaustive_dimension(associates):
    indicator, women, men = associates
    update = record(indicator, parts={women: Decimal(50), men: Decimal(30)})
    assert update.value == Decimal(80)
    assert update.values.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": Decimal(-3)}, "cannot be negative"),
        ({"as_of": date(2025, 7, 1)}, "future"),
        ({"as_of": date(2023, 12, 31)}, "within the project"),
        ({"value": Decimal(5), "narrative": "bad\x00byte"}, "NUL"),
        ({"value": Decimal(5), "narrative": "x" * 10_001}, "longer than"),
        ({"value": Decimal(90), "parts": "80"}, "add up to the total"),
        ({"value": None}, "Give the value"),
    ],
)
def test_bad_updates_are_refused_with_a_clear_message_and_nothing_stored(
    associates, kwargs, message
):
    indicator, women, men = associates
    if kwargs.get("parts") == "80":
        kwargs["parts"] = {women: Decimal(50), men: Decimal(30)}
    with pytest.raises(ValidationError, match=message):
        record(indicator, **kwargs)
    assert not ProgressUpdate.objects.exists()


def test_parts_above_the_total_are_refused_on_a_non_exhaustive_dimension():
    women = CategoryFactory()
    indicator = IndicatorFactory(project=ProjectFactory())
    IndicatorDimensionFactory(indicator=indicator, dimension=women.dimension, exhaustive=False)
    with pytest.raises(ValidationError, match="more than the total"):
        record(indicator, value=Decimal(10), parts={women: Decimal(11)})


def test_category_of_another_dimension_is_refused_by_name(associates):
    indicator, _women, _men = associates
    minors = CategoryFactory(
        dimension=DimensionFactory(slug="age", name="Age"), slug="minors", name="Minors"
    )
    with pytest.raises(ValidationError, match="Minors is not a category of this indicator"):
        record(indicator, value=Decimal(5), parts={minors: Decimal(1)})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"numerator": Decimal(135), "denominator": Decimal(134)}, "larger than the denominator"),
        ({"numerator": Decimal(0), "denominator": Decimal(0)}, "cannot be zero"),
        ({"numerator": Decimal(5)}, "both the numerator and the denominator"),
        ({"value": Decimal(50)}, "give a numerator and a denominator"),
    ],
)
def test_bad_percentages_are_refused(kwargs, message):
    indicator = IndicatorFactory(
        measure="percentage", target_value=Decimal(100), project=ProjectFactory()
    )
    with pytest.raises(ValidationError, match=message):
        record(indicator, **kwargs)


def test_milestone_takes_done_or_not_done_only():
    indicator = IndicatorFactory(
        measure="milestone", target_value=Decimal(1), project=ProjectFactory()
    )
    with pytest.raises(ValidationError, match="whether the milestone is done"):
        record(indicator, value=Decimal(2))
    assert record(indicator, value=Decimal(1)).value == Decimal(1)


def test_nobody_approves_their_own_update():
    organisation = OrganisationFactory()
    manager = MembershipFactory(organisation=organisation, role="manager").user
    update = record(IndicatorFactory(project=ProjectFactory()), value=Decimal(5), author=manager)
    services.submit_update(update=update, user=manager)
    with pytest.raises(ValidationError, match="you submitted yourself"):
        services.approve_update(update=update, reviewer=manager)
    update.refresh_from_db()
    assert update.status == ProgressUpdate.Status.SUBMITTED


def test_single_manager_organisation_may_approve_its_own_update():
    organisation = OrganisationFactory(single_manager=True)
    manager = MembershipFactory(organisation=organisation, role="manager").user
    update = record(IndicatorFactory(project=ProjectFactory()), value=Decimal(5), author=manager)
    services.submit_update(update=update, user=manager)
    services.approve_update(update=update, reviewer=manager)
    assert update.status == ProgressUpdate.Status.APPROVED


def test_approval_moves_the_version_on():
    editor, manager = UserFactory(), UserFactory()
    update = record(IndicatorFactory(project=ProjectFactory()), value=Decimal(5), author=editor)
    services.submit_update(update=update, user=editor)
    services.approve_update(update=update, reviewer=manager)
    assert (update.status, update.version, update.reviewed_by) == ("approved", 3, manager)
