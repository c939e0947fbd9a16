"""Literal catalogue rows for the tests: a valid base row and a way to vary it cell by cell."""

from __future__ import annotations

from dantoc_catalog.domain.indicators import COLUMNS
from dantoc_catalog.domain.tabular import encode_csv

BASE: dict[str, str] = {
    "code": "0101",
    "group_code": "01",
    "group_name_vi": "Người dân tộc thiểu số",
    "group_name_en": "Ethnic minority population",
    "name_vi": "Dân số người dân tộc thiểu số",
    "name_en": "Ethnic minority population",
    "unit_vi": "Người",
    "unit_en": "persons",
    "value_type": "integer",
    "aggregation": "LAST",
    "numerator": "",
    "denominator": "",
    "factor": "",
    "disaggregations": "ethnic_group sex",
    "lowest_level": "commune",
    "period_type": "year",
    "agency": "CTK",
    "min_value": "0",
    "max_value": "",
    "version": "1",
    "effective_from": "2019-01-01",
    "source": "TT 06/2014/TT-UBDT",
}

AGENCIES = {"CTK", "BDT", "SYT"}


def row(**changes: str) -> dict[str, str]:
    return {**BASE, **changes}


def formula(code: str, numerator: str, denominator: str, **changes: str) -> dict[str, str]:
    """A percentage computed from two other indicators."""
    return row(
        code=code,
        group_code=code[:2],
        value_type="percent",
        aggregation="FORMULA",
        numerator=numerator,
        denominator=denominator,
        factor="100",
        min_value="0",
        max_value="100",
        **changes,
    )


def csv_file(*rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> bytes:
    return encode_csv([list(columns), *([r.get(c, "") for c in columns] for r in rows)])
