"""An indicator definition as the catalogue file writes it: one row = one version of one indicator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dantoc_catalog.domain.tabular import ColumnSpec
from dantoc_contracts.catalog import Aggregation, ValueType
from dantoc_contracts.codes import Dimension, UnitLevel
from dantoc_contracts.periods import PeriodType

COLUMNS: tuple[str, ...] = (
    "code",
    "group_code",
    "group_name_vi",
    "group_name_en",
    "name_vi",
    "name_en",
    "unit_vi",
    "unit_en",
    "value_type",
    "aggregation",
    "numerator",
    "denominator",
    "factor",
    "disaggregations",
    "lowest_level",
    "period_type",
    "agency",
    "min_value",
    "max_value",
    "version",
    "effective_from",
    "source",
)

LABELS_VI: dict[str, str] = {
    "code": "Mã chỉ tiêu",
    "group_code": "Mã nhóm",
    "group_name_vi": "Tên nhóm",
    "group_name_en": "Tên nhóm (tiếng Anh)",
    "name_vi": "Tên chỉ tiêu",
    "name_en": "Tên chỉ tiêu (tiếng Anh)",
    "unit_vi": "Đơn vị tính",
    "unit_en": "Đơn vị tính (tiếng Anh)",
    "value_type": "Kiểu giá trị",
    "aggregation": "Cách tổng hợp",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "factor": "Hệ số",
    "disaggregations": "Phân tổ",
    "lowest_level": "Cấp báo cáo thấp nhất",
    "period_type": "Kỳ báo cáo",
    "agency": "Cơ quan chịu trách nhiệm",
    "min_value": "Giá trị nhỏ nhất",
    "max_value": "Giá trị lớn nhất",
    "version": "Phiên bản",
    "effective_from": "Hiệu lực từ ngày",
    "source": "Nguồn",
}

REQUIRED = frozenset(
    {
        "code",
        "group_code",
        "group_name_vi",
        "name_vi",
        "unit_vi",
        "value_type",
        "aggregation",
        "lowest_level",
        "period_type",
        "agency",
        "version",
        "effective_from",
    }
)

CATALOGUE_COLUMNS = ColumnSpec(names=COLUMNS, required=REQUIRED, labels_vi=LABELS_VI)
CODE_WIDTHS = {
    COLUMNS.index(name): width for name, width in (("code", 4), ("group_code", 2), ("numerator", 4), ("denominator", 4))
}
"""Numeric spreadsheet cells in these columns get their leading zeros back (101 → `0101`)."""


@dataclass(frozen=True)
class IndicatorGroup:
    code: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class IndicatorDefinition:
    """One version of one indicator. `effective_to` is not stored: it is the day before the next version starts."""

    code: str
    group: IndicatorGroup
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    value_type: ValueType
    aggregation: Aggregation
    numerator: str | None
    denominator: str | None
    factor: Decimal | None
    disaggregations: tuple[Dimension, ...]
    lowest_level: UnitLevel
    period_type: PeriodType
    agency: str
    min_value: Decimal | None
    max_value: Decimal | None
    version: int
    effective_from: date
    source: str

    def formula_inputs(self) -> tuple[str, ...]:
        return tuple(code for code in (self.numerator, self.denominator) if code)


def decimal_text(value: Decimal | None) -> str:
    """A decimal written without exponent, as it was read (`100`, `0.5`, `-100`)."""
    return "" if value is None else format(value, "f")


def definition_cells(definition: IndicatorDefinition) -> list[str]:
    """The row of the catalogue file for one definition, in `COLUMNS` order."""
    d = definition
    by_column = {
        "code": d.code,
        "group_code": d.group.code,
        "group_name_vi": d.group.name_vi,
        "group_name_en": d.group.name_en,
        "name_vi": d.name_vi,
        "name_en": d.name_en,
        "unit_vi": d.unit_vi,
        "unit_en": d.unit_en,
        "value_type": d.value_type.value,
        "aggregation": d.aggregation.value,
        "numerator": d.numerator or "",
        "denominator": d.denominator or "",
        "factor": decimal_text(d.factor),
        "disaggregations": " ".join(d.disaggregations),
        "lowest_level": d.lowest_level.value,
        "period_type": d.period_type.value,
        "agency": d.agency,
        "min_value": decimal_text(d.min_value),
        "max_value": decimal_text(d.max_value),
        "version": str(d.version),
        "effective_from": d.effective_from.isoformat(),
        "source": d.source,
    }
    return [by_column[name] for name in COLUMNS]
