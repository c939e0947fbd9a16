"""One row → one indicator definition; every bad cell is a problem at its row and cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dantoc_catalog.domain.definition_parsing import parse_definition
from dantoc_catalog.domain.tabular import SourceRow
from dantoc_contracts.catalog import Aggregation, ValueType
from dantoc_contracts.problems import Location
from tests.support.catalog.rows import AGENCIES, formula, row


def parse(cells: dict[str, str]):
    source = SourceRow(7, cells, {"code": "A", "min_value": "R"})
    return parse_definition(cells, source.where, agencies=AGENCIES)


def test_a_good_row_becomes_a_definition() -> None:
    definition, problems = parse(row())
    assert problems == []
    assert definition is not None
    assert (definition.code, definition.group.code, definition.version) == ("0101", "01", 1)
    assert definition.aggregation is Aggregation.LAST
    assert definition.disaggregations == ("ethnic_group", "sex")
    assert (definition.min_value, definition.max_value) == (Decimal(0), None)
    assert definition.effective_from == date(2019, 1, 1)


def test_a_formula_row_keeps_numerator_denominator_and_factor() -> None:
    definition, problems = parse(formula("0103", "0101", "0102"))
    assert problems == []
    assert definition is not None
    assert (definition.numerator, definition.denominator, definition.factor) == ("0101", "0102", Decimal(100))
    assert definition.value_type is ValueType.PERCENT


def test_enumerations_are_read_case_insensitively() -> None:
    definition, problems = parse(row(aggregation="sum", value_type="Decimal", period_type="YEAR"))
    assert problems == []
    assert definition is not None
    assert (definition.aggregation, definition.value_type) == (Aggregation.SUM, ValueType.DECIMAL)


@pytest.mark.parametrize(
    ("changes", "column", "code"),
    [
        ({"code": "101"}, "code", "invalid_code"),
        ({"code": ""}, "code", "required"),
        ({"group_code": "02"}, "group_code", "group_code_mismatch"),
        ({"name_vi": ""}, "name_vi", "required"),
        ({"value_type": "text"}, "value_type", "invalid_choice"),
        ({"aggregation": "MEDIAN"}, "aggregation", "invalid_choice"),
        ({"lowest_level": "village"}, "lowest_level", "invalid_choice"),
        ({"period_type": "week"}, "period_type", "invalid_choice"),
        ({"period_type": ""}, "period_type", "required"),
        ({"disaggregations": "ethnic_group religion"}, "disaggregations", "invalid_choice"),
        ({"disaggregations": "sex sex"}, "disaggregations", "duplicate_disaggregation"),
        ({"agency": "XYZ"}, "agency", "unknown_agency"),
        ({"min_value": "zero"}, "min_value", "invalid_number"),
        ({"max_value": "NaN"}, "max_value", "invalid_number"),
        ({"min_value": "10", "max_value": "5"}, "min_value", "min_greater_than_max"),
        ({"version": "0"}, "version", "invalid_integer"),
        ({"version": "1.5"}, "version", "invalid_integer"),
        ({"effective_from": "01/01/2019"}, "effective_from", "invalid_date"),
        ({"effective_from": "2019-02-30"}, "effective_from", "invalid_date"),
        ({"numerator": "0102"}, "numerator", "formula_not_allowed"),
        ({"factor": "100"}, "factor", "formula_not_allowed"),
        ({"aggregation": "FORMULA"}, "numerator", "formula_required"),
        ({"aggregation": "FORMULA", "numerator": "0102"}, "denominator", "formula_required"),
        ({"aggregation": "FORMULA", "numerator": "12", "denominator": "0102"}, "numerator", "invalid_code"),
    ],
)
def test_each_bad_cell_is_reported_at_its_place(changes: dict[str, str], column: str, code: str) -> None:
    _definition, problems = parse(row(**changes))
    assert (code, column) in {(p.code, p.location.field) for p in problems}
    assert all(p.location.row == 7 for p in problems)
    assert all(p.message_vi and p.message_en for p in problems)


def test_every_problem_of_a_row_is_reported_at_once() -> None:
    _, problems = parse(row(value_type="text", period_type="week", agency="XYZ", min_value="9", max_value="1"))
    assert {p.location.field for p in problems} == {"value_type", "period_type", "agency", "min_value"}


def test_cell_references_use_the_file_columns() -> None:
    _, problems = parse(row(code="1", min_value="x"))
    assert {p.location.cell for p in problems} == {"A7", "R7"}


def test_a_row_with_bad_cells_still_identifies_itself_for_the_checks_across_rows() -> None:
    definition, problems = parse(row(period_type="week"))
    assert problems
    assert definition is not None
    assert definition.code == "0101"
    definition, problems = parse(row(version="x"))
    assert problems
    assert definition is None


def test_locations_can_name_request_fields_instead_of_cells() -> None:
    _, problems = parse_definition(row(agency="XYZ"), lambda column: Location(field=column), agencies=AGENCIES)
    assert [(p.location.row, p.location.field) for p in problems] == [(None, "agency")]
