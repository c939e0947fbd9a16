"""Checks across rows: repeated code and version, version numbering and dates, groups, formula references, cycles."""

from __future__ import annotations

import pytest

from dantoc_catalog.domain.catalogue_checks import Entry, check_catalogue
from dantoc_catalog.domain.definition_parsing import parse_definition
from dantoc_catalog.domain.tabular import SourceRow
from tests.support.catalog.rows import AGENCIES, formula, row


def entries(*rows: dict[str, str]) -> list[Entry]:
    found = []
    for number, cells in enumerate(rows, start=2):
        source = SourceRow(number, cells)
        definition, problems = parse_definition(cells, source.where, agencies=AGENCIES)
        assert problems == [], problems
        assert definition is not None
        found.append(Entry(definition, source.where, str(number)))
    return found


def problems_of(*rows: dict[str, str]) -> set[tuple[str, int | None, str | None]]:
    return {(p.code, p.location.row, p.location.field) for p in check_catalogue(entries(*rows))}


P = row(code="0102", name_vi="Tổng dân số")  # a second plain indicator


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([row(), P, formula("0103", "0101", "0102")], set(), id="valid"),
        pytest.param([row(), row()], {("duplicate_code", 3, "code")}, id="same code and version twice"),
        pytest.param([row(), row(version="2", effective_from="2024-01-01")], set(), id="two versions of one indicator"),
        pytest.param(
            [row(), row(version="3", effective_from="2024-01-01")], {("version_gap", 2, "version")}, id="version gap"
        ),
        pytest.param([row(version="2")], {("version_gap", 2, "version")}, id="no version 1"),
        pytest.param(
            [row(), row(version="2", effective_from="2019-01-01")],
            {("version_order", 3, "effective_from")},
            id="version does not start after the previous one",
        ),
        pytest.param(
            [row(), P | {"group_name_vi": "Dân số"}],
            {("conflicting_group_name", 3, "group_name_vi")},
            id="one group, two names",
        ),
        pytest.param(
            [row(), formula("0103", "0101", "0199")],
            {("unknown_formula_indicator", 3, "denominator")},
            id="formula refers to a missing indicator",
        ),
        pytest.param(
            [formula("0103", "0104", "0102"), formula("0104", "0103", "0102"), P],
            {("formula_cycle", 2, "numerator"), ("formula_cycle", 3, "numerator")},
            id="formula cycle of two",
        ),
        pytest.param(
            [formula("0103", "0103", "0102"), P], {("formula_cycle", 2, "numerator")}, id="formula refers to itself"
        ),
        pytest.param(
            [formula("0103", "0101", "0104"), formula("0104", "0101", "0105"), formula("0105", "0101", "0103"), row()],
            {
                ("formula_cycle", 2, "denominator"),
                ("formula_cycle", 3, "denominator"),
                ("formula_cycle", 4, "denominator"),
            },
            id="formula cycle of three through denominators",
        ),
    ],
)
def test_checks_across_rows(rows: list[dict[str, str]], expected: set[tuple[str, int | None, str | None]]) -> None:
    assert problems_of(*rows) == expected


def test_a_formula_may_use_another_formula_when_there_is_no_cycle() -> None:
    rows = [row(), P, formula("0103", "0101", "0102"), formula("0104", "0103", "0102")]
    assert problems_of(*rows) == set()


def test_problems_name_the_row_they_conflict_with() -> None:
    [duplicate] = check_catalogue(entries(row(), P, row()))
    assert "2" in duplicate.message_en
    assert "2" in duplicate.message_vi
