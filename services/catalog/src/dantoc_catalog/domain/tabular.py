"""A catalogue file as a table of text cells, read from CSV or XLSX bytes; every row knows where it came from.

The header may use the machine column names or their Vietnamese labels. Problems with the header (unknown,
missing or repeated columns) are reported together with everything else, never one at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dantoc_catalog.domain.problems import problem
from dantoc_contracts.cells import neutralised, restored
from dantoc_contracts.codes import nfc
from dantoc_contracts.problems import Location, ProblemItem


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class ColumnSpec:
    """The columns a file may have, which of them are required, and their Vietnamese header labels."""

    names: tuple[str, ...]
    required: frozenset[str]
    labels_vi: Mapping[str, str]

    def resolve(self, header_cell: str) -> str | None:
        wanted = nfc(header_cell).strip().casefold()
        for name in self.names:
            if wanted in (name.casefold(), self.labels_vi.get(name, "").casefold()):
                return name
        return None


@dataclass(frozen=True)
class SourceRow:
    """One data row: its 1-based row number in the file and its cells by column name."""

    number: int
    cells: Mapping[str, str]
    letters: Mapping[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def where(self, column: str) -> Location:
        letter = self.letters.get(column)
        return Location(row=self.number, cell=f"{letter}{self.number}" if letter else None, field=column)


@dataclass
class Table:
    rows: list[SourceRow]
    problems: list[ProblemItem]


def read_table(raw_rows: Sequence[Sequence[str]], spec: ColumnSpec) -> Table:
    """Turn rows of text (the first is the header) into `SourceRow`s, reporting every header problem."""
    if not raw_rows:
        return Table([], [problem("empty_file", Location(row=1))])
    header = [nfc(cell).strip() for cell in raw_rows[0]]
    while header and not header[-1]:
        header.pop()
    columns, problems = _map_header(header, spec)
    letters = {name: column_letter(i) for i, name in enumerate(columns) if name}
    rows: list[SourceRow] = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        texts = [nfc(cell).strip() for cell in raw]
        if not any(texts):
            continue
        for index in range(len(columns), len(texts)):
            if texts[index]:
                where = Location(row=number, cell=f"{column_letter(index)}{number}")
                problems.append(problem("value_without_column", where, value=texts[index]))
        cells = {name: text for name, text in zip(columns, texts, strict=False) if name}
        rows.append(SourceRow(number, cells, letters))
    if not rows:
        problems.append(problem("empty_file", Location(row=2)))
    return Table(rows, problems)


def _map_header(header: list[str], spec: ColumnSpec) -> tuple[list[str | None], list[ProblemItem]]:
    columns: list[str | None] = []
    problems: list[ProblemItem] = []
    for index, text in enumerate(header):
        where = Location(row=1, cell=f"{column_letter(index)}1", field=text or None)
        name = spec.resolve(text) if text else None
        if name is None:
            problems.append(problem("unknown_column", where, value=text))
        elif name in columns:
            problems.append(problem("duplicate_column", where, value=text))
            name = None
        columns.append(name)
    for name in spec.names:
        if name in spec.required and name not in columns:
            problems.append(problem("missing_column", Location(row=1, field=name), value=name))
    return columns, problems


def decode_csv(data: bytes, *, max_rows: int) -> tuple[list[list[str]], list[ProblemItem]]:
    """CSV bytes (UTF-8, with or without BOM) as rows of text; a malformed file or one with more than `max_rows`
    rows (and a header) is one problem at `file` with the line where it was found."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [problem("unreadable_file", Location(field="file"), detail=f"not UTF-8 at byte {error.start}")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(rows) > max_rows:
                where = Location(field="file", row=reader.line_num)
                return [], [problem("too_many_rows", where, detail=f"more than {max_rows} rows")]
            rows.append([restored(cell) for cell in row])
    except csv.Error as error:
        where = Location(field="file", row=reader.line_num)
        return [], [problem("unreadable_file", where, detail=f"line {reader.line_num}: {error}")]
    return rows, []


def encode_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """Rows as CSV bytes: UTF-8 without BOM, `\\n` line ends, quoting only where needed, formula starts
    neutralised."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([[neutralised(cell) for cell in row] for row in rows])
    return out.getvalue().encode("utf-8")
