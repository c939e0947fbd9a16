"""A tiny literal catalog and read model: two provinces on the legacy map, one changed on the new map.

Legacy map (until 2025-06-30): 02 Hà Giang → 026 Đồng Văn → 00715 Lũng Cú, 00716 Ma Lé; 027 Mèo Vạc → 00720 Pải Lủng;
04 Cao Bằng → 040 Bảo Lạc → 01279 Bảo Lạc. New map (from 2025-07-01): 02 Hà Giang → 00715 Lũng Cú (code reused);
04 Cao Bằng → 01279.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from dantoc_contracts.aggregates import AggregateChanged, Completeness, aggregate_key
from dantoc_contracts.catalog import (
    AdminUnitPublished,
    AgencyPublished,
    Aggregation,
    CodeItem,
    CodeListPublished,
    EthnicGroup,
    EthnicGroupsPublished,
    Formula,
    IndicatorGroupPublished,
    IndicatorPublished,
    IndicatorVersion,
    ValueType,
)
from dantoc_contracts.catalog_view import CatalogRecord, CatalogView
from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef, UnitLevel, unit_level_of
from dantoc_contracts.periods import PeriodType
from dantoc_contracts.submissions import Disaggregation

LEGACY_END, NEW_START = date(2025, 6, 30), date(2025, 7, 1)
COMPUTED = datetime(2025, 1, 15, 8, 0, tzinfo=UTC)


def _indicator(
    code: str, name: str, aggregation: Aggregation, period_type: PeriodType = PeriodType.YEAR, **extra: Any
) -> IndicatorPublished:
    version = IndicatorVersion(
        version=1,
        effective_from=date(2019, 1, 1),
        name_vi=name,
        name_en=f"EN {name}",
        unit_vi="Hộ",
        unit_en="households",
        value_type=ValueType.PERCENT if aggregation is Aggregation.FORMULA else ValueType.INTEGER,
        aggregation=aggregation,
        lowest_level=extra.pop("lowest_level", UnitLevel.COMMUNE),
        period_type=period_type,
        agency="SNNMT",
        disaggregations=extra.pop("disaggregations", ["ethnic_group"]),
        **extra,
    )
    return IndicatorPublished(code=code, group_code=code[:2], versions=[version])


def unit(code: str, name: str, kind: str, parent: str | None, legacy: bool) -> AdminUnitPublished:
    """A unit of the legacy map (until 2025-06-30) or of the current one (from 2025-07-01)."""
    return AdminUnitPublished(
        code=code,
        level=unit_level_of(code),
        name=name,
        type=kind,
        parent_code=parent,
        valid_from=None if legacy else NEW_START,
        valid_to=LEGACY_END if legacy else None,
    )


UNITS = [
    unit("02", "Hà Giang", "Tỉnh", None, True),
    unit("026", "Đồng Văn", "Huyện", "02", True),
    unit("00715", "Lũng Cú", "Xã", "026", True),
    unit("00716", "Ma Lé", "Xã", "026", True),
    unit("027", "Mèo Vạc", "Huyện", "02", True),
    unit("00720", "Pải Lủng", "Xã", "027", True),
    unit("04", "Cao Bằng", "Tỉnh", None, True),
    unit("040", "Bảo Lạc", "Huyện", "04", True),
    unit("01279", "Bảo Lạc", "Thị trấn", "040", True),
    unit("02", "Hà Giang", "Tỉnh", None, False),
    unit("00715", "Lũng Cú", "Xã", "02", False),
    unit("04", "Cao Bằng", "Tỉnh", None, False),
    unit("01279", "Bảo Lạc", "Xã", "04", False),
]

ETHNIC = EthnicGroupsPublished(
    groups=[
        EthnicGroup(code_gso_1979=a, code_gso_2008=b, name_vi=vi, name_en=en, name_vi_gso_2008=vi2)
        for a, b, vi, en, vi2 in [
            ("01", "01", "Kinh", "Kinh", "Kinh (Việt)"),
            ("02", "02", "Tày", "Tay", "Tày"),
            ("04", "06", "Hoa", "Hoa", "Hoa (Hán)"),
            ("06", "04", "Mường", "Muong", "Mường"),
            ("08", "08", "HMông", "Hmong", "H'mông (Mèo)"),
            ("09", "09", "Dao", "Dao", "Dao"),
        ]
    ],
    extra_codes=[CodeItem(code="00", name_vi="Không xác định", name_en="Unknown")],
)

CATALOG: list[CatalogRecord] = [
    IndicatorGroupPublished(code="01", name_vi="Người dân tộc thiểu số", name_en="Ethnic minority population"),
    IndicatorGroupPublished(code="04", name_vi="Đói nghèo và an sinh xã hội", name_en="Poverty and social security"),
    IndicatorGroupPublished(code="05", name_vi="An toàn xã hội", name_en="Social safety"),
    _indicator("0104", "Số hộ dân tộc thiểu số", Aggregation.LAST, disaggregations=["ethnic_group", "sex"]),
    _indicator("0401", "Số hộ nghèo là hộ dân tộc thiểu số", Aggregation.LAST),
    _indicator(
        "0403",
        "Tỷ lệ hộ nghèo dân tộc thiểu số",
        Aggregation.FORMULA,
        formula=Formula(numerator="0401", denominator="0104", factor=Decimal(100)),
    ),
    _indicator("0502", "Số nạn nhân bị mua bán", Aggregation.SUM, PeriodType.QUARTER, lowest_level=UnitLevel.PROVINCE),
    CodeListPublished(
        list_id="sex",
        items=[CodeItem(code="1", name_vi="Nam", name_en="Male"), CodeItem(code="2", name_vi="Nữ", name_en="Female")],
    ),
    CodeListPublished(
        list_id="residence",
        items=[
            CodeItem(code="1", name_vi="Thành thị", name_en="Urban"),
            CodeItem(code="2", name_vi="Nông thôn", name_en="Rural"),
        ],
    ),
    CodeListPublished(list_id="age_group", items=[CodeItem(code="Y0T4", name_vi="0–4 tuổi", name_en="0-4 years")]),
    ETHNIC,
    *UNITS,
    AgencyPublished(
        code="UBNDX-00715",
        name_vi="UBND xã Lũng Cú",
        name_en="Lung Cu commune",
        agency_type="UBNDX",
        scope_unit_code="00715",
    ),
    # the agencies the tests' tokens name (`signing.mint` says BDT unless told): registered scopes, intersected
    AgencyPublished(
        code="BDT", name_vi="Ban Dân tộc", name_en="Ethnic affairs", agency_type="BDT", scope_unit_code="VN"
    ),
    AgencyPublished(
        code="BDTTG",
        name_vi="Bộ Dân tộc và Tôn giáo",
        name_en="Ministry of Ethnic and Religious Affairs",
        agency_type="BDTTG",
        scope_unit_code="VN",
    ),
    AgencyPublished(
        code="SYT-02", name_vi="Sở Y tế Hà Giang", name_en="Ha Giang health", agency_type="SYT", scope_unit_code="02"
    ),
]


def catalog_view() -> CatalogView:
    from dantoc_contracts.catalog import catalog_key

    view = CatalogView()
    for record in CATALOG:
        view.apply(catalog_key(record), record)
    return view


def aggregate(
    indicator: str,
    unit: str,
    period: str,
    value: str | None,
    *,
    ethnic: str | None = None,
    sex: str | None = None,
    done: tuple[int, int, int, int] | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
    computed_at: datetime = COMPUTED,
) -> AggregateChanged:
    ref = None if ethnic is None else EthnicGroupRef(code_list=EthnicCodeList.GSO_1979, code=ethnic)
    return AggregateChanged(
        indicator=indicator,
        unit_code=unit,
        unit_level=unit_level_of(unit),
        period=period,
        disaggregation=Disaggregation(ethnic_group=ref, sex=sex),
        aggregation=Aggregation.FORMULA if numerator is not None else Aggregation.LAST,
        value=None if value is None else Decimal(value),
        numerator=None if numerator is None else Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        count=0 if value is None else 1,
        completeness=None
        if done is None
        else Completeness(expected=done[0], reported=done[1], no_data=done[2], silent=done[3]),
        newest_accepted_at=None if value is None else computed_at,
        computed_at=computed_at,
    )


def key_of(message: AggregateChanged) -> str:
    return aggregate_key(message.indicator, message.unit_code, message.period, message.disaggregation)


def read_model() -> list[AggregateChanged]:
    """2024 on the legacy map: 00715 reported, 00716 declared no data, 00720 is silent; 01279 reported."""
    found = [
        aggregate("0401", "00715", "2024", "40", done=(1, 1, 0, 0)),
        aggregate("0401", "00715", "2024", "25", ethnic="08"),
        aggregate("0401", "00715", "2024", "15", ethnic="09"),
        aggregate("0401", "00716", "2024", None, done=(1, 0, 1, 0)),
        aggregate("0401", "026", "2024", "40", done=(2, 1, 1, 0)),
        aggregate("0401", "027", "2024", None, done=(1, 0, 0, 1)),
        aggregate("0401", "02", "2024", "40", done=(3, 1, 1, 1)),
        aggregate("0401", "02", "2024", "25", ethnic="08"),
        aggregate("0401", "02", "2024", "15", ethnic="09"),
        aggregate("0401", "01279", "2024", "30", done=(1, 1, 0, 0)),
        aggregate("0401", "040", "2024", "30", done=(1, 1, 0, 0)),
        aggregate("0401", "04", "2024", "30", done=(1, 1, 0, 0)),
        aggregate("0401", "04", "2024", "25", ethnic="02"),
        aggregate("0401", "04", "2024", "5", ethnic="06"),  # Mường: 06 in GSO 1979, 04 in GSO 2008
        aggregate("0401", "VN", "2024", "70", done=(4, 2, 1, 1)),
        aggregate("0104", "02", "2024", "160", done=(3, 1, 0, 2)),
        aggregate("0104", "02", "2024", "70", sex="1"),
        aggregate("0403", "02", "2024", "25", numerator="40", denominator="160", done=(3, 1, 0, 2)),
        aggregate("0502", "02", "2024Q1", "3", done=(1, 1, 0, 0)),
        aggregate("0401", "02", "2025", "35", done=(1, 1, 0, 0)),
        aggregate("0401", "00715", "2025", "35", done=(1, 1, 0, 0)),
    ]
    for year, value in (("2020", "60"), ("2021", "55"), ("2022", "50"), ("2023", "45")):
        found.append(aggregate("0401", "02", year, value, done=(3, 3, 0, 0)))
    return found
