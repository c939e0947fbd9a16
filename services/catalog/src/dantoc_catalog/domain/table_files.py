"""CSV or XLSX bytes as rows of text, whichever the file is; and rows of text back into either format."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from dantoc_catalog.domain.tabular import decode_csv, encode_csv
from dantoc_catalog.domain.xlsx import XLSX_MAGIC, decode_xlsx, encode_xlsx
from dantoc_contracts.problems import ProblemItem


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def detect_format(data: bytes) -> FileFormat:
    return FileFormat.XLSX if data.startswith(XLSX_MAGIC) else FileFormat.CSV


def decode_rows(
    data: bytes, *, sheet: str, widths: dict[int, int]
) -> tuple[list[list[str]], list[ProblemItem], FileFormat]:
    """The rows of a CSV file or of an XLSX sheet (`widths`: code columns whose numeric cells get leading zeros)."""
    file_format = detect_format(data)
    if file_format is FileFormat.XLSX:
        return (*decode_xlsx(data, sheet=sheet, widths=widths), file_format)
    return (*decode_csv(data), file_format)


def encode_rows(rows: Sequence[Sequence[str]], *, file_format: FileFormat, sheet: str) -> bytes:
    return encode_xlsx(rows, sheet=sheet) if file_format is FileFormat.XLSX else encode_csv(rows)
