"""Progress in bulk: the template a project offers (XLSX or CSV, its indicators, periods and
categories filled in) and reading a filled-in one back into rows for create_updates.

Reading turns cells into figures and names each problem by row and column; the services then
check every row as they check a form."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core import workbooks
from core.files import csv_row, xlsx_row
from indicators.models import Category, Indicator, IndicatorDimension, Period
from indicators.services.figures import Figures
from indicators.services.updates import NewUpdate
from partners.models import Organisation
from projects.models import Project

FIXED = [
    "Indicator code",
    "Indicator",
    "Period",
    "As of",
    "Organisation",
    "Value",
    "Numerator",
    "Denominator",
]
LAST = ["Narrative"]
MAX_ROWS = 20_000
FIELD_COLUMNS = {
    "indicator": "Indicator code",
    "as_of": "As of",
    "period": "Period",
    "organisation": "Organisation",
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "values": "",  # the category columns
    "narrative": "Narrative",
}
DONE = {"yes", "done", "1", "sí", "si", "true"}
NOT_DONE = {"no", "0", "not done", "false"}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Sheet:
    rows: list[tuple[int, NewUpdate]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def category_columns(project: Project) -> list[tuple[str, Category]]:
    """A column per category of the dimensions the project's indicators use."""
    dimension_ids = set(
        IndicatorDimension.objects.filter(indicator__project=project).values_list(
            "dimension_id", flat=True
        )
    )
    categories = Category.objects.filter(dimension_id__in=dimension_ids).select_related("dimension")
    return [
        (f"{c.dimension.name}: {c.name}", c)
        for c in sorted(categories, key=lambda c: (c.dimension.name, c.order, c.name))
    ]


def header(project: Project) -> list[str]:
    return [*FIXED, *(name for name, _c in category_columns(project)), *LAST]


def _starter_rows(project: Project) -> list[list[Any]]:
    today = timezone.localdate()
    begun = [p for p in project.periods.order_by("start") if p.start <= today]
    period = begun[-1].name if begun else ""
    width = len(header(project))
    rows = []
    for indicator in project.indicators.order_by("order", "code"):
        row: list[Any] = [indicator.code, indicator.name, period]
        rows.append(row + [None] * (width - len(row)))
    return rows


