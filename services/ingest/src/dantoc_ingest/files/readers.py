"""Reading uploaded XLSX (the template, filled in) and CSV (the same columns) into draft values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from dantoc_contracts.problems import Location, ProblemItem
from dantoc_contracts.uploads import HEADER_ROWS, UploadLimits, UploadRefused, check_zip, limited, unreadable
from dantoc_contracts.uploads import UNREADABLE as CONTRACT_UNREADABLE
from dantoc_contracts.uploads import guarded as contract_guarded
from dantoc_ingest.domain.model import DraftValue
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.columns import header_index
from dantoc_ingest.files.table import missing_columns, read_table

T = TypeVar("T")

META_SHEET = "_meta"
_HEADER_SEARCH = HEADER_ROWS  # rows searched for the header
FileLimits = UploadLimits
DEFAULT_LIMITS = UploadLimits()
UNREADABLE: tuple[type[Exception], ...] = (*CONTRACT_UNREADABLE, InvalidFileException)
"""What a damaged workbook raises in openpyxl: the contracts' list and openpyxl's own "not a workbook"."""


def refused_problem(refused: UploadRefused) -> ProblemItem:
    return problem(refused.code, Location(field="file", row=refused.row), detail=refused.detail)


def guarded(rows: Iterator[T], where: str) -> Iterator[T]:
    return contract_guarded(rows, where, UNREADABLE)


@dataclass(slots=True)
class FileContent:
    """What a file says: its metadata (template cells), its values, and the problems found reading it."""

    meta: dict[str, str] = field(default_factory=dict)
    values: list[DraftValue] = field(default_factory=list)
    problems: list[ProblemItem] = field(default_factory=list)


def read_xlsx(data: bytes, *, code_list: str | None, limits: FileLimits = DEFAULT_LIMITS) -> FileContent:
    """The template's metadata and values; a damaged workbook (found when opened or while its rows are read)
    is one `unreadable_file` problem at `file` naming the sheet, never an exception. Too many rows: UploadRefused."""
    content = FileContent()
    try:
        check_zip(data, limits)
    except UploadRefused as refused:
        content.problems.append(refused_problem(refused))
        return content
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE as error:
        content.problems.append(refused_problem(unreadable("workbook", error)))
        return content
    try:
        return _read_book(book, code_list, limits)
    except UploadRefused as refused:
        if refused.code != "unreadable_file":
            raise  # too many rows: the whole upload is refused (413-like, answered as a 422 problem)
        return FileContent(problems=[refused_problem(refused)])
    finally:
        book.close()


def _read_book(book: Workbook, code_list: str | None, limits: FileLimits) -> FileContent:
    content = FileContent()
    if META_SHEET in book.sheetnames:
        meta = book[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True)
        for row in guarded(meta, f"sheet {META_SHEET}"):
            if row and isinstance(row[0], str) and row[1] is not None:
                content.meta[row[0].strip()] = str(row[1]).strip()
    for sheet in book.worksheets:
        if sheet.title == META_SHEET:
            continue
        rows = limited(guarded(sheet.iter_rows(values_only=True), f"sheet {sheet.title}"), limits.rows)
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


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the Vietnamese Windows code page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def csv_rows(text: str, max_rows: int = 20_000) -> list[list[str]]:
    """The rows of a CSV text (at most `max_rows` and a header); UploadRefused with the line of a malformed row."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise UploadRefused("too_many_rows", f"more than {max_rows} rows", row=reader.line_num)
    except csv.Error as error:
        raise UploadRefused("unreadable_file", f"line {reader.line_num}: {error}", row=reader.line_num) from error
    return rows


def read_csv(data: bytes, *, code_list: str | None, limits: FileLimits = DEFAULT_LIMITS) -> FileContent:
    content = FileContent()
    rows = csv_rows(decode_text(data), limits.rows)
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
