"""The indicator performance tracking table (IPTT) as an XLSX workbook: one sheet per project,
one row per indicator and one per category under it, with targets and approved actuals per
reporting period.

Figures come from the snapshots, like the dashboards and the API, so the file says exactly what
they say. The workbook is written in openpyxl's write-only mode, projects a chunk at a time,
into a temporary file: a portfolio of any size never sits in memory at once.
"""

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import IO, Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from indicators import wording
from indicators.models import Indicator, IndicatorSnapshot, Period
from projects.models import Project

from .files import text_cell, xlsx_row
from .templatetags.portal import status_label
from .translations import category_name, dimension_name

CHUNK = 100
NUMBER = "#,##0.##"
PERCENT = "0.0%"
INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")


def write_iptt(projects: Iterable[Project], *, title: str) -> IO[bytes]:
    """The workbook for these projects, in a temporary file positioned at its start."""
    book = Workbook(write_only=True)
    about = book.create_sheet(_("About"))
    about.append([_cell(about, title, bold=True)])
    about.append(xlsx_row(about, [_("Approved figures only, as computed by the portal.")]))
    about.append(
        xlsx_row(about, [_("Generated"), _cell(about, timezone.localtime().replace(tzinfo=None))])
    )
    titles: set[str] = {_("About")}
    for chunk in _chunks(projects, CHUNK):
        indicators, periods = _load(chunk)
        for project in chunk:
            sheet = book.create_sheet(_sheet_title(project, titles))
            _write_project(sheet, project, indicators[project.pk], periods[project.pk])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    book.save(output)
    output.seek(0)
    return output


def _chunks(projects: Iterable[Project], size: int) -> Iterator[list[Project]]:
    chunk: list[Project] = []
    for project in projects:
        chunk.append(project)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _load(projects: list[Project]) -> tuple[dict[int, list[Indicator]], dict[int, list[Period]]]:
    ids = [project.pk for project in projects]
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(project_id__in=ids)
        .select_related("result", "snapshot")
        .order_by(F("result__order").asc(nulls_last=True), "result__number", "order", "code")
    ):
        indicators[indicator.project_id].append(indicator)
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(project_id__in=ids).order_by("start"):
        periods[period.project_id].append(period)
    return indicators, periods


def _sheet_title(project: Project, taken: set[str]) -> str:
    base = INVALID_TITLE.sub(" ", project.code).strip()[:28] or "project"
    title, suffix = base, 1
    while title.lower() in {t.lower() for t in taken}:
        suffix += 1
        title = f"{base[:25]}~{suffix}"
    taken.add(title)
    return title


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, fmt: str = "", bold: bool = False) -> Any:
    cell = text_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value=value)
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def _number(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if value in (None, ""):
        return None
    return _cell(sheet, Decimal(str(value)), fmt=NUMBER)


def _share(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if value in (None, ""):
        return None
    return _cell(sheet, Decimal(str(value)), fmt=PERCENT)


def columns(periods: list[Period]) -> list[str]:
    heads = [
        _("Result"),
        _("Code"),
        _("Indicator or category"),
        _("Unit"),
        _("Baseline"),
        _("Target kind"),
        _("Target"),
        _("Target maximum"),
        _("Target share"),
    ]
    for period in periods:
        heads += [
            _("%(period)s target") % {"period": period.name},
            _("%(period)s actual") % {"period": period.name},
        ]
    return [
        *heads,
        _("Cumulative actual"),
        _("Achieved share"),
        _("% of target"),
        _("Status"),
        _("Computed"),
    ]


def _write_project(
    sheet: WriteOnlyWorksheet, project: Project, indicators: list[Indicator], periods: list[Period]
) -> None:
    heads = columns(periods)
    sheet.freeze_panes = "D3"
    sheet.column_dimensions["A"].width = 28  # type: ignore[attr-defined]
    sheet.column_dimensions["C"].width = 48  # type: ignore[attr-defined]
    sheet.append([_cell(sheet, f"{project.code} · {project.title}", bold=True)])
    header = []
    for head in heads:
        cell = _cell(sheet, head, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for indicator in indicators:
        snapshot: IndicatorSnapshot | None = getattr(indicator, "snapshot", None)
        by_period = {row["start"]: row for row in (snapshot.periods if snapshot else [])}
        result = indicator.result
        row = [
            f"{result.number} {result.translated('title')}" if result else _("Project as a whole"),
            indicator.code,
            _cell(sheet, indicator.translated("name"), bold=True),
            indicator.translated("unit") or indicator.currency,
            _number(sheet, indicator.baseline_value),
            indicator.get_target_kind_display() if indicator.has_figure_target else None,
            _number(
                sheet,
                indicator.target_min
                if indicator.target_kind == "range"
                else indicator.target_value,
            ),
            _number(sheet, indicator.target_max),
            None,
        ]
        for period in periods:
            figures = by_period.get(period.start.isoformat(), {})
            row += [
                _number(sheet, figures.get("target_value")),
                _number(sheet, figures.get("achieved_value")),
            ]
        percent = snapshot.percent_of_target if snapshot else None
        row += [
            _number(sheet, snapshot.achieved if snapshot else None),
            None,
            _share(sheet, None if percent is None else percent / 100),
            status_label(snapshot.status if snapshot else "not_started"),
            _cell(sheet, _naive(snapshot.computed_at), fmt="yyyy-mm-dd hh:mm")
            if snapshot and snapshot.computed_at
            else None,
        ]
        sheet.append(xlsx_row(sheet, row))
        for category in snapshot.categories if snapshot else []:
            sheet.append(xlsx_row(sheet, _category_row(sheet, category, len(periods))))


def _category_row(sheet: WriteOnlyWorksheet, category: dict, period_count: int) -> list[Any]:
    label = f"    {category_name(category)} ({dimension_name(category)})"
    row: list[Any] = [
        None,
        None,
        label,
        None,
        None,
        None,
        _number(sheet, category["target_value"]),
        None,
        _share(sheet, category["target_share"]),
    ]
    row += [None, None] * period_count
    return [
        *row,
        _number(sheet, category["achieved_value"]),
        _share(sheet, category["achieved_share"]),
        None,
        wording.of_snapshot(category),
        None,
    ]


def _naive(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)
