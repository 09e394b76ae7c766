"""The indicator performance tracking table (IPTT) as an XLSX workbook.

Every data sheet has one header row, then one row per thing, so that a spreadsheet's filter, a
pivot table or pandas with its default arguments read it as it is:

- "About": what the file is, when it was made, what each level means;
- "Projects": one row per project, with its implementers, funders, budget and dates;
- "By period": one row per indicator or category and reporting period (target, actual, % met,
  cumulative, the narratives approved for it), the long table a pivot starts from;
- one sheet per project: the classic IPTT, a row per project, result, indicator and category
  (the level column says which), each carrying the codes it belongs to, with the target,
  actual and % met of every period side by side.

Figures come from the snapshots, like the dashboards and the API, so the file says exactly what
they say; the per-period figures of a category are those the snapshot keeps, and its target in
a period is its share of the period's target (indicators.progress decides both). The workbook is
written in openpyxl's write-only mode, projects a chunk at a time, into a temporary file: a
portfolio of any size never sits in memory at once.
"""

import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import IO, Any

from django.db.models import F, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.sheets import Share, Table, decimal, share, utc
from indicators import progress, wording
from indicators.models import (
    Indicator,
    IndicatorDimension,
    IndicatorSnapshot,
    Period,
    ProgressUpdate,
)
from indicators.selectors import spec_for
from projects.models import Funding, Partnership, Project, Result

from .templatetags.portal import status_label

CHUNK = 100
INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
FIXED_SHEETS = 3  # About, Projects, By period: the project sheets follow


def write_iptt(
    projects: Iterable[Project],
    *,
    title: str,
    progress: Callable[[int], None] | None = None,
) -> IO[bytes]:
    """The workbook for these projects, in a temporary file positioned at its start;
    `progress` is told how many projects are written after each chunk."""
    book = Workbook(write_only=True)
    _write_about(book.create_sheet(_("About")), title)
    summary = Table(book.create_sheet(_("Projects")), _project_columns())
    long = Table(book.create_sheet(_("By period")), _period_columns())
    titles: set[str] = {_("About"), _("Projects"), _("By period")}
    done = 0
    for chunk in _chunks(projects, CHUNK):
        loaded = _load(chunk)
        for project in chunk:
            summary.add(_project_summary(project, loaded))
            framework = _framework(project, loaded)
            heads = _iptt_columns(loaded.periods[project.pk])
            sheet = Table(
                book.create_sheet(_sheet_title(project, titles)),
                heads,
                widths={"B": 12, "D": 9, "F": 12, "G": 48},
            )
            periods = loaded.periods[project.pk]
            for line in framework:
                codes = _codes(project, line)
                figures = (
                    _period_figures(line.indicator, line, periods)
                    if line.indicator is not None
                    else []
                )
                sheet.add(_iptt_row(line, codes, figures, len(heads)))
                long.extend(_period_rows(line, codes, figures, periods, loaded))
            sheet.close()
        done += len(chunk)
        if progress is not None:
            progress(done)
    summary.close()
    long.close()
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    book.save(output)
    output.seek(0)
    return output


@dataclass
class _Loaded:
    """What a chunk of projects' sheets need, read in a fixed number of queries."""

    results: dict[int, list[Result]] = field(default_factory=lambda: defaultdict(list))
    indicators: dict[int, list[Indicator]] = field(default_factory=lambda: defaultdict(list))
    periods: dict[int, list[Period]] = field(default_factory=lambda: defaultdict(list))
    funders: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    implementers: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # (indicator, period start) → the narratives approved for that period
    narratives: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))


def _load(projects: list[Project]) -> _Loaded:
    ids = [project.pk for project in projects]
    by_id = {project.pk: project for project in projects}
    loaded = _Loaded()
    for result in Result.objects.filter(project_id__in=ids).order_by("order", "number"):
        loaded.results[result.project_id].append(result)
    for indicator in (
        Indicator.objects.filter(project_id__in=ids)
        .select_related("snapshot")
        .prefetch_related(
            Prefetch(
                "indicator_dimensions",
                IndicatorDimension.objects.select_related("dimension").prefetch_related(
                    "dimension__categories"
                ),
            )
        )
        .order_by(F("result__order").asc(nulls_last=True), "result__number", "order", "code")
    ):
        indicator.project = by_id[indicator.project_id]  # no query per indicator for its dates
        loaded.indicators[indicator.project_id].append(indicator)
    for period in Period.objects.filter(project_id__in=ids).order_by("start"):
        loaded.periods[period.project_id].append(period)
    for funding in Funding.objects.filter(project_id__in=ids).select_related("funder"):
        loaded.funders[funding.project_id].append(funding.funder.name)
    for partnership in Partnership.objects.filter(
        project_id__in=ids, role=Partnership.Role.IMPLEMENTING
    ).select_related("organisation"):
        loaded.implementers[partnership.project_id].append(partnership.organisation.name)
    _load_narratives(loaded, ids)
    return loaded


