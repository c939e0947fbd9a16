"""The indicator catalogue file (CSV or XLSX, same columns): read it whole with every problem, or write it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dantoc_catalog.domain.catalogue_checks import Entry, check_catalogue
from dantoc_catalog.domain.definition_parsing import parse_definition
from dantoc_catalog.domain.indicators import (
    CATALOGUE_COLUMNS,
    CODE_WIDTHS,
    COLUMNS,
    LABELS_VI,
    IndicatorDefinition,
    definition_cells,
)
from dantoc_catalog.domain.table_files import DEFAULT_LIMITS, FileFormat, decode_rows, encode_rows
from dantoc_catalog.domain.tabular import read_table
from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.uploads import UploadLimits

SHEET = "indicators"


class HeaderStyle(StrEnum):
    CODES = "codes"  # machine column names, as in the package's indicators.csv
    VI = "vi"  # Vietnamese labels for officials; read back the same way


@dataclass(frozen=True)
class CatalogueRead:
    definitions: list[IndicatorDefinition]
    problems: list[ProblemItem]
    file_format: FileFormat


def read_catalogue(data: bytes, *, agencies: Collection[str], limits: UploadLimits = DEFAULT_LIMITS) -> CatalogueRead:
    """Parse and check a whole catalogue file. Its definitions may be applied only when `problems` is empty."""
    raw_rows, problems, file_format = decode_rows(data, sheet=SHEET, widths=CODE_WIDTHS, limits=limits)
    if problems:
        return CatalogueRead([], problems, file_format)
    table = read_table(raw_rows, CATALOGUE_COLUMNS)
    problems = list(table.problems)
    entries: list[Entry] = []
    for row in table.rows:
        definition, row_problems = parse_definition(row.cells, row.where, agencies=agencies)
        problems += row_problems
        if definition is not None:
            entries.append(Entry(definition, row.where, str(row.number)))
    problems += check_catalogue(entries)
    return CatalogueRead([e.definition for e in entries], sorted(problems, key=_place), file_format)


def _place(item: ProblemItem) -> tuple[int, int, str]:
    column = item.location.field or ""
    position = COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)
    return (item.location.row or 0, position, item.code)


def write_catalogue(
    definitions: Sequence[IndicatorDefinition], *, file_format: FileFormat, header: HeaderStyle = HeaderStyle.CODES
) -> bytes:
    """The catalogue file: one row per version, ordered by code then version."""
    names = [LABELS_VI[c] for c in COLUMNS] if header is HeaderStyle.VI else list(COLUMNS)
    ordered = sorted(definitions, key=lambda d: (d.code, d.version))
    return encode_rows([names, *(definition_cells(d) for d in ordered)], file_format=file_format, sheet=SHEET)


__all__ = ["CatalogueRead", "FileFormat", "HeaderStyle", "read_catalogue", "write_catalogue"]
