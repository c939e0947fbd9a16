"""A tiny literal map change (codes and names are illustrative), with its conversion records.

Legacy map (until 2025-06-30)                      Current map (from 2025-07-01)
56 Khánh Hòa → 568 Cam Lâm → 22510, 22513          56 Khánh Hòa → 22510 (22510 + 22513)
58 Ninh Thuận → 582 Ninh Phước → 22810, 22813                    → 22810 (22810 + 22813 + 60% of 22830)
              → 584 Thuận Nam → 22830 (split)      68 Lâm Đồng  → 24900 (24900 + 40% of 22830)
68 Lâm Đồng → 672 Đức Trọng → 24900

So the new 56 absorbed the old 58 (but one commune of 58 went partly to 68); the code 56 is reused, 58 is gone.
As in the real data, provinces have conversion records too (old 56 and 58 → new 56, old 68 → new 68).
"""

from __future__ import annotations

from decimal import Decimal

from dantoc_contracts.catalog import (
    ConversionTarget,
    UnitConversionPublished,
    catalog_key,
)
from dantoc_contracts.catalog_view import CatalogRecord, CatalogView
from tests.support.gateway.literal import NEW_START, unit

EFFECTIVE = NEW_START  # the day of the map change


def _whole(old: str, new: str) -> UnitConversionPublished:
    return UnitConversionPublished(
        old_code=old, effective=EFFECTIVE, targets=[ConversionTarget(new_code=new, kind="whole")]
    )


LEGACY_UNITS = [
    unit("56", "Khánh Hòa", "Tỉnh", None, True),
    unit("568", "Cam Lâm", "Huyện", "56", True),
    unit("22510", "Cam Hải Đông", "Xã", "568", True),
    unit("22513", "Cam Hải Tây", "Xã", "568", True),
    unit("58", "Ninh Thuận", "Tỉnh", None, True),
    unit("582", "Ninh Phước", "Huyện", "58", True),
    unit("22810", "Phước Hải", "Xã", "582", True),
    unit("22813", "Phước Dân", "Xã", "582", True),
    unit("584", "Thuận Nam", "Huyện", "58", True),
    unit("22830", "Phước Nam", "Xã", "584", True),
    unit("68", "Lâm Đồng", "Tỉnh", None, True),
    unit("672", "Đức Trọng", "Huyện", "68", True),
    unit("24900", "Liên Nghĩa", "Xã", "672", True),
]
CURRENT_UNITS = [
    unit("56", "Khánh Hòa", "Tỉnh", None, False),
    unit("22510", "Cam Hải", "Xã", "56", False),
    unit("22810", "Phước Hải", "Xã", "56", False),
    unit("68", "Lâm Đồng", "Tỉnh", None, False),
    unit("24900", "Đức Trọng", "Xã", "68", False),
]
CONVERSIONS = [
    _whole("22510", "22510"),
    _whole("22513", "22510"),
    _whole("22810", "22810"),
    _whole("22813", "22810"),
    UnitConversionPublished(
        old_code="22830",
        effective=EFFECTIVE,
        targets=[
            ConversionTarget(new_code="22810", kind="partial", area_share=Decimal("0.6")),
            ConversionTarget(new_code="24900", kind="partial", area_share=Decimal("0.4")),
        ],
    ),
    _whole("24900", "24900"),
    _whole("56", "56"),
    _whole("58", "56"),
    _whole("68", "68"),
]
RECORDS: list[CatalogRecord] = [*LEGACY_UNITS, *CURRENT_UNITS, *CONVERSIONS]


def merger_view() -> CatalogView:
    view = CatalogView()
    for record in RECORDS:
        view.apply(catalog_key(record), record)
    return view
