"""Rows of the template table (from XLSX or CSV) into draft values, each remembering its row and cells."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import DraftValue, Origin
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.columns import COLUMNS, OPTIONAL, REQUIRED, is_header

_YES = {"x", "có", "co", "yes", "y", "true", "1", "đúng", "không có", "không có số liệu"}
_WIDTH = {"indicator": 4, "ethnic_group": 2}
_FIELDS = {column.key: column.field for column in COLUMNS + OPTIONAL if column.field}


@dataclass(slots=True)
class TableRead:
    values: list[DraftValue] = field(default_factory=list)
    problems: list[ProblemItem] = field(default_factory=list)


def code(raw: object, width: int = 0) -> str | None:
    """A code as typed: `2` or `2.0` → `02` (with width 2), `02 - Tày` (a dropdown choice) → `02`."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if " - " in text:
        text = text.split(" - ", 1)[0].strip()
    if not text:
        return None
    return text.zfill(width) if width and text.isdigit() else text


def flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        return raw == 1
    return isinstance(raw, str) and raw.strip().casefold() in _YES


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def missing_columns(index: dict[str, int], row: int) -> list[ProblemItem]:
    return [problem("missing_column", Location(row=row), key) for key in REQUIRED if key not in index]


def read_table(
    index: dict[str, int], rows: Iterable[tuple[int, Sequence[object]]], *, code_list: str | None
) -> TableRead:
    """Draft values of the filled rows (a row with no value, no 'no data' mark and no reason is not reported)."""
    result = TableRead()
    letters = {key: get_column_letter(position + 1) for key, position in index.items()}
    for number, cells in rows:

        def cell(key: str, cells: Sequence[object] = cells) -> object:
            position = index.get(key)
            return cells[position] if position is not None and position < len(cells) else None

        if all(_blank(cell(key)) for key in ("value", "no_data", "no_data_reason")) or is_header(cell("indicator")):
            continue  # not filled in, or the second header row (machine keys under the Vietnamese labels)
        ethnic = code(cell("ethnic_group"), 2)
        origin = Origin(
            number, {_FIELDS[key]: f"{letter}{number}" for key, letter in letters.items() if key in _FIELDS}
        )
        listed = code(cell("ethnic_code_list"))
        result.values.append(
            DraftValue(
                indicator=code(cell("indicator"), 4) or "",
                value=cell("value"),
                no_data=flag(cell("no_data")),
                no_data_reason=str(cell("no_data_reason")).strip() if not _blank(cell("no_data_reason")) else None,
                ethnic_code_list=(listed or code_list) if ethnic else listed,
                ethnic_code=ethnic,
                sex=code(cell("sex")),
                age_group=code(cell("age_group")),
                residence=code(cell("residence")),
                origin=origin,
            )
        )
    return result
