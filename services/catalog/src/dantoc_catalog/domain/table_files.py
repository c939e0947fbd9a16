"""CSV or XLSX bytes as rows of text, whichever the file is; and rows of text back into either format."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from dantoc_catalog.domain.tabular import decode_csv, encode_csv
from dantoc_catalog.domain.xlsx import XLSX_MAGIC, decode_xlsx, encode_xlsx
from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.uploads import UploadLimits

DEFAULT_LIMITS = UploadLimits(rows=50_000)
"""The limits of an import file when the settings give none (the package's units file has 14 149 rows)."""


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def detect_format(data: bytes) -> FileFormat:
    return FileFormat.XLSX if data.startswith(XLSX_MAGIC) else FileFormat.CSV


def decode_rows(
    data: bytes, *, sheet: str, widths: dict[int, int], limits: UploadLimits
) -> tuple[list[list[str]], list[ProblemItem], FileFormat]:
    """The rows of a CSV file or of an XLSX sheet (`widths`: code columns whose numeric cells get leading zeros);
    a file that cannot be read or is over `limits` is one problem at `file`. Blocking: call it off the event loop."""
    file_format = detect_format(data)
    if file_format is FileFormat.XLSX:
        return (*decode_xlsx(data, sheet=sheet, widths=widths, limits=limits), file_format)
    return (*decode_csv(data, max_rows=limits.rows), file_format)


def encode_rows(rows: Sequence[Sequence[str]], *, file_format: FileFormat, sheet: str) -> bytes:
    return encode_xlsx(rows, sheet=sheet) if file_format is FileFormat.XLSX else encode_csv(rows)
