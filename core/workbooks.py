"""Reading a spreadsheet someone uploaded without letting it exhaust the server.

An XLSX file is a zip of XML parts. A few kilobytes can declare a sheet of 16,384 columns by
19,000 rows (which openpyxl would pad cell by cell), inflate to gigabytes, or carry a DOCTYPE
whose entities expand. So the package is checked before anything is parsed: its size, what
its parts say they inflate to (zipfile never inflates a part beyond that), how many parts and
sheets it has, and that no part declares a DOCTYPE. Rows are then streamed, with the sheet's
own declared dimensions ignored (they can be wrong both ways), and reading stops at the row
limit with a message that says so. Whatever goes wrong, the caller gets a ValidationError
with a message in the user's language, never a parser's exception."""

import csv
import io
import zlib
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile, LargeZipFile, ZipFile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # as evidence files; the proxy takes 6 MB bodies
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# openpyxl keeps every shared string in memory, so their part has a bound of its own.
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_PARTS = 1_000
MAX_SHEETS = 20
MAX_COLUMNS = 200
_CHUNK = 64 * 1024
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_LONGEST = max(len(marker) for marker in _FORBIDDEN)
# What a malformed package or part raises from zipfile, zlib, the XML parser or openpyxl.
_MALFORMED = (
    BadZipFile,
    LargeZipFile,
    InvalidFileException,
    ParseError,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    OSError,
    TypeError,
    ValueError,
    AttributeError,
)


def unreadable() -> ValidationError:
    return ValidationError(
        _("This file is not a spreadsheet the portal can read: start from the template.")
    )


def read_upload(upload: IO[bytes]) -> bytes:
    """The uploaded file's bytes, refused beyond MAX_UPLOAD_BYTES without reading the rest."""
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise too_large()
    return content


def too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s MB: split it and import each part.")
        % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
    )


def is_xlsx(content: bytes) -> bool:
    return content.startswith(b"PK")


def _check_package(content: bytes) -> None:
    """Refuse, before parsing, a package too big once inflated or carrying a DOCTYPE."""
    with ZipFile(io.BytesIO(content)) as package:
        parts = package.infolist()
        if len(parts) > MAX_PARTS:
            raise unreadable()
        if sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
            raise ValidationError(
                _(
                    "Unpacked, this spreadsheet would take more than %(limit)s MB: "
                    "split it and import each part."
                )
                % {"limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
            )
        for part in parts:
            if part.filename.lower().endswith("sharedstrings.xml") and (
                part.file_size > MAX_SHARED_STRINGS_BYTES
            ):
                raise ValidationError(
                    _("The spreadsheet holds more than %(limit)s MB of text: split it.")
                    % {"limit": MAX_SHARED_STRINGS_BYTES // (1024 * 1024)}
                )
            # Every part, whatever its name: a workbook's relations can point a sheet anywhere.
            _check_part(package, part.filename)


def _check_part(package: ZipFile, name: str) -> None:
    with package.open(name) as stream:
        tail = b""
        first = True
        while chunk := stream.read(_CHUNK):
            if first and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:4]):
                raise unreadable()  # UTF-16 or UTF-32, where the markers below would hide
            first = False
            window = tail + chunk
            if any(marker in window for marker in _FORBIDDEN):
                raise ValidationError(
                    _(
                        "This spreadsheet declares XML entities, which the portal does not "
                        "read: save it again as .xlsx from your spreadsheet program."
                    )
                )
            tail = window[-_LONGEST:]


def open_workbook(content: bytes) -> Workbook:
    """The workbook, read-only, once its package has passed the checks above."""
    try:
        _check_package(content)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ValidationError:
        raise
    except _MALFORMED:
        raise unreadable() from None
    if len(book.sheetnames) > MAX_SHEETS:
        raise ValidationError(
            _("The spreadsheet has more than %(limit)s sheets: keep only the template's.")
            % {"limit": MAX_SHEETS}
        )
    return book


def sheet_named(book: Workbook, name: str, *, or_first: bool = False) -> ReadOnlyWorksheet | None:
    """The sheet of rows called `name` (or, with `or_first`, the first sheet of rows)."""
    sheets = [sheet for sheet in book.worksheets if isinstance(sheet, ReadOnlyWorksheet)]
    for sheet in sheets:
        if sheet.title == name:
            return sheet
    if or_first and sheets:
        return sheets[0]
    return None


def sheet_rows(sheet: ReadOnlyWorksheet, *, limit: int) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of each row, the header included, streamed. Stops with a
    ValidationError at row `limit` + 2 (a header and `limit` rows were read) rather than
    dropping the rest, and at a value beyond MAX_COLUMNS."""
    sheet.reset_dimensions()  # the file's own claim, which can be far too large or too small
    try:
        # openpyxl's stubs type iter_rows for the full Worksheet only.
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)  # type: ignore[misc]
        for number, values in enumerate(rows, start=1):
            yield number, _within(list(values), number, sheet.title, limit)
    except ValidationError:
        raise
    except _MALFORMED:
        raise unreadable() from None


def csv_rows(content: bytes, *, limit: int) -> Iterator[tuple[int, list[Any]]]:
    """The same for a UTF-8 CSV file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is neither an .xlsx spreadsheet nor a UTF-8 CSV file.")
        ) from None
    if "\x00" in text:
        raise ValidationError(_("The file contains NUL characters: it is not a CSV file."))
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text)), start=1):
            yield number, _within(list(values), number, "CSV", limit)
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file cannot be read (%(reason)s): save it again as CSV UTF-8.")
            % {"reason": error}
        ) from None


def _within(values: list[Any], number: int, sheet: str, limit: int) -> list[Any]:
    if number > limit + 1:
        raise ValidationError(
            _(
                "Reading stopped at row %(row)s of %(sheet)s: at most %(limit)s rows are read "
                "at a time. Split the file and import each part."
            )
            % {"row": f"{number:,}", "sheet": sheet, "limit": f"{limit:,}"}
        )
    if len(values) > MAX_COLUMNS and any(_filled(value) for value in values[MAX_COLUMNS:]):
        raise ValidationError(
            _(
                "Row %(row)s of %(sheet)s has values beyond column %(column)s: at most "
                "%(limit)s columns are read."
            )
            % {
                "row": f"{number:,}",
                "sheet": sheet,
                "column": get_column_letter(MAX_COLUMNS),
                "limit": MAX_COLUMNS,
            }
        )
    return values[:MAX_COLUMNS]


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
