"""Writing data sheets that spreadsheets, pivots and pandas read as they are: one bold header
row, frozen and printed on every page, then data under a filter; numbers that print as they
are; text that stays text, whatever it starts with."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .files import text_cell

PERCENT = "0.0%"
DAY = "yyyy-mm-dd"
MOMENT = "yyyy-mm-dd hh:mm"


class Table:
    """A sheet with one bold header row, frozen and repeated on every printed page, then data,
    with a filter over it all; printed landscape, as wide as one page."""

    def __init__(
        self,
        sheet: Any,  # WriteOnlyWorksheet: its page set-up and filter come from Worksheet
        heads: list[str],
        widths: Mapping[str, int] | None = None,
    ) -> None:
        self.sheet = sheet
        self.width = len(heads)
        self.rows = 1
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        for column, width in (widths or {}).items():
            sheet.column_dimensions[column].width = width
        header = []
        for head in heads:
            title = cell(sheet, head)
            title.font = Font(bold=True)
            title.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(title)
        sheet.append(header)

    def add(self, values: list[Any]) -> None:
        self.sheet.append([cell(self.sheet, value) for value in values])
        self.rows += 1

    def extend(self, rows: Iterable[list[Any]]) -> None:
        for row in rows:
            self.add(row)

    def close(self) -> None:
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows}"


def number_format(value: Decimal) -> str:
    """A format that prints the figure as it is: 160 as 160, 12.5 as 12.5, 1234.25 as
    1,234.25; never "160." as a format with optional decimals would."""
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")


@dataclass(frozen=True)
class Share:
    """A fraction shown as a percentage."""

    value: Decimal


def cell(sheet: Any, value: Any) -> Any:
    """A write-only cell holding `value` with the format that shows it as it is."""
    if isinstance(value, str):
        return text_cell(sheet, value)
    if isinstance(value, Share):
        fraction: Any = value.value  # openpyxl writes a Decimal as the number it is
        written = WriteOnlyCell(sheet, value=fraction)
        written.number_format = PERCENT
        return written
    written = WriteOnlyCell(sheet, value=value)
    if isinstance(value, Decimal):
        written.number_format = number_format(value)
    elif isinstance(value, datetime):
        written.number_format = MOMENT
    elif isinstance(value, date):
        written.number_format = DAY
    return written


def decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).normalize()


def share(value: Any, *, of_hundred: bool = False) -> Share | None:
    number = decimal(value)
    if number is None:
        return None
    return Share(number / 100 if of_hundred else number)


def utc(moment: datetime) -> datetime:
    """A moment in UTC without its zone (spreadsheets keep none) and without microseconds."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
