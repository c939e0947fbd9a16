"""The completeness gauge keeps each province's latest yearly period."""

from __future__ import annotations

import pytest

from dantoc_gateway.kafka.completeness_gauge import latest_by_province


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], {}),
        ([("02", "2024", 10, 7, 1, 2)], {"02": ("2024", (10, 7, 1, 2))}),
        (
            [("02", "2023", 10, 10, 0, 0), ("02", "2024", 10, 7, 1, 2), ("04", "2022", 5, None, None, 5)],
            {"02": ("2024", (10, 7, 1, 2)), "04": ("2022", (5, 0, 0, 5))},
        ),
        ([("02", "2025", 3, 3, 0, 0), ("02", "2024", 10, 7, 1, 2)], {"02": ("2025", (3, 3, 0, 0))}),
    ],
)
def test_latest_period_per_province(
    rows: list[tuple[str, str, int, int, int, int]], expected: dict[str, object]
) -> None:
    assert latest_by_province(rows) == expected
