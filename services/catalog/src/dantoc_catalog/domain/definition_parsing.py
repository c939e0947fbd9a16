"""One catalogue row (text cells) → an `IndicatorDefinition`, with a problem for every bad cell of the row.

A file's row and the body of a new version are both read here, so both are held to the contracts' bounds: a name or
unit is at most `LABEL_WIDTH` characters, a factor or bound is a number `decimal_problem` accepts (which also keeps
its text within `DECIMAL_TEXT_WIDTH`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal

from dantoc_catalog.domain.cells import CellReader, Locate
from dantoc_catalog.domain.indicators import IndicatorDefinition, IndicatorGroup
from dantoc_contracts.bounds import LABEL_WIDTH, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, decimal_problem
from dantoc_contracts.catalog import Aggregation, ValueType
from dantoc_contracts.codes import DIMENSIONS, Dimension, UnitLevel
from dantoc_contracts.periods import PeriodType
from dantoc_contracts.problems import ProblemItem

_FORMULA_COLUMNS = ("numerator", "denominator", "factor")
IDENTITY = frozenset({"code", "group_code", "group_name_vi", "version", "effective_from"})
"""Columns the checks across rows rely on (repeated codes, versions, group names)."""
LABEL_COLUMNS = ("group_name_vi", "group_name_en", "name_vi", "name_en", "unit_vi", "unit_en")
"""Names and units of measure: at most `LABEL_WIDTH` characters each."""

_MESSAGES: dict[str, tuple[str, str]] = {
    "value_out_of_bounds": (
        f"Số phải nhỏ hơn 10^{MAX_INTEGER_DIGITS} về độ lớn và có tối đa {MAX_FRACTION_DIGITS} chữ số thập phân",
        f"A number must be below 10^{MAX_INTEGER_DIGITS} in magnitude, with at most {MAX_FRACTION_DIGITS} decimals",
    ),
}
"""Messages of the bounds' problems (the codes ingest uses for the same bounds)."""


def parse_definition(
    cells: Mapping[str, str], locate: Locate, *, agencies: Collection[str]
) -> tuple[IndicatorDefinition | None, list[ProblemItem]]:
    """Read one row and report every bad cell.

    The definition may be applied only when there is no problem; it is returned (with placeholders in the bad
    cells) whenever the columns that identify it are good, so the checks across rows can still run on it.
    """
    read = CellReader(cells, locate)
    for column in LABEL_COLUMNS:
        read.label(column)
    code = read.code("code", 4, required=True)
    group_code = read.code("group_code", 2, required=True)
    if code and group_code and code[:2] != group_code:
        read.fail("group_code_mismatch", "group_code", value=group_code)
    group = IndicatorGroup(group_code or "", read.text("group_name_vi", required=True), read.text("group_name_en"))
    aggregation = read.choice("aggregation", Aggregation)
    numerator, denominator, factor = _formula(read, locate, aggregation)
    agency = read.text("agency", required=True)
    if agency and agency not in agencies:
        read.fail("unknown_agency", "agency", value=agency)
    value_type = read.choice("value_type", ValueType)
    lowest_level = read.choice("lowest_level", UnitLevel)
    period_type = read.choice("period_type", PeriodType)
    version = read.positive_int("version")
    effective_from = read.iso_date("effective_from")
    min_value, max_value = _bounds(read, locate)
    definition = IndicatorDefinition(
        code=code or "",
        group=group,
        name_vi=read.text("name_vi", required=True),
        name_en=read.text("name_en"),
        unit_vi=read.text("unit_vi", required=True),
        unit_en=read.text("unit_en"),
        value_type=value_type or ValueType.DECIMAL,
        aggregation=aggregation or Aggregation.NONE,
        numerator=numerator,
        denominator=denominator,
        factor=factor,
        disaggregations=_dimensions(read),
        lowest_level=lowest_level or UnitLevel.COMMUNE,
        period_type=period_type or PeriodType.YEAR,
        agency=agency,
        min_value=min_value,
        max_value=max_value,
        version=version or 1,
        effective_from=effective_from or date.min,
        source=read.text("source"),
    )
    identified = not (IDENTITY & read.bad_columns)
    return (definition if identified else None), read.problems


def _formula(
    read: CellReader, locate: Locate, aggregation: Aggregation | None
) -> tuple[str | None, str | None, Decimal | None]:
    if aggregation is Aggregation.FORMULA:
        numerator = read.code("numerator", 4)
        denominator = read.code("denominator", 4)
        for column in ("numerator", "denominator"):
            if not read.text(column):
                read.fail("formula_required", column)
        return numerator, denominator, _bounded(read, locate, "factor")
    for column in _FORMULA_COLUMNS:
        if aggregation is not None and read.text(column):
            read.fail("formula_not_allowed", column, value=read.text(column))
    return None, None, None


def _dimensions(read: CellReader) -> tuple[Dimension, ...]:
    found: list[Dimension] = []
    for word in read.text("disaggregations").replace(",", " ").split():
        dimension = next((d for d in DIMENSIONS if d == word.casefold()), None)
        if dimension is None:
            read.fail("invalid_choice", "disaggregations", value=word, detail=", ".join(DIMENSIONS))
        elif dimension in found:
            read.fail("duplicate_disaggregation", "disaggregations", value=word)
        else:
            found.append(dimension)
    return tuple(found)


def _bounds(read: CellReader, locate: Locate) -> tuple[Decimal | None, Decimal | None]:
    low, high = _bounded(read, locate, "min_value"), _bounded(read, locate, "max_value")
    if low is not None and high is not None and low > high:
        read.fail("min_greater_than_max", "min_value", value=str(low), detail=f"{low} > {high}")
    return low, high


def _fail(read: CellReader, locate: Locate, code: str, column: str, *, value: object = None, **fields: object) -> None:
    """`CellReader.fail` for the bounds' problems, whose messages are kept here."""
    vi, en = _MESSAGES[code]
    read.bad_columns.add(column)
    read.problems.append(
        ProblemItem(
            code=code,
            location=locate(column),
            message_vi=vi.format(**fields),
            message_en=en.format(**fields),
            value=value,
        )
    )


def _bounded(read: CellReader, locate: Locate, column: str) -> Decimal | None:
    """The decimal in the cell when it is within the contracts' bounds; None when empty or bad."""
    value = read.decimal(column)
    if value is not None and decimal_problem(value) is not None:
        text = read.text(column)
        _fail(read, locate, "value_out_of_bounds", column, value=text if len(text) <= LABEL_WIDTH else None)
        return None
    return value
