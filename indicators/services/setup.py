"""Setting indicators up from the portal's pages: who may, and which changes keep approved
figures meaningful."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.authorship import set_author
from core.translations import clean_translations
from indicators import progress
from indicators.models import Category, Dimension, Indicator, Period, PeriodTarget
from indicators.selectors import (
    dimensions_for,
    has_approved_progress,
    may_change_dimensions,
    may_translate_dimension,
)
from partners.models import Organisation, User
from partners.selectors import managed_organisations
from projects.models import Project
from projects.services import require_setup

from .checks import Problems, fraction_refusal, refuse_nul_and_oversize
from .definitions import CategoryTargetInput, DimensionUse, define_indicator
from .recomputes import approved_figures_changed

# What approved figures were reported in: changing any of these would change their meaning.
MEANING_FIELDS = ("measure", "unit", "currency", "aggregation", "direction", "whole_numbers")


def _check_code(code: str) -> None:
    refuse_nul_and_oversize(code=code)
    if not code.strip():
        raise ValidationError({"code": _("Give the indicator a code, such as 1.1.a.")})
    if len(code) > 32:
        raise ValidationError({"code": _("A code has at most 32 characters.")})


@transaction.atomic
def create_indicator(*, project: Project, by: User, definition: Mapping[str, Any]) -> Indicator:
    """Add an indicator to the project. `definition` holds define_indicator's arguments. Every
    problem of the definition is refused at once."""
    require_setup(by, project)
    code = str(definition.get("code", "")).strip()
    problems = Problems()
    with problems.collect():
        _check_code(code)
    # A code the database could not hold is not handed on: the other checks still run on "".
    usable = "" if problems.errors else code
    if code and project.indicators.filter(code__iexact=code).exists():
        problems.add(
            ValidationError({"code": _("Another indicator of the project has this code.")})
        )
    with problems.collect():
        _refuse_foreign_dimensions(project, definition)
    order = (project.indicators.aggregate(last=Max("order"))["last"] or 0) + 1
    indicator = None
    with problems.collect():
        indicator = define_indicator(
            project=project, **{**definition, "code": usable, "order": order}, by=by
        )
    problems.raise_any()  # the transaction then undoes what define_indicator stored
    assert indicator is not None
    return indicator


@transaction.atomic
def change_indicator(*, indicator: Indicator, by: User, definition: Mapping[str, Any]) -> Indicator:
    """Change an indicator's definition. Once progress on it has been approved, only changes
    that leave those figures meaning what they meant are accepted: names, descriptions,
    targets, dates and new category targets, but not the measure, unit, currency, the way
    updates combine, the direction, or how a disaggregation adds up."""
    require_setup(by, indicator.project)
    code = str(definition.get("code", indicator.code)).strip()
    problems = Problems()
    with problems.collect():
        _check_code(code)
    usable = indicator.code if problems.errors else code
    with problems.collect():
        _refuse_foreign_dimensions(indicator.project, definition)
    if has_approved_progress(indicator):
        with problems.collect():
            _refuse_changes_of_meaning(indicator, definition)
    changed = None
    with problems.collect():
        changed = define_indicator(
            project=indicator.project,
            **{**definition, "code": usable, "order": indicator.order},
            by=by,
            existing=indicator,
        )
    problems.raise_any()
    assert changed is not None
    return changed


def _refuse_foreign_dimensions(project: Project, definition: Mapping[str, Any]) -> None:
    """A project's indicators use shared dimensions and those of the organisations working on
    it, never another organisation's own."""
    allowed = set(dimensions_for(project).values_list("pk", flat=True))
    foreign = [
        use.dimension for use in definition.get("dimensions", ()) if use.dimension.pk not in allowed
    ]
    if foreign:
        raise ValidationError(
            {
                "dimensions": _("%(dimension)s belongs to another organisation.")
                % {"dimension": foreign[0].name}
            }
        )


