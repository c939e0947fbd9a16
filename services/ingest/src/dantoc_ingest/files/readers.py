"""Reading uploaded XLSX (the template, filled in) and CSV (the same columns) into draft values."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import DraftValue
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.columns import header_index
from dantoc_ingest.files.table import missing_columns, read_table

META_SHEET = "_meta"
_HEADER_SEARCH = 40  # rows searched for the header


@dataclass(slots=True)
class FileContent:
    """What a file says: its metadata (template cells), its values, and the problems found reading it."""

    meta: dict[str, str] = field(default_factory=dict)
    values: list[DraftValue] = field(default_factory=list)
    problems: list[ProblemItem] = field(default_factory=list)


def read_xlsx(data: bytes, *, code_list: str | None) -> FileContent:
    content = FileContent()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        content.problems.append(problem("unreadable_file", Location(), detail=str(error) or type(error).__name__))
        return content
    try:
        if META_SHEET in book.sheetnames:
            for row in book[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True):
                if row and isinstance(row[0], str) and row[1] is not None:
                    content.meta[row[0].strip()] = str(row[1]).strip()
        for sheet in book.worksheets:
            if sheet.title == META_SHEET:
                continue
            rows = sheet.iter_rows(values_only=True)
            for number, cells in enumerate(rows, start=1):
                index = header_index(list(cells))
                if "indicator" in index and "value" in index:
                    listed = content.meta.get("ethnic_code_list") or code_list
                    table = read_table(index, ((n, c) for n, c in enumerate(rows, start=number + 1)), code_list=listed)
                    content.values, content.problems = table.values, table.problems
                    return content
                if number >= _HEADER_SEARCH:
                    break
        content.problems.extend(missing_columns({}, 1))
        return content
    finally:
        book.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the Vietnamese Windows code page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def csv_rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def read_csv(data: bytes, *, code_list: str | None) -> FileContent:
    content = FileContent()
    rows = csv_rows(decode_text(data))
    if not rows:
        content.problems.append(problem("unreadable_file", Location(), detail="empty file"))
        return content
    index = header_index(list(rows[0]))
    content.problems.extend(missing_columns(index, 1))
    if content.problems:
        return content
    table = read_table(index, ((n, r) for n, r in enumerate(rows[1:], start=2)), code_list=code_list)
    content.values, content.problems = table.values, table.problems
    return content
