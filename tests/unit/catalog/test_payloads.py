"""Publishable payloads built from domain rows, and what to publish when the catalogue changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dantoc_catalog.domain.payloads import (
    agency_payloads,
    changes,
    code_list_payloads,
    conversion_payloads,
    indicator_payloads,
    keyed,
)
from dantoc_catalog.domain.reference import Agency, CodeListItem, Conversion, EthnicGroupRow
from dantoc_contracts.catalog import (
    AgencyPublished,
    CodeListPublished,
    EthnicGroupsPublished,
    IndicatorGroupPublished,
    IndicatorPublished,
    UnitConversionPublished,
)
from tests.support.catalog.rows import definition


def test_one_indicator_record_carries_all_versions_closed_and_one_record_per_group() -> None:
    payloads = indicator_payloads(
        [definition(), definition(version="2", effective_from="2024-01-01"), definition(code="0102")]
    )
    indicators = [p for p in payloads if isinstance(p, IndicatorPublished)]
    groups = [p for p in payloads if isinstance(p, IndicatorGroupPublished)]
    assert [i.code for i in indicators] == ["0101", "0102"]
    assert [(v.version, v.effective_to) for v in indicators[0].versions] == [(1, date(2023, 12, 31)), (2, None)]
    assert [(g.code, g.name_vi) for g in groups] == [("01", "Người dân tộc thiểu số")]


def test_a_formula_without_factor_multiplies_by_one() -> None:
    cells = {"aggregation": "FORMULA", "numerator": "0102", "denominator": "0103", "value_type": "decimal"}
    [indicator, _] = indicator_payloads([definition(**cells)])
    assert isinstance(indicator, IndicatorPublished)
    formula = indicator.versions[0].formula
    assert formula is not None
    assert (formula.numerator, formula.factor) == ("0102", Decimal(1))


def test_code_lists_and_ethnic_groups_with_the_extra_codes() -> None:
    items = [
        CodeListItem("sex", "2", "Nữ", "Female", 2),
        CodeListItem("sex", "1", "Nam", "Male", 1),
        CodeListItem("ethnic_extra", "55", "Người nước ngoài", "Foreigner", 3),
    ]
    groups = [EthnicGroupRow("04", "Hoa", "Hoa", "06", "Hoa (Hán)", "Hán, Triều Châu")]
    records = keyed(code_list_payloads(items, groups))
    sex = records["codelist|sex"]
    ethnic = records["codelist|ethnic_group"]
    assert isinstance(sex, CodeListPublished)
    assert [i.code for i in sex.items] == ["1", "2"]
    assert isinstance(ethnic, EthnicGroupsPublished)
    assert (ethnic.groups[0].code_gso_2008, ethnic.groups[0].aliases) == ("06", ["Hán", "Triều Châu"])
    assert [c.code for c in ethnic.extra_codes] == ["55"]


def test_a_split_commune_is_one_record_with_every_target() -> None:
    rows = [
        Conversion("00007", "00025", "partial", None),
        Conversion("00007", "00008", "partial", None),
        Conversion("00001", "00097", "whole", Decimal(1)),
    ]
    records = keyed(conversion_payloads(rows))
    split = records["conversion|00007|2025-07-01"]
    assert isinstance(split, UnitConversionPublished)
    assert [(t.new_code, t.kind, t.area_share) for t in split.targets] == [
        ("00008", "partial", None),
        ("00025", "partial", None),
    ]
    assert len(records) == 2


def test_changes_publish_what_differs_and_tombstone_what_was_removed() -> None:
    before = keyed(indicator_payloads([definition(), definition(code="0102")]))
    after = keyed(indicator_payloads([definition(name_vi="Tên mới"), definition(code="0103")]))
    published = dict(changes(before, after))
    assert set(published) == {"indicator|0101", "indicator|0103", "indicator|0102"}
    assert published["indicator|0102"] is None
    assert changes(after, after) == []


def test_an_agency_record_carries_the_types_it_writes_for() -> None:
    agency = Agency("BDT-08", "Ban", "Board", "BDT", "08", ("SNV", "CTK"))
    (payload,) = agency_payloads([agency])
    assert isinstance(payload, AgencyPublished)
    assert payload.writes_for == ["SNV", "CTK"]
