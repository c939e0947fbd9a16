"""The catalogue file: the package's starter catalogue reads clean and writes back byte for byte; a bad file is
rejected whole with every problem at its row and cell; XLSX carries the same columns."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from dantoc_catalog.domain.catalogue_file import FileFormat, HeaderStyle, read_catalogue, write_catalogue
from dantoc_catalog.domain.indicators import COLUMNS
from dantoc_catalog.services.seed import load_seed_data, package_data_dir
from tests.support.catalog.rows import AGENCIES, csv_file, formula, row

STARTER = (package_data_dir() / "indicators.csv").read_bytes()


@pytest.fixture(scope="module")
def agencies() -> set[str]:
    data = load_seed_data(package_data_dir())
    return {i.code for i in data.code_items if i.list_id == "agency"} | {a.code for a in data.agencies}


def test_the_starter_catalogue_reads_without_problems(agencies: set[str]) -> None:
    read = read_catalogue(STARTER, agencies=agencies)
    assert read.problems == []
    assert len({d.code for d in read.definitions}) == 78


def test_export_of_the_starter_catalogue_is_the_package_file_byte_for_byte(agencies: set[str]) -> None:
    read = read_catalogue(STARTER, agencies=agencies)
    assert write_catalogue(read.definitions, file_format=FileFormat.CSV) == STARTER


def test_xlsx_round_trip_gives_back_the_same_catalogue(agencies: set[str]) -> None:
    definitions = read_catalogue(STARTER, agencies=agencies).definitions
    for header in HeaderStyle:
        xlsx = write_catalogue(definitions, file_format=FileFormat.XLSX, header=header)
        again = read_catalogue(xlsx, agencies=agencies)
        assert again.problems == []
        assert again.file_format is FileFormat.XLSX
        assert write_catalogue(again.definitions, file_format=FileFormat.CSV) == STARTER


def test_vietnamese_header_csv_reads_back_the_same(agencies: set[str]) -> None:
    definitions = read_catalogue(STARTER, agencies=agencies).definitions
    vi = write_catalogue(definitions, file_format=FileFormat.CSV, header=HeaderStyle.VI)
    assert vi.splitlines()[0].decode().startswith("Mã chỉ tiêu,Mã nhóm,")
    assert write_catalogue(read_catalogue(vi, agencies=agencies).definitions, file_format=FileFormat.CSV) == STARTER


def test_a_spreadsheet_typed_by_hand_keeps_codes_and_dates() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    cells = row()
    values: list[object] = [cells[c] for c in COLUMNS]
    values[COLUMNS.index("code")] = 101  # Excel turned "0101" into a number
    values[COLUMNS.index("group_code")] = 1
    values[COLUMNS.index("version")] = 1
    values[COLUMNS.index("min_value")] = 0.0
    sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    read = read_catalogue(out.getvalue(), agencies=AGENCIES)
    assert read.problems == []
    assert (read.definitions[0].code, read.definitions[0].group.code) == ("0101", "01")


BAD_FILE = csv_file(
    row(),
    row(),  # row 3: same code and version as row 2
    formula("0103", "0101", "0199"),  # row 4: refers to a missing indicator
    formula("0104", "0105", "0101"),  # rows 5 and 6: refer to each other
    formula("0105", "0104", "0101"),
    row(code="0106", period_type="week", aggregation="MEDIAN", value_type="text"),  # row 7: three bad cells
    row(code="0107", lowest_level="village", disaggregations="religion", min_value="5", max_value="1"),  # row 8
    columns=(*COLUMNS, "colour"),
)


def test_a_bad_file_is_rejected_with_every_problem_at_its_row_and_cell() -> None:
    read = read_catalogue(BAD_FILE, agencies=AGENCIES)
    found = {(p.code, p.location.row, p.location.cell) for p in read.problems}
    assert found == {
        ("unknown_column", 1, "W1"),
        ("duplicate_code", 3, "A3"),
        ("unknown_formula_indicator", 4, "L4"),
        ("formula_cycle", 5, "K5"),
        ("formula_cycle", 6, "K6"),
        ("invalid_choice", 7, "I7"),
        ("invalid_choice", 7, "J7"),
        ("invalid_choice", 7, "P7"),
        ("invalid_choice", 8, "N8"),
        ("invalid_choice", 8, "O8"),
        ("min_greater_than_max", 8, "R8"),
    }
    rows = [p.location.row or 0 for p in read.problems]
    assert rows == sorted(rows)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"PK\x03\x04not really a zip", "unreadable_file"),
        (b"\xff\xfe\x00c\x00o", "unreadable_file"),
        (csv_file(columns=COLUMNS), "empty_file"),
        (csv_file(row(), columns=tuple(c for c in COLUMNS if c != "period_type")), "missing_column"),
    ],
)
def test_unreadable_or_incomplete_files(data: bytes, code: str) -> None:
    assert code in {p.code for p in read_catalogue(data, agencies=AGENCIES).problems}
