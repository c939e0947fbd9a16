"""A tiny literal catalog: two maps (before and after 2025-07-01), a handful of indicators, codes and agencies.

Legacy map (until 2025-06-30): province 02 > district 026 > communes 00715, 00718; province 04 > 040 > 01234.
Current map (from 2025-07-01): province 08 > commune 02020 (no districts).

Who writes what (as the catalog's agencies.csv has it): the statistics office (CTK) is responsible for most
indicators and has no account, so each provincial ethnic affairs agency (BDT-xx) writes for CTK; the health
department of province 02 (SYT-02) is registered and alone writes its indicator 0601 there; the ministry (BDTTG)
writes for every type.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaProducer

from dantoc_contracts import topics
from dantoc_contracts.catalog import (
    AdminUnitPublished,
    AgencyPublished,
    Aggregation,
    CodeItem,
    CodeListPublished,
    EthnicGroup,
    EthnicGroupsPublished,
    IndicatorGroupPublished,
    IndicatorPublished,
    IndicatorVersion,
    ValueType,
    catalog_key,
)
from dantoc_contracts.catalog_view import CatalogRecord, CatalogView
from dantoc_contracts.codes import Dimension, UnitLevel
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.periods import PeriodType

LEGACY_END, NEW_START = date(2025, 6, 30), date(2025, 7, 1)


def _indicator(
    code: str,
    name: str,
    value_type: ValueType,
    dims: list[Dimension],
    lowest: UnitLevel,
    period: PeriodType,
    low: str | None = "0",
    high: str | None = None,
    since: date = date(2019, 1, 1),
    agency: str = "CTK",
) -> IndicatorPublished:
    version = IndicatorVersion(
        version=1,
        effective_from=since,
        name_vi=name,
        name_en=name,
        unit_vi="Người",
        unit_en="persons",
        value_type=value_type,
        aggregation=Aggregation.SUM,
        disaggregations=dims,
        lowest_level=lowest,
        period_type=period,
        agency=agency,
        min_value=Decimal(low) if low else None,
        max_value=Decimal(high) if high else None,
    )
    return IndicatorPublished(code=code, group_code=code[:2], versions=[version])


def _unit(code: str, level: UnitLevel, name: str, parent: str | None, legacy: bool) -> AdminUnitPublished:
    kind = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"}[level.value]
    return AdminUnitPublished(
        code=code,
        level=level,
        name=name,
        type=kind,
        parent_code=parent,
        valid_from=None if legacy else NEW_START,
        valid_to=LEGACY_END if legacy else None,
    )


def _codes(list_id: str, *items: tuple[str, str]) -> CodeListPublished:
    return CodeListPublished(
        list_id=list_id,
        items=[CodeItem(code=c, name_vi=n, name_en=n, sort_order=i) for i, (c, n) in enumerate(items, start=1)],
    )


def _ethnic(c79: str, c08: str, name: str) -> EthnicGroup:
    return EthnicGroup(code_gso_1979=c79, code_gso_2008=c08, name_vi=name, name_en=name, name_vi_gso_2008=name)


def _agency(code: str, scope: str, writes_for: tuple[str, ...] = ()) -> AgencyPublished:
    return AgencyPublished(
        code=code,
        name_vi=code,
        name_en=code,
        agency_type=code.split("-")[0],
        scope_unit_code=scope,
        writes_for=list(writes_for),
    )


C, P, D = UnitLevel.COMMUNE, UnitLevel.PROVINCE, UnitLevel.DISTRICT
YEAR, QUARTER = PeriodType.YEAR, PeriodType.QUARTER

RECORDS: list[CatalogRecord] = [
    IndicatorGroupPublished(code="01", name_vi="Người dân tộc thiểu số", name_en="Ethnic minority population"),
    IndicatorGroupPublished(code="06", name_vi="Y tế", name_en="Health"),
    IndicatorGroupPublished(code="13", name_vi="Chương trình mục tiêu quốc gia", name_en="National target programme"),
    _indicator(
        "0101",
        "Dân số người dân tộc thiểu số",
        ValueType.INTEGER,
        ["ethnic_group", "sex", "age_group", "residence"],
        C,
        YEAR,
    ),
    _indicator("0103", "Tỷ lệ người dân tộc thiểu số", ValueType.PERCENT, ["sex"], C, YEAR, high="100"),
    _indicator("0107", "Tuổi thọ trung bình", ValueType.DECIMAL, ["ethnic_group", "sex"], P, YEAR, high="120"),
    _indicator("0104", "Số hộ dân tộc thiểu số", ValueType.INTEGER, ["ethnic_group"], C, YEAR),
    _indicator("0601", "Số trạm y tế xã", ValueType.INTEGER, [], C, YEAR, agency="SYT"),
    _indicator("1301", "Vốn giải ngân", ValueType.DECIMAL, [], C, QUARTER),
    _indicator("1406", "Khu vực của xã", ValueType.INTEGER, [], C, YEAR, low="1", high="3", since=date(2026, 1, 1)),
    _codes("sex", ("1", "Nam"), ("2", "Nữ")),
    _codes("age_group", ("Y0T4", "0–4 tuổi"), ("Y5T9", "5–9 tuổi"), ("Y_GE80", "80 tuổi trở lên")),
    _codes("residence", ("1", "Thành thị"), ("2", "Nông thôn")),
    EthnicGroupsPublished(
        groups=[
            _ethnic("01", "01", "Kinh"),
            _ethnic("02", "02", "Tày"),
            _ethnic("04", "06", "Hoa"),
            _ethnic("06", "04", "Mường"),
            _ethnic("08", "08", "HMông"),
            _ethnic("11", "43", "Ngái"),
        ],
        extra_codes=[CodeItem(code="00", name_vi="Không xác định", name_en="Unknown")],
    ),
    _unit("02", P, "Hà Giang", None, legacy=True),
    _unit("026", D, "Đồng Văn", "02", legacy=True),
    _unit("00715", C, "Lũng Cú", "026", legacy=True),
    _unit("00718", C, "Má Lé", "026", legacy=True),
    _unit("04", P, "Cao Bằng", None, legacy=True),
    _unit("040", D, "Thành phố Cao Bằng", "04", legacy=True),
    _unit("01234", C, "Đề Thám", "040", legacy=True),
    _unit("08", P, "Tuyên Quang", None, legacy=False),
    _unit("02020", C, "Lũng Cú", "08", legacy=False),
    _agency("BDT-02", "02", writes_for=("CTK",)),
    _agency("BDT-04", "04", writes_for=("CTK", "SYT")),
    _agency("BDT-08", "08", writes_for=("CTK", "SYT")),
    _agency("SYT-02", "02"),
    _agency("BDTTG", "VN", writes_for=("CTK", "SYT", "BDT")),
]


def catalog_view() -> CatalogView:
    view = CatalogView()
    for record in RECORDS:
        view.apply(catalog_key(record), record)
    return view


async def publish_catalog(bootstrap: str, namespace: str) -> None:
    """Every record of the literal catalog on the namespace's catalog topic."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        topic = topics.topic_name(topics.CATALOG, namespace)
        for record in RECORDS:
            envelope: Envelope[Any] = Envelope(producer="test", type=record.kind, payload=record)
            await producer.send_and_wait(topic, encode(envelope), key=catalog_key(record).encode())
    finally:
        await producer.stop()
