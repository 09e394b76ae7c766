"""The figures of a progress update, checked: the period and date it lands in, its total and
parts, and every problem at once. Nothing is stored here (the period's row is locked for the
transaction); the writes in `updates` store what passes."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indicators import progress
from indicators.models import Category, Indicator, IndicatorDimension, Period
from projects.models import Project

from . import workflow
from .checks import Problems, fraction_refusal, problem_message, refuse_nul_and_oversize


@dataclass(frozen=True)
class Figures:
    """What a person reports: the figures of one update."""

    as_of: date | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[Category, Decimal] | None = None
    narrative: str = ""
    evidence_url: str = ""
    # The reporting period chosen; the as-of date then defaults to its end (today while it runs)
    # and, when given, must fall inside it.
    period: Period | None = None


@dataclass(frozen=True)
class Checked:
    """Figures that passed every check, with what follows from them."""

    as_of: date
    value: Decimal | None
    period: Period | None


def _period_for(project: Project, as_of: date) -> Period | None:
    """The period the date falls in, its row locked until the transaction ends, so that no
    update commits into a period while it is being locked."""
    return (
        Period.objects.select_for_update()
        .filter(project=project, start__lte=as_of, end__gte=as_of)
        .order_by("start")
        .first()
    )


def lock_period_row(period_id: int | None) -> Period | None:
    if period_id is None:
        return None
    return Period.objects.select_for_update().get(pk=period_id)


def refuse_locked(period: Period | None) -> None:
    if period is not None and period.is_locked:
        raise workflow.Conflict(
            {
                "as_of": _(
                    "The period %(period)s is locked: it has been reported. Ask a manager "
                    "to unlock it if a correction is needed."
                )
                % {"period": period.name}
            }
        )


def _validate_figures(*, indicator: Indicator, figures: Figures, value: Decimal | None) -> None:
    measure = indicator.measure
    numerator, denominator = figures.numerator, figures.denominator
    for field, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            raise ValidationError({field: _("Values cannot be negative.")})
    whole = progress.takes_whole_numbers(measure, indicator.whole_numbers)
    fractions = {
        field: fraction_refusal(number, indicator.translated("unit"))
        for field, number in (
            ("value", value),
            ("numerator", numerator),
            ("denominator", denominator),
        )
        if field in whole and number is not None and not progress.is_whole(number)
    }
    if fractions:
        raise ValidationError(fractions)
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
        if not figures.narrative.strip():
            raise ValidationError({"narrative": _("Describe the progress made.")})
    elif value is None:
        raise ValidationError({"value": _("Give the value achieved.")})


def _validate_parts(
    *,
    indicator: Indicator,
    value: Decimal | None,
    parts: Mapping[Category, Decimal],
    links: Sequence[IndicatorDimension] | None = None,
) -> Decimal | None:
    """Check the per-category values; return the total, derived from them where it may be."""
    if links is None:
        links = list(indicator.indicator_dimensions.select_related("dimension"))
    uses = {link.dimension_id: link for link in links}
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
    if indicator.measure in (Indicator.Measure.MILESTONE, Indicator.Measure.QUALITATIVE):
        raise ValidationError({"values": _("This indicator takes no values per category.")})
    if "parts" in progress.takes_whole_numbers(indicator.measure, indicator.whole_numbers):
        fractions = [
            f"{category.translated('name')}: "
            + fraction_refusal(amount, indicator.translated("unit"))
            for category, amount in parts.items()
            if not progress.is_whole(amount)
        ]
        if fractions:
            raise ValidationError({"values": fractions})
    exhaustive = [link.dimension.slug for link in uses.values() if link.exhaustive]
    keyed = {(c.dimension.slug, c.slug): amount for c, amount in parts.items()}
    if value is None:
        value = progress.total_from_parts(keyed, exhaustive)
    problems = progress.check_parts(value, keyed, exhaustive)
    if problems:
        raise ValidationError({"values": [problem_message(code) for _where, code in problems]})
    return value


def _when(
    *,
    project: Project,
    figures: Figures,
    today: date,
    periods: Sequence[Period] | None,
) -> tuple[date, Period | None]:
    """The as-of date and the period an update is filed under.

    A chosen period decides where the update lands; the date defaults to the period's end, or
    to today while the period runs, and a date given with it must fall inside it. Without a
    period, the date decides, and the update lands in the period that contains it."""
    period, as_of = figures.period, figures.as_of
    if period is not None:
        if period.project_id != project.pk:
            raise ValidationError({"period": _("This period belongs to another project.")})
        if period.start > today:
            raise ValidationError(
                {
                    "period": _(
                        "The period %(period)s has not started yet: it starts on %(start)s."
                    )
                    % {"period": period.name, "start": date_format(period.start)}
                }
            )
        if as_of is None:
            as_of = min(period.end, today)
        elif not period.start <= as_of <= period.end:
            raise ValidationError(
                {
                    "as_of": _(
                        "The as-of date %(date)s is outside the period %(period)s "
                        "(%(start)s to %(end)s): choose a date inside it, or the period that "
                        "contains the date."
                    )
                    % {
                        "date": date_format(as_of),
                        "period": period.name,
                        "start": date_format(period.start),
                        "end": date_format(period.end),
                    }
                }
            )
    if as_of is None:
        raise ValidationError({"as_of": _("Give the as-of date or choose a reporting period.")})
    if as_of > today:
        raise ValidationError(
            {"as_of": _("The as-of date %(date)s is in the future.") % {"date": date_format(as_of)}}
        )
    if not project.start_date <= as_of <= project.end_date:
        raise ValidationError(
            {
                "as_of": _("The as-of date must fall within the project (%(start)s to %(end)s).")
                % {"start": date_format(project.start_date), "end": date_format(project.end_date)}
            }
        )
    if period is None:
        if periods is None:
            period = _period_for(project, as_of)
        else:
            period = next((p for p in periods if p.start <= as_of <= p.end), None)
    elif periods is None:
        period = lock_period_row(period.pk)
    else:  # the batch's own locked row, not the caller's copy
        period = next((p for p in periods if p.pk == period.pk), period)
    refuse_locked(period)
    return as_of, period


def check_figures(
    *,
    indicator: Indicator,
    figures: Figures,
    today: date | None,
    links: Sequence[IndicatorDimension] | None = None,
    periods: Sequence[Period] | None = None,
) -> Checked:
    """Validate everything about the figures and say every problem at once; return the date,
    the total to store and the period. A batch passes the indicator's disaggregation and the
    project's periods (locked) in."""
    problems = Problems()
    try:
        refuse_nul_and_oversize(narrative=figures.narrative, evidence_url=figures.evidence_url)
    except ValidationError as error:
        problems.add(error)
    when: tuple[date, Period | None] | None = None
    try:
        when = _when(
            project=indicator.project,
            figures=figures,
            today=today or timezone.localdate(),
            periods=periods,
        )
    except ValidationError as error:
        problems.add(error)
    value = figures.value
    parts_refused = False
    try:
        value = _validate_parts(
            indicator=indicator, value=figures.value, parts=figures.parts or {}, links=links
        )
    except ValidationError as error:
        problems.add(error)
        parts_refused = True
    # A total left to be computed from refused parts is not missing: the parts' message says it.
    if not (parts_refused and value is None):
        try:
            _validate_figures(indicator=indicator, figures=figures, value=value)
        except ValidationError as error:
            problems.add(error)
    problems.raise_any()
    assert when is not None
    return Checked(as_of=when[0], value=value, period=when[1])


@transaction.atomic
def check_update(*, indicator: Indicator, figures: Figures, today: date | None = None) -> None:
    """Raise every problem the figures have, storing nothing: a form whose own fields failed
    shows these beside its own errors."""
    check_figures(indicator=indicator, figures=figures, today=today)
