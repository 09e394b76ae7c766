"""A library as a spreadsheet: the portal's own format (one row per indicator under a header of
the column names below), or any other list once the person loading it has said which of its
columns holds what. Reading only turns cells into texts by field; the service checks them."""

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core import workbooks
from core.files import xlsx_row

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MAX_ROWS = 5_000
SHEET = "library"


@dataclass(frozen=True)
class Field:
    key: str  # the column's name in the portal's own format
    label: "str | StrPromise"
    help: "str | StrPromise"


FIELDS = (
    Field("code", gettext_lazy("Code"), gettext_lazy("Required; once per library.")),
    Field("name_en", gettext_lazy("Name in English"), gettext_lazy("Name, English.")),
    Field("name_es", gettext_lazy("Name in Spanish"), gettext_lazy("Name, Spanish.")),
    Field("name_fr", gettext_lazy("Name in French"), gettext_lazy("Name, French.")),
    Field(
        "measure",
        gettext_lazy("Measure"),
        gettext_lazy("count, percentage, amount, milestone or qualitative."),
    ),
    Field("unit", gettext_lazy("Unit"), gettext_lazy("people, m², plans…")),
    Field(
        "aggregation",
        gettext_lazy("How figures combine"),
        gettext_lazy("sum (the default) or latest."),
    ),
    Field(
        "disaggregations",
        gettext_lazy("Required disaggregations"),
        gettext_lazy("The dimensions' slugs, separated by semicolons: sex; age-group."),
    ),
    Field(
        "methodology", gettext_lazy("Methodology"), gettext_lazy("A link to how it is measured.")
    ),
    Field("tags", gettext_lazy("Tags"), gettext_lazy("For example an SDG target code.")),
)
KEYS = tuple(field.key for field in FIELDS)


def _rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    if workbooks.is_xlsx(content):
        book = workbooks.open_workbook(content)
        sheet = workbooks.sheet_named(book, SHEET, or_first=True)
        if sheet is None:
            raise workbooks.unreadable()
        yield from workbooks.sheet_rows(sheet, limit=MAX_ROWS)
    else:
        yield from workbooks.csv_rows(content, limit=MAX_ROWS)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def header(content: bytes) -> list[str]:
    """The names in the file's first row (a blank name as "")."""
    for _number, values in _rows(content):
        names = [_text(value) for value in values]
        while names and not names[-1]:
            names.pop()
        if not any(names):
            break
        return names
    raise ValidationError(_("The file has no header row: its first row names its columns."))


def guessed_columns(names: list[str]) -> dict[str, int]:
    """Which column holds each field, where the header says so in the portal's own words."""
    known = {key: key for key in KEYS}
    known.update({str(field.label).casefold(): field.key for field in FIELDS})
    guessed: dict[str, int] = {}
    for position, name in enumerate(names):
        key = known.get(name.casefold()) or known.get(name)
        if key is not None and key not in guessed:
            guessed[key] = position
    return guessed


def rows(content: bytes, columns: Mapping[str, int]) -> list[tuple[int, dict[str, str]]]:
    """(row number, {field: text}) of each filled row under the header, the fields read from
    the chosen columns."""
    found = []
    for number, values in _rows(content):
        if number == 1:
            continue
        texts = {
            key: _text(values[position]) if position < len(values) else ""
            for key, position in columns.items()
        }
        if any(texts.values()):
            found.append((number, texts))
    return found


def template() -> bytes:
    """The portal's own format: the header, then a sheet saying what each column takes."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(xlsx_row(sheet, list(KEYS)))
    notes = book.create_sheet(_("Columns"))
    notes.append(xlsx_row(notes, [_("Column"), _("What it holds")]))
    for field in FIELDS:
        notes.append(xlsx_row(notes, [field.key, f"{field.label}: {field.help}"]))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
