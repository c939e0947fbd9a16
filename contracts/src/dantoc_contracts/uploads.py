"""What an uploaded spreadsheet may hold, and how a damaged one is refused: the rules every service that reads
files (ingest's submissions, the catalog's imports) applies the same way, before and while a workbook is read.

Pure standard library: a service wraps its reader's calls with `guarded` and turns `UploadRefused` into its own
problem document (a 422 or 413 naming `file` and, when known, the row).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar
from xml.etree.ElementTree import ParseError

T = TypeVar("T")
HEADER_ROWS = 40
"""Rows a reader may look through for the header before the row limit counts data rows."""


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """Uncompressed size and compression ratio of an XLSX file's zip members (checked from the zip directory
    before anything is inflated), and data rows of any format."""

    unpacked_bytes: int = 100 * 1024 * 1024
    ratio: int = 100
    rows: int = 20_000


class UploadRefused(Exception):
    """The file cannot be read, or holds more than the limits allow: a problem `code`, what was found, the row."""

    def __init__(self, code: str, detail: str, row: int | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.row = code, detail, row


UNREADABLE: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,  # a member's CRC or header is wrong
    zlib.error,  # a member's deflate stream is corrupt
    EOFError,  # a member's compressed data ends early
    KeyError,  # a member the package names is missing
    ParseError,  # a member is not well-formed XML
    ValueError,  # UnicodeDecodeError, defusedxml's forbidden entities/DTD, malformed numbers, dates, row numbers
    IndexError,  # a shared string or style index past the end of its table
    ArithmeticError,  # OverflowError: a date serial out of range
    struct.error,  # a truncated binary header
    OSError,
)
"""What openpyxl (and zipfile, zlib and the XML parser under it) raises for a damaged workbook, when it opens it
and lazily while rows are read. A service adds its reader's own exception types (openpyxl's
InvalidFileException). Only the reader's calls are guarded: a service's own code is never behind this."""


def unreadable(where: str, error: Exception) -> UploadRefused:
    """The refusal of a workbook that broke at `where` (a sheet, or `workbook` when it was opened)."""
    return UploadRefused("unreadable_file", f"{where}: {type(error).__name__}: {str(error)[:200]}".rstrip(": "))


def check_zip(data: bytes, limits: UploadLimits) -> None:
    """Refuse a zip bomb before any member is decompressed: total uncompressed size and ratio from the directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRefused("unreadable_file", f"not an XLSX (zip) file: {type(error).__name__}") from error
    if unpacked > limits.unpacked_bytes:
        raise UploadRefused("file_too_large", f"{unpacked} bytes uncompressed, more than {limits.unpacked_bytes}")
    if unpacked > limits.ratio * max(len(data), 1):
        raise UploadRefused("file_too_large", f"compressed more than {limits.ratio} times")


def limited(rows: Iterator[T], limit: int, *, first: int = 1) -> Iterator[T]:
    """The rows, refusing the file once it has more than `limit` (plus the rows a header may be searched in)."""
    for number, row in enumerate(rows, start=first):
        if number > limit + HEADER_ROWS:
            raise UploadRefused("too_many_rows", f"more than {limit} rows", row=number)
        yield row


def guarded(rows: Iterator[T], where: str, errors: tuple[type[Exception], ...] = UNREADABLE) -> Iterator[T]:
    """A reader's rows; what breaks while one is decompressed, parsed or converted refuses the file (`where`)."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except errors as error:
            raise unreadable(where, error) from error
        yield row
