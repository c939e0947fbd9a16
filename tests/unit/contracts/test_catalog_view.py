"""The catalog view answers date-aware hierarchy questions over a tiny literal two-map hierarchy."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_contracts.catalog import AdminUnitPublished, CodeItem, EthnicGroup, EthnicGroupsPublished, catalog_key
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef, UnitLevel

LEGACY_END = date(2025, 6, 30)
NEW_START = date(2025, 7, 1)


def unit(code: str, level: UnitLevel, parent: str | None, legacy: bool) -> AdminUnitPublished:
    return AdminUnitPublished(
        code=code,
        level=level,
        name=f"U{code}",
        type="Xã",
        parent_code=parent,
        valid_from=None if legacy else NEW_START,
        valid_to=LEGACY_END if legacy else None,
    )


UNITS = [
    unit("02", UnitLevel.PROVINCE, None, True),
    unit("026", UnitLevel.DISTRICT, "02", True),
    unit("00715", UnitLevel.COMMUNE, "026", True),
    unit("00716", UnitLevel.COMMUNE, "026", True),
    unit("02", UnitLevel.PROVINCE, None, False),  # code reused by the new province
    unit("00715", UnitLevel.COMMUNE, "02", False),  # the new commune reuses an old code, no district above it
]


@pytest.fixture
def view() -> CatalogView:
    catalog = CatalogView()
    for record in UNITS:
        catalog.apply(catalog_key(record), record)
    ethnic = EthnicGroupsPublished(
        groups=[
            EthnicGroup(code_gso_1979="04", code_gso_2008="06", name_vi="Hoa", name_en="Hoa", name_vi_gso_2008="Hoa"),
            EthnicGroup(code_gso_1979="06", code_gso_2008="04", name_vi="Mường", name_en="Muong", name_vi_gso_2008="M"),
        ],
        extra_codes=[CodeItem(code="55", name_vi="Người nước ngoài", name_en="Foreigner")],
    )
    catalog.apply(catalog_key(ethnic), ethnic)
    return catalog


@pytest.mark.parametrize(
    ("code", "on", "ancestors"),
    [
        ("00715", date(2024, 12, 31), ["026", "02", "VN"]),
        ("00715", date(2025, 12, 31), ["02", "VN"]),
        ("00716", date(2025, 12, 31), []),  # not valid on the new map
        ("026", date(2024, 12, 31), ["02", "VN"]),
        ("VN", date(2024, 12, 31), []),
    ],
)
def test_ancestors_follow_the_map_valid_on_the_day(
    view: CatalogView, code: str, on: date, ancestors: list[str]
) -> None:
    assert view.ancestors(code, on) == ancestors


def test_descendants_by_level(view: CatalogView) -> None:
    legacy = [u.code for u in view.descendants("02", date(2024, 1, 1), UnitLevel.COMMUNE)]
    current = [u.code for u in view.descendants("VN", date(2026, 1, 1), UnitLevel.COMMUNE)]
    assert (legacy, current) == (["00715", "00716"], ["00715"])


@pytest.mark.parametrize(
    ("code_list", "code", "canonical"),
    [("GSO2008", "06", "04"), ("GSO1979", "04", "04"), ("GSO2008", "55", "55"), ("GSO2008", "77", None)],
)
def test_ethnic_codes_translate_to_the_canonical_list(
    view: CatalogView, code_list: str, code: str, canonical: str | None
) -> None:
    ref = view.canonical_ethnic(EthnicGroupRef(code_list=EthnicCodeList(code_list), code=code))
    assert (ref.code if ref else None) == canonical


def test_canonical_code_exports_in_either_list(view: CatalogView) -> None:
    assert view.ethnic_in_list("06", EthnicCodeList.GSO_2008) == "04"
    assert view.ethnic_in_list("06", EthnicCodeList.GSO_1979) == "06"


def test_tombstone_removes_a_unit(view: CatalogView) -> None:
    key = catalog_key(UNITS[3])
    view.apply(key, None)
    assert view.unit("00716", date(2024, 1, 1)) is None
    assert [u.code for u in view.children("026", date(2024, 1, 1))] == ["00715"]
