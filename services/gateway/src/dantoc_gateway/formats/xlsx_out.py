"""XLSX ready to print: a title, the query and time, bold Vietnamese headers, frozen header, landscape fit-to-width;
formula-like text stored as text (`formats.cells`)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dantoc_gateway.formats.cells import is_formula_like
from dantoc_gateway.formats.table import Column

_THIN = Side(style="thin", color="999999")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ROW = 4


def render_xlsx(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], lang: str, *, title: str, subtitle: str
) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Số liệu" if lang == "vi" else "Data"
    _put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    exported = f"{subtitle} — {'Trích xuất lúc' if lang == 'vi' else 'Exported'} {stamp}"
    _put(sheet, 2, 1, exported).font = Font(italic=True, size=9)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=column.header(lang))
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, Border(_THIN, _THIN, _THIN, _THIN)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = _put(sheet, HEADER_ROW + count, index, value)
            if column.numeric:
                cell.number_format = "#,##0.##"
            else:
                cell.alignment = Alignment(wrap_text=column.width >= 28, vertical="top")
    _print_setup(sheet, len(columns), count)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """A cell holding `value`; formula-like text is stored as text (with Excel's quote prefix), never as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _print_setup(sheet: Any, width: int, count: int) -> None:
    last = get_column_letter(width)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last}{HEADER_ROW + max(count, 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.oddFooter.center.text = "Trang &P / &N"