def _load_narratives(loaded: _Loaded, project_ids: list[int]) -> None:
    """Each approved narrative under the period it was reported for, else the one its date
    falls in (a project's periods do not overlap)."""
    for indicator_id, project_id, as_of, period_start, organisation, text in (
        ProgressUpdate.objects.filter(
            indicator__project_id__in=project_ids, status=ProgressUpdate.Status.APPROVED
        )
        .exclude(narrative="")
        .order_by("as_of", "pk")
        .values_list(
            "indicator_id",
            "indicator__project_id",
            "as_of",
            "period__start",
            "organisation__short_name",
            "narrative",
        )
    ):
        start = period_start or next(
            (p.start for p in loaded.periods[project_id] if p.start <= as_of <= p.end), None
        )
        if start is not None:
            said = f"{as_of.isoformat()} ({organisation}): {text}" if organisation else text
            loaded.narratives[(indicator_id, start.isoformat())].append(said)


def _chunks(projects: Iterable[Project], size: int) -> Iterator[list[Project]]:
    chunk: list[Project] = []
    for project in projects:
        chunk.append(project)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sheet_title(project: Project, taken: set[str]) -> str:
    base = INVALID_TITLE.sub(" ", project.code).strip()[:28] or "project"
    title, suffix = base, 1
    while title.lower() in {t.lower() for t in taken}:
        suffix += 1
        title = f"{base[:25]}~{suffix}"
    taken.add(title)
    return title


def _write_about(sheet: WriteOnlyWorksheet, title: str) -> None:
    table = Table(sheet, [_("Item"), _("Value")], widths={"A": 24, "B": 90})
    table.add([_("Title"), title])
    table.add([_("Generated (UTC)"), utc(timezone.now())])
    table.add([_("Figures"), _("Approved figures only, as computed by the portal.")])
    table.add(
        [
            _("Levels"),
            _(
                "Each project sheet has a row per project, result, indicator and category "
                "(see the Level column), each with the codes it belongs to: filter on one "
                "level before adding figures up."
            ),
        ]
    )
    table.add(
        [
            _("By period"),
            _(
                "One row per indicator or category and reporting period: the table to pivot. "
                "A category's target in a period is its share of the period's target."
            ),
        ]
    )
    table.add(
        [
            _("% met"),
            _(
                "What was achieved as a share of the target; a period's % met is against that "
                "period's own target."
            ),
        ]
    )
    table.close()


def _project_columns() -> list[str]:
    return [
        _("Project code"),
        _("Project"),
        _("Status"),
        _("Implementers"),
        _("Funders"),
        _("Budget"),
        _("Currency"),
        _("Start"),
        _("End"),
        _("Sectors (DAC)"),
        _("Indicators"),
    ]


def _project_summary(project: Project, loaded: _Loaded) -> list[Any]:
    return [
        project.code,
        project.translated("title"),
        project.get_status_display(),
        "; ".join(loaded.implementers[project.pk]),
        "; ".join(loaded.funders[project.pk]),
        project.budget,
        project.currency if project.budget is not None else None,
        project.start_date,
        project.end_date,
        ", ".join(project.sector_codes),
        len(loaded.indicators[project.pk]),
    ]


@dataclass(frozen=True)
class _Line:
    """One row of a project's table: the project, a result, an indicator or a category."""

    level: str
    result: Result | None = None
    indicator: Indicator | None = None
    dimension: str = ""
    category: str = ""
    category_row: Mapping[str, Any] | None = None  # the snapshot's, where it has a target


def _framework(project: Project, loaded: _Loaded) -> list[_Line]:
    lines = [_Line("project")]
    by_result: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in loaded.indicators[project.pk]:
        by_result[indicator.result_id].append(indicator)
    for result in loaded.results[project.pk]:
        lines.append(_Line("result", result=result))
        for indicator in by_result.pop(result.pk, []):
            lines += _indicator_lines(indicator, result)
    for indicator in by_result.pop(None, []):
        lines += _indicator_lines(indicator, None)
    return lines


