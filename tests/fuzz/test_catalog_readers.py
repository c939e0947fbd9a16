"""Property fuzz of the catalog's two import readers: any bytes give definitions or problems, never an exception.

`read_catalogue` (indicators) and `read_units_file` (administrative units) read what an admin uploads, CSV or XLSX;
whatever the bytes, they return problem items at their place (the API answers them as a 422), never raise.
Inputs: the package's own files cut to a few rows, with random and hostile cells, and the same bytes mutated
(flipped, cut, a damaged worksheet). Deterministic (`derandomize=True`) and bounded.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from dantoc_catalog.domain.catalogue_file import read_catalogue
from dantoc_catalog.domain.tabular import decode_csv, encode_csv
from dantoc_catalog.domain.units_file import read_units_file
from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.uploads import UploadLimits
from tests.support.mutations import CUT, EDITS, FUZZ, mutate, with_member

LIMITS = UploadLimits(unpacked_bytes=5 * 1024 * 1024, ratio=100, rows=200)
AGENCIES = frozenset({"CTK", "UBDT", "BYT"})
HOSTILE = [
    "",
    " ",
    "0101",
    "01",
    "2024\n",
    "٢٠٢٤",
    "1E+999999999",
    "NaN",
    "-0",
    "=1+1",
    "@SUM(A1)",
    "\t",
    "\x00",
    "9" * 80,
    "x" * 300,
    "2025-02-30",
    "province",
    "LAST",
    "FORMULA",
    "CTK",
]
CELL = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))
XLSX_CELL = st.one_of(CELL, st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none())

Reader = Callable[[bytes], list[ProblemItem]]


def catalogue_problems(data: bytes) -> list[ProblemItem]:
    return read_catalogue(data, agencies=AGENCIES, limits=LIMITS).problems


def units_problems(data: bytes) -> list[ProblemItem]:
    return read_units_file(data, LIMITS).problems


def package_rows(name: str, count: int) -> list[list[str]]:
    data = files("dantoc_catalog").joinpath("data", name).read_bytes()
    rows, problems = decode_csv(data, max_rows=1_000_000)
    assert problems == []
    return rows[: count + 1]


READERS = [
    pytest.param(catalogue_problems, package_rows("indicators.csv", 6), id="catalogue"),
    pytest.param(units_problems, package_rows("admin_units.csv", 6), id="units"),
]


def assert_problems(reader: Reader, data: bytes) -> None:
    problems = reader(data)  # raising anything at all fails the test
    assert all(isinstance(p, ProblemItem) for p in problems)
    assert all(p.message_vi and p.message_en for p in problems)


def with_random_cells(rows: list[list[str]], edits: list[tuple[int, int, str]]) -> list[list[object]]:
    changed: list[list[object]] = [list(row) for row in rows]
    for row, column, text in edits:
        target = changed[1 + row % (len(changed) - 1)]
        target[column % len(target)] = text
    return changed


CELL_EDITS = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 30), CELL), max_size=10)


@FUZZ
@given(data=st.binary(max_size=2048))
@pytest.mark.parametrize(("reader", "rows"), READERS)
def test_random_bytes(reader: Reader, rows: list[list[str]], data: bytes) -> None:
    assert_problems(reader, data)


@FUZZ
@given(cells=CELL_EDITS, edits=EDITS, cut=CUT)
@pytest.mark.parametrize(("reader", "rows"), READERS)
def test_csv_with_random_cells_and_mutated_bytes(
    reader: Reader,
    rows: list[list[str]],
    cells: list[tuple[int, int, str]],
    edits: list[tuple[int, int]],
    cut: int | None,
) -> None:
    data = encode_csv([[str(c) for c in row] for row in with_random_cells(rows, cells)])
    assert_problems(reader, data)
    assert_problems(reader, mutate(data, edits, cut))


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(FUZZ, max_examples=40)
@given(cells=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 30), XLSX_CELL), max_size=8), edits=EDITS, cut=CUT)
@pytest.mark.parametrize(("reader", "rows"), READERS)
def test_xlsx_with_random_cells_and_mutated_bytes(
    reader: Reader,
    rows: list[list[str]],
    cells: list[tuple[int, int, object]],
    edits: list[tuple[int, int]],
    cut: int | None,
) -> None:
    try:
        data = xlsx_bytes(with_random_cells(rows, cells))  # type: ignore[arg-type]
    except (ValueError, IllegalCharacterError):  # openpyxl will not write control characters
        return
    assert_problems(reader, data)
    assert_problems(reader, mutate(data, edits, cut))


@settings(FUZZ, max_examples=40)
@given(member=st.binary(max_size=512))
@pytest.mark.parametrize(("reader", "rows"), READERS)
def test_xlsx_with_a_damaged_worksheet(reader: Reader, rows: list[list[str]], member: bytes) -> None:
    data = with_member(xlsx_bytes([list(row) for row in rows]), "xl/worksheets/sheet1.xml", member)
    assert_problems(reader, data)


def zip_bomb() -> bytes:
    """A valid workbook whose shared strings member unpacks to 50 MiB of zeros from about 50 KiB."""
    data = xlsx_bytes([["code"], ["0101"]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/padding.bin", b"\0" * (50 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize("reader", [catalogue_problems, units_problems], ids=["catalogue", "units"])
def test_a_zip_bomb_is_refused_from_the_directory_before_it_is_inflated(reader: Reader) -> None:
    problems = reader(zip_bomb())
    assert [(p.code, p.location.field) for p in problems] == [("file_too_large", "file")]


@pytest.mark.parametrize("reader", [catalogue_problems, units_problems], ids=["catalogue", "units"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_more_rows_than_the_limit_is_one_problem_with_its_row(reader: Reader, file_format: str) -> None:
    rows = [["code", "name"], *([f"{n:04d}", "x"] for n in range(LIMITS.rows + 100))]
    data = encode_csv(rows) if file_format == "csv" else xlsx_bytes(rows)  # type: ignore[arg-type]
    problems = reader(data)
    assert [p.code for p in problems] == ["too_many_rows"]
    assert (problems[0].location.row or 0) > LIMITS.rows


@pytest.mark.parametrize("reader", [catalogue_problems, units_problems], ids=["catalogue", "units"])
def test_a_workbook_with_entities_is_unreadable(reader: Reader) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet>&a;</worksheet>'
    data = with_member(xlsx_bytes([["code"], ["0101"]]), "xl/worksheets/sheet1.xml", bomb)
    assert [p.code for p in reader(data)] == ["unreadable_file"]
