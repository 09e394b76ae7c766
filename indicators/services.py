"""Writes about indicators and progress. Each function validates fully and stores all or nothing."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation, User
from projects.models import BeneficiaryGroup, Project, Result

from . import progress
from .models import (
    Category,
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorDimension,
    Period,
    ProgressUpdate,
    UpdateValue,
)

MAX_TEXT_LENGTH = 10_000


def _problem_message(code: str) -> str:
    messages = {
        "negative": _("Values cannot be negative."),
        "parts_not_equal_total": _(
            "The categories of this dimension cover everyone, so they must add up to the total."
        ),
        "parts_above_total": _("The categories add up to more than the total."),
        "shares_above_one": _("The shares of this dimension add up to more than 100 %."),
        "share_out_of_range": _("A share must be between 0 % and 100 %."),
        "value_or_share": _("Give either a value or a share, not both."),
    }
    return messages[code]


def _refuse_nul_and_oversize(**texts: str) -> None:
    errors = {}
    for field, text in texts.items():
        if "\x00" in text:
            errors[field] = _("The text contains a NUL character, which cannot be stored.")
        elif len(text) > MAX_TEXT_LENGTH:
            errors[field] = _("The text is longer than %(limit)s characters.") % {
                "limit": f"{MAX_TEXT_LENGTH:,}"
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_dimension(
    *, slug: str, name: str, kind: str, categories: Sequence[tuple[str, str]], description: str = ""
) -> Dimension:
    """Create or update a dimension and its categories, given as (slug, name) in order."""
    dimension, _created = Dimension.objects.update_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "description": description}
    )
    for order, (category_slug, category_name) in enumerate(categories):
        Category.objects.update_or_create(
            dimension=dimension,
            slug=category_slug,
            defaults={"name": category_name, "order": order},
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
) -> None:
    errors: dict[str, str] = {}
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
    order: int = 0,
    dimensions: Sequence[DimensionUse] = (),
    category_targets: Sequence[CategoryTargetInput] = (),
) -> Indicator:
    """Create or replace the indicator with this code in the project, with its disaggregation.

    When the total target is not given and an exhaustive dimension has absolute category
    targets, the total is their sum ("550 women and LGBTIQ people and 50 men" → 600).
    """
    _refuse_nul_and_oversize(name=name, description=description, unit=unit)
    if measure == Indicator.Measure.MILESTONE and target_value is None:
        target_value = Decimal(1)
    dimension_ids = {use.dimension.pk for use in dimensions}
    exhaustive = [use.dimension.slug for use in dimensions if use.exhaustive]
    stray = [t.category for t in category_targets if t.category.dimension_id not in dimension_ids]
    if stray:
        raise ValidationError(
            {
                "category_targets": _(
                    "%(category)s belongs to a dimension this indicator does not use."
                )
                % {"category": stray[0].name}
            }
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
    _check_indicator_numbers(
        measure=measure,
        direction=direction,
        target_kind=target_kind,
        target_value=target_value,
        target_min=target_min,
        target_max=target_max,
        baseline_value=baseline_value,
    )
    reference = target_min if target_kind == Indicator.TargetKind.RANGE else target_value
    problems = progress.check_category_targets(reference, pure_targets, exhaustive)
    if problems:
        raise ValidationError(
            {"category_targets": [_problem_message(code) for _where, code in problems]}
        )
    if result is not None and result.project_id != project.pk:
        raise ValidationError({"result": _("The result belongs to another project.")})
    if beneficiary_group is not None and beneficiary_group.project_id != project.pk:
        raise ValidationError(
            {"beneficiary_group": _("The beneficiary group belongs to another project.")}
        )

    indicator, _created = Indicator.objects.update_or_create(
        project=project,
        code=code,
        defaults={
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
            "order": order,
        },
    )
    indicator.category_targets.all().delete()
    kept = IndicatorDimension.objects.filter(indicator=indicator, dimension_id__in=dimension_ids)
    IndicatorDimension.objects.filter(indicator=indicator).exclude(pk__in=kept).delete()
    for use in dimensions:
        IndicatorDimension.objects.update_or_create(
            indicator=indicator, dimension=use.dimension, defaults={"exhaustive": use.exhaustive}
        )
    CategoryTarget.objects.bulk_create(
        CategoryTarget(
            indicator=indicator, category=t.category, target_value=t.value, target_share=t.share
        )
        for t in category_targets
    )
    return indicator


def _period_for(project: Project, as_of: date) -> Period | None:
    return Period.objects.filter(project=project, start__lte=as_of, end__gte=as_of).first()


def _validate_figures(
    *,
    indicator: Indicator,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    narrative: str,
) -> None:
    measure = indicator.measure
    errors: dict[str, str] = {}
    for field, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            errors[field] = _("Values cannot be negative.")
    if errors:
        raise ValidationError(errors)
    if measure == Indicator.Measure.PERCENTAGE:
        if (numerator is None) != (denominator is None):
            raise ValidationError(
                {"denominator": _("Give both the numerator and the denominator.")}
            )
        if denominator is not None and numerator is not None:
            if denominator == 0:
                raise ValidationError({"denominator": _("The denominator cannot be zero.")})
            if numerator > denominator:
                raise ValidationError(
                    {"numerator": _("The numerator cannot be larger than the denominator.")}
                )
        elif indicator.aggregation == Indicator.Aggregation.SUM:
            raise ValidationError(
                {
                    "numerator": _(
                        "This percentage adds up over updates: give a numerator and a denominator."
                    )
                }
            )
        elif value is None:
            raise ValidationError({"value": _("Give the percentage reached.")})
        elif value > 100:
            raise ValidationError({"value": _("A percentage cannot be above 100 %.")})
    elif measure == Indicator.Measure.MILESTONE:
        if value not in (Decimal(0), Decimal(1)):
            raise ValidationError({"value": _("Say whether the milestone is done.")})
    elif measure == Indicator.Measure.QUALITATIVE:
        if value is not None or numerator is not None:
            raise ValidationError(
                {"value": _("A qualitative indicator takes a narrative, not numbers.")}
            )
        if not narrative.strip():
            raise ValidationError({"narrative": _("Describe the progress made.")})
    elif value is None:
        raise ValidationError({"value": _("Give the value achieved.")})


def _validate_parts(
    *, indicator: Indicator, value: Decimal | None, parts: Mapping[Category, Decimal]
) -> Decimal | None:
    """Check the per-category values; return the total, derived from them where it may be."""
    uses = {
        link.dimension_id: link
        for link in indicator.indicator_dimensions.select_related("dimension")
    }
    for category in parts:
        if category.dimension_id not in uses:
            raise ValidationError(
                {
                    "values": _("%(category)s is not a category of this indicator.")
                    % {"category": category.name}
                }
            )
    if not parts:
        return value
    exhaustive = [link.dimension.slug for link in uses.values() if link.exhaustive]
    keyed = {(c.dimension.slug, c.slug): amount for c, amount in parts.items()}
    if value is None:
        value = progress.total_from_parts(keyed, exhaustive)
    problems = progress.check_parts(value, keyed, exhaustive)
    if problems:
        raise ValidationError({"values": [_problem_message(code) for _where, code in problems]})
    return value


@transaction.atomic
def create_update(
    *,
    indicator: Indicator,
    author: User,
    as_of: date,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    parts: Mapping[Category, Decimal] | None = None,
    narrative: str = "",
    evidence_url: str = "",
    organisation: Organisation | None = None,
    is_illustrative: bool = False,
    today: date | None = None,
) -> ProgressUpdate:
    """Record a draft progress update after checking every figure and date."""
    parts = parts or {}
    _refuse_nul_and_oversize(narrative=narrative, evidence_url=evidence_url)
    project = indicator.project
    today = today or timezone.localdate()
    if as_of > today:
        raise ValidationError({"as_of": _("The as-of date cannot be in the future.")})
    if not project.start_date <= as_of <= project.end_date:
        raise ValidationError(
            {
                "as_of": _("The as-of date must fall within the project (%(start)s to %(end)s).")
                % {"start": project.start_date, "end": project.end_date}
            }
        )
    if indicator.measure == Indicator.Measure.MILESTONE and value is None and parts:
        raise ValidationError({"values": _("A milestone has no categories.")})
    value = _validate_parts(indicator=indicator, value=value, parts=parts)
    _validate_figures(
        indicator=indicator,
        value=value,
        numerator=numerator,
        denominator=denominator,
        narrative=narrative,
    )
    period = _period_for(project, as_of)
    if period is not None and period.is_locked:
        raise ValidationError(
            {
                "as_of": _("The period %(period)s is locked: it has been reported.")
                % {"period": period.name}
            }
        )
    update = ProgressUpdate.objects.create(
        indicator=indicator,
        period=period,
        organisation=organisation,
        as_of=as_of,
        value=value,
        numerator=numerator,
        denominator=denominator,
        narrative=narrative,
        evidence_url=evidence_url,
        is_illustrative=is_illustrative,
        created_by=author,
    )
    UpdateValue.objects.bulk_create(
        UpdateValue(update=update, category=category, value=amount)
        for category, amount in parts.items()
    )
    return update


@transaction.atomic
def submit_update(*, update: ProgressUpdate, user: User) -> ProgressUpdate:
    if update.status not in (ProgressUpdate.Status.DRAFT, ProgressUpdate.Status.RETURNED):
        raise ValidationError(_("Only a draft or returned update can be submitted."))
    update.status = ProgressUpdate.Status.SUBMITTED
    update.submitted_by = user
    update.submitted_at = timezone.now()
    update.version += 1
    update.save()
    return update


@transaction.atomic
def approve_update(*, update: ProgressUpdate, reviewer: User) -> ProgressUpdate:
    """Approve a submitted update. Nobody approves their own, unless their organisation has a
    single manager and says so."""
    if update.status != ProgressUpdate.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted update can be approved."))
    if (
        update.submitted_by_id == reviewer.pk
        and not reviewer.memberships.filter(organisation__single_manager=True).exists()
    ):
        raise ValidationError(_("You cannot approve an update you submitted yourself."))
    update.status = ProgressUpdate.Status.APPROVED
    update.reviewed_by = reviewer
    update.reviewed_at = timezone.now()
    update.version += 1
    update.save()
    return update