def _indicator_lines(indicator: Indicator, result: Result | None) -> list[_Line]:
    snapshot = _snapshot(indicator)
    targeted = {(row["dimension"], row["category"]): row for row in snapshot.categories}
    lines = [_Line("indicator", result=result, indicator=indicator)]
    for use in indicator.indicator_dimensions.all():
        dimension = use.dimension
        for category in sorted(dimension.categories.all(), key=lambda c: (c.order, c.pk)):
            lines.append(
                _Line(
                    "category",
                    result=result,
                    indicator=indicator,
                    dimension=dimension.slug,
                    category=category.slug,
                    category_row=targeted.get((dimension.slug, category.slug)),
                )
            )
    return lines


def _snapshot(indicator: Indicator) -> IndicatorSnapshot:
    try:
        return indicator.snapshot
    except IndicatorSnapshot.DoesNotExist:
        return IndicatorSnapshot(indicator=indicator)


LEVELS = {
    "project": gettext_noop("project"),
    "result": gettext_noop("result"),
    "indicator": gettext_noop("indicator"),
    "category": gettext_noop("category"),
}


def _words(text: str) -> str:
    """A fixed word in the reader's language, looked up once per file, not once per row."""
    return _translated(text, translation.get_language())


@lru_cache(maxsize=256)
def _translated(text: str, _language: str | None) -> str:
    return _(text)


@lru_cache(maxsize=64)
def _status_word(status: str, _language: str | None) -> str:
    return status_label(status)


def _choice(model: Any, field: str, value: Any) -> str | None:
    """A choice's label, as get_FOO_display gives it, looked up once per file and language."""
    if value in (None, ""):
        return None
    return _choice_label(model, field, value, translation.get_language())


@lru_cache(maxsize=1024)
def _choice_label(model: Any, field: str, value: Any, _language: str | None) -> str:
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value))


def _codes(project: Project, line: _Line) -> list[Any]:
    """Level, project, result and indicator codes and names, dimension and category: the
    columns every row carries, so that a filtered or sorted row still says what it is."""
    result, indicator = line.result, line.indicator
    dimension_name = category_name = None
    if line.category and indicator is not None:
        use = next(
            u for u in indicator.indicator_dimensions.all() if u.dimension.slug == line.dimension
        )
        category = next(c for c in use.dimension.categories.all() if c.slug == line.category)
        dimension_name = use.dimension.translated("name")
        category_name = category.translated("name")
    name: str | None
    if line.level == "project":
        name = project.translated("title")
    elif line.level == "result" and result is not None:
        name = result.translated("title")
    else:
        name = indicator.translated("name") if indicator is not None else None
    return [
        _words(LEVELS[line.level]),
        project.code,
        result.number if result is not None else None,
        _choice(Result, "level", result.level) if result is not None else None,
        indicator.code if indicator is not None else None,
        name,
        dimension_name,
        category_name,
    ]


def _code_columns() -> list[str]:
    return [
        _("Level"),
        _("Project code"),
        _("Result"),
        _("Result level"),
        _("Indicator code"),
        _("Project, result or indicator"),
        _("Dimension"),
        _("Category"),
    ]


def _iptt_columns(periods: list[Period]) -> list[str]:
    heads = [
        *_code_columns(),
        _("Unit"),
        _("Measure"),
        _("Direction"),
        _("Updates combine"),
        _("Baseline"),
        _("Baseline year"),
        _("Target kind"),
        _("Target"),
        _("Target maximum"),
        _("Target share"),
    ]
    for period in periods:
        heads += [
            _("%(period)s target") % {"period": period.name},
            _("%(period)s actual") % {"period": period.name},
            _("%(period)s %% met") % {"period": period.name},
        ]
    return [
        *heads,
        _("Cumulative actual"),
        _("Numerator"),
        _("Denominator"),
        _("Achieved share"),
        _("% of target"),
        _("Status"),
        _("Standing"),
        _("Computed (UTC)"),
    ]


