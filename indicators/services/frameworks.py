"""Filling a project's results framework at once: copied from another project, or imported
from a spreadsheet. Either stores everything or nothing."""

from datetime import date
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.authorship import set_author
from indicators.models import Indicator
from indicators.selectors import dimensions_for
from indicators.spreadsheets import framework as framework_sheet
from partners.models import User
from projects.models import Project, Result
from projects.selectors import visible_projects
from projects.services import level_problem, renumber_results, require_setup

from .definitions import CategoryTargetInput, DimensionUse, define_indicator


def _within(project: Project, day: date | None) -> date | None:
    if day is None or not project.start_date <= day <= project.end_date:
        return None
    return day


@transaction.atomic
def copy_framework(*, source: Project, target: Project, by: User) -> tuple[int, int]:
    """Copy the results and indicators (with their disaggregation and targets) of a project the
    user may see into an empty framework. Periods, progress and beneficiary groups stay behind.
    Returns how many results and indicators were copied."""
    require_setup(by, target)
    if not visible_projects(by).filter(pk=source.pk).exists() or source.pk == target.pk:
        raise ValidationError({"source": _("Choose another project you can see.")})
    if target.results.exists() or target.indicators.exists():
        raise ValidationError(
            {"source": _("Copying fills an empty framework; this project has one already.")}
        )
    copies: dict[int, Result] = {}
    for result in source.results.order_by("order", "number"):
        copy = Result(
            project=target,
            parent=copies.get(result.parent_id) if result.parent_id else None,
            level=result.level,
            number=result.number,
            title=result.title,
            description=result.description,
            translations=result.translations,
            order=result.order,
        )
        set_author(copy, by)
        copy.save()
        copies[result.pk] = copy
    indicators = source.indicators.prefetch_related(
        "indicator_dimensions__dimension", "category_targets__category__dimension"
    ).order_by("order", "code")
    for indicator in indicators:
        define_indicator(
            project=target,
            code=indicator.code,
            name=indicator.name,
            description=indicator.description,
            measure=indicator.measure,
            unit=indicator.unit,
            currency=indicator.currency,
            translations=indicator.translations,
            result=copies.get(indicator.result_id) if indicator.result_id else None,
            aggregation=indicator.aggregation,
            direction=indicator.direction,
            target_kind=indicator.target_kind,
            target_value=indicator.target_value,
            target_min=indicator.target_min,
            target_max=indicator.target_max,
            target_date=_within(target, indicator.target_date),
            baseline_value=indicator.baseline_value,
            baseline_date=_within(target, indicator.baseline_date),
            default_denominator=indicator.default_denominator,
            order=indicator.order,
            dimensions=[
                DimensionUse(dimension=use.dimension, exhaustive=use.exhaustive)
                for use in indicator.indicator_dimensions.all()
            ],
            category_targets=[
                CategoryTargetInput(category=t.category, value=t.target_value, share=t.target_share)
                for t in indicator.category_targets.all()
            ],
            by=by,
        )
    return len(copies), len(indicators)


@transaction.atomic
def import_framework(*, project: Project, by: User, upload: BinaryIO) -> tuple[int, int]:
    """Add the results and indicators of a filled-in template to the project. Every row is
    checked; any problem stores nothing and is reported with its sheet and row."""
    require_setup(by, project)
    sheet = framework_sheet.read_framework(upload, dimensions_for(project))
    errors = list(sheet.errors)
    existing_numbers = set(project.results.values_list("number", flat=True))
    existing_codes = {code.lower() for code in project.indicators.values_list("code", flat=True)}
    results: dict[str, Result] = {}
    order = project.results.aggregate(last=Max("order"))["last"] or 0
    for row in sheet.results:
        if row.number in existing_numbers:
            errors.append(
                row.problem(
                    _("the project already has a result %(number)s.") % {"number": row.number}
                )
            )
            continue
        parent = results.get(row.parent_number) if row.parent_number else None
        if row.parent_number and parent is None:
            errors.append(
                row.problem(
                    _("no result %(number)s comes before it.") % {"number": row.parent_number}
                )
            )
            continue
        order += 1
        result = Result(
            project=project,
            parent=parent,
            level=row.level,
            number=row.number,
            title=row.title,
            description=row.description,
            order=order,
        )
        set_author(result, by)
        problem = level_problem(row.level, parent)
        if problem:
            errors.append(row.problem(problem))
            continue
        try:
            result.full_clean(exclude=["parent", "project"])
        except ValidationError as error:
            errors.extend(row.problem(message) for message in error.messages)
            continue
        result.save()
        results[row.number] = result
        existing_numbers.add(row.number)
    indicator_order = project.indicators.aggregate(last=Max("order"))["last"] or 0
    for indicator_row in sheet.indicators:
        if indicator_row.code.lower() in existing_codes:
            errors.append(
                indicator_row.problem(
                    _("the project already has an indicator %(code)s.")
                    % {"code": indicator_row.code}
                )
            )
            continue
        found: Result | None = (
            results.get(indicator_row.result_number) if indicator_row.result_number else None
        )
        if indicator_row.result_number and found is None:
            found = project.results.filter(number=indicator_row.result_number).first()
            if found is None:
                errors.append(
                    indicator_row.problem(
                        _("there is no result %(number)s.")
                        % {"number": indicator_row.result_number}
                    )
                )
                continue
        indicator_order += 1
        try:
            with transaction.atomic():
                define_indicator(
                    project=project,
                    **indicator_row.definition,
                    result=found,
                    order=indicator_order,
                    category_targets=sheet.category_targets.get(indicator_row.code, []),
                    by=by,
                )
        except ValidationError as error:
            errors.extend(indicator_row.problem(message) for message in _messages(error))
            continue
        existing_codes.add(indicator_row.code.lower())
    unknown = set(sheet.category_targets) - {row.code for row in sheet.indicators}
    for code in sorted(unknown):
        errors.append(
            _("Category targets: no indicator %(code)s in the Indicators sheet.") % {"code": code}
        )
    if errors:
        raise ValidationError(errors)
    if not results and not sheet.indicators:
        raise ValidationError(_("The spreadsheet has no results and no indicators."))
    renumber_results(project, by)
    return len(results), len(sheet.indicators)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        labels = {
            f.name: str(f.verbose_name)
            for f in Indicator._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
        return [
            f"{labels.get(field, field)}: {message}" if field in labels else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)
