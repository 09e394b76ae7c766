"""Hostile spreadsheets, generated: each is a few kilobytes or megabytes that once took the
import down (gigabytes of memory, a 500, rows read silently short)."""

import io
import re
import zipfile
from collections.abc import Callable, Sequence

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook(
    rows: Sequence[Sequence[object]], title: str = "Progress", more: tuple[str, ...] = ()
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for name in more:
        book.create_sheet(name)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(content: bytes, parts: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The same package with some parts rewritten (or added, given b"")."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, parts[name](data) if name in parts else data)
        for name in set(parts) - set(source.namelist()):
            target.writestr(name, parts[name](b""))
    return buffer.getvalue()


def _sheet_xml(dimension: str, rows: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def declared_huge(header: list[str]) -> bytes:
    """A header row and one row, in a sheet that says it spans A1:XFD19000."""
    content = workbook([header, ["X1"]])

    def declare(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD19000"', xml)
        # A last row at the bottom, so that every row between is one the reader pads.
        return xml.replace(b"</sheetData>", b'<row r="19000"><c r="A19000"/></row></sheetData>')

    return rewritten(content, {SHEET: declare})


def declared_small(header: list[str], rows: int, code: str) -> bytes:
    """`rows` rows under the header in a sheet that says it spans A1:O8."""
    head = "".join(_inline(f"{_letter(i)}1", name) for i, name in enumerate(header))
    body = "".join(
        f'<row r="{number}">{_inline(f"A{number}", code)}</row>' for number in range(2, rows + 2)
    )
    content = workbook([header])
    return rewritten(
        content, {SHEET: lambda _xml: _sheet_xml("A1:O8", f'<row r="1">{head}</row>{body}')}
    )


def whitespace_bomb(header: list[str], megabytes: int = 1500) -> bytes:
    """A sheet whose header row is followed by `megabytes` MB of spaces: about a thousandth
    of that once zipped."""
    head = "".join(_inline(f"{_letter(i)}1", name) for i, name in enumerate(header))
    source = zipfile.ZipFile(io.BytesIO(workbook([header])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name in source.namelist():
            if name != SHEET:
                target.writestr(name, source.read(name))
        with target.open(SHEET, "w", force_zip64=True) as part:
            part.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
                f'<row r="1">{head}</row>'.encode()
            )
            spaces = b" " * (4 << 20)
            for _ in range(megabytes // 4):
                part.write(spaces)
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def with_entities(header: list[str]) -> bytes:
    """A sheet whose XML declares a DOCTYPE with nested entities ("billion laughs")."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    head = "".join(_inline(f"{_letter(i)}1", name) for i, name in enumerate(header))
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{entities}]>'
        f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">{head}</row>'
        f'<row r="2">{_inline("A2", "&a9;")}</row></sheetData></worksheet>'
    ).encode()
    return rewritten(workbook([header]), {SHEET: lambda _xml: xml})


def utf16(header: list[str]) -> bytes:
    """The sheet's XML in UTF-16, where a DOCTYPE would not be seen byte by byte."""
    xml = _sheet_xml("A1:A1", '<row r="1"><c r="A1"><v>1</v></c></row>').decode()
    encoded = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    return rewritten(workbook([header]), {SHEET: lambda _xml: encoded})


def too_wide(header: list[str], columns: int) -> bytes:
    return workbook([header, ["X1", *([None] * (columns - 2)), "far right"]])


def not_a_zip() -> bytes:
    return b"PK\x03\x04" + b"\x00garbage" * 100


def no_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "not a spreadsheet")
    return buffer.getvalue()


def broken_xml(header: list[str]) -> bytes:
    return rewritten(workbook([header, ["X1"]]), {SHEET: lambda xml: xml[: len(xml) // 2]})


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
