"""The results-framework spreadsheet: the template the portal offers, and reading it back.

Reading only turns cells into values and says what is wrong with each row; whether the rows
make sense together is the import service's business."""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from core import workbooks
from core.files import xlsx_row
from indicators.models import Category, Dimension, Indicator
from indicators.services.definitions import CategoryTargetInput, DimensionUse
from projects.models import Result

RESULT_COLUMNS = ["Number", "Level", "Title", "Description"]
INDICATOR_COLUMNS = [
    "Result number",
    "Code",
    "Name",
    "Description",
    "Measure",
    "Unit",
    "How updates combine",
    "Direction",
    "Baseline",
    "Baseline date",
    "Target kind",
    "Target",
    "Target minimum",
    "Target maximum",
    "Target date",
    "Disaggregated by",
]
TARGET_COLUMNS = ["Indicator code", "Dimension", "Category", "Target value", "Target share (%)"]
MAX_ROWS = 2000
SHEETS = ("Results", "Indicators", "Category targets")
EXHAUSTIVE_MARK = "(exhaustive)"


def template(dimensions: Iterable[Dimension]) -> bytes:
    """An empty workbook with the three sheets to fill in, an example row on each, and the
    dimensions and categories that exist, by the slugs the sheets use."""
    book = Workbook()
    results = book.active
    assert results is not None
    results.title = "Results"
    _header(results, RESULT_COLUMNS)
    results.append(["1", "objective", "Women of La Ensenada earn a living", ""])
    results.append(["1.1", "outcome", "Women trained in a trade", ""])
    _choices(results, "B", Result.Level.values)

    indicators = book.create_sheet("Indicators")
    _header(indicators, INDICATOR_COLUMNS)
    indicators.append(
        [
            "1.1",
            "1.1.a",
            "Women trained",
            "",
            "count",
            "women",
            "sum",
            "increase",
            None,
            None,
            "at_least",
            40,
            None,
            None,
            None,
            "neighbourhood",
        ]
    )
    _choices(indicators, "E", Indicator.Measure.values)
    _choices(indicators, "G", Indicator.Aggregation.values)
    _choices(indicators, "H", Indicator.Direction.values)
    _choices(indicators, "K", Indicator.TargetKind.values)

    targets = book.create_sheet("Category targets")
    _header(targets, TARGET_COLUMNS)
    targets.append(["1.1.a", "neighbourhood", "los-jazmines", None, 60])

    reference = book.create_sheet("Dimensions")
    _header(reference, ["Dimension", "Category", "Dimension name", "Category name"])
    for category in (
        Category.objects.filter(dimension__in=list(dimensions))
        .select_related("dimension")
        .order_by("dimension__slug", "order")
    ):
        reference.append(
            xlsx_row(
                reference,
                [category.dimension.slug, category.slug, category.dimension.name, category.name],
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet: Any, columns: list[str]) -> None:
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _choices(sheet: Any, column: str, values: Iterable[str]) -> None:
    validation = DataValidation(type="list", formula1=f'"{",".join(values)}"', allow_blank=True)
    sheet.add_data_validation(validation)
    validation.add(f"{column}2:{column}{MAX_ROWS}")


@dataclass
class Row:
    sheet: str
    row: int

    def problem(self, message: str) -> str:
        return _("%(sheet)s, row %(row)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": message,
        }


@dataclass
class ResultRow(Row):
    number: str = ""
    level: str = ""
    title: str = ""
    description: str = ""

    @property
    def parent_number(self) -> str:
        return self.number.rpartition(".")[0]


@dataclass
class IndicatorRow(Row):
    code: str = ""
    result_number: str = ""
    definition: dict[str, Any] = field(default_factory=dict)


@dataclass
class Framework:
    results: list[ResultRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    category_targets: dict[str, list[CategoryTargetInput]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class CellError(ValueError):
    pass


def read_framework(upload: IO[bytes], dimensions: Iterable[Dimension]) -> Framework:
    content = workbooks.read_upload(upload)
    if not workbooks.is_xlsx(content):
        raise ValidationError(
            _("This file is not a spreadsheet the portal can read: upload the template as .xlsx.")
        )
    book = workbooks.open_workbook(content)
    framework = Framework()
    sheets = {name: workbooks.sheet_named(book, name) for name in SHEETS}
    missing = [name for name in ("Results", "Indicators") if sheets[name] is None]
    if missing:
        framework.errors.append(
            _("The spreadsheet has no sheet called %(sheet)s: start from the template.")
            % {"sheet": missing[0]}
        )
        return framework
    usable = {d.slug: d for d in dimensions}  # the project's own and the shared ones
    categories = {
        (c.dimension.slug, c.slug): c
        for c in Category.objects.filter(dimension__in=list(usable.values())).select_related(
            "dimension"
        )
    }
    for row, cells in _rows(sheets["Results"], RESULT_COLUMNS, framework):
        try:
            framework.results.append(_result(row, cells))
        except CellError as error:
            framework.errors.append(row.problem(str(error)))
    for row, cells in _rows(sheets["Indicators"], INDICATOR_COLUMNS, framework):
        try:
            framework.indicators.append(_indicator(row, cells, usable))
        except CellError as error:
            framework.errors.append(row.problem(str(error)))
    if sheets["Category targets"] is not None:
        for row, cells in _rows(sheets["Category targets"], TARGET_COLUMNS, framework):
            try:
                _target(framework, cells, categories)
            except CellError as error:
                framework.errors.append(row.problem(str(error)))
    return framework


def _rows(sheet: Any, columns: list[str], framework: Framework) -> Iterable[tuple[Row, dict]]:
    rows = workbooks.sheet_rows(sheet, limit=MAX_ROWS)
    first = next(rows, None)
    header = [str(cell).strip() if cell is not None else "" for cell in (first[1] if first else [])]
    if header[: len(columns)] != columns:
        framework.errors.append(
            _("The sheet %(sheet)s does not have the template's columns: %(columns)s.")
            % {"sheet": sheet.title, "columns": ", ".join(columns)}
        )
        return
    for number, values in rows:
        cells = dict(zip(columns, values, strict=False))
        if all(value is None or str(value).strip() == "" for value in cells.values()):
            continue
        yield Row(sheet.title, number), cells


def _text(cells: dict, column: str, required: bool = False, limit: int = 500) -> str:
    value = cells.get(column)
    text = "" if value is None else str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if "\x00" in text:
        raise CellError(_("%(column)s contains a NUL character.") % {"column": column})
    if required and not text:
        raise CellError(_("%(column)s is empty.") % {"column": column})
    if len(text) > limit:
        raise CellError(
            _("%(column)s is longer than %(limit)s characters.")
            % {"column": column, "limit": limit}
        )
    return text


def _choice(cells: dict, column: str, values: list[str], default: str) -> str:
    text = _text(cells, column).lower() or default
    if text not in values:
        raise CellError(
            _("%(column)s is “%(value)s”; use one of %(values)s.")
            % {"column": column, "value": text, "values": ", ".join(values)}
        )
    return text


def _number(cells: dict, column: str) -> Decimal | None:
    value = cells.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(_("%(column)s is not a number.") % {"column": column}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise CellError(_("%(column)s is not a number.") % {"column": column})
    return number


def _date(cells: dict, column: str) -> date | None:
    value = cells.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise CellError(
            _("%(column)s is not a date; write it as 2025-06-30.") % {"column": column}
        ) from None


def _result(row: Row, cells: dict) -> ResultRow:
    number = _text(cells, "Number", required=True, limit=16)
    return ResultRow(
        sheet=row.sheet,
        row=row.row,
        number=number,
        level=_choice(cells, "Level", Result.Level.values, ""),
        title=_text(cells, "Title", required=True),
        description=_text(cells, "Description", limit=10_000),
    )


def _indicator(row: Row, cells: dict, dimensions: dict[str, Dimension]) -> IndicatorRow:
    code = _text(cells, "Code", required=True, limit=32)
    uses = []
    for part in _text(cells, "Disaggregated by", limit=1000).split(";"):
        slug = part.replace(EXHAUSTIVE_MARK, "").strip()
        if not slug:
            continue
        if slug not in dimensions:
            raise CellError(
                _("there is no dimension “%(dimension)s”; see the Dimensions sheet.")
                % {"dimension": slug}
            )
        uses.append(DimensionUse(dimension=dimensions[slug], exhaustive=EXHAUSTIVE_MARK in part))
    definition = {
        "code": code,
        "name": _text(cells, "Name", required=True),
        "description": _text(cells, "Description", limit=10_000),
        "measure": _choice(cells, "Measure", Indicator.Measure.values, "count"),
        "unit": _text(cells, "Unit", limit=64),
        "aggregation": _choice(cells, "How updates combine", Indicator.Aggregation.values, "sum"),
        "direction": _choice(cells, "Direction", Indicator.Direction.values, "increase"),
        "baseline_value": _number(cells, "Baseline"),
        "baseline_date": _date(cells, "Baseline date"),
        "target_kind": _choice(cells, "Target kind", Indicator.TargetKind.values, "at_least"),
        "target_value": _number(cells, "Target"),
        "target_min": _number(cells, "Target minimum"),
        "target_max": _number(cells, "Target maximum"),
        "target_date": _date(cells, "Target date"),
        "dimensions": uses,
    }
    return IndicatorRow(
        sheet=row.sheet,
        row=row.row,
        code=code,
        result_number=_text(cells, "Result number", limit=16),
        definition=definition,
    )


def _target(framework: Framework, cells: dict, categories: dict[tuple[str, str], Category]) -> None:
    code = _text(cells, "Indicator code", required=True, limit=32)
    key = (_text(cells, "Dimension", required=True), _text(cells, "Category", required=True))
    if key not in categories:
        raise CellError(
            _("there is no category “%(category)s” in “%(dimension)s”; see the Dimensions sheet.")
            % {"dimension": key[0], "category": key[1]}
        )
    value = _number(cells, "Target value")
    share = _number(cells, "Target share (%)")
    if (value is None) == (share is None):
        raise CellError(_("give either a target value or a target share, not both."))
    if share is not None and not Decimal(0) <= share <= 100:
        raise CellError(_("a share must be between 0 % and 100 %."))
    framework.category_targets.setdefault(code, []).append(
        CategoryTargetInput(
            category=categories[key],
            value=value,
            share=None if share is None else (share / 100).quantize(Decimal("0.0001")),
        )
    )
