"""The units file: the package's admin_units.csv reads clean and writes back byte for byte; a bad file is
rejected whole with every problem at its row and cell; units still in use by other records must stay."""

from __future__ import annotations

from datetime import date

import pytest

from dantoc_catalog.domain.table_files import FileFormat
from dantoc_catalog.domain.tabular import encode_csv
from dantoc_catalog.domain.units import AdminUnit, check_dependents
from dantoc_catalog.domain.units_file import read_units_file, write_units_file
from dantoc_catalog.services.seed import package_data_dir
from dantoc_contracts.codes import UnitLevel

PACKAGE = (package_data_dir() / "admin_units.csv").read_bytes()
HEADER = ["code", "level", "name", "type", "parent_code", "valid_from", "valid_to"]


def test_the_package_units_file_round_trips_byte_for_byte() -> None:
    read = read_units_file(PACKAGE)
    assert read.problems == []
    assert len(read.units) == 14_149
    assert write_units_file(read.units, file_format=FileFormat.CSV) == PACKAGE


def test_xlsx_units_file_reads_back_the_same_units() -> None:
    units = read_units_file(PACKAGE).units[:500]
    again = read_units_file(write_units_file(units, file_format=FileFormat.XLSX))
    assert (again.problems, again.units, again.file_format) == ([], units, FileFormat.XLSX)


def test_a_bad_units_file_lists_every_problem_with_row_and_cell() -> None:
    rows = [
        HEADER,
        ["02", "province", "Hà Giang", "Tỉnh", "", "", "2025-06-30"],
        ["024", "district", "Hà Giang", "Thành phố", "025", "", "2025-06-30"],  # row 3: cycle with 025
        ["025", "district", "Đồng Văn", "Huyện", "024", "", "2025-06-30"],  # row 4
        ["00688", "commune", "Quang Trung", "Phường", "029", "", "2025-06-30"],  # row 5: unknown parent
        ["00691", "village", "Trần Phú", "Phường", "024", "", "2025-06-30"],  # row 6: unknown level
        ["00694", "commune", "Ngọc Hà", "Phường", "024", "2025-07-01", "2025-06-30"],  # row 7: ends before it starts
        ["00697", "commune", "Minh Khai", "Phường", "024", "", "30/06/2025"],  # row 8: malformed date
        ["02", "province", "Hà Giang", "Tỉnh", "", "2025-01-01", ""],  # row 9: code 02 twice at the same time
        ["00700", "commune", "x" * 301, "P" * 301, "024", "", "2025-06-30"],  # row 10: name and type too long
    ]
    read = read_units_file(encode_csv(rows))
    found = {(p.code, p.location.row, p.location.cell) for p in read.problems}
    assert found == {
        ("hierarchy_cycle", 3, "E3"),
        ("hierarchy_cycle", 4, "E4"),
        ("wrong_parent_level", 3, "E3"),
        ("wrong_parent_level", 4, "E4"),
        ("unknown_parent", 5, "E5"),
        ("invalid_choice", 6, "B6"),
        ("invalid_validity", 7, "G7"),
        ("invalid_date", 8, "G8"),
        ("overlapping_unit", 9, "A9"),
        ("text_too_long", 10, "C10"),
        ("text_too_long", 10, "D10"),
    }


DAY = date(2025, 7, 1)
LEGACY = AdminUnit("00007", UnitLevel.COMMUNE, "Cống Vị", "Phường", "001", None, date(2025, 6, 30))
CURRENT = AdminUnit("00008", UnitLevel.COMMUNE, "Ngọc Hà", "Phường", "01", DAY, None)


@pytest.mark.parametrize(
    ("units", "scopes", "expected"),
    [
        ([LEGACY, CURRENT], {"BDTTG": "VN"}, set()),
        ([LEGACY], {}, {"00008"}),  # the conversion's new commune is gone
        ([CURRENT], {}, {"00007"}),  # the conversion's old commune is gone
        ([LEGACY, CURRENT], {"BDT-08": "08"}, {"08"}),  # an agency's scope is gone
    ],
)
def test_units_still_in_use_must_stay(units: list[AdminUnit], scopes: dict[str, str], expected: set[str]) -> None:
    problems = check_dependents(units, scopes, [("00007", "00008", DAY)])
    assert {str(p.value) for p in problems} == expected
    assert all(p.code == "unit_in_use" for p in problems)
