"""Defining dimensions and indicators with their targets."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.authorship import set_author
from core.checks import currency_refusal
from core.currencies import is_currency
from core.translations import clean_translations
from indicators import progress
from indicators.models import (
    Category,
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorDimension,
    UpdateValue,
)
from partners.models import Organisation, User
from projects.models import BeneficiaryGroup, Project, Result

from .checks import Problems, fraction_refusal, problem_message, refuse_nul_and_oversize
from .recomputes import approved_figures_changed


@transaction.atomic
def save_dimension(
    *,
    slug: str,
    name: str,
    kind: str,
    categories: Sequence[tuple[str, str]],
    description: str = "",
    owner: Organisation | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    category_translations: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
) -> Dimension:
    """Create or update a dimension and its categories, given as (slug, name) in order, with
    the translations of its name and of its categories' names (by category slug) when given.
    Without `owner`, every organisation shares it."""
    defaults: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "description": description,
        "owner": owner,
    }
    if translations is not None:
        defaults["translations"] = clean_translations(Dimension, translations)
    dimension, _created = Dimension.objects.update_or_create(slug=slug, defaults=defaults)
    for order, (category_slug, category_name) in enumerate(categories):
        category_defaults: dict[str, Any] = {"name": category_name, "order": order}
        if category_translations is not None:
            category_defaults["translations"] = clean_translations(
                Category, category_translations.get(category_slug)
            )
        Category.objects.update_or_create(
            dimension=dimension, slug=category_slug, defaults=category_defaults
        )
    return dimension


@dataclass(frozen=True)
class DimensionUse:
    dimension: Dimension
    exhaustive: bool = False


@dataclass(frozen=True)
class CategoryTargetInput:
    category: Category
    value: Decimal | None = None
    share: Decimal | None = None


def _check_indicator_numbers(
    *,
    measure: str,
    direction: str,
    target_kind: str,
    target_value: Decimal | None,
    target_min: Decimal | None,
    target_max: Decimal | None,
    baseline_value: Decimal | None,
    default_denominator: Decimal | None = None,
    whole: tuple[str, ...] = (),
    unit: str = "",
) -> None:
    errors: dict[str, str] = {}
    if "targets" in whole:
        for field, number in (
            ("target_value", target_value),
            ("target_min", target_min),
            ("target_max", target_max),
            ("baseline_value", baseline_value),
        ):
            if number is not None and not progress.is_whole(number):
                errors[field] = fraction_refusal(number, unit)
    if (
        "default_denominator" in whole
        and default_denominator is not None
        and not progress.is_whole(default_denominator)
    ):
        errors["default_denominator"] = fraction_refusal(default_denominator, unit)
    for field, number in (
        ("target_value", target_value),
        ("target_min", target_min),
        ("target_max", target_max),
        ("baseline_value", baseline_value),
    ):
        if number is not None and number < 0:
            errors[field] = _("Values cannot be negative.")
        elif number is not None and measure == Indicator.Measure.PERCENTAGE and number > 100:
            errors[field] = _("A percentage cannot be above 100 %.")
    if target_kind == Indicator.TargetKind.RANGE:
        if target_min is None or target_max is None:
            errors["target_min"] = _("A range needs a minimum and a maximum.")
        elif target_min > target_max:
            errors["target_max"] = _("The maximum must not be below the minimum.")
    elif target_min is not None or target_max is not None:
        errors["target_kind"] = _("A minimum and maximum only go with a range target.")
    if measure == Indicator.Measure.MILESTONE and target_value not in (None, Decimal(1)):
        errors["target_value"] = _("A milestone's target is simply that it is done.")
    if measure == Indicator.Measure.QUALITATIVE and (
        target_value is not None or target_min is not None or baseline_value is not None
    ):
        errors["measure"] = _("A qualitative indicator has no numbers.")
    if direction == Indicator.Direction.DECREASE and baseline_value is None:
        errors["baseline_value"] = _("A decrease is measured from a baseline: give one.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def _check_reach(
    indicator: Indicator | None, *, measure: str, group: BeneficiaryGroup | None
) -> None:
    """An indicator counting the people a group reaches is a count of that group's people, and
    the only one of the group: the dashboards add these up."""
    problems = Problems()
    if measure != Indicator.Measure.COUNT:
        problems.add(
            ValidationError(
                {"counts_people_reached": _("Only a count can count the people reached.")}
            )
        )
    if group is None:
        problems.add(
            ValidationError(
                {"counts_people_reached": _("Choose the beneficiary group whose people it counts.")}
            )
        )
    else:
        others = Indicator.objects.filter(beneficiary_group=group, counts_people_reached=True)
        if indicator is not None and indicator.pk is not None:
            others = others.exclude(pk=indicator.pk)
        other = others.first()
        if other is not None:
            problems.add(
                ValidationError(
                    {
                        "counts_people_reached": _(
                            "%(code)s already counts the people this group reaches: one "
                            "indicator per group, so that nobody is counted twice."
                        )
                        % {"code": other.code}
                    }
                )
            )
    problems.raise_any()


def define_indicator(
    *,
    project: Project,
    code: str,
    name: str,
    measure: str = Indicator.Measure.COUNT,
    unit: str = "",
    currency: str = "",
    description: str = "",
    result: Result | None = None,
    beneficiary_group: BeneficiaryGroup | None = None,
    aggregation: str = Indicator.Aggregation.SUM,
    direction: str = Indicator.Direction.INCREASE,
    target_kind: str = Indicator.TargetKind.AT_LEAST,
    target_value: Decimal | None = None,
    target_min: Decimal | None = None,
    target_max: Decimal | None = None,
    target_date: date | None = None,
    baseline_value: Decimal | None = None,
    baseline_date: date | None = None,
    default_denominator: Decimal | None = None,
    whole_numbers: bool | None = None,
    counts_people_reached: bool | None = None,
    order: int = 0,
    dimensions: Sequence[DimensionUse] = (),
    category_targets: Sequence[CategoryTargetInput] = (),
    by: User | None = None,
    existing: Indicator | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Indicator:
    """Create or replace the indicator with this code in the project (or `existing`, whose code
    may then change), with its disaggregation.

    When the total target is not given and an exhaustive dimension has absolute category
    targets, the total is their sum ("550 women and LGBTIQ people and 50 men" → 600). The
    name and unit in other languages are replaced when `translations` is given, kept otherwise.
    """
    problems = Problems()
    with problems.collect():
        refuse_nul_and_oversize(name=name, description=description, unit=unit)
    cleaned_translations = None
    with problems.collect():
        cleaned_translations = (
            clean_translations(Indicator, translations) if translations is not None else None
        )
    if measure == Indicator.Measure.MILESTONE and target_value is None:
        target_value = Decimal(1)
    dimension_ids = {use.dimension.pk for use in dimensions}
    exhaustive = [use.dimension.slug for use in dimensions if use.exhaustive]
    stray = [t.category for t in category_targets if t.category.dimension_id not in dimension_ids]
    if stray:
        problems.add(
            ValidationError(
                {
                    "category_targets": _(
                        "%(category)s belongs to a dimension this indicator does not use."
                    )
                    % {"category": stray[0].name}
                }
            )
        )
    pure_targets = [
        progress.CategoryTarget(
            dimension=t.category.dimension.slug,
            category=t.category.slug,
            target_value=t.value,
            target_share=t.share,
        )
        for t in category_targets
    ]
    if target_value is None and target_kind != Indicator.TargetKind.RANGE:
        target_value = progress.total_target_from_categories(pure_targets, exhaustive)
    if whole_numbers is None:
        whole_numbers = measure in (Indicator.Measure.COUNT, Indicator.Measure.PERCENTAGE)
    whole = progress.takes_whole_numbers(measure, whole_numbers)
    if currency and not is_currency(currency):
        problems.add(ValidationError({"currency": currency_refusal(currency)}))
    with problems.collect():
        _check_indicator_numbers(
            measure=measure,
            direction=direction,
            target_kind=target_kind,
            target_value=target_value,
            target_min=target_min,
            target_max=target_max,
            baseline_value=baseline_value,
            default_denominator=default_denominator,
            whole=whole,
            unit=unit,
        )
    fractions = [
        f"{t.category.name}: {fraction_refusal(t.value, unit)}"
        for t in category_targets
        if "targets" in whole and t.value is not None and not progress.is_whole(t.value)
    ]
    if fractions:
        problems.add(ValidationError({"category_targets": fractions}))
    reference = target_min if target_kind == Indicator.TargetKind.RANGE else target_value
    if not stray:
        found = progress.check_category_targets(reference, pure_targets, exhaustive)
        if found:
            problems.add(
                ValidationError(
                    {"category_targets": [problem_message(code) for _where, code in found]}
                )
            )
    if result is not None and result.project_id != project.pk:
        problems.add(ValidationError({"result": _("The result belongs to another project.")}))
    if beneficiary_group is not None and beneficiary_group.project_id != project.pk:
        problems.add(
            ValidationError(
                {"beneficiary_group": _("The beneficiary group belongs to another project.")}
            )
        )
    target = existing or Indicator.objects.filter(project=project, code=code).first()
    if counts_people_reached is None:  # left as it was
        counts_people_reached = bool(target and target.counts_people_reached)
    if counts_people_reached:
        with problems.collect():
            _check_reach(target, measure=measure, group=beneficiary_group)
    # Without `existing`, the indicator of that code is the one replaced.
    if (
        existing is not None
        and Indicator.objects.filter(project=project, code=code).exclude(pk=existing.pk).exists()
    ):
        problems.add(
            ValidationError({"code": _("Another indicator of the project has this code.")})
        )
    problems.raise_any()

    indicator = (
        existing
        or Indicator.objects.filter(project=project, code=code).first()
        or Indicator(project=project, code=code)
    )
    for field, value in {
        "code": code,
        "name": name,
        "description": description,
        "measure": measure,
        "unit": unit,
        "currency": currency,
        "result": result,
        "beneficiary_group": beneficiary_group,
        "aggregation": aggregation,
        "direction": direction,
        "target_kind": target_kind,
        "target_value": target_value,
        "target_min": target_min,
        "target_max": target_max,
        "target_date": target_date,
        "baseline_value": baseline_value,
        "baseline_date": baseline_date,
        "default_denominator": default_denominator,
        "whole_numbers": whole_numbers,
        "counts_people_reached": counts_people_reached,
        "order": order,
    }.items():
        setattr(indicator, field, value)
    if cleaned_translations is not None:
        indicator.translations = cleaned_translations
    set_author(indicator, by)
    indicator.save()
    removed = IndicatorDimension.objects.filter(indicator=indicator).exclude(
        dimension_id__in=dimension_ids
    )
    in_use = (
        UpdateValue.objects.filter(
            update__indicator=indicator, category__dimension_id__in=removed.values("dimension_id")
        )
        .select_related("category__dimension")
        .first()
    )
    if in_use is not None:
        raise ValidationError(
            {
                "dimensions": _(
                    "Progress has been reported by %(dimension)s: that disaggregation cannot be "
                    "removed."
                )
                % {"dimension": in_use.category.dimension.name}
            }
        )
    removed.delete()
    for use in dimensions:
        IndicatorDimension.objects.update_or_create(
            indicator=indicator, dimension=use.dimension, defaults={"exhaustive": use.exhaustive}
        )
    _save_category_targets(indicator, category_targets, by)
    approved_figures_changed(indicator.pk)  # targets changed: percentages and statuses too
    return indicator


def _save_category_targets(
    indicator: Indicator, wanted: Sequence[CategoryTargetInput], user: User | None
) -> None:
    """Bring the category targets in line with `wanted`, every addition, change and removal
    recorded in the history with who made it."""
    existing = {target.category_id: target for target in indicator.category_targets.all()}
    kept = {item.category.pk for item in wanted}
    for category_id, target in existing.items():
        if category_id not in kept:
            set_author(target, user)
            target.delete()
    for item in wanted:
        target = existing.get(item.category.pk) or CategoryTarget(
            indicator=indicator, category=item.category
        )
        if target.pk is not None and (target.target_value, target.target_share) == (
            item.value,
            item.share,
        ):
            continue
        target.target_value, target.target_share = item.value, item.share
        set_author(target, user)
        target.save()
