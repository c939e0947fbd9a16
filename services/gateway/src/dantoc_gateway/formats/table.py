"""Figures as a table with Vietnamese (or English) headers: the shape of the CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dantoc_gateway.domain.selection import Observation
from dantoc_gateway.formats.numbers import number
from dantoc_gateway.services.labels import Labels


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    width: int = 14
    numeric: bool = False

    def header(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


FIGURE_COLUMNS = (
    Column("indicator", "Mã chỉ tiêu", "Indicator code", 10),
    Column("indicator_name", "Tên chỉ tiêu", "Indicator", 48),
    Column("unit_code", "Mã đơn vị", "Unit code", 10),
    Column("unit_name", "Đơn vị hành chính", "Administrative unit", 28),
    Column("period", "Kỳ", "Period", 9),
    Column("ethnic_group", "Mã dân tộc", "Ethnic group code", 10),
    Column("ethnic_name", "Dân tộc", "Ethnic group", 16),
    Column("sex", "Giới tính", "Sex", 10),
    Column("age_group", "Nhóm tuổi", "Age group", 14),
    Column("residence", "Thành thị/Nông thôn", "Urban/rural", 14),
    Column("value", "Giá trị", "Value", 14, True),
    Column("measure", "Đơn vị tính", "Unit of measure", 12),
    Column("numerator", "Tử số", "Numerator", 14, True),
    Column("denominator", "Mẫu số", "Denominator", 14, True),
    Column("expected", "Số đơn vị phải báo cáo", "Units expected", 12, True),
    Column("reported", "Đã báo cáo", "Reported", 10, True),
    Column("no_data", "Báo không có số liệu", "Declared no data", 12, True),
    Column("silent", "Chưa báo cáo", "Not reported", 10, True),
)
CHANGE_COLUMNS = (
    Column("action", "Thao tác", "Action", 10),
    *FIGURE_COLUMNS,
    Column("updated_at", "Cập nhật lúc", "Updated at", 26),
)
ACTION_NAMES = {False: ("Cập nhật", "upsert"), True: ("Xóa", "delete")}


def figure_cells(obs: Observation, labels: Labels, lang: str) -> dict[str, Any]:
    """The printable cells of one observation, names in `lang`."""
    pick = 0 if lang == "vi" else 1
    indicator = labels.indicator(obs.indicator, obs.period)
    ethnic = labels.ethnic(obs.ethnic_group)
    return {
        "indicator": obs.indicator,
        "indicator_name": indicator.name_vi if pick == 0 else indicator.name_en,
        "unit_code": obs.unit_code,
        "unit_name": labels.unit(obs.unit_code, obs.period),
        "period": obs.period,
        "ethnic_group": labels.ethnic_code(obs.ethnic_group),
        "ethnic_name": ethnic[pick],
        "sex": labels.code("sex", obs.sex)[pick],
        "age_group": labels.code("age_group", obs.age_group)[pick],
        "residence": labels.code("residence", obs.residence)[pick],
        "value": number(obs.value),
        "measure": indicator.unit_vi if pick == 0 else indicator.unit_en,
        "numerator": number(obs.numerator),
        "denominator": number(obs.denominator),
        "expected": obs.expected,
        "reported": obs.reported,
        "no_data": obs.no_data,
        "silent": obs.silent,
        "action": ACTION_NAMES[obs.deleted][pick],
        "updated_at": obs.updated_at.isoformat(),
    }


def table_rows(
    observations: list[Observation], labels: Labels, lang: str, columns: tuple[Column, ...] = FIGURE_COLUMNS
) -> Iterator[list[Any]]:
    for obs in observations:
        cells = figure_cells(obs, labels, lang)
        yield [cells[c.key] for c in columns]
