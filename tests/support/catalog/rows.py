"""Literal catalogue rows for the tests: a valid base row and a way to vary it cell by cell, a file of rows, and
the definition a row parses to; `BAD`, a catalogue file with one of each kind of problem (`EXPECTED`)."""

from __future__ import annotations

from dantoc_catalog.domain.definition_parsing import parse_definition
from dantoc_catalog.domain.indicators import COLUMNS, IndicatorDefinition
from dantoc_catalog.domain.tabular import SourceRow, encode_csv

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


def definition(**changes: str) -> IndicatorDefinition:
    """The definition `row(**changes)` parses to (a valid one)."""
    cells = row(**changes)
    parsed, problems = parse_definition(cells, SourceRow(2, cells).where, agencies=AGENCIES)
    assert parsed is not None
    assert not problems
    return parsed


BAD = csv_file(
    row(code="0101", name_vi="Dân số (sửa)"),  # row 2: a good change, which must not be applied either
    row(code="0101"),  # row 3: repeats code 0101 version 1
    formula("0103", "0101", "0199"),  # row 4: formula refers to a missing indicator
    formula("0104", "0105", "0101"),  # rows 5-6: formulas refer to each other
    formula("0105", "0104", "0101"),
    row(code="0106", period_type="weekly"),  # row 7: invalid period type
    row(code="0107", aggregation="MEDIAN", value_type="text", lowest_level="village", disaggregations="religion"),
    row(code="0108", min_value="10", max_value="1"),  # row 9: min > max
    columns=(*COLUMNS, "note"),  # an unknown column
)
EXPECTED = {
    ("unknown_column", 1, "W1"),
    ("duplicate_code", 3, "A3"),
    ("unknown_formula_indicator", 4, "L4"),
    ("formula_cycle", 5, "K5"),
    ("formula_cycle", 6, "K6"),
    ("invalid_choice", 7, "P7"),
    ("invalid_choice", 8, "I8"),
    ("invalid_choice", 8, "J8"),
    ("invalid_choice", 8, "N8"),
    ("invalid_choice", 8, "O8"),
    ("min_greater_than_max", 9, "R9"),
}
