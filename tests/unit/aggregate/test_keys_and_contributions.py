"""Subsets of a cell and what a unit's cells contribute to each subset (table-driven)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dantoc_aggregate.domain.contributions import Contribution, GroupStatus, contributions, group_status
from dantoc_aggregate.domain.keys import ALL_TOTALS, subsets
from dantoc_contracts.catalog import Aggregation
from tests.support.aggregate.literals import dkey

D = Decimal
TAY, THAI = "02", "03"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (ALL_TOTALS, {ALL_TOTALS}),
        (dkey(sex="1"), {dkey(sex="1"), ALL_TOTALS}),
        (dkey(TAY, "2"), {dkey(TAY, "2"), dkey(TAY), dkey(sex="2"), ALL_TOTALS}),
        ("GSO1979:02|1|Y0T4|2", None),  # 4 dimensions → 16 subsets
    ],
)
def test_subsets_of_a_cell(key: str, expected: set[str] | None) -> None:
    found = subsets(key)
    assert found[0] == key
    assert len(found) == len(set(found))
    if expected is None:
        assert len(found) == 16
    else:
        assert set(found) == expected


def _c(total: int, count: int, low: int, high: int) -> Contribution:
    return Contribution(D(total), count, D(low), D(high))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param({ALL_TOTALS: D(7)}, {ALL_TOTALS: _c(7, 1, 7, 7)}, id="a total alone"),
        pytest.param(
            {dkey(TAY, "1"): D(3), dkey(TAY, "2"): D(4), dkey(THAI, "1"): D(5)},
            {
                dkey(TAY, "1"): _c(3, 1, 3, 3),
                dkey(TAY, "2"): _c(4, 1, 4, 4),
                dkey(THAI, "1"): _c(5, 1, 5, 5),
                dkey(TAY): _c(7, 2, 3, 4),
                dkey(THAI): _c(5, 1, 5, 5),
                dkey(sex="1"): _c(8, 2, 3, 5),
                dkey(sex="2"): _c(4, 1, 4, 4),
                ALL_TOTALS: _c(12, 3, 3, 5),
            },
            id="ethnic × sex breakdown rolls into every subset",
        ),
        pytest.param(
            {ALL_TOTALS: D(100), dkey(sex="1"): D(40), dkey(sex="2"): D(55)},
            {ALL_TOTALS: _c(100, 1, 100, 100), dkey(sex="1"): _c(40, 1, 40, 40), dkey(sex="2"): _c(55, 1, 55, 55)},
            id="a reported total wins over the sum of its breakdown",
        ),
        pytest.param(
            {dkey(sex="1"): D(40), dkey(sex="2"): D(60), dkey(TAY): D(70), dkey(THAI): D(30)},
            {
                dkey(sex="1"): _c(40, 1, 40, 40),
                dkey(sex="2"): _c(60, 1, 60, 60),
                dkey(TAY): _c(70, 1, 70, 70),
                dkey(THAI): _c(30, 1, 30, 30),
                ALL_TOTALS: _c(100, 2, 40, 60),  # the sex breakdown (lower mask) wins the tie
            },
            id="two separate breakdowns of the same people are never added together",
        ),
        pytest.param(
            {dkey(sex="1"): D(5), dkey(sex="2"): None},
            {dkey(sex="1"): _c(5, 1, 5, 5), ALL_TOTALS: _c(5, 1, 5, 5)},
            id="no data contributes nothing",
        ),
        pytest.param({ALL_TOTALS: None}, {}, id="only no data"),
    ],
)
def test_contributions_of_a_group(cells: dict[str, Decimal | None], expected: dict[str, Contribution]) -> None:
    assert contributions(cells, Aggregation.SUM) == expected


def test_not_rolled_up_cells_stand_alone() -> None:
    cells: dict[str, Decimal | None] = {dkey(TAY): D(3), dkey(THAI): D(2)}
    assert contributions(cells, Aggregation.NONE) == {dkey(TAY): _c(3, 1, 3, 3), dkey(THAI): _c(2, 1, 2, 2)}


@pytest.mark.parametrize(
    ("cells", "status"),
    [
        ({}, GroupStatus.SILENT),
        ({ALL_TOTALS: None}, GroupStatus.NO_DATA),
        ({ALL_TOTALS: None, dkey(sex="1"): D(0)}, GroupStatus.REPORTED),
    ],
)
def test_group_status(cells: dict[str, Decimal | None], status: GroupStatus) -> None:
    assert group_status(cells) is status
