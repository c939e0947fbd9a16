"""Reading uploaded XLSX (the template, filled in) and CSV (the same columns) into draft values."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import DraftValue
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.columns import header_index
from dantoc_ingest.files.table import missing_columns, read_table

T = TypeVar("T")
META_SHEET = "_meta"
_HEADER_SEARCH = 40  # rows searched for the header


@dataclass(frozen=True, slots=True)
class FileLimits:
    """What one uploaded file may hold: uncompressed size and compression ratio of an XLSX file's zip members
    (checked before openpyxl opens it), and data rows of any format."""

    unpacked_bytes: int = 100 * 1024 * 1024
    ratio: int = 100
    rows: int = 20_000


DEFAULT_LIMITS = FileLimits()


class FileRefused(Exception):
    """The file cannot be read, or holds more than the limits allow; `row` is where, when known."""

    def __init__(self, code: str, detail: str, row: int | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.row = code, detail, row

    def problem(self) -> ProblemItem:
        return problem(self.code, Location(field="file", row=self.row), detail=self.detail)


UNREADABLE: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,  # a member's CRC or header is wrong
    zlib.error,  # a member's deflate stream is corrupt
    EOFError,  # a member's compressed data ends early
    KeyError,  # a member the package names is missing
    InvalidFileException,  # openpyxl: not a workbook
    ParseError,  # a member is not well-formed XML
    DefusedXmlException,  # a member declares entities or a DTD (EntitiesForbidden, ...)
    ValueError,  # UnicodeDecodeError, and openpyxl's malformed numbers, dates, row numbers
    IndexError,  # a shared string or style index past the end of its table
    ArithmeticError,  # OverflowError: a date serial out of range
    struct.error,  # a truncated binary header
    OSError,
)
"""What openpyxl (and zipfile, zlib and the XML parser under it) raises for a damaged workbook, when it opens it
and lazily while rows are read. Only openpyxl's calls are guarded: ingest's own code is never behind this."""


class _Unreadable(FileRefused):
    """The workbook broke while openpyxl opened or read it (an `unreadable_file` problem)."""

    def __init__(self, where: str, error: Exception) -> None:
        super().__init__("unreadable_file", f"{where}: {type(error).__name__}: {str(error)[:200]}".rstrip(": "))


def check_zip(data: bytes, limits: FileLimits) -> None:
    """Refuse a zip bomb before any member is decompressed: total uncompressed size and ratio from the directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused("unreadable_file", f"not an XLSX (zip) file: {type(error).__name__}") from error
    if unpacked > limits.unpacked_bytes:
        raise FileRefused("file_too_large", f"{unpacked} bytes uncompressed, more than {limits.unpacked_bytes}")
    if unpacked > limits.ratio * max(len(data), 1):
        raise FileRefused("file_too_large", f"compressed more than {limits.ratio} times")


def limited(rows: Iterator[T], limit: int, *, first: int = 1) -> Iterator[T]:
    """The rows, refusing the file once it has more than `limit` (plus a header)."""
    for number, row in enumerate(rows, start=first):
        if number > limit + _HEADER_SEARCH:
            raise FileRefused("too_many_rows", f"more than {limit} rows", row=number)
        yield row


def guarded(rows: Iterator[T], where: str) -> Iterator[T]:
    """openpyxl's rows; what breaks while one is decompressed, parsed or converted refuses the file (`where`)."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except UNREADABLE as error:
            raise _Unreadable(where, error) from error
        yield row


@dataclass(slots=True)
class FileContent:
    """What a file says: its metadata (template cells), its values, and the problems found reading it."""

    meta: dict[str, str] = field(default_factory=dict)
    values: list[DraftValue] = field(default_factory=list)
    problems: list[ProblemItem] = field(default_factory=list)


def read_xlsx(data: bytes, *, code_list: str | None, limits: FileLimits = DEFAULT_LIMITS) -> FileContent:
    """The template's metadata and values; a damaged workbook (found when opened or while its rows are read)
    is one `unreadable_file` problem at `file` naming the sheet, never an exception. Too many rows: FileRefused."""
    content = FileContent()
    try:
        check_zip(data, limits)
    except FileRefused as refused:
        content.problems.append(refused.problem())
        return content
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE as error:
        content.problems.append(_Unreadable("workbook", error).problem())
        return content
    try:
        return _read_book(book, code_list, limits)
    except _Unreadable as unreadable:
        return FileContent(problems=[unreadable.problem()])
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
    """The rows of a CSV text (at most `max_rows` and a header); FileRefused with the line of a malformed row."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > max_rows + 1:
                raise FileRefused("too_many_rows", f"more than {max_rows} rows", row=reader.line_num)
    except csv.Error as error:
        raise FileRefused("unreadable_file", f"line {reader.line_num}: {error}", row=reader.line_num) from error
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
