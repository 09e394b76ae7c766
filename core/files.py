"""What every file the portal writes from people's text shares: text is data, never a formula.

Spreadsheet programs run a cell that starts with "=" (and, in CSV, "+", "-", "@", a tab or a
carriage return) as a formula. In XLSX files text is written as a string cell, whatever it
starts with; in CSV files such a cell is prefixed with a single quote, as OWASP's guidance on
CSV injection recommends. Numbers are left as numbers."""

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting like a formula gets a leading "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_safe(value) for value in values]


def text_cell(sheet: Any, value: str) -> Cell:
    """A string cell, even for "=HYPERLINK(…)": openpyxl would otherwise store a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row to append to `sheet` with every text as a string cell; other values as they are."""
    return [text_cell(sheet, value) if isinstance(value, str) else value for value in values]
