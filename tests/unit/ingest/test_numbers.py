"""Numbers as officials type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dantoc_ingest.domain.numbers import parse_number


@pytest.mark.parametrize(
    ("raw", "whole", "expected"),
    [
        (12, False, Decimal(12)),
        (12.5, False, Decimal("12.5")),
        (0.1, False, Decimal("0.1")),
        ("1 234", False, Decimal(1234)),
        ("12,5", False, Decimal("12.5")),
        ("1.234,5", False, Decimal("1234.5")),
        ("1,234.5", False, Decimal("1234.5")),
        ("1.520", False, Decimal("1.520")),
        ("1.520", True, Decimal(1520)),
        ("12.345.678", True, Decimal(12345678)),
        ("-3", False, Decimal(-3)),
        ("abc", False, None),
        ("1e5", False, None),  # exponent notation is refused from people
        ("1E+999", False, None),
        ("-2,5e3", False, None),
        ("١٢", False, None),
        ("12\n", False, None),
        ("NaN", False, None),
        ("Infinity", False, None),
        (float("nan"), False, None),
        (True, False, None),
        (None, False, None),
        ([1], False, None),
    ],
)
def test_parse_number(raw: object, whole: bool, expected: Decimal | None) -> None:
    assert parse_number(raw, whole=whole) == expected
