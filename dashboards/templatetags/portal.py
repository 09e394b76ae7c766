"""Formatting of quantities, percentages and targets for the pages."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.numbers import formatted, money, percent
from core.translations import Translated
from dashboards.charts import Bar, progress_bar
from indicators import wording
from indicators.models import Indicator
from indicators.models.snapshots import STATUS_CHOICES

register = template.Library()


@register.filter
def translated(content: Translated | None, field: str) -> str:
    """A field of a project, result, indicator, dimension or category in the reader's
    language, or as written where it has no translation: {{ project|translated:"title" }}."""
    return "" if content is None else content.translated(field)


@register.filter
def qty(value: Decimal | int | None) -> str:
    """A quantity without needless decimals, with the locale's grouping: 69,966 or 0.5."""
    return "—" if value is None else formatted(value)


@register.filter(name="money")
def money_filter(value: Decimal | int | None) -> str:
    return "" if value is None else money(value)


@register.filter
def pct(value: Decimal | None) -> str:
    """A percentage given in percent: 23.33 → 23.3 %."""
    return "—" if value is None else percent(value)


@register.filter
def share(value: Decimal | None) -> str:
    """A share given as a fraction: 0.625 → 62.5 %."""
    if value is None:
        return "—"
    return pct(Decimal(value) * 100)


@register.simple_tag
def bar_of(percent: Decimal | None, expected: Decimal | None, label: str) -> Bar:
    """The figures of a progress bar drawn in SVG (no inline styles, which the page's
    Content-Security-Policy refuses)."""
    return progress_bar(percent, expected, label)


@register.simple_tag
def target_label(indicator: Indicator) -> str:
    """The indicator's target in words: "at least 160 associates", "25,000–50,000 USD"."""
    unit = indicator.translated("unit") or indicator.currency
    if indicator.measure == Indicator.Measure.MILESTONE:
        return _("done")
    if indicator.measure == Indicator.Measure.QUALITATIVE:
        return _("narrative")
    if indicator.target_kind == Indicator.TargetKind.RANGE:
        return _("%(min)s to %(max)s %(unit)s") % {
            "min": qty(indicator.target_min),
            "max": qty(indicator.target_max),
            "unit": unit,
        }
    if indicator.target_value is None:
        return _("no target set")
    figure = (
        pct(indicator.target_value)
        if indicator.measure == Indicator.Measure.PERCENTAGE
        else f"{qty(indicator.target_value)} {unit}".strip()
    )
    if indicator.direction == Indicator.Direction.DECREASE:
        return _("down to %(figure)s") % {"figure": figure}
    if indicator.target_kind == Indicator.TargetKind.AT_MOST:
        return _("at most %(figure)s") % {"figure": figure}
    return _("at least %(figure)s") % {"figure": figure}


@register.simple_tag
def figure(indicator: Indicator, value: Decimal | None) -> str:
    """One figure of the indicator in its own terms: "160 women", "62.5 %", "done"."""
    if value is None:
        return _("nothing approved yet")
    if indicator.measure == Indicator.Measure.MILESTONE:
        return _("done") if value >= 1 else _("not done yet")
    if indicator.measure == Indicator.Measure.PERCENTAGE:
        return pct(value)
    return f"{qty(value)} {indicator.translated('unit') or indicator.currency}".strip()


@register.simple_tag
def achieved_label(indicator: Indicator, figures: Any) -> str:
    """What has been achieved, from figures computed live (indicators.progress.Figures)."""
    return _achieved_words(indicator, figures, counted="readings_counted")


@register.simple_tag
def snapshot_achieved_label(indicator: Indicator, snapshot: Any) -> str:
    """What has been achieved, from the indicator's snapshot (dashboards, printable report)."""
    return _achieved_words(indicator, snapshot, counted="updates_counted")


def _achieved_words(indicator: Indicator, figures: Any, *, counted: str) -> str:
    return wording.achieved(
        measure=indicator.measure,
        counted=getattr(figures, counted, 0) if figures is not None else 0,
        value=getattr(figures, "achieved", None),
        numerator=getattr(figures, "numerator", None),
        denominator=getattr(figures, "denominator", None),
        unit=indicator.translated("unit") or indicator.currency,
    )


STATUS_LABELS = dict(STATUS_CHOICES)


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(str(status), status))


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up: 15 for the sign-in cool-off."""
    if value is None:
        return 0
    return -int(-value.total_seconds() // 60)


@register.filter
def clip(text: str | None, length: int) -> str:
    """The text shortened to at most `length` characters at a word boundary, with "…"."""
    text = text or ""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut and not text[length - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


@register.filter
def organisation_abbr(organisation: Any) -> SafeString:
    """An organisation's short name, spelled out on hover (and for screen readers)."""
    if organisation is None:
        return mark_safe("")
    if organisation.short_name == organisation.name:
        return format_html("{}", organisation.name)
    return format_html('<abbr title="{}">{}</abbr>', organisation.name, organisation.short_name)
