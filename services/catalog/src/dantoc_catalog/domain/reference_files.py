"""The reference data files (units, conversion, ethnic groups, code lists, agencies) as domain rows, with problems.

Each reader takes the decoded rows of one CSV file (header first) and returns what it read and every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from dantoc_catalog.domain.cells import CellReader
from dantoc_catalog.domain.problems import problem
from dantoc_catalog.domain.reference import Agency, CodeListItem, Conversion, EthnicGroupRow
from dantoc_catalog.domain.tabular import ColumnSpec, SourceRow, read_table
from dantoc_catalog.domain.units import AdminUnit, LocatedUnit, check_units
from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.problems import Location, ProblemItem

T = TypeVar("T")


@dataclass(frozen=True)
class Read(Generic[T]):
    items: list[T]
    problems: list[ProblemItem]


def _spec(*names: str, optional: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(names=names + optional, required=frozenset(names), labels_vi={})


def _read_rows(
    raw: Sequence[Sequence[str]], spec: ColumnSpec, parse: Callable[[CellReader], T]
) -> tuple[list[tuple[T, SourceRow]], list[ProblemItem]]:
    table = read_table(raw, spec)
    found: list[tuple[T, SourceRow]] = []
    problems = list(table.problems)
    for row in table.rows:
        reader = CellReader(row.cells, row.where)
        item = parse(reader)
        problems += reader.problems
        if not reader.problems:
            found.append((item, row))
    return found, problems


def _read(raw: Sequence[Sequence[str]], spec: ColumnSpec, parse: Callable[[CellReader], T]) -> Read[T]:
    found, problems = _read_rows(raw, spec, parse)
    return Read([item for item, _ in found], problems)


def _optional_date(reader: CellReader, column: str) -> date | None:
    return reader.iso_date(column) if reader.text(column) else None


UNIT_COLUMNS = _spec("code", "level", "name", "type", "parent_code", "valid_from", "valid_to")


def read_units(raw: Sequence[Sequence[str]]) -> Read[AdminUnit]:
    """admin_units.csv: every unit of every map, checked as a whole (parents, overlaps, cycles)."""

    def parse(read: CellReader) -> AdminUnit:
        return AdminUnit(
            code=read.text("code", required=True),
            level=read.choice("level", UnitLevel) or UnitLevel.COMMUNE,
            name=read.label("name", required=True),
            type=read.label("type", required=True),
            parent_code=read.text("parent_code") or None,
            valid_from=_optional_date(read, "valid_from"),
            valid_to=_optional_date(read, "valid_to"),
        )

    found, problems = _read_rows(raw, UNIT_COLUMNS, parse)
    problems += check_units([LocatedUnit(unit, row.where, str(row.number)) for unit, row in found])
    return Read([unit for unit, _ in found], problems)


def read_commune_conversion(raw: Sequence[Sequence[str]]) -> Read[Conversion]:
    def parse(read: CellReader) -> Conversion:
        kind = read.text("kind", required=True)
        if kind not in ("whole", "partial"):
            read.fail("invalid_choice", "kind", value=kind, detail="whole, partial")
        return Conversion(
            old_code=read.code("old_code", 5, required=True) or "",
            new_code=read.code("new_code", 5, required=True) or "",
            kind="whole" if kind == "whole" else "partial",
            area_share=read.decimal("area_share"),
        )

    return _read(raw, _spec("old_code", "new_code", "kind", "area_share"), parse)


def read_province_conversion(raw: Sequence[Sequence[str]]) -> Read[Conversion]:
    def parse(read: CellReader) -> Conversion:
        old_code = read.code("old_code", 2, required=True) or ""
        return Conversion(old_code, read.code("new_code", 2, required=True) or "", "whole", None)

    return _read(raw, _spec("old_code", "new_code"), parse)


def read_ethnic_groups(raw: Sequence[Sequence[str]]) -> Read[EthnicGroupRow]:
    def parse(read: CellReader) -> EthnicGroupRow:
        return EthnicGroupRow(
            code=read.code("code", 2, required=True) or "",
            name_vi=read.label("name_vi", required=True),
            name_en=read.label("name_en"),
            code_gso_2008=read.code("code_gso_2008", 2, required=True) or "",
            name_vi_gso_2008=read.label("name_vi_gso_2008", required=True),
            other_names_vi=read.label("other_names_vi"),
        )

    columns = _spec("code", "name_vi", "name_en", "code_gso_2008", "name_vi_gso_2008", optional=("other_names_vi",))
    return _read(raw, columns, parse)


def read_code_lists(raw: Sequence[Sequence[str]]) -> Read[CodeListItem]:
    def parse(read: CellReader) -> CodeListItem:
        order = read.text("sort_order")
        if order and not order.isdigit():
            read.fail("invalid_integer", "sort_order", value=order)
        return CodeListItem(
            list_id=read.text("list_id", required=True),
            code=read.text("code", required=True),
            name_vi=read.label("name_vi", required=True),
            name_en=read.label("name_en"),
            sort_order=int(order) if order.isdigit() else 0,
        )

    return _read(raw, _spec("list_id", "code", "name_vi", "name_en", optional=("sort_order",)), parse)


def read_agencies(raw: Sequence[Sequence[str]]) -> Read[Agency]:
    def parse(read: CellReader) -> Agency:
        return Agency(
            code=read.text("code", required=True),
            name_vi=read.label("name_vi", required=True),
            name_en=read.label("name_en"),
            agency_type=read.text("agency_type", required=True),
            scope_unit_code=read.text("scope_unit_code", required=True),
            writes_for=tuple(read.text("writes_for").split()),
        )

    columns = _spec("code", "name_vi", "name_en", "agency_type", "scope_unit_code", optional=("writes_for",))
    return _read(raw, columns, parse)


def check_agencies(agencies: Sequence[Agency], agency_types: set[str], scopes: set[str]) -> list[ProblemItem]:
    """Each agency has a type from the `agency` code list, writes only for types of that list, and a scope that is a
    known unit (or `VN`). Every problem is reported, not only the first."""
    problems: list[ProblemItem] = []
    choices = ", ".join(sorted(agency_types))
    for row, agency in enumerate(agencies, start=2):
        if agency.agency_type not in agency_types:
            problems.append(
                problem(
                    "invalid_choice", Location(row=row, field="agency_type"), value=agency.agency_type, detail=choices
                )
            )
        for code in agency.writes_for:
            if code not in agency_types:
                problems.append(
                    problem("invalid_choice", Location(row=row, field="writes_for"), value=code, detail=choices)
                )
        if agency.scope_unit_code not in scopes:
            problems.append(
                problem("unknown_parent", Location(row=row, field="scope_unit_code"), value=agency.scope_unit_code)
            )
    return problems
