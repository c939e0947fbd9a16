"""Period ranges and SDMX period spelling."""

from __future__ import annotations

import pytest

from dantoc_contracts.periods import Period
from dantoc_gateway.domain.periods import following, sdmx_period, span


@pytest.mark.parametrize(
    ("period", "after"), [("2024", "2025"), ("2024S2", "2025S1"), ("2024Q3", "2024Q4"), ("202412", "202501")]
)
def test_following(period: str, after: str) -> None:
    assert str(following(Period.parse(period))) == after


def test_span_is_bounded() -> None:
    assert span(Period.parse("2024"), Period.parse("2024"), 5) == [Period.parse("2024")]
    assert span(Period.parse("2020"), Period.parse("2030"), 5) is None


@pytest.mark.parametrize(
    ("period", "sdmx"), [("2024", "2024"), ("2024S1", "2024-S1"), ("2024Q3", "2024-Q3"), ("202407", "2024-07")]
)
def test_sdmx_period(period: str, sdmx: str) -> None:
    assert sdmx_period(period) == sdmx
