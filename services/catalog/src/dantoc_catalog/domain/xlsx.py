"""XLSX bytes to rows of text and back. Cells are written as text so codes keep their leading zeros."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

from dantoc_catalog.domain.problems import problem
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_contracts.uploads import UNREADABLE, UploadLimits, UploadRefused, check_zip, guarded, limited, unreadable

XLSX_MAGIC = b"PK\x03\x04"
OPENPYXL_UNREADABLE: tuple[type[Exception], ...] = (*UNREADABLE, InvalidFileException)


def cell_text(value: object) -> str:
    """The text of a cell as an official typed it: whole numbers without `.0`, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def decode_xlsx(
    data: bytes, *, sheet: str, widths: dict[int, int], limits: UploadLimits
) -> tuple[list[list[str]], list[ProblemItem]]:
    """The rows of `sheet` (or the first sheet) as text. Numeric cells in `widths` columns get leading zeros.

    `widths` maps a 0-based column index to a code width, e.g. an indicator code typed as the number 101 → `0101`.
    A zip bomb, a damaged workbook (when opened or while its rows are read) or more rows than `limits` allow is
    one problem at `file`, never an exception.
    """
    try:
        check_zip(data, limits)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except OPENPYXL_UNREADABLE as error:
            raise unreadable("workbook", error) from error
        try:
            if sheet not in book.sheetnames and not book.worksheets:
                raise UploadRefused("unreadable_file", "the workbook has no worksheet")
            worksheet = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
            values = guarded(worksheet.iter_rows(values_only=True), f"sheet {worksheet.title}", OPENPYXL_UNREADABLE)
            rows = [
                [_padded(value, widths.get(i)) for i, value in enumerate(row)] for row in limited(values, limits.rows)
            ]
            return rows, []
        finally:
            book.close()
    except UploadRefused as refused:
        return [], [refused_problem(refused)]


def refused_problem(refused: UploadRefused) -> ProblemItem:
    return problem(refused.code, Location(field="file", row=refused.row), detail=refused.detail)


def _padded(value: object, width: int | None) -> str:
    text = cell_text(value)
    if width and isinstance(value, int | float) and not isinstance(value, bool) and text.isdigit():
        return text.zfill(width)
    return text


def _text_cell(worksheet: Any, text: str) -> Any:
    """A cell stored as text whatever it starts with: `=1+1` stays those characters, never a formula."""
    cell = WriteOnlyCell(worksheet, value=text)
    cell.data_type = "s"
    return cell


def encode_xlsx(rows: Sequence[Sequence[str]], *, sheet: str) -> bytes:
    """Rows of text as an XLSX workbook with one sheet; every cell is a text cell."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=sheet)
    for row in rows:
        worksheet.append([_text_cell(worksheet, text) if text else None for text in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
