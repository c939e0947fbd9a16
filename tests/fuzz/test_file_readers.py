"""Property fuzz of ingest's three file readers: any bytes give a parse result or problems, never a crash.

An uploaded file is read by `read_xlsx`, `read_csv` or `read_sdmx_csv`; the only exception any of them may raise
is `UploadRefused` (the API answers it as a 422 problem). Inputs: well-formed files with random cells, and the same
bytes mutated (flipped, cut, spliced). Deterministic (`derandomize=True`) and bounded.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.uploads import UploadRefused
from dantoc_ingest.files.readers import FileLimits, read_csv, read_xlsx, refused_problem
from dantoc_ingest.files.sdmx import read_sdmx_csv
from tests.support.mutations import CUT, EDITS, FUZZ, mutate, with_member

LIMITS = FileLimits(unpacked_bytes=5 * 1024 * 1024, ratio=100, rows=200)

TEMPLATE_HEADER = ["Mã chỉ tiêu", "Mã dân tộc", "Mã giới tính", "Giá trị", "Không có số liệu (ghi x)"]
SDMX_HEADER = ["INDICATOR", "REF_AREA", "ETHNIC_GROUP", "SEX", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "ACTION"]

# Cells people and programs actually put in files, and the hostile ones.
CELL_TEXT = st.one_of(
    st.sampled_from(
        [
            "0101",
            "01",
            "_T",
            "M",
            "F",
            "2024",
            "2024\n",
            "٢٠٢٤",
            "1E+999999999",
            "1e5",
            "-0",
            "NaN",
            "Infinity",
            "12,5",
            "1.000.000",
            "x",
            "có",
            "=1+1",
            "@SUM(A1)",
            "\t",
            "\r",
            "\x00",
            "D",
            "R",
            "",
            " ",
            "02 - Tày",
            "9" * 80,
            "0." + "0" * 40 + "1",
        ]
    ),
    st.text(max_size=30),
)
CELL = st.one_of(CELL_TEXT, st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none())
ROWS = st.lists(st.lists(CELL_TEXT, min_size=0, max_size=10), max_size=15)


def assert_result(problems: list[ProblemItem]) -> None:
    assert all(isinstance(p, ProblemItem) for p in problems)


def read_or_refuse(reader: object, data: bytes) -> None:
    """The reader returns content whose problems are problem items, or refuses the file; nothing else escapes."""
    try:
        content = reader(data, code_list="GSO1979", limits=LIMITS)  # type: ignore[operator]
    except UploadRefused as refused:  # the API answers it as a 422 problem
        problems = [refused_problem(refused)]
    else:
        problems = content.problems
    assert_result(problems)


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return "\n".join(lines).encode(encoding, errors="replace")


@FUZZ
@given(data=st.binary(max_size=2048))
@pytest.mark.parametrize("reader", [read_csv, read_sdmx_csv, read_xlsx], ids=["csv", "sdmx", "xlsx"])
def test_random_bytes(reader: object, data: bytes) -> None:
    read_or_refuse(reader, data)


@FUZZ
@given(
    rows=ROWS,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "utf-16"]),
    edits=EDITS,
    cut=CUT,
)
@pytest.mark.parametrize(
    ("reader", "header"), [(read_csv, TEMPLATE_HEADER), (read_sdmx_csv, SDMX_HEADER)], ids=["csv", "sdmx"]
)
def test_text_files_with_random_and_mutated_rows(
    reader: object,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
    edits: list[tuple[int, int]],
    cut: int | None,
) -> None:
    data = csv_bytes(header, rows, delimiter, encoding)
    read_or_refuse(reader, data)
    read_or_refuse(reader, mutate(data, edits, cut))


def xlsx_bytes(rows: list[list[object]], meta: list[tuple[str, object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(TEMPLATE_HEADER)
    for row in rows:
        sheet.append(row)
    if meta:
        extra = book.create_sheet("_meta")
        for key, value in meta:
            extra.append([key, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(FUZZ, max_examples=40)
@given(
    rows=st.lists(st.lists(CELL, max_size=8), max_size=10),
    meta=st.lists(st.tuples(st.sampled_from(["ethnic_code_list", "unit", "period", ""]), CELL), max_size=3),
    edits=EDITS,
    cut=CUT,
)
def test_xlsx_with_random_cells_and_mutated_bytes(
    rows: list[list[object]], meta: list[tuple[str, object]], edits: list[tuple[int, int]], cut: int | None
) -> None:
    try:
        data = xlsx_bytes(rows, meta)
    except (ValueError, IllegalCharacterError):  # openpyxl will not write control characters
        return
    read_or_refuse(read_xlsx, data)
    read_or_refuse(read_xlsx, mutate(data, edits, cut))


@settings(FUZZ, max_examples=40)
@given(rows=st.lists(st.lists(CELL_TEXT, max_size=6), max_size=6), member=st.binary(max_size=512))
def test_xlsx_with_a_damaged_member(rows: list[list[object]], member: bytes) -> None:
    """A valid zip whose worksheet XML is replaced by random bytes (openpyxl parses it)."""
    try:
        data = xlsx_bytes(rows, [])
    except (ValueError, IllegalCharacterError):
        return
    read_or_refuse(read_xlsx, with_member(data, "xl/worksheets/sheet1.xml", member))


def corrupt_deflate_xlsx() -> bytes:
    """A template whose docProps/core.xml deflate stream is damaged (its CRC and sizes are left as written)."""
    data = bytearray(xlsx_bytes([["0101", "_T", "_T", "1"]], []))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("docProps/core.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start] ^= 0xFF
    return bytes(data)


# Found by this fuzz (a corrupt member's zlib.error, a worksheet's malformed XML raised while rows are read), pinned:
def test_a_corrupt_deflate_stream_in_an_xlsx_is_a_problem() -> None:
    content = read_xlsx(corrupt_deflate_xlsx(), code_list="GSO1979", limits=LIMITS)
    assert [p.code for p in content.problems] == ["unreadable_file"]


def test_a_worksheet_that_is_not_xml_is_a_problem() -> None:
    data = with_member(xlsx_bytes([["0101", "_T", "_T", "1"]], []), "xl/worksheets/sheet1.xml", b"not xml")
    content = read_xlsx(data, code_list="GSO1979", limits=LIMITS)
    assert [p.code for p in content.problems] == ["unreadable_file"]
