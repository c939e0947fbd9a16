"""The columns of the template table, shared by the XLSX template and the CSV format."""

from __future__ import annotations

from dataclasses import dataclass

from dantoc_contracts.codes import nfc


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # machine name: the CSV header and the (hidden) key row of the template
    label_vi: str  # header shown to officials
    field: str | None  # the draft field it fills (its problems point at this column); None: display only
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("indicator", "Mã chỉ tiêu", "indicator", 10),
    Column("indicator_name", "Tên chỉ tiêu", None, 48),
    Column("unit_of_measure", "Đơn vị tính", None, 11),
    Column("ethnic_group", "Mã dân tộc", "disaggregation.ethnic_group.code", 14),
    Column("ethnic_group_name", "Dân tộc", None, 14),
    Column("sex", "Mã giới tính", "disaggregation.sex", 9),
    Column("sex_name", "Giới tính", None, 9),
    Column("age_group", "Mã nhóm tuổi", "disaggregation.age_group", 10),
    Column("age_group_name", "Nhóm tuổi", None, 14),
    Column("residence", "Mã thành thị/nông thôn", "disaggregation.residence", 11),
    Column("residence_name", "Thành thị/nông thôn", None, 12),
    Column("value", "Giá trị", "value", 14),
    Column("no_data", "Không có số liệu (ghi x)", "no_data", 12),
    Column("no_data_reason", "Lý do không có số liệu", "no_data_reason", 32),
)
OPTIONAL: tuple[Column, ...] = (
    Column("ethnic_code_list", "Danh mục mã dân tộc", "disaggregation.ethnic_group.code_list", 12),
)
REQUIRED = ("indicator", "value")
_BY_NAME = {name: column for column in COLUMNS + OPTIONAL for name in (column.key, nfc(column.label_vi).casefold())}


def is_header(cell: object) -> bool:
    """True for the header text of the indicator column (in either header row)."""
    return (
        isinstance(cell, str)
        and (_BY_NAME.get(nfc(cell.strip()).casefold()) or _BY_NAME.get(cell.strip())) is COLUMNS[0]
    )


def header_index(cells: list[object]) -> dict[str, int]:
    """Column key → position, for a header of machine keys or of the Vietnamese labels."""
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        if isinstance(cell, str):
            column = _BY_NAME.get(cell.strip()) or _BY_NAME.get(nfc(cell.strip()).casefold())
            if column is not None:
                found.setdefault(column.key, position)
    return found
