"""A tiny literal catalog: two maps (legacy with districts, current without), a handful of indicators.

Legacy map (until 2025-06-30)            Current map (from 2025-07-01)
VN                                       VN
└─ 02 Hà Giang                           └─ 02 Tuyên Quang (new)
   ├─ 026 Đồng Văn                          ├─ 00715 (absorbed 00718)
   │  ├─ 00715                              └─ 00721
   │  └─ 00718
   └─ 027 Mèo Vạc
      └─ 00721
└─ 04 Cao Bằng                           └─ 04 Cao Bằng
   └─ 040 Thành phố                         └─ 01000
      └─ 01000
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from dantoc_contracts.catalog import (
    AdminUnitPublished,
    Aggregation,
    Formula,
    IndicatorPublished,
    IndicatorVersion,
    ValueType,
    catalog_key,
)
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef, UnitLevel
from dantoc_contracts.periods import PeriodType
from dantoc_contracts.submissions import Disaggregation
from dantoc_contracts.values import CellChange, CellValue, ValuesAccepted

LEGACY_END = date(2025, 6, 30)
CURRENT_START = date(2025, 7, 1)


def _unit(code: str, level: UnitLevel, parent: str | None, *, legacy: bool) -> AdminUnitPublished:
    return AdminUnitPublished(
        code=code,
        level=level,
        name=f"Đơn vị {code}",
        type="Xã" if level is UnitLevel.COMMUNE else "Tỉnh",
        parent_code=parent,
        valid_from=None if legacy else CURRENT_START,
        valid_to=LEGACY_END if legacy else None,
    )


def units() -> list[AdminUnitPublished]:
    province, district, commune = UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE
    legacy = [
        _unit("02", province, None, legacy=True),
        _unit("026", district, "02", legacy=True),
        _unit("027", district, "02", legacy=True),
        _unit("00715", commune, "026", legacy=True),
        _unit("00718", commune, "026", legacy=True),
        _unit("00721", commune, "027", legacy=True),
        _unit("04", province, None, legacy=True),
        _unit("040", district, "04", legacy=True),
        _unit("01000", commune, "040", legacy=True),
    ]
    current = [
        _unit("02", province, None, legacy=False),
        _unit("00715", commune, "02", legacy=False),
        _unit("00721", commune, "02", legacy=False),
        _unit("04", province, None, legacy=False),
        _unit("01000", commune, "04", legacy=False),
    ]
    return legacy + current


def indicator(
    code: str,
    aggregation: Aggregation,
    dims: tuple[str, ...] = (),
    *,
    formula: tuple[str, str, int] | None = None,
    lowest: UnitLevel = UnitLevel.COMMUNE,
) -> IndicatorPublished:
    version = IndicatorVersion(
        version=1,
        effective_from=date(2019, 1, 1),
        name_vi=f"Chỉ tiêu {code}",
        name_en=f"Indicator {code}",
        unit_vi="Người",
        unit_en="persons",
        value_type=ValueType.DECIMAL,
        aggregation=aggregation,
        formula=Formula(numerator=formula[0], denominator=formula[1], factor=Decimal(formula[2])) if formula else None,
        disaggregations=list(dims),
        lowest_level=lowest,
        period_type=PeriodType.YEAR,
        agency="CTK",
    )
    return IndicatorPublished(code=code, group_code=code[:2], versions=[version])


def indicators() -> list[IndicatorPublished]:
    return [
        indicator("0101", Aggregation.LAST, ("ethnic_group", "sex")),
        indicator("0102", Aggregation.LAST, ("sex",)),
        indicator("0103", Aggregation.FORMULA, ("sex",), formula=("0101", "0102", 100)),
        indicator("0601", Aggregation.SUM, ("ethnic_group",)),
        indicator("0301", Aggregation.AVERAGE),
        indicator("0807", Aggregation.MAX),
        indicator("0808", Aggregation.MIN),
        indicator("1406", Aggregation.NONE),
        indicator("0704", Aggregation.SUM, lowest=UnitLevel.DISTRICT),
    ]


def records() -> list[tuple[str, Any]]:
    """(key, record) pairs as they would be on the catalog topic."""
    return [(catalog_key(r), r) for r in units()] + [(catalog_key(r), r) for r in indicators()]


def view() -> CatalogView:
    catalog = CatalogView()
    for key, record in records():
        catalog.apply(key, record)
    return catalog


def dis(ethnic: str | None = None, sex: str | None = None) -> Disaggregation:
    group = EthnicGroupRef(code_list=EthnicCodeList.GSO_1979, code=ethnic) if ethnic else None
    return Disaggregation(ethnic_group=group, sex=sex)


def dkey(ethnic: str | None = None, sex: str | None = None) -> str:
    return dis(ethnic, sex).key()


def cell(
    code: str, value: int | str | None, revision: int = 1, ethnic: str | None = None, sex: str | None = None
) -> CellChange:
    """One changed cell; `value=None` means "no data"."""
    new = (
        CellValue(no_data=True, no_data_reason="Không có số liệu") if value is None else CellValue(value=Decimal(value))
    )
    return CellChange(indicator=code, disaggregation=dis(ethnic, sex), new=new, revision=revision)


def accepted(unit: str, period: str, *cells: CellChange, at: datetime | None = None) -> ValuesAccepted:
    return ValuesAccepted(
        submission_id=f"s-{unit}-{period}-{id(cells)}",
        agency="CTK",
        unit_code=unit,
        period=period,
        accepted_at=at or datetime.now(UTC),
        changes=list(cells),
    )
