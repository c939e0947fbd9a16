"""Reporting statuses from a unit's own aggregate, and the units expected to report."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_contracts.codes import UnitLevel
from dantoc_gateway.domain.completeness import counts, expected_units, status_of
from tests.support.gateway.literal import catalog_view


@pytest.mark.parametrize(
    ("value", "count", "reported", "no_data", "status"),
    [
        ("40", 1, 1, 0, "reported"),
        (None, 0, 0, 1, "no_data"),
        (None, 0, 0, 0, "silent"),
        ("3", 1, None, None, "reported"),  # no completeness: a value means it reported
        (None, 0, None, None, "silent"),
    ],
)
def test_status_of(value: str | None, count: int, reported: int | None, no_data: int | None, status: str) -> None:
    assert status_of(value, count, reported, no_data) == status


def test_counts() -> None:
    assert counts(["reported", "silent", "silent"]) == {"expected": 3, "reported": 1, "no_data": 0, "silent": 2}


@pytest.mark.parametrize(
    ("unit", "level", "on", "codes"),
    [
        ("02", UnitLevel.COMMUNE, date(2024, 12, 31), ["00715", "00716", "00720"]),
        ("02", UnitLevel.COMMUNE, date(2025, 12, 31), ["00715"]),  # the new map
        ("02", UnitLevel.DISTRICT, date(2025, 12, 31), []),  # no districts any more
        ("VN", UnitLevel.PROVINCE, date(2024, 12, 31), ["02", "04"]),
        ("02", UnitLevel.PROVINCE, date(2024, 12, 31), ["02"]),  # the unit reports itself
        ("00715", UnitLevel.PROVINCE, date(2024, 12, 31), []),  # nothing expected above the unit
        ("026", UnitLevel.COMMUNE, date(2024, 12, 31), ["00715", "00716"]),
    ],
)
def test_expected_units(unit: str, level: UnitLevel, on: date, codes: list[str]) -> None:
    assert [u.code for u in expected_units(catalog_view(), unit, level, on)] == codes