def _refuse_changes_of_meaning(indicator: Indicator, definition: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    for field in MEANING_FIELDS:
        if field in definition and (definition[field] or "") != (getattr(indicator, field) or ""):
            errors[field] = _(
                "Approved progress was reported as %(value)s: changing it would change what "
                "those figures mean. Define a new indicator instead."
            ) % {"value": _display(indicator, field)}
    current = {use.dimension_id: use.exhaustive for use in indicator.indicator_dimensions.all()}
    wanted: Sequence[DimensionUse] = definition.get("dimensions", ())
    for use in wanted:
        if use.dimension.pk in current and current[use.dimension.pk] != use.exhaustive:
            errors["dimensions"] = _(
                "Approved progress was reported by %(dimension)s: whether its categories cover "
                "everyone can no longer change."
            ) % {"dimension": use.dimension.name}
    if errors:
        raise ValidationError(errors)


def _display(indicator: Indicator, field: str) -> str:
    getter = getattr(indicator, f"get_{field}_display", None)
    value = getter() if getter else getattr(indicator, field)
    if isinstance(value, bool):
        value = _("whole numbers") if value else _("fractions")
    return f"“{value}”" if value else _("nothing")


def require_dimension_change(by: User) -> None:
    """Dimensions serve every project: only administrators and managers add or translate them."""
    if not may_change_dimensions(by):
        raise PermissionDenied(
            _("Only administrators and managers may add or translate dimensions.")
        )


def _dimension_translations(
    translations: Mapping[str, tuple[str, Sequence[str]]] | None, categories: int
) -> tuple[dict[str, dict[str, str]], list[dict[str, dict[str, str]]]]:
    """Checked translations of a dimension's name, and of each of its categories' names given
    one per line in the categories' order (all of them, or none)."""
    dimension_translations: dict[str, dict[str, str]] = {}
    category_translations: list[dict[str, dict[str, str]]] = [{} for _n in range(categories)]
    for language, (translated_name, translated_categories) in (translations or {}).items():
        if translated_name.strip():
            dimension_translations[language] = {"name": translated_name}
        lines = [line.strip() for line in translated_categories if line.strip()]
        if lines and len(lines) != categories:
            raise ValidationError(
                {
                    "translations": _(
                        "Give the categories in %(language)s one per line, as many and in the "
                        "same order as above."
                    )
                    % {"language": language}
                }
            )
        for position, line in enumerate(lines):
            category_translations[position][language] = {"name": line}
    return (
        clean_translations(Dimension, dimension_translations),
        [clean_translations(Category, t) for t in category_translations],
    )


@transaction.atomic
def translate_dimension(
    *,
    by: User,
    dimension: Dimension,
    translations: Mapping[str, tuple[str, Sequence[str]]],
) -> Dimension:
    """Replace the translations of a dimension's name and categories. The names themselves,
    which reports and imports refer to, stay as they are; a language left out loses its
    translation."""
    if not may_translate_dimension(by, dimension):
        raise PermissionDenied(
            _("Only the managers of %(organisation)s translate its dimensions.")
            % {"organisation": dimension.owner.name}
            if dimension.owner is not None
            else _(
                "A shared dimension serves every organisation: the portal's operators translate it."
            )
        )
    dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
    categories = list(dimension.categories.order_by("order", "pk"))
    # NUL characters and texts too long for their field are refused by the cleaning.
    cleaned, cleaned_categories = _dimension_translations(translations, len(categories))
    dimension.translations = cleaned
    set_author(dimension, by)
    dimension.save(update_fields=["translations"])
    for category, category_translations in zip(categories, cleaned_categories, strict=True):
        category.translations = category_translations
        set_author(category, by)
        category.save(update_fields=["translations"])
    return dimension


@transaction.atomic
def create_dimension(
    *,
    by: User,
    name: str,
    kind: str,
    categories: Sequence[str],
    owner: Organisation | None,
    translations: Mapping[str, tuple[str, Sequence[str]]] | None = None,
) -> Dimension:
    """A new way to disaggregate, with its categories in order, for the projects of `owner`
    (an organisation `by` manages) or, made by an operator with no owner, for every project.

    `translations` gives, per language, the dimension's name and its categories' names in the
    same order as `categories` (or none of them)."""
    name = name.strip()
    names = [category.strip() for category in categories if category.strip()]
    refuse_nul_and_oversize(name=name, categories="\n".join(names))
    require_dimension_change(by)
    if owner is None and not by.is_superuser:
        raise PermissionDenied(_("Only the portal's operators create shared dimensions."))
    if owner is not None and owner.pk not in managed_organisations(by).values_list("pk", flat=True):
        raise PermissionDenied(
            _("Only the managers of %(organisation)s create its dimensions.")
            % {"organisation": owner.name}
        )
    cleaned, cleaned_categories = _dimension_translations(translations, len(names))
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the dimension a name.")
    elif Dimension.objects.filter(
        Q(owner__isnull=True) | Q(owner=owner), name__iexact=name
    ).exists():
        errors["name"] = _("A dimension with this name exists already: use it.")
    if kind not in Dimension.Kind.values:
        errors["kind"] = _("Choose one of the kinds offered.")
    slugs = [slugify(category)[:64] for category in names]
    if len(names) < 2:
        errors["categories"] = _("Give at least two categories, one per line.")
    elif any(not slug for slug in slugs):
        errors["categories"] = _("Each category needs letters or digits in its name.")
    elif len(set(slugs)) != len(slugs):
        errors["categories"] = _("Two categories have the same name.")
    if errors:
        raise ValidationError(errors)
    base = slugify(name)[:56] or "dimension"
    slug, suffix = base, 1
    while Dimension.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    dimension = Dimension(slug=slug, name=name[:255], kind=kind, owner=owner, translations=cleaned)
    set_author(dimension, by)
    dimension.save()
    for order, (category_slug, category_name) in enumerate(zip(slugs, names, strict=True)):
        category = Category(
            dimension=dimension,
            slug=category_slug,
            name=category_name[:255],
            order=order,
            translations=cleaned_categories[order],
        )
        set_author(category, by)
        category.save()
    return dimension


@transaction.atomic
def add_period(*, project: Project, by: User, name: str, start: Any, end: Any) -> Period:
    """Add a reporting period within the project's dates, overlapping no other."""
    require_setup(by, project)
    name = name.strip()
    refuse_nul_and_oversize(name=name)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the period a name, such as “First half 2025”.")
    elif len(name) > 64:
        errors["name"] = _("A name has at most 64 characters.")
    elif project.periods.filter(name__iexact=name).exists():
        errors["name"] = _("The project already has a period with this name.")
    if start is None or end is None:
        errors["start" if start is None else "end"] = _("Give the period's start and end.")
    elif end < start:
        errors["end"] = _("The end must not come before the start.")
    elif start < project.start_date or end > project.end_date:
        errors["start"] = _("A period falls within the project's dates, %(start)s to %(end)s.") % {
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        }
    else:
        overlapping = project.periods.filter(start__lte=end, end__gte=start).first()
        if overlapping is not None:
            errors["start"] = _("It overlaps the period %(period)s.") % {"period": overlapping.name}
    if errors:
        raise ValidationError(errors)
    period = Period(project=project, name=name, start=start, end=end)
    set_author(period, by)
    period.save()
    return period


@transaction.atomic
def remove_period(*, period: Period, by: User) -> None:
    require_setup(by, period.project)
    if period.is_locked:
        raise ValidationError(_("The period %(period)s is locked.") % {"period": period.name})
    if period.updates.exists():
        raise ValidationError(
            _("Progress has been reported in %(period)s: it stays.") % {"period": period.name}
        )
    set_author(period, by)
    period.delete()


@transaction.atomic
def set_period_targets(
    *, indicator: Indicator, by: User, targets: Mapping[Period, Decimal | None]
) -> None:
    """Set, change or clear the indicator's target for each of the given periods."""
    require_setup(by, indicator.project)
    errors: dict[str, str] = {}
    whole = progress.takes_whole_numbers(indicator.measure, indicator.whole_numbers)
    for period, value in targets.items():
        if period.project_id != indicator.project_id:
            raise ValidationError(_("The period belongs to another project."))
        if value is not None and value < 0:
            errors[f"period_{period.pk}"] = _("Values cannot be negative.")
        elif (
            value is not None and indicator.measure == Indicator.Measure.PERCENTAGE and value > 100
        ):
            errors[f"period_{period.pk}"] = _("A percentage cannot be above 100 %.")
        elif value is not None and "targets" in whole and not progress.is_whole(value):
            errors[f"period_{period.pk}"] = fraction_refusal(value, indicator.translated("unit"))
    if errors:
        raise ValidationError(errors)
    existing = {target.period_id: target for target in indicator.period_targets.all()}
    for period, value in targets.items():
        target = existing.get(period.pk)
        if value is None:
            if target is not None:
                set_author(target, by)
                target.delete()
            continue
        if target is not None and target.target_value == value:
            continue
        target = target or PeriodTarget(indicator=indicator, period=period)
        target.target_value = value
        set_author(target, by)
        target.save()
    approved_figures_changed(indicator.pk)


def current_definition(indicator: Indicator) -> dict[str, Any]:
    """The indicator's definition as define_indicator takes it, to change a part of it."""
    return {
        "code": indicator.code,
        "name": indicator.name,
        "description": indicator.description,
        "measure": indicator.measure,
        "unit": indicator.unit,
        "currency": indicator.currency,
        "result": indicator.result,
        "beneficiary_group": indicator.beneficiary_group,
        "aggregation": indicator.aggregation,
        "direction": indicator.direction,
        "target_kind": indicator.target_kind,
        "target_value": indicator.target_value,
        "target_min": indicator.target_min,
        "target_max": indicator.target_max,
        "target_date": indicator.target_date,
        "baseline_value": indicator.baseline_value,
        "baseline_date": indicator.baseline_date,
        "default_denominator": indicator.default_denominator,
        "whole_numbers": indicator.whole_numbers,
        "counts_people_reached": indicator.counts_people_reached,
        "dimensions": [
            DimensionUse(dimension=use.dimension, exhaustive=use.exhaustive)
            for use in indicator.indicator_dimensions.select_related("dimension")
        ],
        "category_targets": [
            CategoryTargetInput(category=t.category, value=t.target_value, share=t.target_share)
            for t in indicator.category_targets.select_related("category__dimension")
        ],
    }


@transaction.atomic
def set_indicator_targets(
    *,
    indicator: Indicator,
    by: User,
    category_targets: Sequence[CategoryTargetInput],
    period_targets: Mapping[Period, Decimal | None],
) -> Indicator:
    """Set the targets of the indicator's categories and periods together, or neither."""
    definition = {**current_definition(indicator), "category_targets": category_targets}
    indicator = change_indicator(indicator=indicator, by=by, definition=definition)
    set_period_targets(indicator=indicator, by=by, targets=period_targets)
    return indicator
