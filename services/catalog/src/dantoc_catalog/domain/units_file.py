"""The administrative units file (columns of the package's admin_units.csv), CSV or XLSX: every unit of every map.

Read whole with every problem (cell problems, then the checks across units: parents, overlaps, cycles), or
written in the order the units are stored, so that an export of the seeded database is the package file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dantoc_catalog.domain.reference_files import UNIT_COLUMNS, read_units
from dantoc_catalog.domain.table_files import DEFAULT_LIMITS, FileFormat, decode_rows, encode_rows
from dantoc_catalog.domain.units import AdminUnit
from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.uploads import UploadLimits

SHEET = "units"


@dataclass(frozen=True)
class UnitsRead:
    units: list[AdminUnit]
    problems: list[ProblemItem]
    file_format: FileFormat


def read_units_file(data: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> UnitsRead:
    raw_rows, problems, file_format = decode_rows(data, sheet=SHEET, widths={}, limits=limits)
    if problems:
        return UnitsRead([], problems, file_format)
    read = read_units(raw_rows)
    ordered = sorted(read.problems, key=lambda p: (p.location.row or 0, p.location.cell or "", p.code))
    return UnitsRead(read.items, ordered, file_format)


def unit_cells(unit: AdminUnit) -> list[str]:
    return [
        unit.code,
        unit.level.value,
        unit.name,
        unit.type,
        unit.parent_code or "",
        unit.valid_from.isoformat() if unit.valid_from else "",
        unit.valid_to.isoformat() if unit.valid_to else "",
    ]


def write_units_file(units: Sequence[AdminUnit], *, file_format: FileFormat) -> bytes:
    rows = [list(UNIT_COLUMNS.names), *(unit_cells(u) for u in units)]
    return encode_rows(rows, file_format=file_format, sheet=SHEET)