def _iptt_row(
    line: _Line, codes: list[Any], figures: list[tuple[Any, Any, Any, Any]], width: int
) -> list[Any]:
    row = list(codes)
    indicator = line.indicator
    if indicator is None:
        return row + [None] * (width - len(row))
    snapshot = _snapshot(indicator)
    if line.level == "indicator":
        row += [
            indicator.translated("unit") or indicator.currency or None,
            _choice(Indicator, "measure", indicator.measure),
            _choice(Indicator, "direction", indicator.direction),
            _choice(Indicator, "aggregation", indicator.aggregation),
            indicator.baseline_value,
            indicator.baseline_date.year if indicator.baseline_date else None,
            _choice(Indicator, "target_kind", indicator.target_kind)
            if indicator.has_figure_target
            else None,
            indicator.target_min if indicator.target_kind == "range" else indicator.target_value,
            indicator.target_max,
            None,
        ]
    else:
        category = line.category_row or {}
        row += [None] * 7 + [decimal(category.get("target_value")), None]
        row.append(share(category.get("target_share")))
    for target, actual, percent, _cumulative in figures:
        row += [target, actual, percent]
    if line.level == "indicator":
        percent = snapshot.percent_of_target
        row += [
            decimal(snapshot.achieved),
            decimal(snapshot.numerator),
            decimal(snapshot.denominator),
            None,
            share(percent, of_hundred=True),
            _status_word(snapshot.status, translation.get_language()),
            None,
        ]
    else:
        category = line.category_row or {}
        achieved = decimal(category["achieved_value"]) if category else _part(snapshot.parts, line)
        row += [
            achieved,
            None,
            None,
            share(category.get("achieved_share")) if category else _share_of(achieved, snapshot),
            None,
            wording.met_label(category.get("met")) if category else None,
            wording.of_snapshot(category) if category else None,
        ]
    row.append(utc(snapshot.computed_at) if snapshot.computed_at else None)
    return row


def _share_of(achieved: Decimal | None, snapshot: IndicatorSnapshot) -> Share | None:
    """A category without a target: its share of the indicator's achieved figure."""
    fraction = progress.share_of(achieved, snapshot.achieved)
    return None if fraction is None else Share(fraction.normalize())


def _period_figures(
    indicator: Indicator, line: _Line, periods: list[Period]
) -> list[tuple[Any, Any, Any, Any]]:
    """(target, actual, % met, cumulative) of the line in each period. A period not begun has
    no actual: the snapshot's cumulative figure would repeat there."""
    snapshot = _snapshot(indicator)
    by_start = {row["start"]: row for row in snapshot.periods}
    today = timezone.localdate()
    spec = spec_for(indicator, [])
    rows = []
    for period in periods:
        figures = by_start.get(period.start.isoformat(), {})
        begun = period.start <= today
        if line.level == "indicator":
            actual = decimal(figures.get("achieved_value")) if begun else None
            rows.append(
                (
                    decimal(figures.get("target_value")),
                    actual,
                    share(figures.get("percent"), of_hundred=True) if begun else None,
                    decimal(figures.get("cumulative_value")) if begun else None,
                )
            )
            continue
        category = line.category_row or {}
        target = progress.category_period_target(
            progress.CategoryTarget(
                dimension=line.dimension,
                category=line.category,
                target_share=decimal(category.get("target_share")),
            ),
            decimal(figures.get("target_value")),
        )
        reported = begun and figures.get("achieved_value") is not None
        actual = _part(figures.get("parts") or {}, line) if reported else None
        percent = progress.period_percent(spec, actual, target)
        rows.append((target, actual, share(percent, of_hundred=True), None))
    return rows


def _part(parts: Mapping[str, str], line: _Line) -> Decimal | None:
    """A category's figure among the parts reported. One never reported is unknown (the
    categories need not add up to the total), save where it has a target: there, as on every
    page, what was not reported in it counts as none yet."""
    value = decimal(parts.get(f"{line.dimension}/{line.category}"))
    if value is None and line.category_row is not None:
        return Decimal(0)
    return value


def _period_columns() -> list[str]:
    return [
        *_code_columns(),
        _("Period"),
        _("Period start"),
        _("Period end"),
        _("Target"),
        _("Actual"),
        _("% met"),
        _("Cumulative actual"),
        _("Narrative"),
    ]


def _period_rows(
    line: _Line,
    codes: list[Any],
    figures: list[tuple[Any, Any, Any, Any]],
    periods: list[Period],
    loaded: _Loaded,
) -> Iterator[list[Any]]:
    indicator = line.indicator
    if indicator is None:
        return
    for period, (target, actual, percent, cumulative) in zip(periods, figures, strict=True):
        narrative = (
            "\n".join(loaded.narratives.get((indicator.pk, period.start.isoformat()), []))
            if line.level == "indicator"
            else ""
        )
        yield [
            *codes,
            period.name,
            period.start,
            period.end,
            target,
            actual,
            percent,
            cumulative,
            narrative or None,
        ]