def template_xlsx(project: Project) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Progress"
    sheet.append(xlsx_row(sheet, header(project)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    for row in _starter_rows(project):
        sheet.append(xlsx_row(sheet, row))
    lists = book.create_sheet("Lists")
    lists.append(["Periods", "Start", "End", "", "Indicators", "Measure", "Unit"])
    periods = list(project.periods.order_by("start"))
    indicators = list(project.indicators.order_by("order", "code"))
    for position in range(max(len(periods), len(indicators))):
        p = periods[position] if position < len(periods) else None
        i = indicators[position] if position < len(indicators) else None
        lists.append(
            xlsx_row(
                lists,
                [
                    p.name if p else None,
                    p.start if p else None,
                    p.end if p else None,
                    None,
                    i.code if i else None,
                    i.get_measure_display() if i else None,
                    i.unit if i else None,
                ],
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_csv(project: Project) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_row(header(project)))
    writer.writerows(csv_row(row) for row in _starter_rows(project))
    return buffer.getvalue()


def _records(upload: IO[bytes], name: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of each row of the file, header first, streamed and bounded."""
    content = workbooks.read_upload(upload)
    if name.lower().endswith(".csv") or not workbooks.is_xlsx(content):
        return workbooks.csv_rows(content, limit=MAX_ROWS)
    book = workbooks.open_workbook(content)
    sheet = workbooks.sheet_named(book, "Progress", or_first=True)
    if sheet is None:
        raise ValidationError(_("The spreadsheet has no sheet of rows: start from the template."))
    return workbooks.sheet_rows(sheet, limit=MAX_ROWS)


def read(project: Project, upload: IO[bytes], name: str) -> Sheet:
    """The rows of a filled-in template, and what is wrong with each cell."""
    records = _records(upload, name)
    sheet = Sheet()
    first = next(records, None)
    if first is None:
        sheet.problems.append(Problem(0, "", _("The file is empty.")))
        return sheet
    columns = [str(cell or "").strip() for cell in first[1]]
    missing = [column for column in (*FIXED, *LAST) if column not in columns]
    if missing:
        sheet.problems.append(
            Problem(
                1,
                "",
                _("Columns missing: %(columns)s. Start from the template.")
                % {"columns": ", ".join(missing)},
            )
        )
        return sheet
    indicators = {i.code.lower(): i for i in project.indicators.select_related("project")}
    periods = {p.name.lower(): p for p in project.periods.all()}
    organisations = {o.short_name.lower(): o for o in Organisation.objects.all()}
    categories = dict(category_columns(project))
    position = {column: index for index, column in enumerate(columns)}
    for number, record in records:
        cells = {
            column: record[index] if index < len(record) else None
            for column, index in position.items()
        }
        if all(_blank(value) for value in cells.values()):
            continue
        row = _row(number, cells, indicators, periods, organisations, categories, sheet)
        if row is not None:
            # Checked by the services too, even with cells that did not read, so that every
            # problem of the row is listed at once.
            sheet.rows.append((number, row))
    return sheet


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> Decimal:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        number = Decimal(_text(value).replace(" ", "").replace(",", ""))
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise InvalidOperation
    return number


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(text)


def _row(
    number: int,
    cells: dict[str, Any],
    indicators: dict[str, Indicator],
    periods: dict[str, Period],
    organisations: dict[str, Organisation],
    categories: dict[str, Category],
    sheet: Sheet,
) -> NewUpdate | None:
    """Read every cell of the row, naming each that cannot be read; return what did read for
    the services to check, or None where the indicator is unknown."""

    def problem(column: str, message: str) -> None:
        sheet.problems.append(Problem(number, column, message))

    indicator = indicators.get(_text(cells["Indicator code"]).lower())
    if indicator is None:
        problem("Indicator code", _("No indicator of this project has this code."))
    as_of: date | None = None
    if not _blank(cells["As of"]):
        try:
            as_of = _day(cells["As of"])
        except ValueError:
            problem("As of", _("This is not a date: write it as 2025-06-30."))
    period: Period | None = None
    period_name = _text(cells["Period"])
    if period_name:
        period = periods.get(period_name.lower())
        if period is None:
            problem(
                "Period", _("The project has no period called “%(name)s”.") % {"name": period_name}
            )
    organisation = None
    if not _blank(cells["Organisation"]):
        organisation = organisations.get(_text(cells["Organisation"]).lower())
        if organisation is None:
            problem("Organisation", _("No organisation has this short name."))
    milestone = indicator is not None and indicator.measure == Indicator.Measure.MILESTONE
    numbers: dict[str, Decimal | None] = {}
    for column in ("Value", "Numerator", "Denominator"):
        raw = cells[column]
        numbers[column] = None
        if _blank(raw):
            continue
        if column == "Value" and milestone:
            text = _text(raw).lower()
            numbers[column] = (
                Decimal(1) if text in DONE else Decimal(0) if text in NOT_DONE else None
            )
            if numbers[column] is None:
                problem(column, _("Write yes or no."))
            continue
        try:
            numbers[column] = _number(raw)
        except (InvalidOperation, ValueError):
            problem(column, _("This is not a number of at most 15 digits."))
    parts: dict[Category, Decimal] = {}
    for column, category in categories.items():
        raw = cells.get(column)
        if _blank(raw):
            continue
        try:
            parts[category] = _number(raw)
        except (InvalidOperation, ValueError):
            problem(column, _("This is not a number of at most 15 digits."))
    if indicator is None:
        return None
    return NewUpdate(
        indicator=indicator,
        organisation=organisation,
        figures=Figures(
            as_of=as_of,
            period=period,
            value=numbers["Value"],
            numerator=numbers["Numerator"],
            denominator=numbers["Denominator"],
            parts=parts,
            narrative=_text(cells["Narrative"]),
        ),
    )


def row_problems(error: ValidationError, number: int, category_names: list[str]) -> list[Problem]:
    """A service's refusal of one row, each message under the column it concerns."""
    if not hasattr(error, "error_dict"):
        return [Problem(number, "", message) for message in error.messages]
    problems: list[Problem] = []
    for key, messages in error.message_dict.items():
        column = FIELD_COLUMNS.get(key, "")
        if key == "values":
            column = ", ".join(category_names)
        problems.extend(Problem(number, column, message) for message in messages)
    return problems
