"""Administrative units: validity, parents one level up for the child's whole life, no overlaps, no cycles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from dantoc_catalog.domain.units import AdminUnit, LocatedUnit, check_units
from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.problems import Location

END = date(2025, 6, 30)
START = date(2025, 7, 1)


def unit(
    code: str, parent: str | None = None, valid_from: date | None = None, valid_to: date | None = END
) -> AdminUnit:
    level = {2: UnitLevel.PROVINCE, 3: UnitLevel.DISTRICT, 5: UnitLevel.COMMUNE}[len(code)]
    return AdminUnit(code, level, f"Unit {code}", "Xã", parent, valid_from, valid_to)


def at_row(number: int) -> Callable[[str], Location]:
    return lambda column: Location(row=number, field=column)


def problems_of(*units: AdminUnit) -> set[tuple[str, str]]:
    located = [LocatedUnit(u, at_row(n), str(n)) for n, u in enumerate(units, start=2)]
    return {(p.code, str(p.value)) for p in check_units(located)}


LEGACY = [unit("02"), unit("024", "02"), unit("00688", "024")]
CURRENT = [unit("08", None, START, None), unit("00688", "08", START, None)]


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        pytest.param(LEGACY + CURRENT, set(), id="two maps reusing a commune code"),
        pytest.param([unit("02"), unit("00688", "024")], {("unknown_parent", "024")}, id="missing parent"),
        pytest.param(
            [unit("08", None, START, None), unit("00688", "08", None, END)],
            {("unknown_parent", "08")},
            id="parent not valid while the child is",
        ),
        pytest.param([unit("02"), unit("02")], {("overlapping_unit", "02")}, id="one code twice at the same time"),
        pytest.param(
            [unit("02", valid_from=START, valid_to=END)], {("invalid_validity", "2025-06-30")}, id="ends first"
        ),
        pytest.param([unit("024")], {("wrong_parent_level", "VN")}, id="district directly under the nation"),
        pytest.param(
            [unit("02"), unit("024", "02"), unit("025", "024")],
            {("wrong_parent_level", "024")},
            id="district under a district",
        ),
        pytest.param(
            [unit("024", "025"), unit("025", "024")],
            {
                ("hierarchy_cycle", "024"),
                ("hierarchy_cycle", "025"),
                ("wrong_parent_level", "024"),
                ("wrong_parent_level", "025"),
            },
            id="parent chain cycle",
        ),
        pytest.param(
            [AdminUnit("1234", UnitLevel.COMMUNE, "x", "Xã", None, None, None)],
            {("invalid_code", "1234"), ("wrong_parent_level", "VN")},
            id="malformed code",
        ),
    ],
)
def test_check_units(units: list[AdminUnit], expected: set[tuple[str, str]]) -> None:
    assert problems_of(*units) == expected


@pytest.mark.parametrize(
    ("on", "valid"),
    [(date(2000, 1, 1), True), (END, True), (START, False)],
)
def test_valid_on(on: date, valid: bool) -> None:
    assert unit("02").valid_on(on) is valid
