"""The downloadable template: XLSX prefilled with codes, Vietnamese labels and current values; or CSV in the same
columns. The XLSX keeps its unit, period and agency in a hidden `_meta` sheet, so the upload needs nothing else."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.cells import neutralised as neutral
from dantoc_contracts.codes import CANONICAL_ETHNIC_LIST
from dantoc_ingest.domain.templates import TemplateRow, TemplateSpec
from dantoc_ingest.files.columns import COLUMNS
from dantoc_ingest.files.readers import META_SHEET

FORMAT = "dantoc-ingest-template/1"
FIRST_ROW = 8  # data starts here; row 6 holds the Vietnamese headers, row 7 the (hidden) machine keys
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_HEAD = PatternFill("solid", fgColor="D9E1F2")
_HELP = (
    "Hướng dẫn: nhập số vào cột Giá trị. Nếu không có số liệu, ghi x vào cột 'Không có số liệu' và ghi lý do. "
    "Không sửa các cột mã. Dòng để trống không được báo cáo. Dân tộc khác: dùng các dòng trống cuối bảng."
)


def _text_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """A cell whose text is stored as text, never as a formula (openpyxl takes a leading `=` for one)."""
    cell = sheet.cell(row, column)
    cell.value = neutral(value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _names(catalog: CatalogView) -> dict[str, dict[str, str]]:
    names = {
        dim: {c: item.name_vi for c, item in catalog.code_lists.get(dim, {}).items()}
        for dim in ("sex", "age_group", "residence")
    }
    groups = catalog.ethnic.groups if catalog.ethnic else []
    names["ethnic_group"] = {g.code_gso_1979: g.name_vi for g in groups}
    return names


def _cells(row: TemplateRow, names: dict[str, dict[str, str]]) -> dict[str, Any]:
    c, current = row.coordinates, row.current
    return {
        "indicator": row.indicator,
        "indicator_name": row.indicator_name,
        "unit_of_measure": row.unit_of_measure,
        "ethnic_group": c.ethnic_code,
        "ethnic_group_name": names["ethnic_group"].get(c.ethnic_code or "", ""),
        "sex": c.sex,
        "sex_name": names["sex"].get(c.sex or "", ""),
        "age_group": c.age_group,
        "age_group_name": names["age_group"].get(c.age_group or "", ""),
        "residence": c.residence,
        "residence_name": names["residence"].get(c.residence or "", ""),
        "value": current.value if current and current.value is not None else None,
        "no_data": "x" if current and current.no_data else None,
        "no_data_reason": current.no_data_reason if current else None,
    }


def render_csv(spec: TemplateSpec, catalog: CatalogView) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.key for column in COLUMNS])
    names = _names(catalog)
    for row in spec.rows:
        cells = _cells(row, names)
        writer.writerow(["" if cells[c.key] is None else neutral(cells[c.key]) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens UTF-8 correctly


def render_xlsx(spec: TemplateSpec, catalog: CatalogView, *, extra_rows: int = 20) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Số liệu"
    _header(sheet, spec)
    names = _names(catalog)
    for offset, row in enumerate(spec.rows):
        cells = _cells(row, names)
        for position, column in enumerate(COLUMNS, start=1):
            cell = _text_cell(sheet, FIRST_ROW + offset, position, cells[column.key])
            if column.key in ("indicator", "ethnic_group", "sex", "age_group", "residence"):
                cell.number_format = "@"  # codes stay text: 0101, not 101
            if column.field in ("value", "no_data", "no_data_reason"):
                cell.fill = _INPUT
    _lists(book, sheet, catalog, FIRST_ROW + len(spec.rows), extra_rows)
    _meta(book, spec)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet: Worksheet, spec: TemplateSpec) -> None:
    sheet["A1"] = "BIỂU NHẬP SỐ LIỆU CHỈ TIÊU THỐNG KÊ CÔNG TÁC DÂN TỘC"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"Đơn vị hành chính: {spec.unit_code} – {spec.unit_name}    Kỳ báo cáo: {spec.period}"
    sheet["A3"] = f"Nhóm chỉ tiêu: {spec.group or 'tất cả'} – {spec.group_name}    Cơ quan báo cáo: {spec.agency}"
    sheet["A4"] = _HELP
    sheet["A4"].alignment = Alignment(wrap_text=False)
    for position, column in enumerate(COLUMNS, start=1):
        head = sheet.cell(6, position, column.label_vi)
        head.font, head.fill = Font(bold=True), _HEAD
        head.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(7, position, column.key).font = Font(color="808080", size=8)
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.row_dimensions[7].hidden = True
    sheet.freeze_panes = f"C{FIRST_ROW}"


def _choices(catalog: CatalogView) -> Iterator[tuple[str, list[str]]]:
    groups = catalog.ethnic.groups if catalog.ethnic else []
    yield "ethnic_group", [f"{g.code_gso_1979} - {g.name_vi}" for g in sorted(groups, key=lambda g: g.code_gso_1979)]
    for dim in ("sex", "age_group", "residence"):
        items = sorted(catalog.code_lists.get(dim, {}).values(), key=lambda i: i.sort_order)
        yield dim, [f"{i.code} - {i.name_vi}" for i in items]


def _lists(book: Workbook, sheet: Worksheet, catalog: CatalogView, first_blank: int, extra_rows: int) -> None:
    """A `Danh mục` sheet of codes, dropdowns from it in the blank rows, and an 'x' dropdown for no data."""
    lists = book.create_sheet("Danh mục")
    last = first_blank + max(extra_rows, 0) - 1
    positions = {column.key: get_column_letter(i) for i, column in enumerate(COLUMNS, start=1)}
    for number, (dim, choices) in enumerate(_choices(catalog), start=1):
        letter = get_column_letter(number)
        lists.cell(1, number, dim).font = Font(bold=True)
        for offset, choice in enumerate(choices, start=2):
            _text_cell(lists, offset, number, choice)
        lists.column_dimensions[letter].width = 28
        if choices and extra_rows > 0:
            rule = DataValidation(type="list", formula1=f"='Danh mục'!${letter}$2:${letter}${len(choices) + 1}")
            rule.add(f"{positions[dim]}{first_blank}:{positions[dim]}{last}")
            sheet.add_data_validation(rule)
    for row in range(first_blank, last + 1):
        for key in ("indicator", "ethnic_group", "sex", "age_group", "residence", "value", "no_data", "no_data_reason"):
            sheet[f"{positions[key]}{row}"].fill = _INPUT
    marks = DataValidation(type="list", formula1='"x"', allow_blank=True)
    marks.add(f"{positions['no_data']}{FIRST_ROW}:{positions['no_data']}{max(last, FIRST_ROW)}")
    sheet.add_data_validation(marks)


def _meta(book: Workbook, spec: TemplateSpec) -> None:
    meta = book.create_sheet(META_SHEET)
    rows = (
        ("format", FORMAT),
        ("unit_code", spec.unit_code),
        ("period", spec.period),
        ("group", spec.group or ""),
        ("agency", spec.agency),
        ("ethnic_code_list", CANONICAL_ETHNIC_LIST.value),
    )
    for number, (key, value) in enumerate(rows, start=1):
        meta.cell(number, 1, key)
        _text_cell(meta, number, 2, value).number_format = "@"
    meta.sheet_state = "hidden"
